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

// CheckText returns INVALID_FIELD when a field is longer than limit bytes.
func CheckText(field, v string, limit int) *Error {
	if len(v) > limit {
		return InvalidField(field, "must be at most "+strconv.Itoa(limit)+" bytes long")
	}
	return nil
}

// CheckList returns INVALID_FIELD when a list has more than MaxListLength
// entries or an entry longer than MaxTextBytes.
func CheckList(field string, v []string) *Error {
	if len(v) > MaxListLength {
		return InvalidField(field, "must have at most "+strconv.Itoa(MaxListLength)+" entries")
	}
	for _, s := range v {
		if err := CheckText(field, s, MaxTextBytes); err != nil {
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
		CheckList("country_codes", r.CountryCodes),
		CheckList("products", r.Products),
		CheckList("required_if_supported_products", r.RequiredIfSupportedProducts),
		CheckList("optional_products", r.OptionalProducts),
		CheckList("additional_consented_products", r.AdditionalConsentedProducts),
		CheckText("webhook", r.Webhook, MaxURLBytes),
		CheckText("redirect_uri", r.RedirectURI, MaxURLBytes),
		CheckText("access_token", r.AccessToken, MaxTextBytes),
		CheckText("client_name", r.ClientName, MaxTextBytes),
		CheckText("user_id", r.UserID, MaxTextBytes),
		CheckText("user_token", r.UserToken, MaxTextBytes),
	)
	if err != nil {
		return err
	}
	if u := r.User; u != nil {
		if err := firstError(CheckText("user.client_user_id", u.ClientUserID, MaxTextBytes),
			CheckText("user.legal_name", u.LegalName, MaxTextBytes)); err != nil {
			return err
		}
	}
	if h := r.HostedLink; h != nil {
		return CheckText("hosted_link.completion_redirect_uri", h.CompletionRedirectURI, MaxURLBytes)
	}
	return nil
}

// checkSizes bounds an action's fields; a session keeps some (the query,
// the typed numbers and legal name) and echoes others in its events.
func (a *Action) checkSizes() *Error {
	return firstError(
		CheckText("type", string(a.Type), MaxTextBytes),
		CheckText("query", a.Query, MaxTextBytes),
		CheckText("institution_id", a.InstitutionID, MaxTextBytes),
		CheckText("selection", a.Selection, MaxTextBytes),
		CheckText("username", a.Username, MaxTextBytes),
		CheckText("password", a.Password, MaxPasswordBytes),
		CheckList("answers", a.Answers),
		CheckList("account_ids", a.AccountIDs),
		CheckText("routing_number", a.RoutingNumber, MaxTextBytes),
		CheckText("account_number", a.AccountNumber, MaxTextBytes),
		CheckText("account_subtype", a.AccountSubtype, MaxTextBytes),
		CheckText("legal_name", a.LegalName, MaxTextBytes),
		CheckText("code", a.Code, MaxTextBytes),
		CheckText("oauth_state_id", a.OAuthStateID, MaxTextBytes),
		CheckText("oauth_result", string(a.OAuthResult), MaxTextBytes),
	)
}
