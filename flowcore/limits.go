package flowcore

import "strconv"

// This file holds the bounds on what a caller may make linksim keep or
// echo where Plaid's spec sets no maxLength: the strings a link token's
// config stores, the fields of a Link session's actions (a search query is
// echoed in every SEARCH_INSTITUTION event) and the lists beside them. Each
// is generous for real use and small next to the memory budget, so no
// input can make one record large. Too long is INVALID_FIELD naming the
// field, as Plaid answers a value past a spec's maxLength.
const (
	// MaxTextBytes bounds a free-text field: client_user_id, legal_name, a
	// search query, a username, password, MFA answer, account number,
	// code (1 KiB).
	MaxTextBytes = 1 << 10
	// MaxURLBytes bounds a URL kept on a token or Item: webhook,
	// redirect_uri, completion_redirect_uri (2 KiB, the practical limit
	// of browsers and proxies).
	MaxURLBytes = 2 << 10
	// MaxPasswordBytes bounds the password a Link user submits: it may be
	// a user_custom configuration with ten accounts (16 KiB; it is parsed,
	// never kept or echoed).
	MaxPasswordBytes = 16 << 10
	// MaxListLength bounds a list field: products, country codes, MFA
	// answers, account ids (64 entries).
	MaxListLength = 64
)

// checkText returns INVALID_FIELD when a field is longer than limit bytes.
func checkText(field, v string, limit int) *Error {
	if len(v) > limit {
		return invalidField(field, "must be at most "+strconv.Itoa(limit)+" bytes long")
	}
	return nil
}

// checkList returns INVALID_FIELD when a list has more than MaxListLength
// entries or an entry longer than MaxTextBytes.
func checkList(field string, v []string) *Error {
	if len(v) > MaxListLength {
		return invalidField(field, "must have at most "+strconv.Itoa(MaxListLength)+" entries")
	}
	for _, s := range v {
		if err := checkText(field, s, MaxTextBytes); err != nil {
			return err
		}
	}
	return nil
}

// firstError returns the first non-nil error.
func firstError(errs ...*Error) *Error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// checkSizes bounds the parts of /link/token/create that a link token keeps.
func (r *LinkTokenCreateRequest) checkSizes() *Error {
	err := firstError(
		checkList("country_codes", r.CountryCodes),
		checkList("products", r.Products),
		checkList("required_if_supported_products", r.RequiredIfSupportedProducts),
		checkList("optional_products", r.OptionalProducts),
		checkList("additional_consented_products", r.AdditionalConsentedProducts),
		checkText("webhook", r.Webhook, MaxURLBytes),
		checkText("redirect_uri", r.RedirectURI, MaxURLBytes),
		checkText("access_token", r.AccessToken, MaxTextBytes),
		checkText("client_name", r.ClientName, MaxTextBytes),
		checkText("user_id", r.UserID, MaxTextBytes),
	)
	if err != nil {
		return err
	}
	if u := r.User; u != nil {
		if err := firstError(checkText("user.client_user_id", u.ClientUserID, MaxTextBytes),
			checkText("user.legal_name", u.LegalName, MaxTextBytes)); err != nil {
			return err
		}
	}
	if h := r.HostedLink; h != nil {
		return checkText("hosted_link.completion_redirect_uri", h.CompletionRedirectURI, MaxURLBytes)
	}
	return nil
}

// checkSizes bounds the fields of /sandbox/public_token/create that the
// Item keeps.
func (r *SandboxPublicTokenRequest) checkSizes() *Error {
	if err := checkList("initial_products", r.InitialProducts); err != nil {
		return err
	}
	if o := r.Options; o != nil {
		return checkText("options.webhook", o.Webhook, MaxURLBytes)
	}
	return nil
}

// checkSizes bounds an action's fields; a session keeps some (the query,
// the typed numbers and legal name) and echoes others in its events.
func (a *Action) checkSizes() *Error {
	return firstError(
		checkText("type", string(a.Type), MaxTextBytes),
		checkText("query", a.Query, MaxTextBytes),
		checkText("institution_id", a.InstitutionID, MaxTextBytes),
		checkText("selection", a.Selection, MaxTextBytes),
		checkText("username", a.Username, MaxTextBytes),
		checkText("password", a.Password, MaxPasswordBytes),
		checkList("answers", a.Answers),
		checkList("account_ids", a.AccountIDs),
		checkText("routing_number", a.RoutingNumber, MaxTextBytes),
		checkText("account_number", a.AccountNumber, MaxTextBytes),
		checkText("account_subtype", a.AccountSubtype, MaxTextBytes),
		checkText("legal_name", a.LegalName, MaxTextBytes),
		checkText("code", a.Code, MaxTextBytes),
	)
}
