package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
)

// TestTypedQueryIsSearchedBeforeAClickElsewhere: a query typed in the
// search box and, before the box's pause-to-search fires, followed by a
// click on another control is searched first, so the app still gets its
// SEARCH_INSTITUTION, then the click's own events.
func TestTypedQueryIsSearchedBeforeAClickElsewhere(t *testing.T) {
	tests := []struct {
		name  string
		click string
		pane  string
		want  []string // events after the consent pane, with the search queries
	}{
		{"link with account numbers", "manual-entry", "routing_number",
			[]string{"SEARCH_INSTITUTION:plat", "TRANSITION_VIEW:NUMBERS"}},
		{"a result of the previous search", "institution-ins_109508", "credentials",
			[]string{"SEARCH_INSTITUTION:plat", "SELECT_INSTITUTION", "TRANSITION_VIEW:CREDENTIAL"}},
		{"close", "close", "exit",
			[]string{"SEARCH_INSTITUTION:plat", "TRANSITION_VIEW:EXIT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := openDemo(t)
			p.configure(map[string]bool{"auth-same_day_microdeposits_enabled": true})
			p.start()
			p.search("first platypus") // results to click on
			before := len(p.state().Events)
			// Type and click in one turn of the page's event loop, far inside
			// the search box's pause: nothing else could send the query.
			_, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => {
				const input = document.querySelector('[data-testid="search-input"]');
				input.value = 'plat';
				input.dispatchEvent(new Event('input', { bubbles: true }));
				document.querySelector('[data-testid=%q]').click();
				return true;
			})()`, tt.click)))
			require.NoError(t, err)
			p.pane(tt.pane)
			var got []string
			for _, e := range p.state().Events[before:] {
				l := string(e.Name)
				if e.Name == flowcore.EventSearchInstitution {
					l += ":" + *e.Metadata.InstitutionSearchQuery
				}
				if e.Name == flowcore.EventTransitionView {
					l += ":" + string(*e.Metadata.ViewName)
				}
				got = append(got, l)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestBankClickedWhileASearchIsOnItsWay: a bank clicked while the search
// the user submitted is still on its way (as on a slow machine, where a
// test's click lands within the search's round trip) is not lost: Link
// picks it once the search has answered.
func TestBankClickedWhileASearchIsOnItsWay(t *testing.T) {
	p := openDemo(t)
	p.start()
	p.search("first platypus") // results to click on
	before := len(p.state().Events)
	// Submit the search and click a result in one turn of the page's event
	// loop: the click always lands while the search is in flight.
	_, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`(() => {
		const input = document.querySelector('[data-testid="search-input"]');
		input.value = 'plat';
		input.form.requestSubmit();
		document.querySelector('[data-testid="institution-ins_109508"]').click();
		return true;
	})()`))
	require.NoError(t, err)
	p.pane("credentials")
	var got []string
	for _, e := range p.state().Events[before:] {
		got = append(got, string(e.Name))
	}
	assert.Equal(t, []string{"SEARCH_INSTITUTION", "SELECT_INSTITUTION", "TRANSITION_VIEW"}, got)
}
