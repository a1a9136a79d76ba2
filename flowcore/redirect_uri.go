package flowcore

import "strings"

// CheckRedirectURI applies Plaid's rules for /link/token/create's
// redirect_uri (link/oauth, "Constructing valid redirect URIs"): an http or
// https URL (https is required in Production only; the sandbox takes
// http, and custom URI schemes are never supported), with no query
// parameters, no '#' (hash routing is not supported) and no wildcard
// (wildcards belong on the allow-list only). "" means none was sent.
func CheckRedirectURI(uri string) *Error {
	switch {
	case uri == "":
		return nil
	case !IsHTTPURL(uri):
		return InvalidField("redirect_uri", "must be an http or https URL (custom URI schemes are not supported)")
	case strings.Contains(uri, "?"):
		return InvalidField("redirect_uri", "must not contain query parameters")
	case strings.Contains(uri, "#"):
		return InvalidField("redirect_uri", "must not contain a '#': redirect URIs do not support hash routing")
	case strings.Contains(uri, "*"):
		return InvalidField("redirect_uri", "must not contain a wildcard (*); wildcards belong in the allowed redirect URIs only")
	}
	return nil
}

// ErrRedirectURINotAllowed is Plaid's error for a redirect_uri missing from
// the allowed redirect URIs of the developer dashboard (linksim's
// -redirect-uri list), word for word as Plaid's API answers it.
func ErrRedirectURINotAllowed() *Error {
	return &Error{Type: ErrorTypeInvalidRequest, Code: "INVALID_FIELD",
		Message: "OAuth redirect URI must be configured in the developer dashboard. See https://plaid.com/docs/#oauth-redirect-uris"}
}

// RedirectURIAllowed reports whether uri is on the allow-list: equal to
// an entry, or matching one whose host starts with a "*." subdomain
// wildcard (as the dashboard's list allows). An empty list allows any URI.
func RedirectURIAllowed(uri string, allowed []string) bool {
	if len(allowed) == 0 {
		return true
	}
	for _, a := range allowed {
		if a == uri {
			return true
		}
		scheme, rest, ok := strings.Cut(a, "://*.")
		if !ok || !strings.HasPrefix(uri, scheme+"://") {
			continue
		}
		host := strings.TrimPrefix(uri, scheme+"://")
		if sub, tail, ok := strings.Cut(host, "."); ok && sub != "" && !strings.ContainsAny(sub, "/:@") && tail == rest {
			return true
		}
	}
	return false
}
