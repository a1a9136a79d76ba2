package flowcore

// MemoryBudget is the memory, in bytes, all of linksim's state may take
// together: the store, the live browser sessions, the webhooks waiting to
// be sent and the request bodies being read. It is shared among them by
// fixed percentages, and the rest (a third) is left for the Go runtime,
// the served files, connections and the collector's headroom, so a process
// whose memory limit is the budget stays within it whatever it is sent.
type MemoryBudget int64

// DefaultMemoryBudget is linksim's budget unless told otherwise: 512 MiB.
const DefaultMemoryBudget MemoryBudget = 512 << 20

// Store is the share of the MemoryStore's records (45%).
func (b MemoryBudget) Store() int64 { return int64(b) * 45 / 100 }

// LiveSessions is the share of the Link sessions a server runs for
// browsers (10%).
func (b MemoryBudget) LiveSessions() int64 { return int64(b) * 10 / 100 }

// Webhooks is the share of the webhooks queued for sending (2%).
func (b MemoryBudget) Webhooks() int64 { return int64(b) * 2 / 100 }

// Bodies is the share of request bodies being read and decoded at once
// (10%).
func (b MemoryBudget) Bodies() int64 { return int64(b) * 10 / 100 }

// StoreLimits returns the limits of a MemoryStore within the budget that
// keeps at most maxItems Items.
func (b MemoryBudget) StoreLimits(maxItems int) StoreLimits {
	return StoreLimits{Items: maxItems, Bytes: b.Store()}
}

// Size estimates the memory a webhook waiting to be sent takes.
func (w *Webhook) Size() int64 {
	b := &w.Body
	n := 64 + 80 + len(w.URL) + len(b.WebhookType) + len(b.WebhookCode) + len(b.ItemID) + len(b.AccountID) + len(b.Environment)
	if e := b.Error; e != nil {
		n += int(errorSize(e))
	}
	return int64(n)
}

func errorSize(e *Error) int64 {
	return int64(96 + len(e.Type) + len(e.Code) + len(e.Message) + len(e.DisplayMessage) + len(e.RequestID))
}

// Size estimates the memory a live Link session takes: its link token's
// config, what the user typed and the session found (accounts, MFA
// challenges, an update-mode Item), its pending events and its result.
// Institutions are the catalogue's, shared, and not counted.
func (s *Session) Size() int64 {
	st := &s.st
	n := int64(1024) // the Session and its state's fixed fields, the ChaCha8 state
	n += configSize(&s.cfg) + int64(len(s.token)+len(s.id))
	n += int64(len(st.requestID)+len(st.query)+len(st.routing)+len(st.account)+len(st.legalName)+len(st.subtype)) +
		int64(8*cap(st.results))
	for i := range st.mfa {
		c := &st.mfa[i]
		n += 64 + int64(len(c.Type)) + stringsSize(c.Prompts) + stringsSize(c.answers) + int64(24*cap(c.Options))
		for _, o := range c.Options {
			n += stringsSize(o)
		}
	}
	n += accountsSize(st.accounts) + accountsSize(st.selected)
	if st.verification != nil {
		n += 96 + int64(len(st.verification.Code)+len(st.verification.Description))
	}
	for _, e := range []*Error{st.paneErr, st.lastErr} {
		if e != nil {
			n += errorSize(e)
		}
	}
	if it := st.updateItem; it != nil {
		n += itemSize(it)
	}
	for i := range st.events {
		n += eventSize(&st.events[i])
	}
	if o := st.outcome.success; o != nil {
		n += 256 + int64(len(o.PublicToken)) + int64(len(o.Metadata.Accounts))*200
	}
	if o := st.outcome.exit; o != nil {
		n += 256
		if o.Error != nil {
			n += errorSize(o.Error)
		}
	}
	return n
}

func configSize(c *LinkConfig) int64 {
	n := int64(400 + len(c.ClientName) + len(c.Language) + len(c.ClientUserID) + len(c.LegalName) + len(c.Webhook) +
		len(c.RedirectURI) + len(c.AccessToken) + len(c.RoutingNumber) + len(c.Auth.RerouteToCredentials))
	n += stringsSize(c.CountryCodes) + stringsSize(c.Products) + stringsSize(c.RequiredIfSupportedProducts) +
		stringsSize(c.OptionalProducts) + stringsSize(c.AdditionalConsentedProducts)
	if h := c.HostedLink; h != nil {
		n += 48 + int64(len(h.CompletionRedirectURI))
	}
	return n
}

// stringsSize is a string slice's backing array and strings.
func stringsSize(ss []string) int64 {
	n := int64(16 * cap(ss))
	for _, s := range ss {
		n += int64(len(s))
	}
	return n
}

func accountsSize(as []Account) int64 {
	n := int64(0)
	for i := range as {
		a := &as[i]
		n += 400 + int64(len(a.ID)+len(a.Name)+len(a.OfficialName)+len(a.Mask)+len(a.Type)+len(a.Subtype)+
			len(a.Number)+len(a.Routing)+len(a.WireRouting)+len(a.SortCode))
		if v := a.Verification; v != nil {
			n += 96 + int64(len(v.Code)+len(v.Description))
		}
	}
	return n
}

func itemSize(it *Item) int64 {
	return 256 + int64(len(it.ID)+len(it.AccessToken)+len(it.InstitutionID)+len(it.InstitutionName)+len(it.Webhook)+
		len(it.ClientName)+len(it.LegalName)) + stringsSize(it.Products) + accountsSize(it.Accounts)
}

// eventSize is an event's metadata: its fixed fields and the strings its
// pointers hold.
func eventSize(e *Event) int64 {
	m := &e.Metadata
	n := int64(256 + len(e.Name) + len(m.RequestID) + len(m.LinkSessionID) + len(m.Timestamp))
	for _, p := range []*string{m.InstitutionID, m.InstitutionName, m.InstitutionSearchQuery, m.ErrorType, m.ErrorCode,
		m.ErrorMessage, m.ExitStatus, m.Selection, m.RoutingNumber, m.AccountNumberMask, m.MatchReason, m.IsUpdateMode} {
		if p != nil {
			n += 16 + int64(len(*p))
		}
	}
	return n
}
