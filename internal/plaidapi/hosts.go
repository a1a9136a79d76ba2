package plaidapi

import (
	"net"
	"strings"
)

// hostSet is the set of host names a Handler answers for (see
// Options.Hosts).
type hostSet struct {
	any   bool
	names map[string]bool
}

func newHostSet(hosts []string) hostSet {
	s := hostSet{names: map[string]bool{}}
	for _, h := range hosts {
		if h = normalHost(h); h == "*" {
			s.any = true
		} else if h != "" {
			s.names[h] = true
		}
	}
	return s
}

// allows reports whether a request's Host header names a host the server
// answers for. An empty Host (HTTP/1.0) comes from no browser and is
// allowed.
func (s hostSet) allows(hostport string) bool {
	if s.any || hostport == "" {
		return true
	}
	switch hostport { // the usual ones, without parsing
	case "127.0.0.1", "localhost":
		return true
	}
	if host, port, ok := strings.Cut(hostport, ":"); ok && (host == "127.0.0.1" || host == "localhost") && isPort(port) {
		return true
	}
	h := normalHost(hostport)
	if h == "localhost" || strings.HasSuffix(h, ".localhost") || s.names[h] {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// isPort reports whether p is a port number's digits.
func isPort(p string) bool {
	if p == "" || len(p) > 5 {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	return true
}

// normalHost returns the host of a host[:port], lower-cased, without
// brackets or a trailing dot.
func normalHost(hostport string) string {
	h := strings.TrimSpace(hostport)
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.Trim(h, "[]"), ".")
	return strings.ToLower(h)
}
