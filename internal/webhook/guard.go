package webhook

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"github.com/linksim/linksim/internal/sandbox"
)

// errRefusedAddress is a delivery the address policy stops: the URL's name
// resolved to a link-local or cloud metadata address (see
// sandbox.RefusedWebhookAddr), or it names a metadata service. It is not
// retried.
var errRefusedAddress = errors.New("refused: a link-local or cloud metadata address (-allow-webhook-link-local allows it)")

// errCrossHostRedirect is a receiver's redirect to another host, which is
// not followed: the body and its Plaid-Verification JWT go only to the
// host the app named.
var errCrossHostRedirect = errors.New("not following a redirect to another host")

// maxRedirects bounds the same-host redirects a delivery follows.
const maxRedirects = 3

// deliveryTimeout bounds one attempt: connecting, sending and reading the
// answer.
const deliveryTimeout = 5 * time.Second

// newClient is the default delivery client: every connection is checked
// against the address policy after its name resolves (unless allowLinkLocal),
// and redirects are followed only within the URL's own scheme, host and port.
func newClient(allowLinkLocal bool) *http.Client {
	dialer := &net.Dialer{Timeout: deliveryTimeout}
	if !allowLinkLocal {
		dialer.Control = refuseLinkLocal
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = dialer.DialContext
	tr.Proxy = nil // a proxy would resolve the name where this check cannot see it
	return &http.Client{Timeout: deliveryTimeout, Transport: tr, CheckRedirect: sameHostRedirects}
}

// refuseLinkLocal is a net.Dialer.Control that refuses a connection to an
// address the webhook policy refuses, whatever name resolved to it.
func refuseLinkLocal(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("webhook: cannot check the address %q: %w", address, err)
	}
	if sandbox.RefusedWebhookAddr(ap.Addr()) {
		return fmt.Errorf("%s: %w", address, errRefusedAddress)
	}
	return nil
}

// sameHostRedirects follows a redirect only to the same scheme, host and
// port as the request it answers, at most maxRedirects times.
func sameHostRedirects(req *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	first := via[0].URL
	if !strings.EqualFold(req.URL.Scheme, first.Scheme) || !strings.EqualFold(req.URL.Host, first.Host) {
		return fmt.Errorf("%s: %w", req.URL.Redacted(), errCrossHostRedirect)
	}
	return nil
}
