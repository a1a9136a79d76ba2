package plaidapi_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	plaid "github.com/plaid/plaid-go/v20/plaid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/plaidapi"
	"github.com/linksim/linksim/internal/sandbox"
	"github.com/linksim/linksim/internal/site"
	"github.com/linksim/linksim/internal/store"
)

// rewriter changes plaid-go's request on the wire, to reach the error
// paths an ordinary call cannot (another path, method or body), while the
// answer still goes through plaid-go's own decoding.
type rewriter struct {
	base http.RoundTripper
	f    func(*http.Request)
}

func (r rewriter) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	r.f(req)
	return r.base.RoundTrip(req)
}

func setBody(req *http.Request, body string) {
	req.Body = io.NopCloser(strings.NewReader(body))
	req.ContentLength = int64(len(body))
}

// panicStore is a Store whose Item lookups by access token panic.
type panicStore struct{ store.Store }

func (panicStore) ItemByAccessToken(string) (flowcore.Item, bool) { panic("store exploded") }

// TestErrorsDecodeAsPlaidErrors sends every failure the issue names
// through plaid-go and checks plaid-go hands the app a PlaidError with the
// expected code, and the HTTP status.
func TestErrorsDecodeAsPlaidErrors(t *testing.T) {
	tests := []struct {
		name     string
		opts     []envOption
		noKeys   bool
		clientID string // keys to send instead of the test's
		rewrite  func(*http.Request)
		status   int
		typ      string
		code     string
		message  string // part of error_message
	}{
		{name: "unknown path", rewrite: func(r *http.Request) { r.URL.Path = "/auth/nope" },
			status: 404, typ: "INVALID_REQUEST", code: "NOT_FOUND", message: "/auth/nope"},
		{name: "wrong method", rewrite: func(r *http.Request) { r.Method = http.MethodGet; setBody(r, "") },
			status: 405, typ: "INVALID_REQUEST", code: "METHOD_NOT_ALLOWED", message: "GET"},
		{name: "broken JSON", rewrite: func(r *http.Request) { setBody(r, `{"access_token": "x"`) },
			status: 400, typ: "INVALID_REQUEST", code: "INVALID_BODY"},
		{name: "not a JSON object", rewrite: func(r *http.Request) { setBody(r, `["access_token"]`) },
			status: 400, typ: "INVALID_REQUEST", code: "INVALID_BODY"},
		{name: "not JSON at all", rewrite: func(r *http.Request) {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			setBody(r, "access_token=x")
		}, status: 400, typ: "INVALID_REQUEST", code: "INVALID_BODY", message: "Content-Type"},
		{name: "missing fields", rewrite: func(r *http.Request) { setBody(r, `{}`) },
			status: 400, typ: "INVALID_REQUEST", code: "MISSING_FIELDS", message: "access_token"},
		{name: "unknown fields", rewrite: func(r *http.Request) { setBody(r, `{"access_token":"x","acess_token":"y"}`) },
			status: 400, typ: "INVALID_REQUEST", code: "UNKNOWN_FIELDS", message: "acess_token"},
		{name: "wrong field type", rewrite: func(r *http.Request) { setBody(r, `{"access_token":7}`) },
			status: 400, typ: "INVALID_REQUEST", code: "INVALID_FIELD", message: "access_token"},
		{name: "whole number written as float", rewrite: func(r *http.Request) {
			r.URL.Path = "/institutions/get"
			setBody(r, `{"count":1.0,"offset":0,"country_codes":["US"]}`)
		}, status: 400, typ: "INVALID_REQUEST", code: "INVALID_FIELD", message: "count must be of type integer"},
		{name: "integer past 2^63", rewrite: func(r *http.Request) {
			r.URL.Path = "/institutions/get"
			setBody(r, `{"count":1,"offset":9223372036854775808,"country_codes":["US"]}`)
		}, status: 400, typ: "INVALID_REQUEST", code: "INVALID_FIELD", message: "offset must be an integer"},
		{name: "body over 1 MiB", rewrite: func(r *http.Request) {
			setBody(r, `{"access_token":"`+strings.Repeat("a", plaidapi.MaxBodyBytes)+`"}`)
		}, status: 413, typ: "INVALID_REQUEST", code: "INVALID_BODY", message: "limit"},
		{name: "no API keys", noKeys: true,
			status: 400, typ: "INVALID_INPUT", code: "INVALID_API_KEYS"},
		{name: "keys other than the configured pair", opts: []envOption{withKeys("the-id", "the-secret")},
			status: 400, typ: "INVALID_INPUT", code: "INVALID_API_KEYS"},
		{name: "unknown access token",
			status: 400, typ: "INVALID_INPUT", code: "INVALID_ACCESS_TOKEN"},
		{name: "a panic", opts: []envOption{withStore(panicStore{store.NewMemoryStore(0)})},
			status: 500, typ: "API_ERROR", code: "INTERNAL_SERVER_ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.opts...)
			c := e.client
			if tt.noKeys {
				c = newClient(e.srv, "", "")
			}
			if tt.rewrite != nil {
				cfg := plaid.NewConfiguration()
				cfg.UseEnvironment(plaid.Environment(e.srv.URL))
				cfg.AddDefaultHeader("PLAID-CLIENT-ID", "client-1")
				cfg.AddDefaultHeader("PLAID-SECRET", "secret-1")
				cfg.HTTPClient = &http.Client{Transport: rewriter{base: e.srv.Client().Transport, f: tt.rewrite}}
				c = plaid.NewAPIClient(cfg).PlaidApi
			}
			_, resp, err := c.AuthGet(e.ctx).AuthGetRequest(*plaid.NewAuthGetRequest("access-sandbox-nope")).Execute()
			pe := plaidError(t, err)
			require.NotNil(t, resp)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, plaid.PlaidErrorType(tt.typ), pe.ErrorType)
			assert.Equal(t, tt.code, pe.ErrorCode)
			assert.Contains(t, pe.ErrorMessage, tt.message)
			assert.NotEmpty(t, pe.GetRequestId(), "every error carries a request_id")
			assert.True(t, pe.DisplayMessage.IsSet() || pe.DisplayMessage.Get() == nil)
		})
	}
}

func TestEveryResponseIsJSONWithARequestID(t *testing.T) {
	e := newEnv(t)
	keys := []string{"PLAID-CLIENT-ID: a", "PLAID-SECRET: b"}
	for _, r := range []response{
		sendRequest(t, e, http.MethodPost, "/institutions/get_by_id", `{"institution_id":"ins_109508","country_codes":["US"]}`, keys...),
		sendRequest(t, e, http.MethodPost, "/auth/get", `{"access_token":"nope"}`, keys...),
		sendRequest(t, e, http.MethodPost, "/nope", `{}`),
		sendRequest(t, e, http.MethodGet, "/", ""),
		sendRequest(t, e, http.MethodDelete, "/auth/get", ""),
	} {
		assert.Equal(t, "application/json; charset=utf-8", r.header.Get("Content-Type"))
		assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
		assert.Equal(t, "nosniff", r.header.Get("X-Content-Type-Options"))
		assert.Len(t, r.json(t)["request_id"], 15, "%s", r.body)
	}
}

func TestCredentialsInTheBody(t *testing.T) {
	e := newEnv(t, withKeys("the-id", "the-secret"))
	body := `{"client_id":"the-id","secret":"the-secret","institution_id":"ins_109508","country_codes":["US"]}`
	r := sendRequest(t, e, http.MethodPost, "/institutions/get_by_id", body)
	assert.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, "First Platypus Bank", r.json(t)["institution"].(map[string]any)["name"])

	r = sendRequest(t, e, http.MethodPost, "/institutions/get_by_id", strings.Replace(body, "the-secret", "wrong", 1))
	assert.Equal(t, "INVALID_API_KEYS", r.json(t)["error_code"])
}

func TestContentTypes(t *testing.T) {
	e := newEnv(t)
	body := `{"client_id":"a","secret":"b","institution_id":"ins_109508","country_codes":["US"]}`
	for ct, ok := range map[string]bool{
		"application/json":                true,
		"application/json; charset=utf-8": true,
		"Application/JSON":                true,
		"application/vnd.api+json":        false,
		"text/plain":                      false,
		"multipart/form-data":             false,
		"":                                false, // what a page may send without a preflight
	} {
		r := sendRequest(t, e, http.MethodPost, "/institutions/get_by_id", body, "Content-Type: "+ct)
		if ok {
			assert.Equal(t, http.StatusOK, r.status, "%s: %s", ct, r.body)
		} else {
			assert.Equal(t, "INVALID_BODY", r.json(t)["error_code"], ct)
		}
	}
}

func TestBrowserEndpointsAllowAnyOrigin(t *testing.T) {
	e := newEnv(t)
	r := sendRequest(t, e, http.MethodOptions, "/linksim/session/start", "", "Origin: http://app.example",
		"Access-Control-Request-Method: POST", "Access-Control-Request-Headers: content-type")
	assert.Equal(t, http.StatusNoContent, r.status)
	assert.Equal(t, "*", r.header.Get("Access-Control-Allow-Origin"))
	assert.Contains(t, r.header.Get("Access-Control-Allow-Methods"), "POST")
	assert.Contains(t, strings.ToLower(r.header.Get("Access-Control-Allow-Headers")), "content-type")

	r = sendRequest(t, e, http.MethodPost, "/linksim/session/start", `{"link_token":"link-sandbox-nope"}`, "Origin: http://app.example")
	assert.Equal(t, "*", r.header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "INVALID_LINK_TOKEN", r.json(t)["error_code"])

	// The backend's endpoints are not for browsers.
	r = sendRequest(t, e, http.MethodOptions, "/auth/get", "", "Origin: http://app.example")
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)
	assert.Empty(t, r.header.Get("Access-Control-Allow-Origin"))
}

func TestSiteServesOtherGets(t *testing.T) {
	var api *plaidapi.Handler
	pages := site.New(site.Options{Files: fstest.MapFS{"link-initialize.js": {Data: []byte("// Link")}},
		Fail: func(w http.ResponseWriter, r *http.Request, status int, detail string) {
			api.SiteError(w, r, status, detail)
		}})
	e := newEnv(t, func(_ *sandbox.Options, o *plaidapi.Options) { o.Site = pages })
	api = e.handler
	r := sendRequest(t, e, http.MethodGet, "/link-initialize.js", "")
	assert.Equal(t, "// Link", string(r.body))
	r = sendRequest(t, e, http.MethodGet, "/auth/get", "")
	assert.Equal(t, http.StatusMethodNotAllowed, r.status, "API paths stay the API's")

	// The site's failures are Plaid-shaped JSON like the API's.
	for _, tt := range []struct {
		method, path string
		status       int
		code, allow  string
	}{
		{http.MethodPost, "/link-initialize.js", http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "GET, HEAD"},
		{http.MethodDelete, "/link-initialize.js", http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "GET, HEAD"},
		{http.MethodGet, "/nope.js", http.StatusNotFound, "NOT_FOUND", ""},
		{http.MethodPost, "/nope", http.StatusNotFound, "NOT_FOUND", ""},
	} {
		r := sendRequest(t, e, tt.method, tt.path, "{}")
		assert.Equal(t, tt.status, r.status, "%s %s", tt.method, tt.path)
		assert.Equal(t, tt.code, r.json(t)["error_code"], "%s %s", tt.method, tt.path)
		assert.Len(t, r.json(t)["request_id"], 15)
		assert.Equal(t, tt.allow, r.header.Get("Allow"))
	}
}

func TestAllowAnyOrigin(t *testing.T) {
	w := httptest.NewRecorder()
	plaidapi.AllowAnyOrigin(http.NotFoundHandler()).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/x.js", nil))
	assert.Equal(t, "*", w.Header().Get("Access-Control-Allow-Origin"))
}

// TestHostAllowList: only loopback names and the configured hosts are
// answered; any other Host (a DNS-rebinding page) gets a Plaid-shaped 421,
// on the API and on the site alike.
func TestHostAllowList(t *testing.T) {
	tests := []struct {
		host  string
		extra []string
		ok    bool
	}{
		{"127.0.0.1:8080", nil, true},
		{"127.9.9.9", nil, true},
		{"[::1]:8080", nil, true},
		{"localhost:8080", nil, true},
		{"LOCALHOST.", nil, true},
		{"app.localhost:3000", nil, true},
		{"rebind.attacker.example:8080", nil, false},
		{"localhost.attacker.example", nil, false},
		{"10.0.0.5:8080", nil, false},
		{"linksim.test:8080", []string{"linksim.test"}, true},
		{"other.test", []string{"linksim.test"}, false},
		{"anything.example", []string{"*"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			e := newEnv(t, func(_ *sandbox.Options, o *plaidapi.Options) {
				o.Hosts = tt.extra
				o.Site = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "site") })
			})
			api := sendRequest(t, e, http.MethodPost, "/institutions/get_by_id",
				`{"client_id":"a","secret":"b","institution_id":"ins_109508","country_codes":["US"]}`, "Host: "+tt.host)
			site := sendRequest(t, e, http.MethodGet, "/link-initialize.js", "", "Host: "+tt.host)
			if tt.ok {
				assert.Equal(t, http.StatusOK, api.status, "%s", api.body)
				assert.Equal(t, "site", string(site.body))
				return
			}
			for _, r := range []response{api, site} {
				assert.Equal(t, http.StatusMisdirectedRequest, r.status)
				assert.Equal(t, "HOST_NOT_ALLOWED", r.json(t)["error_code"])
				assert.Equal(t, "INVALID_REQUEST", r.json(t)["error_type"])
			}
		})
	}
}
