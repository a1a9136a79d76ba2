package sandbox

import (
	"strings"

	"github.com/linksim/linksim/flowcore"
)

// This file holds the webhook address policy. Webhooks go to the app's
// servers, which in a sandbox are on this machine or its network: loopback
// and private addresses are allowed. Link-local addresses and the cloud
// metadata services are not: no app receives webhooks there, and a webhook
// posted to one reaches the machine's own credentials. The policy is
// applied when a URL is given (here) and again when a name resolves at
// delivery (internal/webhook); Options.AllowLinkLocalWebhooks lifts it.

// metadataHosts are the cloud metadata services' names.
var metadataHosts = []string{
	"metadata",                 // Google Cloud's short name
	"metadata.google.internal", // Google Cloud
	"metadata.goog",            // Google Cloud
	"metadata.azure.internal",  // Azure
	"instance-data",            // AWS
	"instance-data.ec2.internal",
}

// RefusedWebhookHost reports whether a webhook URL's host (a name or an
// address, as url.URL.Hostname gives it) is refused by RefusedWebhookAddr or
// names a cloud metadata service.
func RefusedWebhookHost(host string) bool {
	if refused, isIP := refusedIP(host); isIP {
		return refused
	}
	name := strings.TrimSuffix(strings.ToLower(host), ".")
	for _, m := range metadataHosts {
		if name == m {
			return true
		}
	}
	return false
}

// checkWebhookURL refuses, as INVALID_FIELD naming field, a webhook URL
// that is not http(s) or whose host the address policy refuses (unless the
// sandbox allows link-local webhooks).
func (s *Sandbox) checkWebhookURL(field, raw string) *flowcore.Error {
	if raw == "" {
		return nil
	}
	if !flowcore.IsHTTPURL(raw) {
		return flowcore.InvalidField(field, "must be an http or https URL")
	}
	if s.allowLinkLocal {
		return nil
	}
	if host := urlHost(raw); RefusedWebhookHost(host) {
		return flowcore.InvalidField(field, "must not name a link-local address or a cloud metadata service ("+
			host+"); start linksim with -allow-webhook-link-local to allow them")
	}
	return nil
}

// urlHost is the host of an http(s) URL (flowcore.IsHTTPURL), as
// url.URL.Hostname gives it: no user info, port or IPv6 brackets. (net/url
// would do, but it costs the WebAssembly build, which has the sandbox.)
func urlHost(raw string) string {
	_, rest, _ := strings.Cut(raw, "://")
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	if strings.HasPrefix(rest, "[") {
		if end := strings.IndexByte(rest, ']'); end > 0 {
			return rest[1:end]
		}
	}
	if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		rest = rest[:i]
	}
	return rest
}
