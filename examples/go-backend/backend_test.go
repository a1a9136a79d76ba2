package backend_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/linksim/linksim/linksimtest"

	backend "example.com/linksim-go-backend"
)

// call makes one request to the app as its page would.
func call(t *testing.T, app http.Handler, method, path, user string, body, out any) int {
	t.Helper()
	var b bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&b).Encode(body); err != nil {
			t.Fatal(err)
		}
	}
	req := httptest.NewRequest(method, path, &b)
	req.Header.Set("X-User", user)
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, req)
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			t.Fatalf("%s %s answered %d %s", method, path, rec.Code, rec.Body)
		}
	}
	return rec.Code
}

// TestUserLinksAndTheAppReadsNumbers is the app's whole Auth path against
// linksim: a link token for the page, the user's Instant Auth in Link
// (linksimtest drives it as the user would), the exchange, the numbers,
// and a processor token for a payment partner.
func TestUserLinksAndTheAppReadsNumbers(t *testing.T) {
	srv := linksimtest.NewServer(t)
	app := (&backend.App{Plaid: backend.NewClient(srv.URL, "any", "any")}).Routes()

	var lt struct {
		LinkToken string `json:"link_token"`
	}
	if code := call(t, app, "POST", "/api/link_token", "user-1", nil, &lt); code != 200 || !strings.HasPrefix(lt.LinkToken, "link-sandbox-") {
		t.Fatalf("link token: %d %q", code, lt.LinkToken)
	}

	result := srv.InstantAuth(t, lt.LinkToken) // the user in Link: First Platypus Bank, user_good / pass_good
	if result.PublicToken == "" {
		t.Fatalf("Link ended without onSuccess: %+v", result.Exit)
	}
	if code := call(t, app, "POST", "/api/exchange", "user-1", map[string]string{"public_token": result.PublicToken}, nil); code != 200 {
		t.Fatalf("exchange: %d", code)
	}

	var numbers backend.Numbers
	if code := call(t, app, "GET", "/api/numbers", "user-1", nil, &numbers); code != 200 || len(numbers.Accounts) == 0 {
		t.Fatalf("numbers: %d %+v", code, numbers)
	}
	for _, a := range numbers.Accounts {
		if !strings.HasSuffix(a.Account, a.Mask) || len(a.Routing) != 9 {
			t.Errorf("account %+v: the number must end in the mask Link showed and the routing number have 9 digits", a)
		}
	}

	var pt map[string]string
	body := map[string]string{"account_id": numbers.Accounts[0].ID, "processor": "dwolla"}
	if code := call(t, app, "POST", "/api/processor_token", "user-1", body, &pt); code != 200 || !strings.HasPrefix(pt["processor_token"], "processor-sandbox-") {
		t.Fatalf("processor token: %d %v", code, pt)
	}
}

// TestTheAppPassesOnPlaidsErrors: a public token that was never issued is
// Plaid's INVALID_PUBLIC_TOKEN, which the app reports rather than
// storing nothing.
func TestTheAppPassesOnPlaidsErrors(t *testing.T) {
	srv := linksimtest.NewServer(t)
	app := (&backend.App{Plaid: backend.NewClient(srv.URL, "any", "any")}).Routes()
	var got map[string]string
	if code := call(t, app, "POST", "/api/exchange", "user-2", map[string]string{"public_token": "public-sandbox-nope"}, &got); code != http.StatusBadGateway || got["plaid_error"] != "INVALID_PUBLIC_TOKEN" {
		t.Fatalf("exchange of a bogus token: %d %v", code, got)
	}
	if code := call(t, app, "GET", "/api/numbers", "user-2", nil, nil); code != http.StatusConflict {
		t.Fatalf("numbers before linking: %d", code)
	}
}
