package flowcore

import (
	"strings"
	"time"
)

// This file holds Hosted Link: a link token created with a hosted_link
// object gets a hosted_link_url, a page of linksim's own that opens Link
// for the token and needs no front end from the app.

// HostedLinkOptions is the hosted_link object of /link/token/create. It may
// be empty; sending it at all enables Hosted Link.
type HostedLinkOptions struct {
	DeliveryMethod        string `json:"delivery_method,omitempty"`
	CompletionRedirectURI string `json:"completion_redirect_uri,omitempty"`
	URLLifetimeSeconds    *int64 `json:"url_lifetime_seconds,omitempty"`
	IsMobileApp           *bool  `json:"is_mobile_app,omitempty"`
}

// HostedLinkConfig is a validated hosted_link object.
type HostedLinkConfig struct {
	// Lifetime is how long the URL, and so the link token, lives.
	Lifetime              time.Duration `json:"lifetime"`
	CompletionRedirectURI string        `json:"completion_redirect_uri"`
}

// Hosted Link URL lifetimes: Plaid's default for a URL it does not deliver
// by SMS or email, and the longest it allows.
const (
	DefaultHostedLinkLifetime = 30 * time.Minute
	MaxHostedLinkLifetime     = 21 * 24 * time.Hour
)

// HostedLinkPage is the page, relative to the base URL, that hosts Link.
const HostedLinkPage = "hosted.html"

// config validates the hosted_link object.
func (o *HostedLinkOptions) config() (*HostedLinkConfig, *Error) {
	c := &HostedLinkConfig{Lifetime: DefaultHostedLinkLifetime, CompletionRedirectURI: o.CompletionRedirectURI}
	switch o.DeliveryMethod {
	case "", "sms", "email": // Plaid's sandbox ignores delivery
	default:
		return nil, invalidField("hosted_link.delivery_method", "must be one of sms, email")
	}
	if s := o.URLLifetimeSeconds; s != nil {
		if *s <= 0 || time.Duration(*s) > MaxHostedLinkLifetime/time.Second {
			return nil, invalidField("hosted_link.url_lifetime_seconds", "must be positive and at most 21 days")
		}
		c.Lifetime = time.Duration(*s) * time.Second
	}
	return c, nil
}

// hostedLinkURL is the Hosted Link URL of a token: the hosted page under
// the sandbox's base URL (a relative URL when it has none), with the
// completion_redirect_uri, when there is one, for the page to go to when
// Link closes.
func (s *Sandbox) hostedLinkURL(token string, hl *HostedLinkConfig) string {
	base := s.baseURL
	if base != "" && !strings.HasSuffix(base, "/") {
		base += "/"
	}
	u := base + HostedLinkPage + "?link_token=" + queryEscape(token)
	if hl.CompletionRedirectURI != "" {
		u += "&completion_redirect_uri=" + queryEscape(hl.CompletionRedirectURI)
	}
	return u
}

// queryEscape percent-encodes everything but RFC 3986's unreserved
// characters (net/url would cost the WebAssembly build more than this).
func queryEscape(v string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
