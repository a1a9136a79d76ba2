package flowcore

import (
	_ "embed"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/linksim/linksim/internal/jsoncodec"
)

//go:embed institutions.json
var institutionsJSON []byte

// Institution is a bank in the sandbox catalogue: who it is, which routing
// numbers belong to it, how users can be verified there, its MFA devices and
// the accounts a sandbox login sees.
type Institution struct {
	ID             string   `json:"institution_id"`
	Name           string   `json:"name"`
	CountryCodes   []string `json:"country_codes"`
	URL            string   `json:"url"`
	PrimaryColor   string   `json:"primary_color"`
	RoutingNumbers []string `json:"routing_numbers"`
	// WireRouting is the separate routing number the bank uses for wire
	// transfers, "" when none is known (then /auth/get's wire_routing is
	// null, as Plaid's schema says).
	WireRouting     string `json:"wire_routing,omitempty"`
	AuthMethods     []Flow `json:"auth_methods"`
	InstantPayments bool   `json:"instant_payments"`
	// Popular banks are listed on Link's search pane before the user
	// types, as Plaid lists popular institutions.
	Popular bool `json:"popular"`
	// OAuth banks log users in on their own page, never in Link's
	// credentials pane (Plaid's OAuth flow); /institutions/* says oauth.
	OAuth      bool              `json:"oauth"`
	MFADevices []string          `json:"mfa_devices"`
	Accounts   []AccountTemplate `json:"accounts"`
	// Status is the health of logins at the bank (item_logins in
	// /institutions/get_by_id): "" for HEALTHY, StatusDegraded or
	// StatusDown, as Plaid's Unhealthy Platypus banks have.
	Status string `json:"status,omitempty"`
	// LoginError is the code of the error every login at the bank fails
	// with ("" for none), a code of linksim's table of Plaid's errors: an
	// institution set not responding on demand (Catalog.WithFaults).
	LoginError string `json:"login_error,omitempty"`
}

// Institution health, the status of item_logins. Link warns about a
// DEGRADED bank and lets the user go on; it blocks logins at a DOWN one.
const (
	StatusHealthy  = "HEALTHY"
	StatusDegraded = "DEGRADED"
	StatusDown     = "DOWN"
)

// Health returns the status of logins at the institution: HEALTHY,
// DEGRADED or DOWN.
func (ins *Institution) Health() string {
	if ins.Status == "" {
		return StatusHealthy
	}
	return ins.Status
}

// LoginSuccessRate is the share of logins that succeed, as the status
// breakdown of /institutions/get_by_id reports it: 1 at a HEALTHY bank,
// 0.5 at a DEGRADED one and 0 at a DOWN one (the rest fail at the bank).
func (ins *Institution) LoginSuccessRate() float64 {
	switch ins.Health() {
	case StatusDegraded:
		return 0.5
	case StatusDown:
		return 0
	}
	return 1
}

// HasLogin reports whether users can log in at the institution: it
// verifies accounts by at least one login method.
func (ins *Institution) HasLogin() bool { return len(ins.AuthMethods) > 0 }

// Supports reports whether a login at the institution can verify accounts
// by the given method (INSTANT_AUTH, INSTANT_MATCH or AUTOMATED_MICRODEPOSITS).
func (ins *Institution) Supports(method Flow) bool { return slices.Contains(ins.AuthMethods, method) }

// Ref returns the {name, institution_id} pair Link metadata carries.
func (ins *Institution) Ref() *InstitutionRef {
	return &InstitutionRef{Name: ins.Name, InstitutionID: ins.ID}
}

// AuthAccounts returns the accounts Auth can verify: depository checking,
// savings and cash management. Credit, loan, investment and other
// depository accounts (CD, money market, HSA) are ignored by every Auth
// flow.
func (ins *Institution) AuthAccounts() []AccountTemplate {
	var out []AccountTemplate
	for _, a := range ins.Accounts {
		if a.AuthEligible() {
			out = append(out, a)
		}
	}
	return out
}

// InstitutionRef is the institution object of Link metadata.
type InstitutionRef struct {
	Name          string `json:"name"`
	InstitutionID string `json:"institution_id"`
}

// AccountTemplate is an account a sandbox login at an institution sees.
type AccountTemplate struct {
	Name         string   `json:"name"`
	OfficialName string   `json:"official_name"`
	Type         string   `json:"type"`
	Subtype      string   `json:"subtype"`
	Number       string   `json:"number"`
	SortCode     string   `json:"sort_code"`
	Currency     string   `json:"currency"`
	Balances     Balances `json:"balances"`
	// EFTInstitution and EFTBranch are a Canadian account's institution
	// and transit numbers; such an account has no ACH routing number.
	EFTInstitution string `json:"eft_institution,omitempty"`
	EFTBranch      string `json:"eft_branch,omitempty"`
	// Routing, WireRouting and MaskOverride replace the bank's routing
	// numbers and the mask taken from Number (a custom user's numbers and
	// meta.mask); "" keeps them.
	Routing      string `json:"routing,omitempty"`
	WireRouting  string `json:"wire_routing,omitempty"`
	MaskOverride string `json:"mask,omitempty"`
}

// Mask is the account's mask: the last four digits of the account number,
// unless the template sets its own.
func (a AccountTemplate) Mask() string {
	if a.MaskOverride != "" {
		return a.MaskOverride
	}
	return Mask(a.Number)
}

// AuthEligible reports whether Auth verifies this kind of account:
// checking, savings and cash management, the depository accounts Plaid's
// Auth hands out numbers for.
func (a AccountTemplate) AuthEligible() bool {
	return a.Type == "depository" && (a.Subtype == "checking" || a.Subtype == "savings" || a.Subtype == "cash management")
}

// Balances is an account's balance object.
type Balances struct {
	Available              *float64 `json:"available"`
	Current                *float64 `json:"current"`
	Limit                  *float64 `json:"limit"`
	IsoCurrencyCode        *string  `json:"iso_currency_code"`
	UnofficialCurrencyCode *string  `json:"unofficial_currency_code"`
}

// Catalog is an immutable set of institutions, indexed by id and routing
// number.
type Catalog struct {
	institutions []*Institution
	byID         map[string]*Institution
	byRouting    map[string]*Institution
}

// ParseCatalog reads a catalogue document: {"accounts": [...],
// "institutions": [...]}, where an institution without accounts of its own
// gets the shared ones. It returns an error for malformed JSON, a duplicate
// id, an invalid routing number, or a routing number claimed twice.
func ParseCatalog(data []byte) (*Catalog, error) {
	doc, err := readCatalog(data)
	if err != nil {
		return nil, errors.New("flowcore: parse catalogue: " + err.Error())
	}
	c := &Catalog{byID: map[string]*Institution{}, byRouting: map[string]*Institution{}}
	for _, ins := range doc.Institutions {
		if ins.ID == "" || c.byID[ins.ID] != nil {
			return nil, errors.New("flowcore: catalogue: missing or duplicate institution id " + strconv.Quote(ins.ID))
		}
		if ins.Accounts == nil {
			ins.Accounts = doc.Accounts
		}
		for i := range ins.Accounts {
			a := &ins.Accounts[i]
			if a.Currency == "" {
				a.Currency = "USD"
			}
			cur := a.Currency
			a.Balances.IsoCurrencyCode = &cur
		}
		switch ins.Status {
		case "", StatusDegraded, StatusDown:
		default:
			return nil, errors.New("flowcore: catalogue: " + ins.ID + ": status " + strconv.Quote(ins.Status) + " is not DEGRADED or DOWN")
		}
		if _, ok := PlaidError(ins.LoginError); ins.LoginError != "" && !ok {
			return nil, errors.New("flowcore: catalogue: " + ins.ID + ": login_error " + strconv.Quote(ins.LoginError) + " is not a Plaid error code linksim knows")
		}
		for _, m := range ins.AuthMethods {
			if !m.Credentialed() {
				return nil, errors.New("flowcore: catalogue: " + ins.ID + ": " + strconv.Quote(string(m)) + " is not a login auth method")
			}
		}
		if ins.InstantPayments && len(ins.RoutingNumbers) == 0 {
			return nil, errors.New("flowcore: catalogue: " + ins.ID + " takes instant payments but has no routing number")
		}
		for _, rn := range ins.RoutingNumbers {
			if err := ValidateRoutingNumber(rn); err != nil {
				return nil, errors.New("flowcore: catalogue: " + ins.ID + ": " + err.Error())
			}
			if other := c.byRouting[rn]; other != nil {
				return nil, errors.New("flowcore: catalogue: routing number " + rn + " claimed by " + other.ID + " and " + ins.ID)
			}
			c.byRouting[rn] = ins
		}
		c.byID[ins.ID] = ins
		c.institutions = append(c.institutions, ins)
	}
	return c, nil
}

// DefaultCatalog returns the sandbox catalogue shipped with linksim: Plaid's
// sandbox institutions (First Platypus Bank, Houndstooth Bank, Windowpane
// Bank, …) with fictional routing numbers. It is parsed once and shared; a
// Catalog is never modified.
var DefaultCatalog = sync.OnceValue(func() *Catalog {
	c, err := ParseCatalog(institutionsJSON)
	if err != nil {
		panic(err) // the embedded file is covered by tests
	}
	return c
})

// ByID returns the institution with the given id.
func (c *Catalog) ByID(id string) (*Institution, bool) {
	ins, ok := c.byID[id]
	return ins, ok
}

// ByRoutingNumber returns the institution a routing number belongs to.
func (c *Catalog) ByRoutingNumber(rn string) (*Institution, bool) {
	ins, ok := c.byRouting[rn]
	return ins, ok
}

// InstantPaymentsEligible reports whether a routing number belongs to an
// RTP or FedNow participant, which Instant Micro-deposits need. Real
// participant lists cannot be redistributed, so eligibility is a flag of the
// (fictional) catalogue institutions.
func (c *Catalog) InstantPaymentsEligible(rn string) bool {
	ins, ok := c.byRouting[rn]
	return ok && ins.InstantPayments
}

// All returns every institution in catalogue order.
func (c *Catalog) All() []*Institution { return slices.Clone(c.institutions) }

// Popular returns the institutions marked popular that serve one of
// countries (all, when countries is empty), in catalogue order: what an
// empty search shows.
func (c *Catalog) Popular(countries []string) []*Institution {
	var out []*Institution
	for _, ins := range c.institutions {
		if ins.Popular && (len(countries) == 0 || slices.ContainsFunc(ins.CountryCodes, func(cc string) bool { return slices.Contains(countries, cc) })) {
			out = append(out, ins)
		}
	}
	return out
}

// Search returns the institutions whose name contains query, ignoring case,
// limited to those serving one of countries (all, when countries is empty).
// Popular banks come first, as Link puts the banks most users pick at the
// top; within popular and other banks, names that start with the query
// come first. Each group keeps catalogue order. An empty or blank query
// returns nothing.
func (c *Catalog) Search(query string, countries []string) []*Institution {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		return nil
	}
	var groups [4][]*Institution // popular prefix, popular inner, prefix, inner
	for _, ins := range c.institutions {
		if len(countries) > 0 && !slices.ContainsFunc(ins.CountryCodes, func(cc string) bool { return slices.Contains(countries, cc) }) {
			continue
		}
		name := strings.ToLower(ins.Name)
		if !strings.Contains(name, q) {
			continue
		}
		g := 0
		if !ins.Popular {
			g = 2
		}
		if !strings.HasPrefix(name, q) {
			g++
		}
		groups[g] = append(groups[g], ins)
	}
	return slices.Concat(groups[:]...)
}

// catalogDoc is a catalogue document: shared accounts and institutions.
type catalogDoc struct {
	Accounts     []AccountTemplate `json:"accounts"`
	Institutions []*Institution    `json:"institutions"`
}

// readCatalog reads a catalogue document.
func readCatalog(data []byte) (catalogDoc, error) {
	var doc catalogDoc
	err := jsoncodec.Unmarshal(data, &doc)
	return doc, err
}
