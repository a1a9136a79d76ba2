package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExitFromEachPane leaves Link from every pane — by the close button,
// by Escape, or by the app's handler.exit({force: true}) — and checks
// onExit's status, error and institution and the EXIT event.
func TestExitFromEachPane(t *testing.T) {
	toCredentials := func(id string) func(p *page) {
		return func(p *page) {
			p.start()
			p.searchAndPick(map[string]string{"ins_109508": "platypus", "ins_109512": "hounds"}[id], id)
			p.pane("credentials")
		}
	}
	loginWith := func(id, pass, pane string) func(p *page) {
		return func(p *page) {
			toCredentials(id)(p)
			p.login("user_good", pass)
			p.pane(pane)
		}
	}
	tests := []struct {
		name        string
		config      map[string]bool
		reach       func(p *page)
		status      string // "" for null
		err         string
		institution string
	}{
		// Plaid: requires_credentials also covers "has not yet selected a
		// financial institution".
		{name: "consent", reach: func(p *page) { p.click("open-link"); p.pane("consent") }, status: "requires_credentials"},
		{name: "search", reach: func(p *page) { p.start(); p.search("nothing here") }, status: "institution_not_found"},
		{name: "credentials", reach: toCredentials("ins_109508"), status: "requires_credentials", institution: "ins_109508"},
		{name: "credentials after a wrong password", reach: func(p *page) {
			toCredentials("ins_109508")(p)
			p.login("user_good", "wrong")
			p.pane("credentials")
			p.waitJS(`document.querySelector('[data-testid="pane-error-message"]') !== null`)
		}, status: "requires_credentials", err: "INVALID_CREDENTIALS", institution: "ins_109508"},
		{name: "mfa code", reach: loginWith("ins_109512", "mfa_device", "mfa"), status: "requires_code", institution: "ins_109512"},
		{name: "mfa device", reach: loginWith("ins_109508", "mfa_device", "mfa"), status: "choose_device", institution: "ins_109508"},
		{name: "mfa questions", reach: loginWith("ins_109508", "mfa_questions_1_1", "mfa"), status: "requires_questions", institution: "ins_109508"},
		{name: "mfa selections", reach: loginWith("ins_109508", "mfa_selections", "mfa"), status: "requires_selections", institution: "ins_109508"},
		{name: "account select", reach: loginWith("ins_109508", "pass_good", "select_account"), status: "requires_account_selection", institution: "ins_109508"},
		{name: "error pane", reach: loginWith("ins_109508", "error_ITEM_LOCKED", "error"), status: "requires_credentials", err: "ITEM_LOCKED", institution: "ins_109508"},
		{name: "numbers", config: map[string]bool{"auth-same_day_microdeposits_enabled": true},
			reach: func(p *page) { p.start(); p.manualEntry("x"); p.pane("routing_number") }, status: "requires_credentials"},
		{name: "reroute pane", config: map[string]bool{"auth-same_day_microdeposits_enabled": true},
			reach: func(p *page) {
				p.start()
				p.manualEntry("x")
				p.routing("011401533")
				p.pane("numbers_select_institution")
			}, status: "requires_credentials"},
	}
	ways := []struct {
		name string
		exit func(p *page)
	}{
		{"close button", func(p *page) { p.click("close"); p.pane("exit"); p.click("exit-confirm") }},
		{"escape key", func(p *page) { p.do(chromedp.KeyEvent("\x1b")); p.pane("exit"); p.click("exit-confirm") }},
		{"handler.exit force", func(p *page) {
			p.do(chromedp.Evaluate[chromedp.Void](`window.linksimDemo.handler.exit({force: true})`))
		}},
	}
	for i, tt := range tests {
		way := ways[i%len(ways)]
		t.Run(tt.name+" by "+way.name, func(t *testing.T) {
			p := openDemo(t)
			p.configure(tt.config)
			tt.reach(p)
			way.exit(p)
			st := p.exited()
			md := st.Exit.Metadata
			if tt.status == "" {
				assert.Nil(t, md.Status)
			} else {
				require.NotNil(t, md.Status)
				assert.Equal(t, tt.status, *md.Status)
			}
			if tt.err == "" {
				assert.Nil(t, st.Exit.Error)
			} else {
				require.NotNil(t, st.Exit.Error)
				assert.Equal(t, tt.err, st.Exit.Error.Code)
			}
			if tt.institution == "" {
				assert.Nil(t, md.Institution)
			} else {
				require.NotNil(t, md.Institution)
				assert.Equal(t, tt.institution, md.Institution.InstitutionID)
			}
			assert.NotEmpty(t, md.LinkSessionID)
			assert.NotEmpty(t, md.RequestID)
			last := st.Events[len(st.Events)-1]
			assert.Equal(t, "EXIT", string(last.Name))
			assert.Equal(t, md.Status, last.Metadata.ExitStatus)
			if way.name != "handler.exit force" {
				assert.Equal(t, "TRANSITION_VIEW:EXIT", st.trace()[len(st.Events)-2])
			}
		})
	}
}

// TestCancelExitReturnsToThePane asks to exit, then goes back to Link.
func TestCancelExitReturnsToThePane(t *testing.T) {
	p := openDemo(t)
	p.start()
	p.searchAndPick("platypus", "ins_109508")
	p.pane("credentials")
	p.do(chromedp.KeyEvent("\x1b"))
	p.pane("exit")
	p.do(chromedp.KeyEvent("\x1b")) // Escape on the exit pane returns to Link
	p.pane("credentials")
	p.click("close")
	p.pane("exit")
	p.click("exit-cancel")
	p.pane("credentials")
	st := p.state()
	tr := st.trace()
	assert.Equal(t, []string{"TRANSITION_VIEW:EXIT", "TRANSITION_VIEW:CREDENTIAL", "TRANSITION_VIEW:EXIT", "TRANSITION_VIEW:CREDENTIAL"}, tr[len(tr)-4:])
	assert.Nil(t, st.Exit)
}
