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
// the sandbox's base URL (a relative URL when it has none).
func (s *Sandbox) hostedLinkURL(token string) string {
	base := s.baseURL
	if base != "" && !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return base + HostedLinkPage + "?link_token=" + token
}
