package flowcore

import "slices"

// This file holds the institutions endpoints.

func institutionBase(ins *Institution) InstitutionBase {
	b := InstitutionBase{InstitutionID: ins.ID, Name: ins.Name, Products: []string{"auth"}, CountryCodes: ins.CountryCodes,
		RoutingNumbers: ins.RoutingNumbers, URL: nullable(ins.URL), PrimaryColor: nullable(ins.PrimaryColor),
		AuthMetadata: &AuthMetadata{}}
	if len(ins.AuthMethods) > 0 {
		b.Products = loginProducts
	}
	m := &b.AuthMetadata.SupportedMethods
	m.InstantAuth, m.InstantMatch = ins.Supports(FlowInstantAuth), ins.Supports(FlowInstantMatch)
	m.AutomatedMicroDeposits, m.InstantMicroDeposits = ins.Supports(FlowAutomatedMicrodeposits), ins.InstantPayments
	return b
}

// InstitutionByID implements /institutions/get_by_id. An unknown id, or
// one that serves none of the country codes, is INVALID_INSTITUTION.
func (s *Sandbox) InstitutionByID(req *InstitutionByIDRequest) (InstitutionResponse, *Error) {
	if err := validateCountries(req.CountryCodes); err != nil {
		return InstitutionResponse{}, err
	}
	ins, ok := s.catalog.ByID(req.InstitutionID)
	if !ok || !slices.ContainsFunc(ins.CountryCodes, func(c string) bool { return slices.Contains(req.CountryCodes, c) }) {
		return InstitutionResponse{}, invalidInput("INVALID_INSTITUTION", "", "invalid institution_id provided")
	}
	return InstitutionResponse{Institution: institutionBase(ins)}, nil
}

// InstitutionsSearch implements /institutions/search, with the same
// matching as Link's search pane, limited to institutions offering every
// requested product.
func (s *Sandbox) InstitutionsSearch(req *InstitutionsSearchRequest) (InstitutionsSearchResponse, *Error) {
	if err := validateCountries(req.CountryCodes); err != nil {
		return InstitutionsSearchResponse{}, err
	}
	resp := InstitutionsSearchResponse{Institutions: []InstitutionBase{}}
	for _, ins := range s.catalog.Search(req.Query, req.CountryCodes) {
		b := institutionBase(ins)
		if !slices.ContainsFunc(req.Products, func(p string) bool { return !slices.Contains(b.Products, p) }) {
			resp.Institutions = append(resp.Institutions, b)
		}
	}
	return resp, nil
}

func validateCountries(codes []string) *Error {
	if len(codes) == 0 {
		return invalidField("country_codes", "must contain at least one country code")
	}
	for _, c := range codes {
		if !slices.Contains(validCountries, c) {
			return invalidField("country_codes", "contains an unsupported country code "+quote(c))
		}
	}
	return nil
}
