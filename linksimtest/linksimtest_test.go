package linksimtest_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/linksimtest"
)

// authGet returns /auth/get's ACH numbers' account masks by account_id,
// or the Plaid error.
func authGet(t *testing.T, srv *linksimtest.Server, accessToken string) (map[string]string, error) {
	t.Helper()
	var out struct {
		Numbers struct {
			ACH []struct {
				AccountID string `json:"account_id"`
				Account   string `json:"account"`
			} `json:"ach"`
		} `json:"numbers"`
	}
	if err := srv.Post("/auth/get", map[string]any{"access_token": accessToken}, &out); err != nil {
		return nil, err
	}
	got := map[string]string{}
	for _, n := range out.Numbers.ACH {
		got[n.AccountID] = flowcore.Mask(n.Account)
	}
	return got, nil
}

func errorCode(err error) string {
	var fe *flowcore.Error
	if errors.As(err, &fe) {
		return fe.Code
	}
	return ""
}

// TestFlows completes every flow with the one-call helpers and checks the
// events Link reported, onSuccess's metadata and what the backend then
// gets from /auth/get.
func TestFlows(t *testing.T) {
	srv := linksimtest.NewServer(t)
	tests := []struct {
		name     string
		token    map[string]any
		run      func(t linksimtest.TB, token string) linksimtest.Result
		events   []string
		status   string // onSuccess's verification_status; "" for null
		authCode string // /auth/get's error_code right after linking; "" when it answers
	}{
		{"instant auth", nil, srv.InstantAuth,
			[]string{"OPEN", "TRANSITION_VIEW", "SEARCH_INSTITUTION", "SELECT_INSTITUTION", "TRANSITION_VIEW", "SUBMIT_CREDENTIALS",
				"TRANSITION_VIEW", "TRANSITION_VIEW", "TRANSITION_VIEW", "HANDOFF"}, "", ""},
		{"instant match", nil, srv.InstantMatch,
			[]string{"OPEN", "TRANSITION_VIEW", "SEARCH_INSTITUTION", "SELECT_INSTITUTION", "TRANSITION_VIEW", "SUBMIT_CREDENTIALS",
				"TRANSITION_VIEW", "TRANSITION_VIEW", "TRANSITION_VIEW", "TRANSITION_VIEW", "TRANSITION_VIEW", "HANDOFF"}, "", ""},
		{"automated", map[string]any{"auth": map[string]any{"instant_match_enabled": false, "automated_microdeposits_enabled": true}}, srv.Automated,
			[]string{"OPEN", "TRANSITION_VIEW", "SEARCH_INSTITUTION", "SELECT_INSTITUTION", "TRANSITION_VIEW", "SUBMIT_CREDENTIALS",
				"TRANSITION_VIEW", "TRANSITION_VIEW", "TRANSITION_VIEW", "TRANSITION_VIEW", "TRANSITION_VIEW", "HANDOFF"},
			flowcore.StatusPendingAutomatic, "PRODUCT_NOT_READY"},
		{"same day", map[string]any{"auth": map[string]any{"same_day_microdeposits_enabled": true}}, srv.SameDay,
			[]string{"OPEN", "TRANSITION_VIEW", "TRANSITION_VIEW", "SUBMIT_ROUTING_NUMBER", "SUBMIT_ACCOUNT_NUMBER",
				"TRANSITION_VIEW", "TRANSITION_VIEW", "TRANSITION_VIEW", "HANDOFF"},
			flowcore.StatusPendingManual, "PRODUCT_NOT_READY"},
		{"instant micro-deposits", nil, srv.InstantMicrodeposits,
			[]string{"OPEN", "TRANSITION_VIEW", "SEARCH_INSTITUTION", "SELECT_INSTITUTION", "TRANSITION_VIEW", "SUBMIT_ROUTING_NUMBER",
				"SUBMIT_ACCOUNT_NUMBER", "TRANSITION_VIEW", "TRANSITION_VIEW", "TRANSITION_VIEW", "TRANSITION_VIEW", "HANDOFF"},
			flowcore.StatusManuallyVerified, ""},
		{"database insights", map[string]any{"auth": map[string]any{"database_insights_enabled": true}}, srv.DatabaseInsights,
			[]string{"OPEN", "TRANSITION_VIEW", "TRANSITION_VIEW", "SUBMIT_ROUTING_NUMBER", "SUBMIT_ACCOUNT_NUMBER",
				"TRANSITION_VIEW", "TRANSITION_VIEW", "HANDOFF"},
			flowcore.StatusDatabasePending, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.run(t, srv.LinkToken(t, tt.token))
			require.NotNil(t, res.Success)
			assert.Nil(t, res.Exit)
			assert.Equal(t, tt.events, res.EventNames())
			assert.Equal(t, res.PublicToken, res.Success.Metadata.PublicToken)
			assert.Equal(t, res.LinkSessionID, res.Success.Metadata.LinkSessionID)
			for _, e := range res.Events {
				assert.Equal(t, res.LinkSessionID, e.Metadata.LinkSessionID)
			}
			acc := res.Success.Metadata.Accounts
			require.Len(t, acc, 1)
			if tt.status == "" {
				assert.Nil(t, acc[0].VerificationStatus)
			} else {
				require.NotNil(t, acc[0].VerificationStatus)
				assert.Equal(t, tt.status, *acc[0].VerificationStatus)
			}
			numbers, err := authGet(t, srv, srv.Exchange(t, res.PublicToken))
			if tt.authCode != "" {
				assert.Equal(t, tt.authCode, errorCode(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, map[string]string{acc[0].ID: acc[0].Mask}, numbers)
		})
	}
}

// TestFluentInstantAuthWithMFA drives a device-MFA login step by step and
// reads the screens on the way.
func TestFluentInstantAuthWithMFA(t *testing.T) {
	srv := linksimtest.NewServer(t)
	link := srv.Link(t, srv.LinkToken(t, nil))
	assert.Equal(t, flowcore.PaneConsent, link.Pane())
	link.Continue().Search("first platypus")
	require.NotEmpty(t, link.Screen().Results)
	assert.Equal(t, "ins_109508", link.Screen().Results[0].InstitutionID)
	link.Select("ins_109508").Login("user_good", "mfa_device")
	require.Equal(t, flowcore.PaneMFA, link.Pane())
	link.MFA("Phone (***) ***-8898")
	require.Equal(t, flowcore.PaneMFA, link.Pane(), "a code comes after the device")
	link.MFA("1234").Accounts("0000", "1111")
	require.Equal(t, flowcore.PaneConnected, link.Pane())
	res := link.Finish()
	require.NotNil(t, res.Success)
	assert.Len(t, res.Success.Metadata.Accounts, 2)
	assert.Equal(t, "ins_109508", res.Success.Metadata.Institution.InstitutionID)
	assert.Contains(t, res.EventNames(), "SUBMIT_MFA")
}

// TestEmbeddedInstitutionSearch links through the tiles of
// Plaid.createEmbedded: nothing is emitted while the user searches them,
// and the pick opens Link at that bank.
func TestEmbeddedInstitutionSearch(t *testing.T) {
	srv := linksimtest.NewServer(t)
	link := srv.Embedded(t, srv.LinkToken(t, nil))
	assert.Equal(t, flowcore.PaneEmbedded, link.Pane())
	link.Search("houndstooth")
	assert.Empty(t, link.Events(), "Link is still closed")
	link.Select("ins_109512")
	assert.Equal(t, flowcore.PaneConsent, link.Pane())
	link.Continue().Login("user_good", "pass_good").Accounts("0000").Numbers("021000021", "1111222233330000", "Jane Doe")
	res := link.Finish()
	require.NotNil(t, res.Success)
	assert.Equal(t, "ins_109512", res.Success.Metadata.Institution.InstitutionID)
	assert.Equal(t, []string{"OPEN", "SELECT_INSTITUTION", "TRANSITION_VIEW", "TRANSITION_VIEW"}, res.EventNames()[:4])
}

// TestExitsAndErrors: a locked login shows Link's error pane; leaving
// from there gives onExit with that error; an illegal action is refused
// and changes nothing.
func TestExitsAndErrors(t *testing.T) {
	srv := linksimtest.NewServer(t)
	link := srv.Link(t, srv.LinkToken(t, nil)).Continue().Search("platypus").Select("ins_109508").
		Login("user_good", "error_ITEM_LOCKED")
	require.Equal(t, flowcore.PaneError, link.Pane())
	assert.Equal(t, "ITEM_LOCKED", link.Screen().Error.Code)

	err := link.Try(flowcore.Action{Type: flowcore.ActionSubmitCode, Code: "ABC"})
	assert.Equal(t, "INVALID_ACTION", errorCode(err))
	assert.Equal(t, flowcore.PaneError, link.Pane(), "a refused action changes nothing")

	res := link.Exit().ConfirmExit().Finish()
	assert.Nil(t, res.Success)
	require.NotNil(t, res.Exit)
	require.NotNil(t, res.Exit.Error)
	assert.Equal(t, "ITEM_LOCKED", res.Exit.Error.Code)
	assert.Equal(t, "EXIT", res.EventNames()[len(res.Events)-1])
	assert.Empty(t, res.PublicToken)

	// Leaving from the search pane asks first; confirming gives onExit
	// with institution_not_found and no error.
	link = srv.Link(t, srv.LinkToken(t, nil)).Continue().Exit()
	require.Equal(t, flowcore.PaneExit, link.Pane())
	res = link.ConfirmExit().Finish()
	require.NotNil(t, res.Exit)
	assert.Nil(t, res.Exit.Error)
	require.NotNil(t, res.Exit.Metadata.Status)
	assert.Equal(t, flowcore.ExitInstitutionNotFound, *res.Exit.Metadata.Status)
}

// TestSameDayUpdateModeAndWebhooks: a Same Day Item is pending until the
// user enters the code in update mode; Automated verifies when the clock
// passes 24 hours and its webhook arrives signed.
func TestSameDayUpdateModeAndWebhooks(t *testing.T) {
	srv := linksimtest.NewServer(t)
	res := srv.SameDay(t, srv.LinkToken(t, map[string]any{"auth": map[string]any{"same_day_microdeposits_enabled": true}}))
	access := srv.Exchange(t, res.PublicToken)
	_, err := authGet(t, srv, access)
	assert.Equal(t, "PRODUCT_NOT_READY", errorCode(err))

	update := srv.LinkToken(t, map[string]any{"access_token": access, "products": nil})
	link := srv.Link(t, update)
	require.Equal(t, flowcore.PaneCode, link.Pane())
	link.Code("XYZ")
	require.Equal(t, flowcore.PaneCode, link.Pane(), "a wrong code stays on the pane")
	assert.Equal(t, "INCORRECT_DEPOSIT_VERIFICATION", link.Screen().Error.Code)
	done := link.Code("ABC").Finish()
	require.NotNil(t, done.Success)
	numbers, err := authGet(t, srv, access)
	require.NoError(t, err)
	assert.Len(t, numbers, 1)

	res = srv.Automated(t, srv.LinkToken(t, map[string]any{"auth": map[string]any{"instant_match_enabled": false, "automated_microdeposits_enabled": true}}))
	access = srv.Exchange(t, res.PublicToken)
	before := srv.Now()
	after := srv.Advance(t, 25*time.Hour)
	assert.Equal(t, 25*time.Hour, after.Sub(before))
	wh := srv.Webhooks.Wait(t, "AUTOMATICALLY_VERIFIED")
	assert.Equal(t, "AUTH", wh.Type)
	assert.NoError(t, wh.Verified, "the Plaid-Verification JWT checks out")
	assert.Equal(t, *res.Success.Metadata.AccountID, wh.Body["account_id"])
	_, err = authGet(t, srv, access)
	assert.NoError(t, err)

	// The same JWT does not vouch for another body.
	tampered := append([]byte(nil), wh.Raw...)
	tampered[len(tampered)-2] ^= 1
	assert.ErrorContains(t, srv.VerifyWebhook(wh.Header.Get("Plaid-Verification"), tampered), "request_body_sha256")
	assert.Error(t, srv.VerifyWebhook("", wh.Raw))
}

// TestSeededDeterminism: two servers with the same seed, driven alike,
// mint the same tokens, ids and events; another seed mints others.
func TestSeededDeterminism(t *testing.T) {
	run := func(opts ...linksimtest.Option) linksimtest.Result {
		srv := linksimtest.NewServer(t, opts...)
		return srv.InstantAuth(t, srv.LinkToken(t, nil))
	}
	a, b, c := run(), run(), run(linksimtest.WithSeed(9))
	assert.Equal(t, a.PublicToken, b.PublicToken)
	assert.Equal(t, a.Events, b.Events)
	assert.Equal(t, "2026-01-05T09:00:00.000Z", a.Events[0].Metadata.Timestamp)
	assert.NotEqual(t, a.PublicToken, c.PublicToken)
	assert.NotEqual(t, a.LinkSessionID, c.LinkSessionID)
}

// TestKeys: WithKeys makes the server refuse other keys; the helpers send
// the right ones.
func TestKeys(t *testing.T) {
	srv := linksimtest.NewServer(t, linksimtest.WithKeys("id-1", "secret-1"))
	assert.Equal(t, "id-1", srv.ClientID)
	srv.LinkToken(t, nil)
	err := srv.Post("/institutions/get_by_id", map[string]any{"client_id": "other", "secret": "x",
		"institution_id": "ins_109508", "country_codes": []string{"US"}}, nil)
	assert.Equal(t, "INVALID_API_KEYS", errorCode(err))
}

// TestLinkWebhooks: a Hosted Link session and a Multi-Item session send
// their LINK webhooks to the token's webhook, signed; WaitLink finds each
// by session and PublicTokens reads its tokens.
func TestLinkWebhooks(t *testing.T) {
	srv := linksimtest.NewServer(t)
	hosted := srv.InstantAuth(t, srv.LinkToken(t, map[string]any{"hosted_link": map[string]any{}}))
	added := srv.Webhooks.WaitLink(t, "ITEM_ADD_RESULT", hosted.LinkSessionID)
	assert.NoError(t, added.Verified)
	assert.Equal(t, []string{hosted.PublicToken}, added.PublicTokens())
	finished := srv.Webhooks.WaitLink(t, "SESSION_FINISHED", hosted.LinkSessionID)
	assert.NoError(t, finished.Verified)
	assert.Equal(t, "SUCCESS", finished.Body["status"])
	assert.Equal(t, []string{hosted.PublicToken}, finished.PublicTokens())
	events := srv.Webhooks.WaitLink(t, "EVENTS", hosted.LinkSessionID)
	assert.Len(t, events.Body["events"], len(hosted.Events))

	userToken, userID := srv.User(t, "multi-user")
	multi := srv.LinkToken(t, map[string]any{"enable_multi_item_link": true, "user_token": userToken})
	link := srv.Link(t, multi).Continue().Search("platypus").Select("ins_109508").Login("user_good", "pass_good").Accounts()
	require.True(t, link.Screen().AddAnother)
	res := link.AddAnother().Search("tartan").Select("ins_109511").Login("user_good", "pass_good").Accounts().Finish()
	require.NotNil(t, res.Success)
	assert.Empty(t, res.PublicToken, "Multi-Item Link's onSuccess is empty")
	finished = srv.Webhooks.WaitLink(t, "SESSION_FINISHED", res.LinkSessionID)
	assert.Equal(t, userID, finished.Body["user_id"])
	tokens := finished.PublicTokens()
	require.Len(t, tokens, 2)
	for _, pt := range tokens {
		assert.NotEmpty(t, srv.Exchange(t, pt))
	}
}
