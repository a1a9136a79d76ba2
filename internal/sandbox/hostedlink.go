package sandbox

import "strings"

// This file holds Hosted Link: a link token created with a hosted_link
// object gets a hosted_link_url, a page of linksim's own that opens Link
// for the token and needs no front end from the app.

// HostedLinkPage is the page, relative to the base URL, that hosts Link.
const HostedLinkPage = "hosted.html"

// hostedLinkURL is the Hosted Link URL of a token: the hosted page under
// the sandbox's base URL (a relative URL when it has none). The page learns
// the token's completion_redirect_uri from the server when its session
// starts, never from its own URL, so the URL cannot send a user elsewhere.
func (s *Sandbox) hostedLinkURL(token string) string {
	base := s.baseURL
	if base != "" && !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return base + HostedLinkPage + "?link_token=" + queryEscape(token)
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
