//go:build !(js && wasm)

package sandbox

import "net/netip"

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

// refusedIP reports whether host is an IP address (isIP) and, if so,
// whether RefusedWebhookAddr refuses it.
func refusedIP(host string) (refused, isIP bool) {
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false, false
	}
	return RefusedWebhookAddr(ip), true
}
