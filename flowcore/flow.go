package flowcore

// Flow is an Auth verification flow. Its value is the auth_method an Item
// verified by it reports.
type Flow string

// The Auth flows linksim reproduces.
const (
	FlowInstantAuth            Flow = "INSTANT_AUTH"            // log in, accounts verified at once
	FlowInstantMatch           Flow = "INSTANT_MATCH"           // log in, type the account's numbers
	FlowAutomatedMicrodeposits Flow = "AUTOMATED_MICRODEPOSITS" // log in, type numbers; deposit found in 1–2 days
	FlowSameDayMicrodeposits   Flow = "SAME_DAY_MICRODEPOSITS"  // no login; user types the deposit's code later
	FlowInstantMicrodeposits   Flow = "INSTANT_MICRODEPOSITS"   // no login; RTP/FedNow deposit, code typed now
	FlowDatabaseInsights       Flow = "DATABASE_INSIGHTS"       // no login; numbers checked against known ones
	FlowDatabaseMatch          Flow = "DATABASE_MATCH"          // no login; numbers and name matched before micro-deposits
	// FlowLoginOnly is a bank login for a token that asks for neither auth
	// nor transfer: it verifies no account, and its Item records no
	// auth_method.
	FlowLoginOnly Flow = "LOGIN_ONLY"
)

// Credentialed reports whether the flow starts with a bank login.
func (f Flow) Credentialed() bool {
	return f == FlowInstantAuth || f == FlowInstantMatch || f == FlowAutomatedMicrodeposits || f == FlowLoginOnly
}

// MultiAccount reports whether the user may pick several accounts: a
// login that verifies no account by numbers does.
func (f Flow) MultiAccount() bool { return f == FlowInstantAuth || f == FlowLoginOnly }

// Entry says how the user reached the point where the flow is chosen:
// either by picking an institution from search (Institution set), or by
// typing a routing number in manual entry (RoutingNumber set).
type Entry struct {
	Institution   *Institution
	RoutingNumber string
}

// SelectFlow decides the Auth flow, following Plaid's precedence.
//
// From an institution picked in search: Instant Auth when the institution
// supports it; else Instant Match when enabled and supported; else Automated
// Micro-deposits when enabled and supported; else Instant Micro-deposits when
// enabled and the institution takes RTP/FedNow payments.
//
// From manual entry, by the typed routing number: when
// auth.reroute_to_credentials is FORCED and the number belongs to a bank with
// a login flow, that bank's login flow; else Instant Micro-deposits when
// enabled and the number is RTP/FedNow eligible (this "upgrades" a Same Day
// session); else Database Insights when enabled; else Same Day
// Micro-deposits when enabled. (Database Match, when enabled, is tried on
// the typed numbers before the micro-deposit flow chosen here.)
//
// Every flow but Instant Auth needs country_codes to be exactly ["US"]
// (Database Insights: ["US"] or ["CA"]); the no-login flows also need
// products to hold only auth and transfer. Transfer counts as auth. A token
// that asks for neither gets a plain login (FlowLoginOnly) at any bank
// without Instant Auth that has one, verifying nothing: only Instant Auth
// institutions return auth without a verification flow. When no flow is
// left, SelectFlow returns PRODUCTS_NOT_SUPPORTED, or
// INSTANT_MATCH_FAILED when Instant Match was enabled and only the country
// codes stood in its way; Link shows either in its error pane.
func SelectFlow(cfg *LinkConfig, cat *Catalog, e Entry) (Flow, *Error) {
	if ins := e.Institution; ins != nil {
		switch {
		case ins.Supports(FlowInstantAuth):
			return FlowInstantAuth, nil
		case !cfg.WantsAuth() && len(ins.AuthMethods) > 0:
			return FlowLoginOnly, nil // a plain login: no Auth verification asked for
		case cfg.USOnly() && cfg.Auth.InstantMatch && ins.Supports(FlowInstantMatch):
			return FlowInstantMatch, nil
		case cfg.USOnly() && cfg.Auth.AutomatedMicrodeposits && ins.Supports(FlowAutomatedMicrodeposits):
			return FlowAutomatedMicrodeposits, nil
		case noLoginAllowed(cfg) && cfg.USOnly() && cfg.Auth.InstantMicrodeposits && ins.InstantPayments:
			return FlowInstantMicrodeposits, nil
		case cfg.Auth.InstantMatch && ins.Supports(FlowInstantMatch) && !cfg.USOnly():
			return "", errInstantMatchFailed()
		}
		return "", ErrNotSupported(ins.Name)
	}
	if cfg.Auth.RerouteToCredentials == RerouteForced {
		if ins, ok := cat.ByRoutingNumber(e.RoutingNumber); ok && len(ins.AuthMethods) > 0 {
			if f, err := SelectFlow(cfg, cat, Entry{Institution: ins}); err == nil && f.Credentialed() {
				return f, nil
			}
		}
	}
	switch {
	case !noLoginAllowed(cfg):
	case cfg.USOnly() && cfg.Auth.InstantMicrodeposits && cat.InstantPaymentsEligible(e.RoutingNumber):
		return FlowInstantMicrodeposits, nil
	case cfg.Auth.DatabaseInsights:
		return FlowDatabaseInsights, nil
	case cfg.USOnly() && cfg.Auth.SameDayMicrodeposits:
		return FlowSameDayMicrodeposits, nil
	}
	return "", ErrNotSupported("this bank")
}

// ManualEntryAvailable reports whether Link offers "Link with account
// numbers": some no-login flow could be chosen for some routing number.
func ManualEntryAvailable(cfg *LinkConfig) bool {
	return noLoginAllowed(cfg) && (cfg.Auth.DatabaseInsights ||
		cfg.USOnly() && (cfg.Auth.SameDayMicrodeposits || cfg.Auth.InstantMicrodeposits)) &&
		len(manualSubtypes(cfg)) > 0
}

// RerouteCandidate returns the institution a manually typed routing number
// belongs to when the config sends manual entry to its login
// (reroute_to_credentials OPTIONAL or FORCED) and a login flow is
// available there.
func RerouteCandidate(cfg *LinkConfig, cat *Catalog, routingNumber string) (*Institution, bool) {
	if cfg.Auth.RerouteToCredentials == RerouteOff {
		return nil, false
	}
	ins, ok := cat.ByRoutingNumber(routingNumber)
	if !ok {
		return nil, false
	}
	f, err := SelectFlow(cfg, cat, Entry{Institution: ins})
	if err != nil || !f.Credentialed() {
		return nil, false
	}
	return ins, true
}

// noLoginAllowed reports whether the config allows a no-login flow at
// all: the right countries (["US"], or ["CA"] for Database Insights) and
// products holding only auth and transfer.
func noLoginAllowed(cfg *LinkConfig) bool {
	if cfg.MultiItem { // "not currently compatible with non-credential based Auth flows" (Multi-Item Link)
		return false
	}
	countries := cfg.USOnly() || cfg.Auth.DatabaseInsights && cfg.databaseInsightsCountry()
	return countries && cfg.MicrodepositProductsOK() && cfg.WantsAuth()
}

func errInstantMatchFailed() *Error {
	return &Error{Type: ErrorTypeItemError, Code: "INSTANT_MATCH_FAILED",
		Message:        "Instant Match could not be initialized: it requires country_codes to be exactly [\"US\"]",
		DisplayMessage: "We can't verify this bank's accounts right now. Try another bank."}
}

func ErrNotSupported(what string) *Error {
	return &Error{Type: ErrorTypeItemError, Code: "PRODUCTS_NOT_SUPPORTED",
		Message:        "the requested products are not supported for " + what + " with this configuration",
		DisplayMessage: "We can't verify " + what + " this way. Try another bank or link with account numbers."}
}
