package linksimtest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	plaid "github.com/plaid/plaid-go/v20/plaid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/linksimtest"
)

// institutionStatus is item_logins' status in /institutions/get_by_id
// with include_status.
func institutionStatus(t *testing.T, srv *linksimtest.Server, id string) string {
	t.Helper()
	var out struct {
		Institution struct {
			Status struct {
				ItemLogins struct {
					Status string `json:"status"`
				} `json:"item_logins"`
			} `json:"status"`
		} `json:"institution"`
	}
	require.NoError(t, srv.Post("/institutions/get_by_id", map[string]any{"institution_id": id, "country_codes": []string{"US"},
		"options": map[string]any{"include_status": true}}, &out))
	return out.Institution.Status.ItemLogins.Status
}

// TestInstitutionDownInLink: an institution put down on demand is refused
// when the user selects it, and onExit gets INSTITUTION_DOWN, as at
// Plaid's Unhealthy Platypus Bank - Down; its status says DOWN until it is
// restored.
func TestInstitutionDownInLink(t *testing.T) {
	srv := linksimtest.NewServer(t)
	require.Equal(t, "HEALTHY", institutionStatus(t, srv, "ins_109508"))
	srv.InstitutionDown(t, "ins_109508")
	assert.Equal(t, "DOWN", institutionStatus(t, srv, "ins_109508"))

	link := srv.Link(t, srv.LinkToken(t, nil)).Continue().Search("platypus").Select("ins_109508")
	assert.Equal(t, flowcore.PaneError, link.Pane())
	require.NotNil(t, link.Screen().Error)
	assert.Equal(t, "INSTITUTION_DOWN", link.Screen().Error.Code)
	res := link.Exit().ConfirmExit().Finish()
	require.NotNil(t, res.Exit)
	require.NotNil(t, res.Exit.Error, "onExit gets the error the user saw")
	assert.Equal(t, "INSTITUTION_ERROR", res.Exit.Error.Type)
	assert.Equal(t, "INSTITUTION_DOWN", res.Exit.Error.Code)
	want, _ := flowcore.PlaidError("INSTITUTION_DOWN")
	assert.Equal(t, want.DisplayMessage, res.Exit.Error.DisplayMessage)
	assert.Contains(t, res.EventNames(), "SELECT_DOWN_INSTITUTION")

	srv.InstitutionRestore(t, "ins_109508")
	assert.Equal(t, "HEALTHY", institutionStatus(t, srv, "ins_109508"))
	srv.InstantAuth(t, srv.LinkToken(t, nil)) // links again

	var out struct{ Status string }
	require.NoError(t, srv.Post("/sandbox/linksim/institution/status/set", map[string]any{"institution_id": "ins_132361", "error_code": nil}, &out))
	assert.Equal(t, "DOWN", out.Status, "error_code null gives the bank its catalogue status: Unhealthy Platypus Bank - Down stays down")
	err := srv.Post("/sandbox/linksim/institution/status/set", map[string]any{"institution_id": "ins_132361", "error_code": "ITEM_LOCKED"}, nil)
	assert.ErrorContains(t, err, "INSTITUTION_DOWN or INSTITUTION_NOT_RESPONDING")
	err = srv.Post("/sandbox/linksim/institution/status/set", map[string]any{"institution_id": "ins_nope", "error_code": "INSTITUTION_DOWN"}, nil)
	assert.ErrorContains(t, err, "INVALID_INSTITUTION")
}

// TestInstitutionNotRespondingInLink: a degraded institution is warned
// about, then the login fails with INSTITUTION_NOT_RESPONDING, which onExit
// gets.
func TestInstitutionNotRespondingInLink(t *testing.T) {
	srv := linksimtest.NewServer(t)
	srv.InstitutionNotResponding(t, "ins_109508")
	assert.Equal(t, "DEGRADED", institutionStatus(t, srv, "ins_109508"))
	link := srv.Link(t, srv.LinkToken(t, nil)).Continue().Search("platypus").Select("ins_109508")
	assert.Equal(t, flowcore.PaneCredentials, link.Pane())
	assert.Equal(t, "DEGRADED", link.Screen().InstitutionStatus)
	link.Login("user_good", "pass_good")
	require.NotNil(t, link.Screen().Error)
	assert.Equal(t, "INSTITUTION_NOT_RESPONDING", link.Screen().Error.Code)
	res := link.Exit().ConfirmExit().Finish()
	require.NotNil(t, res.Exit.Error)
	assert.Equal(t, "INSTITUTION_NOT_RESPONDING", res.Exit.Error.Code)
	assert.Contains(t, res.EventNames(), "SELECT_DEGRADED_INSTITUTION")
}

// TestInstitutionNotRespondingAtAnOAuthBank: at an OAuth bank the user
// approves on the bank's page, then Link shows INSTITUTION_NOT_RESPONDING.
func TestInstitutionNotRespondingAtAnOAuthBank(t *testing.T) {
	srv := linksimtest.NewServer(t)
	srv.InstitutionNotResponding(t, "ins_127287")
	link := srv.Link(t, srv.LinkToken(t, nil)).Continue().Search("platypus oauth").Select("ins_127287").OAuth(flowcore.OAuthApproved)
	require.NotNil(t, link.Screen().Error)
	assert.Equal(t, "INSTITUTION_NOT_RESPONDING", link.Screen().Error.Code)
	srv.InstitutionRestore(t, "ins_127287")
	require.NotEmpty(t, srv.OAuth(t, srv.LinkToken(t, nil)).PublicToken)
}

// TestWithFaultPerCall: HTTPClient sends a context's WithFault fault on
// that call only.
func TestWithFaultPerCall(t *testing.T) {
	srv := linksimtest.NewServer(t)
	cfg := plaid.NewConfiguration()
	cfg.UseEnvironment(plaid.Environment(srv.URL))
	cfg.AddDefaultHeader("PLAID-CLIENT-ID", "any")
	cfg.AddDefaultHeader("PLAID-SECRET", "any")
	cfg.HTTPClient = srv.HTTPClient()
	client := plaid.NewAPIClient(cfg).PlaidApi
	req := *plaid.NewInstitutionsGetByIdRequest("ins_109508", []plaid.CountryCode{plaid.COUNTRYCODE_US})

	ctx := linksimtest.WithFault(context.Background(), "latency=100ms, error=RATE_LIMIT_EXCEEDED")
	start := time.Now()
	_, resp, err := client.InstitutionsGetById(ctx).InstitutionsGetByIdRequest(req).Execute()
	assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond)
	require.Error(t, err)
	assert.Equal(t, 429, resp.StatusCode)
	pe, perr := plaid.ToPlaidError(err)
	require.NoError(t, perr)
	assert.Equal(t, "INSTITUTIONS_GET_BY_ID_LIMIT", pe.ErrorCode)

	_, _, err = client.InstitutionsGetById(context.Background()).InstitutionsGetByIdRequest(req).Execute()
	require.NoError(t, err, "a call without the fault answers")
}

// failRecorder is a TB that records the failure instead of ending the test.
type failRecorder struct {
	testing.TB
	failed string
}

func (f *failRecorder) Fatalf(format string, args ...any) { f.failed = fmt.Sprintf(format, args...) }

// TestWithoutFaults: with faults off, the helpers fail the test with the
// server's reason, and the header is refused rather than ignored.
func TestWithoutFaults(t *testing.T) {
	srv := linksimtest.NewServer(t, linksimtest.WithoutFaults())
	rec := &failRecorder{TB: t}
	srv.InstitutionDown(rec, "ins_109508")
	assert.Contains(t, rec.failed, "-faults=false")
	assert.Equal(t, "HEALTHY", institutionStatus(t, srv, "ins_109508"))

	ctx := linksimtest.WithFault(context.Background(), "error=INTERNAL_SERVER_ERROR")
	cfg := plaid.NewConfiguration()
	cfg.UseEnvironment(plaid.Environment(srv.URL))
	cfg.HTTPClient = srv.HTTPClient()
	_, _, err := plaid.NewAPIClient(cfg).PlaidApi.InstitutionsGetById(ctx).InstitutionsGetByIdRequest(
		*plaid.NewInstitutionsGetByIdRequest("ins_109508", []plaid.CountryCode{plaid.COUNTRYCODE_US})).Execute()
	pe, perr := plaid.ToPlaidError(err)
	require.NoError(t, perr)
	assert.Equal(t, "INVALID_HEADERS", pe.ErrorCode)
}
