package linksimtest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/linksimtest"
)

// TestSteps walks the panes a user can move between: Auth Type Select,
// back, the exit pane and its cancel, retry after an error, a forced exit.
func TestSteps(t *testing.T) {
	srv := linksimtest.NewServer(t)
	token := srv.LinkToken(t, map[string]any{"auth": map[string]any{"auth_type_select_enabled": true, "same_day_microdeposits_enabled": true}})
	link := srv.Link(t, token).Continue()
	require.Equal(t, flowcore.PaneSelectAuthType, link.Pane())
	link.AuthType(flowcore.SelectionManual).Routing("110000000")
	require.Equal(t, flowcore.PaneAccountNumber, link.Pane())
	assert.Contains(t, link.Screen().AccountSubtypes, "savings")
	link.Back()
	require.Equal(t, flowcore.PaneRoutingNumber, link.Pane())
	assert.Equal(t, "110000000", link.Screen().RoutingNumber, "back keeps what the user typed")
	link.Routing("110000000").AccountOfType("1111222233330000", "savings")
	link.Exit()
	require.Equal(t, flowcore.PaneExit, link.Pane())
	link.CancelExit()
	require.Equal(t, flowcore.PaneLegalName, link.Pane())
	res := link.LegalName("Jane Doe").Continue().Finish()
	require.NotNil(t, res.Success)
	assert.Equal(t, "savings", res.Success.Metadata.Accounts[0].Subtype)
	assert.Contains(t, res.EventNames(), "SELECT_AUTH_TYPE")

	// An error Link lets the user retry from, then a forced exit.
	link = srv.Link(t, srv.LinkToken(t, nil)).Continue().Search("platypus").Select("ins_109508").
		Login("user_good", "error_INSTITUTION_DOWN")
	require.Equal(t, flowcore.PaneError, link.Pane())
	require.True(t, link.Screen().CanRetry)
	link.Retry()
	assert.NotEqual(t, flowcore.PaneError, link.Pane())
	assert.False(t, link.Done())
	res = link.ForceExit().Finish()
	require.NotNil(t, res.Exit)
	require.NotNil(t, res.Exit.Error, "onExit carries the last error the user saw")
	assert.Equal(t, "INSTITUTION_DOWN", res.Exit.Error.Code)
	assert.Equal(t, res.LinkSessionID, link.LinkSessionID())
}

// TestWebhooksNext: deliveries come out of Next in the order they arrived.
func TestWebhooksNext(t *testing.T) {
	srv := linksimtest.NewServer(t)
	access := srv.Exchange(t, srv.InstantAuth(t, srv.LinkToken(t, nil)).PublicToken)
	for _, code := range []string{"NEW_ACCOUNTS_AVAILABLE", "PENDING_DISCONNECT"} {
		require.NoError(t, srv.Post("/sandbox/item/fire_webhook", map[string]any{"access_token": access,
			"webhook_type": "ITEM", "webhook_code": code}, nil))
	}
	first, second := srv.Webhooks.Next(t), srv.Webhooks.Next(t)
	assert.Equal(t, []string{"NEW_ACCOUNTS_AVAILABLE", "PENDING_DISCONNECT"}, []string{first.Code, second.Code})
	assert.NoError(t, first.Verified)
	assert.Len(t, srv.Webhooks.All(), 2)
}

// TestStandalone: outside a test, a failure panics with its message and
// Close closes the servers.
func TestStandalone(t *testing.T) {
	st := &linksimtest.Standalone{}
	srv := linksimtest.NewServer(st)
	assert.PanicsWithValue(t, "linksimtest: Link has not finished, it shows the consent pane", func() {
		srv.Link(st, srv.LinkToken(st, nil)).Finish()
	})
	st.Close()
	assert.Error(t, srv.Post("/item/get", map[string]any{"access_token": "x"}, nil), "the server is closed")
}
