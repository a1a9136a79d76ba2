package sandbox

import (
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// linked drives a session to onSuccess and exchanges its public token.
func (h *harness) linked(body string, steps ...stepFn) string {
	h.t.Helper()
	h.drive(body, steps...)
	succ := h.last().Success
	require.NotNil(h.t, succ)
	ex, err := h.sb.ExchangePublicToken(succ.PublicToken)
	require.Nil(h.t, err)
	return ex.AccessToken
}

// The Items the accounts endpoints are tried on.
var (
	instantAuthItem = func(h *harness) string {
		return h.linked(config(""), append(toCredentials("ins_109508"), do(login("user_good", "pass_good")),
			choose("0000"), do(act(flowcore.ActionContinue)))...)
	}
	automatedItem = func(h *harness) string {
		return h.linked(config(`{"auth":{"automated_microdeposits_enabled":true,"instant_match_enabled":false}}`),
			append(toCredentials("ins_109512"), do(login("user_good", "microdeposits_good")), choose("0000"),
				do(numbersAndName("021000021", "1111222233330000", "Jane Q. Doe")), do(act(flowcore.ActionContinue)))...)
	}
	sameDayItem = func(h *harness) string {
		return h.linked(config(`{"auth":{"same_day_microdeposits_enabled":true}}`), do(act(flowcore.ActionContinue)),
			do(search("x")), do(act(flowcore.ActionManualEntry)), do(routing("110000000")), do(account("1111222233330000")),
			do(name("Jane Doe")), do(act(flowcore.ActionContinue)), do(act(flowcore.ActionContinue)))
	}
	transactionsAtHoundstooth = func(h *harness) string {
		return h.linked(config(`{"products":["transactions"]}`), append(toCredentials("ins_109512"),
			do(login("user_good", "pass_good")), choose("0000"), do(act(flowcore.ActionContinue)))...)
	}
	transactionsAtPlatypus = func(h *harness) string {
		return h.linked(config(`{"products":["transactions"]}`), append(toCredentials("ins_109508"),
			do(login("user_good", "pass_good")), choose("0000"), do(act(flowcore.ActionContinue)))...)
	}
)

func TestVerificationNameAndCreatedAt(t *testing.T) {
	tests := []struct {
		name     string
		item     func(*harness) string
		wantName string
	}{
		{"instant auth", instantAuthItem, ""},
		{"automated", automatedItem, "Jane Q. Doe"},
		{"same day", sameDayItem, "Jane Doe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			at := tt.item(h)
			accs, err := h.sb.AccountsGet(&AccountsRequest{AccessToken: at})
			require.Nil(t, err)
			for _, a := range accs.Accounts {
				assert.Equal(t, tt.wantName, a.VerificationName)
			}
			item, err := h.sb.ItemGet(at)
			require.Nil(t, err)
			assert.Equal(t, "2026-11-25T12:00:00Z", item.Item.CreatedAt)
		})
	}
}

func TestBalanceGet(t *testing.T) {
	tests := []struct {
		name       string
		item       func(*harness) string
		wantCode   string
		wantStatus string // of the first account
	}{
		{"instant auth", instantAuthItem, "", ""},
		{"automated, pending", automatedItem, "", flowcore.StatusPendingAutomatic},
		{"same day has no bank connection", sameDayItem, "PRODUCTS_NOT_SUPPORTED", ""},
		{"a login without auth", transactionsAtHoundstooth, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			at := tt.item(h)
			got, err := h.sb.BalanceGet(&BalanceGetRequest{AccessToken: at})
			if tt.wantCode != "" {
				require.NotNil(t, err)
				assert.Equal(t, tt.wantCode, err.Code)
				assert.Equal(t, flowcore.ErrorTypeItemError, err.Type)
				return
			}
			require.Nil(t, err)
			accs, _ := h.sb.AccountsGet(&AccountsRequest{AccessToken: at})
			assert.Equal(t, accs.Accounts, got.Accounts, "the same accounts and balances as /accounts/get")
			require.NotEmpty(t, got.Accounts)
			assert.NotNil(t, got.Accounts[0].Balances.Current)
			assert.Equal(t, flowcore.Nullable(tt.wantStatus), got.Accounts[0].VerificationStatus)

			_, err = h.sb.BalanceGet(&BalanceGetRequest{AccessToken: at, Options: &BalanceGetOptions{AccountIDs: []string{"nope"}}})
			require.NotNil(t, err)
			assert.Equal(t, "INVALID_ACCOUNT_ID", err.Code)
		})
	}
	_, err := newHarness(t).sb.BalanceGet(&BalanceGetRequest{AccessToken: "access-sandbox-nope"})
	require.NotNil(t, err)
	assert.Equal(t, "INVALID_ACCESS_TOKEN", err.Code)
}

func TestIdentityMatch(t *testing.T) {
	tests := []struct {
		name      string
		item      func(*harness) string
		legalName *string
		wantScore *int // nil: legal_name is null
	}{
		{"same day, the typed name", sameDayItem, strp("jane doe"), intp(100)},
		{"same day, another name", sameDayItem, strp("John Smith"), intp(20)},
		{"automated, middle initial", automatedItem, strp("Jane Doe"), intp(99)},
		{"login, the sandbox holder", instantAuthItem, strp("Alberta Charleson"), intp(99)},
		{"no legal_name", sameDayItem, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			at := tt.item(h)
			req := &IdentityMatchRequest{AccessToken: at}
			if tt.legalName != nil {
				req.User = &IdentityMatchUser{LegalName: tt.legalName}
			}
			got, err := h.sb.IdentityMatch(req)
			require.Nil(t, err)
			require.NotEmpty(t, got.Accounts)
			for _, a := range got.Accounts {
				assert.Equal(t, flowcore.Balances{}, a.Balances, "balances are always null")
				if tt.wantScore == nil {
					assert.Nil(t, a.LegalName)
					continue
				}
				require.NotNil(t, a.LegalName)
				assert.Equal(t, *tt.wantScore, *a.LegalName.Score)
			}
		})
	}
}

func intp(i int) *int { return &i }

func TestAuthGetNeedsAVerifiedItem(t *testing.T) {
	tests := []struct {
		name     string
		item     func(*harness) string
		wantCode string
	}{
		{"instant auth", instantAuthItem, ""},
		{"transactions at an Instant Auth bank", transactionsAtPlatypus, ""},
		{"transactions at a bank without Instant Auth", transactionsAtHoundstooth, "PRODUCTS_NOT_SUPPORTED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			got, err := h.sb.AuthGet(&AccountsRequest{AccessToken: tt.item(h)})
			if tt.wantCode == "" {
				require.Nil(t, err)
				assert.NotEmpty(t, got.Numbers.ACH)
				return
			}
			require.NotNil(t, err)
			assert.Equal(t, tt.wantCode, err.Code)
			assert.Equal(t, flowcore.ErrorTypeItemError, err.Type)
			assert.Equal(t, 400, err.Status())
		})
	}
}
