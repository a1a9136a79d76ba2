package sandbox

import (
	"slices"
	"time"

	"github.com/linksim/linksim/flowcore"
)

// This file holds the institutions endpoints: /institutions/get,
// /institutions/get_by_id and /institutions/search.

// InstitutionsGetRequest is the body of /institutions/get.
type InstitutionsGetRequest struct {
	flowcore.Credentials
	Count        int                     `json:"count" plaid:"required"`
	Offset       int                     `json:"offset" plaid:"required"`
	CountryCodes []string                `json:"country_codes" plaid:"required"`
	Options      *InstitutionsGetOptions `json:"options,omitempty"`
}

// InstitutionsGetOptions are the options of /institutions/get.
type InstitutionsGetOptions struct {
	Products                         []string `json:"products,omitempty"`
	RoutingNumbers                   []string `json:"routing_numbers,omitempty"`
	OAuth                            *bool    `json:"oauth,omitempty"`
	IncludeOptionalMetadata          bool     `json:"include_optional_metadata,omitempty"`
	IncludeAuthMetadata              bool     `json:"include_auth_metadata,omitempty"`
	IncludePaymentInitiationMetadata bool     `json:"include_payment_initiation_metadata,omitempty"`
}

// InstitutionByIDOptions are the options of /institutions/get_by_id.
type InstitutionByIDOptions struct {
	IncludeOptionalMetadata          bool `json:"include_optional_metadata,omitempty"`
	IncludeStatus                    bool `json:"include_status,omitempty"`
	IncludeAuthMetadata              bool `json:"include_auth_metadata,omitempty"`
	IncludePaymentInitiationMetadata bool `json:"include_payment_initiation_metadata,omitempty"`
}

// InstitutionsSearchOptions are the options of /institutions/search.
type InstitutionsSearchOptions struct {
	OAuth                            *bool          `json:"oauth,omitempty"`
	IncludeOptionalMetadata          *bool          `json:"include_optional_metadata,omitempty"`
	IncludeAuthMetadata              *bool          `json:"include_auth_metadata,omitempty"`
	IncludePaymentInitiationMetadata *bool          `json:"include_payment_initiation_metadata,omitempty"`
	PaymentInitiation                map[string]any `json:"payment_initiation,omitempty"`
}

// InstitutionsGetResponse answers /institutions/get.
type InstitutionsGetResponse struct {
	Institutions []InstitutionBase `json:"institutions"`
	Total        int               `json:"total"`
	Response
}

// InstitutionStatus is an institution's status object: every product it
// lists has the health of the bank's logins.
type InstitutionStatus struct {
	ItemLogins          *ProductStatus `json:"item_logins"`
	TransactionsUpdates *ProductStatus `json:"transactions_updates"`
	Auth                *ProductStatus `json:"auth"`
	Identity            *ProductStatus `json:"identity"`
	InvestmentsUpdates  *ProductStatus `json:"investments_updates"`
	LiabilitiesUpdates  *ProductStatus `json:"liabilities_updates"`
	Liabilities         *ProductStatus `json:"liabilities"`
	Investments         *ProductStatus `json:"investments"`
	HealthIncidents     []struct{}     `json:"health_incidents"`
}

// ProductStatus is the health of one kind of request at an institution.
type ProductStatus struct {
	Status           string `json:"status"`
	LastStatusChange string `json:"last_status_change"`
	Breakdown        struct {
		Success          float64 `json:"success"`
		ErrorPlaid       float64 `json:"error_plaid"`
		ErrorInstitution float64 `json:"error_institution"`
		RefreshInterval  string  `json:"refresh_interval,omitempty"`
	} `json:"breakdown"`
}

// institutionView says which optional parts of an institution to show.
type institutionView struct {
	optional, auth, status bool
	now                    time.Time // for status
}

// institutionProducts are the products an institution offers. Only banks
// with Instant Auth list auth (as Plaid's Institution.products says);
// their auth_metadata tells the other Auth methods. A bank without a login
// offers none.
func institutionProducts(ins *flowcore.Institution) []string {
	if len(ins.AuthMethods) == 0 {
		return []string{}
	}
	if ins.Supports(flowcore.FlowInstantAuth) {
		return slices.Clone(loginProducts)
	}
	return slices.DeleteFunc(slices.Clone(loginProducts), func(p string) bool { return p == "auth" })
}

// supportsAuthMethod reports whether a bank verifies accounts by a login
// method: Instant Auth, Instant Match or Automated Micro-deposits.
func supportsAuthMethod(ins *flowcore.Institution) bool {
	return ins.Supports(flowcore.FlowInstantAuth) || ins.Supports(flowcore.FlowInstantMatch) || ins.Supports(flowcore.FlowAutomatedMicrodeposits)
}

func institutionBase(ins *flowcore.Institution, v institutionView) InstitutionBase {
	b := InstitutionBase{InstitutionID: ins.ID, Name: ins.Name, Products: institutionProducts(ins),
		CountryCodes: ins.CountryCodes, RoutingNumbers: ins.RoutingNumbers, OAuth: ins.OAuth}
	if v.optional {
		b.URL, b.PrimaryColor = flowcore.Nullable(ins.URL), flowcore.Nullable(ins.PrimaryColor)
	}
	if v.auth {
		b.AuthMetadata = &AuthMetadata{}
		m := &b.AuthMetadata.SupportedMethods
		m.InstantAuth, m.InstantMatch = ins.Supports(flowcore.FlowInstantAuth), ins.Supports(flowcore.FlowInstantMatch)
		m.AutomatedMicroDeposits, m.InstantMicroDeposits = ins.Supports(flowcore.FlowAutomatedMicrodeposits), ins.InstantPayments
	}
	if v.status {
		b.Status = institutionStatus(ins, v.now)
	}
	return b
}

// institutionStatus is, for each request type the institution serves, the
// health of its logins (HEALTHY but for the Unhealthy Platypus banks),
// changed last at now.
func institutionStatus(ins *flowcore.Institution, now time.Time) *InstitutionStatus {
	healthy := func(updates bool) *ProductStatus {
		p := &ProductStatus{Status: ins.Health(), LastStatusChange: rfc3339(now)}
		p.Breakdown.Success, p.Breakdown.ErrorInstitution = ins.LoginSuccessRate(), 1-ins.LoginSuccessRate()
		if updates {
			p.Breakdown.RefreshInterval = "NORMAL"
		}
		return p
	}
	st := &InstitutionStatus{HealthIncidents: []struct{}{}}
	if supportsAuthMethod(ins) || ins.InstantPayments {
		st.Auth = healthy(false)
	}
	if len(ins.AuthMethods) > 0 {
		st.ItemLogins, st.Identity = healthy(false), healthy(false)
		st.TransactionsUpdates, st.InvestmentsUpdates, st.LiabilitiesUpdates = healthy(true), healthy(true), healthy(true)
		st.Investments, st.Liabilities = healthy(false), healthy(false)
	}
	return st
}

func servesCountry(ins *flowcore.Institution, codes []string) bool {
	return slices.ContainsFunc(ins.CountryCodes, func(c string) bool { return slices.Contains(codes, c) })
}

// InstitutionByID implements /institutions/get_by_id. An unknown id, or
// one that serves none of the country codes, is INVALID_INSTITUTION. The
// url and primary_color (include_optional_metadata), auth_metadata
// (include_auth_metadata) and status (include_status) come only when asked
// for; logo is always null.
func (s *Sandbox) InstitutionByID(req *InstitutionByIDRequest) (InstitutionResponse, *flowcore.Error) {
	if err := validateCountries(req.CountryCodes); err != nil {
		return InstitutionResponse{}, err
	}
	ins, ok := s.Catalog().ByID(req.InstitutionID)
	if !ok || !servesCountry(ins, req.CountryCodes) {
		return InstitutionResponse{}, flowcore.InvalidInput("INVALID_INSTITUTION", "", "invalid institution_id provided")
	}
	var v institutionView
	if o := req.Options; o != nil {
		v = institutionView{optional: o.IncludeOptionalMetadata, auth: o.IncludeAuthMetadata, status: o.IncludeStatus, now: s.clock.Now()}
	}
	return InstitutionResponse{Institution: institutionBase(ins, v)}, nil
}

// InstitutionsSearch implements /institutions/search, with the same
// matching as Link's search pane, limited to institutions offering every
// requested product. As Plaid documents, auth there also matches banks
// that verify by Instant Match or Automated Micro-deposits, though their
// products do not list it.
func (s *Sandbox) InstitutionsSearch(req *InstitutionsSearchRequest) (InstitutionsSearchResponse, *flowcore.Error) {
	if err := validateCountries(req.CountryCodes); err != nil {
		return InstitutionsSearchResponse{}, err
	}
	var v institutionView
	var oauth *bool
	if o := req.Options; o != nil {
		v.optional = o.IncludeOptionalMetadata != nil && *o.IncludeOptionalMetadata
		v.auth = o.IncludeAuthMetadata != nil && *o.IncludeAuthMetadata
		oauth = o.OAuth
	}
	resp := InstitutionsSearchResponse{Institutions: []InstitutionBase{}}
	for _, ins := range s.Catalog().Search(req.Query, req.CountryCodes) {
		offers := func(p string) bool {
			return slices.Contains(institutionProducts(ins), p) || (p == "auth" && supportsAuthMethod(ins))
		}
		if (oauth != nil && *oauth != ins.OAuth) || !allOf(req.Products, offers) {
			continue // options.oauth limits results to banks with, or without, OAuth
		}
		resp.Institutions = append(resp.Institutions, institutionBase(ins, v))
	}
	return resp, nil
}

// InstitutionsGet implements /institutions/get: count institutions from
// offset, in catalogue order, with total the number that match. The
// products filter is strict (auth means Instant Auth, as Plaid documents);
// routing_numbers keeps institutions that have every valid routing number
// given, and is INVALID_FIELD when none is valid.
func (s *Sandbox) InstitutionsGet(req *InstitutionsGetRequest) (InstitutionsGetResponse, *flowcore.Error) {
	if err := validateCountries(req.CountryCodes); err != nil {
		return InstitutionsGetResponse{}, err
	}
	if req.Count < 1 || req.Count > 500 {
		return InstitutionsGetResponse{}, flowcore.InvalidField("count", "must be between 1 and 500")
	}
	if req.Offset < 0 {
		return InstitutionsGetResponse{}, flowcore.InvalidField("offset", "must be at least 0")
	}
	o := req.Options
	if o == nil {
		o = &InstitutionsGetOptions{}
	}
	var routing []string
	for _, rn := range o.RoutingNumbers {
		if flowcore.ValidateRoutingNumber(rn) == nil {
			routing = append(routing, rn)
		}
	}
	if len(o.RoutingNumbers) > 0 && len(routing) == 0 {
		return InstitutionsGetResponse{}, flowcore.InvalidField("options.routing_numbers", "contains no valid routing number")
	}
	v := institutionView{optional: o.IncludeOptionalMetadata, auth: o.IncludeAuthMetadata}
	var all []InstitutionBase
	for _, ins := range s.Catalog().All() {
		if !servesCountry(ins, req.CountryCodes) || (o.OAuth != nil && *o.OAuth != ins.OAuth) ||
			!allOf(o.Products, func(p string) bool { return slices.Contains(institutionProducts(ins), p) }) ||
			!allOf(routing, func(rn string) bool { return slices.Contains(ins.RoutingNumbers, rn) }) {
			continue
		}
		all = append(all, institutionBase(ins, v))
	}
	resp := InstitutionsGetResponse{Institutions: []InstitutionBase{}, Total: len(all)}
	if req.Offset < len(all) {
		resp.Institutions = append(resp.Institutions, all[req.Offset:min(len(all), req.Offset+req.Count)]...)
	}
	return resp, nil
}

func allOf(xs []string, ok func(string) bool) bool {
	return !slices.ContainsFunc(xs, func(x string) bool { return !ok(x) })
}

func validateCountries(codes []string) *flowcore.Error {
	if len(codes) == 0 {
		return flowcore.InvalidField("country_codes", "must contain at least one country code")
	}
	for _, c := range codes {
		if err := flowcore.CheckCountryCode(c); err != nil {
			return err
		}
	}
	return nil
}
