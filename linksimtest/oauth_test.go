package linksimtest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/linksimtest"
)

// TestOAuthHelpers links Platypus OAuth Bank through the server in both
// flows, and checks the redirect flow's failures: a denial ends in onExit
// with requires_oauth, and a received redirect URI is usable once, with
// its own link token only.
func TestOAuthHelpers(t *testing.T) {
	srv := linksimtest.NewServer(t, linksimtest.WithRedirectURIs("http://localhost:3000/oauth"))
	redirect := map[string]any{"redirect_uri": "http://localhost:3000/oauth"}

	for _, extra := range []map[string]any{nil, redirect} {
		res := srv.OAuth(t, srv.LinkToken(t, extra))
		require.NotNil(t, res.Success)
		assert.Equal(t, "ins_127287", res.Success.Metadata.Institution.InstitutionID)
		assert.Contains(t, res.EventNames(), "OPEN_OAUTH")
		assert.NotContains(t, res.EventNames(), "SUBMIT_CREDENTIALS")
		numbers, err := authGet(t, srv, srv.Exchange(t, res.PublicToken))
		require.NoError(t, err)
		assert.Len(t, numbers, 3, "checking, savings and cash management")
	}

	link := srv.Link(t, srv.LinkToken(t, redirect)).Continue().Search("platypus oauth").Select("ins_127287").OAuth(flowcore.OAuthDenied)
	assert.Equal(t, flowcore.PaneError, link.Pane())
	res := link.Exit().ConfirmExit().Finish()
	require.NotNil(t, res.Exit)
	assert.Equal(t, flowcore.ExitRequiresOAuth, *res.Exit.Metadata.Status)
	assert.Equal(t, "ACCESS_NOT_GRANTED", res.Exit.Error.Code)

	token := srv.LinkToken(t, redirect)
	link = srv.Link(t, token).Continue().Search("platypus oauth").Select("ins_127287").Continue()
	received := "http://localhost:3000/oauth?oauth_state_id=" + link.Screen().OAuth.StateID
	assert.Equal(t, "INCORRECT_LINK_TOKEN", errorCode(link.Resume(srv.LinkToken(t, redirect), received)))
	assert.Equal(t, "OAUTH_STATE_ID_NOT_FOUND", errorCode(link.Resume(token, "http://localhost:3000/oauth?oauth_state_id=nope")))
	require.NoError(t, link.Resume(token, received))
	assert.Equal(t, flowcore.PaneError, link.Pane(), "no answer from the bank: its flow did not complete")
	assert.Equal(t, "OAUTH_STATE_ID_ALREADY_PROCESSED", errorCode(link.Resume(token, received)))

	err := srv.Post("/link/token/create", map[string]any{"client_name": "x", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "u"}, "products": []string{"auth"}, "redirect_uri": "http://localhost:3000/other"}, nil)
	assert.Equal(t, "INVALID_FIELD", errorCode(err), "not on -redirect-uri's list")
}
