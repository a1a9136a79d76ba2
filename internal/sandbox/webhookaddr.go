package sandbox

import (
	"net/netip"
	"net/url"
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

// metadataAddrs are the metadata services' addresses outside the
// link-local ranges.
var metadataAddrs = []netip.Addr{
	netip.MustParseAddr("100.100.100.200"), // Alibaba Cloud
	netip.MustParseAddr("fd00:ec2::254"),   // AWS over IPv6
	netip.MustParseAddr("192.0.0.192"),     // Oracle Cloud
}

// RefusedWebhookAddr reports whether a webhook may not be delivered to ip:
// a link-local address (169.254.0.0/16, fe80::/10, IPv4-mapped or not) or a
// cloud metadata service's.
func RefusedWebhookAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() {
		return true
	}
	for _, m := range metadataAddrs {
		if ip == m {
			return true
		}
	}
	return false
}

// RefusedWebhookHost reports whether a webhook URL's host (a name or an
// address, as url.URL.Hostname gives it) is refused by RefusedWebhookAddr or
// names a cloud metadata service.
func RefusedWebhookHost(host string) bool {
	if ip, err := netip.ParseAddr(host); err == nil {
		return RefusedWebhookAddr(ip)
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
	u, err := url.Parse(raw)
	if err != nil {
		return flowcore.InvalidField(field, "must be an http or https URL")
	}
	if RefusedWebhookHost(u.Hostname()) {
		return flowcore.InvalidField(field, "must not name a link-local address or a cloud metadata service ("+
			u.Hostname()+"); start linksim with -allow-webhook-link-local to allow them")
	}
	return nil
}
