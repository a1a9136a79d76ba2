// Package backend is the part of an app's server that talks to Plaid for
// Auth: it mints link tokens for the page, exchanges the public token
// Link's onSuccess hands back, reads the account numbers, and hands an
// account to a payment processor. It knows nothing of linksim: its tests
// point the same plaid-go client at a linksimtest server instead of
// Plaid's sandbox.
package backend

import (
	"encoding/json"
	"net/http"
	"sync"

	plaid "github.com/plaid/plaid-go/v20/plaid"
)

// App is the backend: a Plaid client and the access tokens of its users'
// Items (kept in memory here; a real app keeps them in its database).
type App struct {
	Plaid *plaid.PlaidApiService

	mu     sync.Mutex
	access map[string]string // user id -> access token
}

// NewClient is plaid-go pointed at baseURL ("https://sandbox.plaid.com",
// or a linksim server's URL) with an app's keys.
func NewClient(baseURL, clientID, secret string) *plaid.PlaidApiService {
	cfg := plaid.NewConfiguration()
	cfg.UseEnvironment(plaid.Environment(baseURL))
	cfg.AddDefaultHeader("PLAID-CLIENT-ID", clientID)
	cfg.AddDefaultHeader("PLAID-SECRET", secret)
	return plaid.NewAPIClient(cfg).PlaidApi
}

// Routes serves the app's API: POST /api/link_token, POST /api/exchange
// ({"public_token"}), GET /api/numbers and POST /api/processor_token
// ({"account_id", "processor"}). The user is named by the X-User header
// (a real app takes it from its session).
func (a *App) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/link_token", a.linkToken)
	mux.HandleFunc("POST /api/exchange", a.exchange)
	mux.HandleFunc("GET /api/numbers", a.numbers)
	mux.HandleFunc("POST /api/processor_token", a.processorToken)
	return mux
}

func (a *App) linkToken(w http.ResponseWriter, r *http.Request) {
	req := plaid.NewLinkTokenCreateRequest("Example App", "en", []plaid.CountryCode{plaid.COUNTRYCODE_US},
		*plaid.NewLinkTokenCreateRequestUser(r.Header.Get("X-User")))
	req.SetProducts([]plaid.Products{plaid.PRODUCTS_AUTH})
	resp, _, err := a.Plaid.LinkTokenCreate(r.Context()).LinkTokenCreateRequest(*req).Execute()
	reply(w, map[string]string{"link_token": resp.GetLinkToken()}, err)
}

func (a *App) exchange(w http.ResponseWriter, r *http.Request) {
	var body struct {
		PublicToken string `json:"public_token"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.PublicToken == "" {
		http.Error(w, "public_token is required", http.StatusBadRequest)
		return
	}
	resp, _, err := a.Plaid.ItemPublicTokenExchange(r.Context()).ItemPublicTokenExchangeRequest(
		*plaid.NewItemPublicTokenExchangeRequest(body.PublicToken)).Execute()
	if err == nil {
		a.mu.Lock()
		if a.access == nil {
			a.access = map[string]string{}
		}
		a.access[r.Header.Get("X-User")] = resp.GetAccessToken()
		a.mu.Unlock()
	}
	reply(w, map[string]string{"item_id": resp.GetItemId()}, err)
}

// Numbers is what /api/numbers answers: each account's mask and ACH numbers.
type Numbers struct {
	Accounts []Account `json:"accounts"`
}

// Account is one account and its numbers.
type Account struct {
	ID      string `json:"id"`
	Mask    string `json:"mask"`
	Account string `json:"account"`
	Routing string `json:"routing"`
}

func (a *App) numbers(w http.ResponseWriter, r *http.Request) {
	at, ok := a.accessToken(r)
	if !ok {
		http.Error(w, "link an account first", http.StatusConflict)
		return
	}
	resp, _, err := a.Plaid.AuthGet(r.Context()).AuthGetRequest(*plaid.NewAuthGetRequest(at)).Execute()
	if err != nil {
		reply(w, nil, err)
		return
	}
	masks := map[string]string{}
	for _, acc := range resp.GetAccounts() {
		masks[acc.GetAccountId()] = acc.GetMask()
	}
	var out Numbers
	for _, n := range resp.Numbers.GetAch() {
		out.Accounts = append(out.Accounts, Account{ID: n.GetAccountId(), Mask: masks[n.GetAccountId()], Account: n.GetAccount(), Routing: n.GetRouting()})
	}
	reply(w, out, nil)
}

func (a *App) processorToken(w http.ResponseWriter, r *http.Request) {
	var body struct {
		AccountID string `json:"account_id"`
		Processor string `json:"processor"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, "a JSON body is required", http.StatusBadRequest)
		return
	}
	at, ok := a.accessToken(r)
	if !ok {
		http.Error(w, "link an account first", http.StatusConflict)
		return
	}
	resp, _, err := a.Plaid.ProcessorTokenCreate(r.Context()).ProcessorTokenCreateRequest(
		*plaid.NewProcessorTokenCreateRequest(at, body.AccountID, body.Processor)).Execute()
	reply(w, map[string]string{"processor_token": resp.GetProcessorToken()}, err)
}

func (a *App) accessToken(r *http.Request) (string, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	at, ok := a.access[r.Header.Get("X-User")]
	return at, ok
}

// reply writes v as JSON, or Plaid's error code with status 502 (Plaid
// answered, but not as the app needed).
func reply(w http.ResponseWriter, v any, err error) {
	w.Header().Set("Content-Type", "application/json")
	if err != nil {
		code := "UNKNOWN"
		if pe, perr := plaid.ToPlaidError(err); perr == nil {
			code = pe.ErrorCode
		}
		w.WriteHeader(http.StatusBadGateway)
		_ = json.NewEncoder(w).Encode(map[string]string{"plaid_error": code})
		return
	}
	_ = json.NewEncoder(w).Encode(v)
}
