package contract

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/plaidapi"
	"github.com/linksim/linksim/internal/sandbox"
	"github.com/linksim/linksim/internal/webhook"
)

// host is the server the routed spec describes; requests go in-process.
const host = "http://localhost"

// notInSpec are the endpoints linksim answers that Plaid's description
// does not have: linksim's own. Their responses are not checked.
var notInSpec = []string{"/sandbox/linksim/clock/advance", "/sandbox/linksim/item/faults/set", "/sandbox/linksim/item/faults/clear",
	"/sandbox/linksim/institution/status/set", "/linksim/session/start", "/linksim/session/action", "/linksim/session/close"}

// spec is Plaid's OpenAPI description from the plaid-go module and a
// kin-openapi router over it.
type spec struct {
	doc    *openapi3.T
	router routers.Router
}

// loadSpec loads plaid-go's api/openapi.yaml once for the whole package,
// or, when PLAID_OPENAPI names one (plain or gzipped), another copy of
// Plaid's description, such as plaid/plaid-openapi's current 2020-09-14.yml.
var loadSpec = sync.OnceValues(func() (*spec, error) {
	path := os.Getenv("PLAID_OPENAPI")
	if path == "" {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/plaid/plaid-go/v20").Output()
		if err != nil {
			return nil, err
		}
		path = filepath.Join(strings.TrimSpace(string(out)), "api", "openapi.yaml")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		if data, err = io.ReadAll(zr); err != nil {
			return nil, err
		}
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, err
	}
	doc.Servers = openapi3.Servers{{URL: host}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &spec{doc: doc, router: router}, nil
})

func mustSpec(t *testing.T) *spec {
	t.Helper()
	s, err := loadSpec()
	require.NoError(t, err, "loading plaid-go's OpenAPI description")
	return s
}

var filterOptions = &openapi3filter.Options{
	IncludeResponseStatus: true,
	MultiError:            true,
	AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
}

// route finds the spec's route of a POST to path; ok is false when the
// spec has no such path.
func (s *spec) route(path string, body []byte) (*openapi3filter.RequestValidationInput, bool) {
	req := httptest.NewRequest(http.MethodPost, host+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		return nil, false
	}
	return &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: filterOptions}, true
}

// validateRequest is kin-openapi's verdict on a request body.
func (s *spec) validateRequest(path string, body []byte) error {
	in, ok := s.route(path, body)
	if !ok {
		return errNoRoute
	}
	return openapi3filter.ValidateRequest(context.Background(), in)
}

type constError string

func (e constError) Error() string { return string(e) }

const errNoRoute = constError("no route in the spec")

// server is linksim's API in-process, behind a recorder that validates
// every response against the spec.
type server struct {
	t       *testing.T
	spec    *spec
	h       http.Handler
	clock   *flowcore.OffsetClock
	sb      *sandbox.Sandbox
	signer  *webhook.Signer // signs webhooks; /webhook_verification_key/get serves its key
	checked map[string]int  // responses validated, by "path status"
	noKeys  bool            // send no PLAID-CLIENT-ID / PLAID-SECRET headers
}

func newServer(t *testing.T) *server {
	t.Helper()
	clock := flowcore.NewOffsetClock(flowcore.NewFixedClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)))
	sb := sandbox.NewSandbox(sandbox.Options{Clock: clock, Seed: 1})
	signer, err := webhook.NewSigner(nil)
	require.NoError(t, err)
	return &server{t: t, spec: mustSpec(t), clock: clock, sb: sb, signer: signer, checked: map[string]int{},
		h: plaidapi.New(plaidapi.Options{Sandbox: sb, Clock: clock, WebhookKeys: signer})}
}

// response is one answer: its status and JSON body.
type response struct {
	status int
	body   map[string]any
	raw    []byte
}

// errorCode returns the Plaid error_code of an error response.
func (r response) errorCode() string {
	s, _ := r.body["error_code"].(string)
	return s
}

func (r response) errorType() string {
	s, _ := r.body["error_type"].(string)
	return s
}

func (r response) message() string {
	s, _ := r.body["error_message"].(string)
	return s
}

// raw posts body to path with API keys in headers, validates the answer
// against the spec, and returns it.
func (s *server) post(path string, body any) response {
	s.t.Helper()
	b, ok := body.([]byte)
	if !ok {
		var err error
		b, err = json.Marshal(body)
		require.NoError(s.t, err)
	}
	req := httptest.NewRequest(http.MethodPost, host+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if !s.noKeys {
		req.Header.Set("PLAID-CLIENT-ID", "client-1")
		req.Header.Set("PLAID-SECRET", "secret-1")
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	resp := response{status: rec.Code, raw: rec.Body.Bytes()}
	require.NoError(s.t, json.Unmarshal(resp.raw, &resp.body), "%s answered %s", path, resp.raw)
	s.validate(path, b, rec)
	return resp
}

// ok posts body to path and requires a 200.
func (s *server) ok(path string, body any) response {
	s.t.Helper()
	r := s.post(path, body)
	require.Equal(s.t, 200, r.status, "%s: %s", path, r.raw)
	return r
}

// fails posts body to path and asserts Plaid's error code in the answer.
func (s *server) fails(path string, body any, code string) {
	s.t.Helper()
	r := s.post(path, body)
	assert.NotEqual(s.t, 200, r.status, "%s", path)
	assert.Equal(s.t, code, r.errorCode(), "%s: %s", path, r.raw)
}

// validate checks one response against the spec's route for path.
func (s *server) validate(path string, reqBody []byte, rec *httptest.ResponseRecorder) {
	s.t.Helper()
	in, ok := s.spec.route(path, reqBody)
	if !ok {
		require.True(s.t, slices.Contains(notInSpec, path), "%s is in neither Plaid's description nor linksim's own list", path)
		return
	}
	var err error
	if rs := in.Route.Operation.Responses; rec.Code != http.StatusOK && rs.Default() == nil && rs.Status(rec.Code) == nil {
		// Some operations list only their 200; every Plaid error is a
		// PlaidError (plaid.com/docs/errors).
		var v any
		if err = json.Unmarshal(rec.Body.Bytes(), &v); err == nil {
			err = s.spec.doc.Components.Schemas["PlaidError"].Value.VisitJSON(v, openapi3.MultiErrors())
		}
	} else {
		err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
			Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes())), Options: filterOptions,
		})
	}
	if err != nil {
		s.t.Errorf("%s %d does not follow Plaid's schema:\n%v\nbody: %s", path, rec.Code, err, rec.Body.Bytes())
	}
	s.checked[path+" "+http.StatusText(rec.Code)]++
}
