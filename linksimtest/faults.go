package linksimtest

import (
	"context"
	"net/http"

	"github.com/linksim/linksim/flowcore"
)

// FaultHeader is the request header that forces a fault on one call of a
// Plaid endpoint: "error=CODE", "latency=800ms", "drop", or a
// comma-separated mix (see linksim's README, "Testing your error
// handling"). Plaid clients send it as a default header, or per call
// through HTTPClient and WithFault.
const FaultHeader = flowcore.FaultHeader

// WithoutFaults starts the server as linksim -faults=false does: the
// Linksim-Fault header and linksim's fault endpoints are refused with a
// Plaid-shaped error (not ignored), and the helpers below fail the test.
func WithoutFaults() Option { return func(o *options) { o.cfg.NoFaults = true } }

// FaultItem makes the next n calls of endpoint (such as "/auth/get") for
// the Item accessToken opens fail with code: a code of linksim's table of
// Plaid's errors, or "RATE_LIMIT_EXCEEDED" for the endpoint's own rate
// limit code (AUTH_LIMIT on /auth/get). It replaces the endpoint's earlier
// fault for the Item, and goes with the Item.
func (s *Server) FaultItem(t TB, accessToken, endpoint, code string, n int) {
	t.Helper()
	s.setItemFault(t, map[string]any{"access_token": accessToken, "endpoint": endpoint, "error_code": code, "count": n})
}

// FaultItemRandomly makes each call of endpoint for the Item fail with code
// with probability p (0 < p <= 1); the server's seed (WithSeed) decides
// which, so the same calls in the same order fail the same way each run.
func (s *Server) FaultItemRandomly(t TB, accessToken, endpoint, code string, p float64) {
	t.Helper()
	s.setItemFault(t, map[string]any{"access_token": accessToken, "endpoint": endpoint, "error_code": code, "probability": p})
}

func (s *Server) setItemFault(t TB, body map[string]any) {
	t.Helper()
	if err := s.Post("/sandbox/linksim/item/faults/set", body, nil); err != nil {
		t.Fatalf("linksimtest: /sandbox/linksim/item/faults/set: %v", err)
	}
}

// ClearFaults removes every fault scripted for the Item accessToken opens.
func (s *Server) ClearFaults(t TB, accessToken string) {
	t.Helper()
	if err := s.Post("/sandbox/linksim/item/faults/clear", map[string]any{"access_token": accessToken}, nil); err != nil {
		t.Fatalf("linksimtest: /sandbox/linksim/item/faults/clear: %v", err)
	}
}

// InstitutionDown puts an institution DOWN, as Plaid's status reports it:
// Link refuses it with INSTITUTION_DOWN when the user selects it (the
// error pane; onExit gets the error), and /institutions/get_by_id with
// include_status says item_logins DOWN. InstitutionRestore undoes it.
func (s *Server) InstitutionDown(t TB, institutionID string) {
	t.Helper()
	s.setInstitutionStatus(t, institutionID, "INSTITUTION_DOWN")
}

// InstitutionNotResponding degrades an institution: Link warns about it,
// then every login there fails with INSTITUTION_NOT_RESPONDING, and its
// status says item_logins DEGRADED. InstitutionRestore undoes it.
func (s *Server) InstitutionNotResponding(t TB, institutionID string) {
	t.Helper()
	s.setInstitutionStatus(t, institutionID, "INSTITUTION_NOT_RESPONDING")
}

// InstitutionRestore gives an institution back its catalogue status.
func (s *Server) InstitutionRestore(t TB, institutionID string) {
	t.Helper()
	s.setInstitutionStatus(t, institutionID, "")
}

func (s *Server) setInstitutionStatus(t TB, institutionID, code string) {
	t.Helper()
	body := map[string]any{"institution_id": institutionID}
	if code != "" {
		body["error_code"] = code
	}
	if err := s.Post("/sandbox/linksim/institution/status/set", body, nil); err != nil {
		t.Fatalf("linksimtest: /sandbox/linksim/institution/status/set: %v", err)
	}
}

// faultKey is the context key of WithFault.
type faultKey struct{}

// WithFault returns a context whose calls through HTTPClient carry the
// Linksim-Fault header fault (such as "error=RATE_LIMIT_EXCEEDED" or
// "latency=800ms"): a per-call fault for clients, such as plaid-go, that
// take a context and an *http.Client but no per-call header.
func WithFault(ctx context.Context, fault string) context.Context {
	return context.WithValue(ctx, faultKey{}, fault)
}

// HTTPClient returns an HTTP client for the server that sends each
// request's WithFault fault as the Linksim-Fault header: set it as a Plaid
// client's HTTPClient.
func (s *Server) HTTPClient() *http.Client {
	return &http.Client{Transport: faultTransport{next: s.http.Client().Transport}}
}

type faultTransport struct{ next http.RoundTripper }

func (f faultTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if fault, ok := r.Context().Value(faultKey{}).(string); ok {
		r = r.Clone(r.Context())
		r.Header.Set(FaultHeader, fault)
	}
	return f.next.RoundTrip(r)
}
