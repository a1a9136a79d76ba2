package plaidapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/plaidapi"
	"github.com/linksim/linksim/internal/sandbox"
	"github.com/linksim/linksim/internal/store"
)

var fuzzPaths = []string{"/link/token/create", "/link/token/get", "/item/public_token/exchange", "/auth/get",
	"/accounts/get", "/item/get", "/item/remove", "/institutions/get_by_id", "/institutions/search",
	"/sandbox/public_token/create", "/sandbox/item/set_verification_status", "/sandbox/item/fire_webhook",
	"/sandbox/item/reset_login", "/webhook_verification_key/get",
	"/sandbox/linksim/clock/advance", "/linksim/session/start", "/linksim/session/action", "/nope"}

// FuzzEndpoints sends any body to any endpoint: the answer is always JSON
// with a request_id, a success or a Plaid error with a code, and never an
// internal error (a recovered panic).
func FuzzEndpoints(f *testing.F) {
	for i, body := range []string{
		`{"client_id":"a","secret":"b","client_name":"X","language":"en","country_codes":["US"],"user":{"client_user_id":"u"},"products":["auth"]}`,
		`{"client_id":"a","secret":"b","institution_id":"ins_109512","initial_products":["auth"],"options":{"override_password":"microdeposits_good","webhook":"http://127.0.0.1:1/h"}}`,
		`{"client_id":"a","secret":"b","access_token":"access-sandbox-x","options":{"account_ids":["a"]}}`,
		`{"client_id":"a","secret":"b","query":"bank","country_codes":["US","GB"]}`,
		`{"client_id":"a","secret":"b","seconds":86400}`,
		`{"session_id":"x","action":{"type":"open"}}`,
		`{"link_token":""}`,
		`{`, `[]`, `null`, ``,
	} {
		f.Add(uint8(i), []byte(body))
	}
	clock := flowcore.NewOffsetClock(flowcore.NewFixedClock(t0))
	sb := sandbox.NewSandbox(sandbox.Options{Clock: clock, Seed: 1, Store: store.NewMemoryStore(1000)})
	h := plaidapi.New(plaidapi.Options{Sandbox: sb, Clock: clock})
	f.Fuzz(func(t *testing.T, path uint8, body []byte) {
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodPost, fuzzPaths[int(path)%len(fuzzPaths)], bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(w, r)
		var m map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s answered non-JSON %q", r.URL.Path, w.Body.String())
		}
		if id, _ := m["request_id"].(string); len(id) != 15 {
			t.Fatalf("no request_id in %s", w.Body.String())
		}
		if w.Code == http.StatusOK {
			return
		}
		if code, _ := m["error_code"].(string); code == "" || code == "INTERNAL_SERVER_ERROR" {
			t.Fatalf("%s %s answered %d %s", r.URL.Path, body, w.Code, w.Body.String())
		}
	})
}
