package contract

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/plaidapi"
)

// faulted sends path a request with a Linksim-Fault header and checks the
// answer: valid against the endpoint's schema where Plaid's description
// has the endpoint, and, being an error, against PlaidError in any case.
func (s *server) faulted(path, fault string, body []byte) response {
	s.t.Helper()
	req := httptest.NewRequest(http.MethodPost, host+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(flowcore.FaultHeader, fault)
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	resp := response{status: rec.Code, raw: rec.Body.Bytes()}
	require.NoError(s.t, json.Unmarshal(resp.raw, &resp.body), "%s answered %s", path, resp.raw)
	s.validate(path, body, rec)
	var v any
	require.NoError(s.t, json.Unmarshal(resp.raw, &v))
	assert.NoError(s.t, s.spec.doc.Components.Schemas["PlaidError"].Value.VisitJSON(v, openapi3.MultiErrors()),
		"%s with %q: %s", path, fault, resp.raw)
	return resp
}

// TestFaultHeaderOnEveryEndpoint answers every error of linksim's table,
// the endpoint's rate limit, a latency with an error, and refusals of bad
// headers on every API endpoint the handler routes (so endpoints added
// later are covered), each body valid against Plaid's error schema. The
// fault comes before the body is read: an empty body, no API keys.
func TestFaultHeaderOnEveryEndpoint(t *testing.T) {
	s := newServer(t)
	h := s.h.(*plaidapi.Handler)
	paths := h.APIPaths()
	require.Contains(t, paths, "/auth/get")
	require.NotContains(t, paths, "/linksim/session/start", "the browser's session endpoints take no fault header")
	for _, path := range paths {
		for _, spec := range flowcore.PlaidErrors() {
			r := s.faulted(path, "error="+spec.Code, []byte(`{}`))
			assert.Equal(t, spec.Status, r.status, "%s %s", path, spec.Code)
			assert.Equal(t, spec.Type, r.errorType())
			assert.Equal(t, spec.Code, r.errorCode())
			assert.Equal(t, spec.Message, r.message())
			if spec.Display == "" {
				assert.Nil(t, r.body["display_message"])
			} else {
				assert.Equal(t, spec.Display, r.body["display_message"])
			}
			assert.Regexp(t, `^[A-Za-z0-9]{15}$`, r.body["request_id"])
			assert.Equal(t, "https://plaid.com/docs/errors/"+docPage(spec.Type)+"/#"+lower(spec.Code), r.body["documentation_url"])
		}
		r := s.faulted(path, "latency=1ms, error=RATE_LIMIT_EXCEEDED", nil)
		assert.Equal(t, 429, r.status)
		assert.Equal(t, flowcore.RateLimitCode(path), r.errorCode(), path)
		for _, bad := range []string{"error=NOPE", "latency=1h", "latency=fast", "drop, error=INTERNAL_SERVER_ERROR", "teleport", "", "error=AUTH_LIMIT,error=AUTH_LIMIT"} {
			r := s.faulted(path, bad, nil)
			assert.Equal(t, 400, r.status, "%s %q", path, bad)
			assert.Equal(t, "INVALID_HEADERS", r.errorCode(), "%s %q", path, bad)
			assert.Contains(t, r.message(), "error=CODE, latency=DURATION")
		}
	}
	assert.Equal(t, "AUTH_LIMIT", s.faulted("/auth/get", "error=RATE_LIMIT_EXCEEDED", nil).errorCode())
	r := s.faulted("/linksim/session/start", "error=INTERNAL_SERVER_ERROR", []byte(`{}`))
	assert.Equal(t, "INVALID_HEADERS", r.errorCode(), "Link's session endpoints refuse the header rather than ignore it")
	assert.Contains(t, r.message(), "institution")
}

// TestFaultHeaderWhenFaultsAreOff: a server started with -faults=false
// refuses the header (so a test expecting a fault cannot pass by mistake)
// and its fault endpoints.
func TestFaultHeaderWhenFaultsAreOff(t *testing.T) {
	s := newServer(t)
	s.h = plaidapi.New(plaidapi.Options{Sandbox: s.sb, Clock: s.clock, WebhookKeys: s.signer, NoFaults: true})
	r := s.faulted("/auth/get", "error=INTERNAL_SERVER_ERROR", []byte(`{}`))
	assert.Equal(t, 400, r.status)
	assert.Equal(t, "INVALID_HEADERS", r.errorCode())
	assert.Contains(t, r.message(), "-faults=false")
	off := s.post("/sandbox/linksim/item/faults/set", obj{"access_token": "access-sandbox-x", "endpoint": "/auth/get", "error_code": "AUTH_LIMIT", "count": 1})
	assert.Equal(t, 404, off.status)
	assert.Contains(t, off.message(), "-faults=false")
}

func docPage(typ string) string {
	switch typ {
	case flowcore.ErrorTypeItemError:
		return "item"
	case flowcore.ErrorTypeInstitutionError:
		return "institution"
	case flowcore.ErrorTypeAPIError:
		return "api"
	case flowcore.ErrorTypeRateLimit:
		return "rate-limit-exceeded"
	case flowcore.ErrorTypeInvalidInput:
		return "invalid-input"
	}
	return "?"
}

func lower(s string) string { return string(bytes.ToLower([]byte(s))) }
