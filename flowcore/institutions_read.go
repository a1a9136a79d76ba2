package flowcore

// catalogDoc is a catalogue document: shared accounts and institutions.
type catalogDoc struct {
	Accounts     []AccountTemplate `json:"accounts"`
	Institutions []*Institution    `json:"institutions"`
}

// readCatalog reads a catalogue document as encoding/json would into a
// catalogDoc, with the reflection-free scanner (the first search in the
// browser pays for this parse).
func readCatalog(data []byte) (catalogDoc, error) {
	s := &scanner{data: data}
	var doc catalogDoc
	s.object(func(key string) {
		switch key {
		case "accounts":
			doc.Accounts = s.accounts()
		case "institutions":
			s.array(func() { doc.Institutions = append(doc.Institutions, s.institution()) })
		default:
			s.skip()
		}
	})
	return doc, s.end()
}

func (s *scanner) institution() *Institution {
	if s.null() {
		return nil
	}
	ins := new(Institution)
	s.object(func(key string) {
		switch key {
		case "institution_id":
			ins.ID = s.str()
		case "name":
			ins.Name = s.str()
		case "country_codes":
			ins.CountryCodes = s.strings()
		case "url":
			ins.URL = s.str()
		case "primary_color":
			ins.PrimaryColor = s.str()
		case "routing_numbers":
			ins.RoutingNumbers = s.strings()
		case "wire_routing":
			ins.WireRouting = s.str()
		case "auth_methods":
			if names := s.strings(); names != nil {
				ins.AuthMethods = make([]Flow, len(names))
				for i, m := range names {
					ins.AuthMethods[i] = Flow(m)
				}
			}
		case "instant_payments":
			ins.InstantPayments = s.boolean()
		case "popular":
			ins.Popular = s.boolean()
		case "mfa_devices":
			ins.MFADevices = s.strings()
		case "accounts":
			ins.Accounts = s.accounts()
		default:
			s.skip()
		}
	})
	return ins
}

func (s *scanner) accounts() []AccountTemplate {
	if s.null() {
		return nil
	}
	out := []AccountTemplate{}
	s.array(func() {
		var a AccountTemplate
		s.object(func(key string) {
			switch key {
			case "name":
				a.Name = s.str()
			case "official_name":
				a.OfficialName = s.str()
			case "type":
				a.Type = s.str()
			case "subtype":
				a.Subtype = s.str()
			case "number":
				a.Number = s.str()
			case "sort_code":
				a.SortCode = s.str()
			case "currency":
				a.Currency = s.str()
			case "balances":
				s.object(func(key string) {
					switch key {
					case "available":
						a.Balances.Available = s.floatPtr()
					case "current":
						a.Balances.Current = s.floatPtr()
					case "limit":
						a.Balances.Limit = s.floatPtr()
					case "iso_currency_code":
						a.Balances.IsoCurrencyCode = s.strPtr()
					case "unofficial_currency_code":
						a.Balances.UnofficialCurrencyCode = s.strPtr()
					default:
						s.skip()
					}
				})
			default:
				s.skip()
			}
		})
		out = append(out, a)
	})
	return out
}

func (s *scanner) strPtr() *string {
	if s.null() {
		return nil
	}
	v := s.str()
	return &v
}
