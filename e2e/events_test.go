package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEventDelivery runs the same Instant Auth flow twice on a page whose
// server delivers events batched: once with the server's default, once
// with a handler that asks for real time. Batched, only OPEN arrives
// during the flow; the rest comes after onSuccess, in the order it
// happened, as Plaid's web SDK may deliver them. Real time, every event
// comes as it happens and HANDOFF precedes onSuccess.
func TestEventDelivery(t *testing.T) {
	p := newTab(t)
	p.do(chromedp.Navigate(appURL + "batched.html"))
	p.waitJS(`window.calls.some(c => c[0] === 'early' && c[1] === 'onExit')`)

	run := func(who, option string) []string {
		tok := p.newToken("{}")
		p.do(chromedp.Evaluate[chromedp.Void](`window.h = Plaid.create(Object.assign({token: '` + tok + `'` + option + `}, window.record('` + who + `')));
			window.h.open();`))
		p.pane("consent")
		p.click("consent-continue")
		p.search("platypus")
		p.click("institution-ins_109508")
		p.login("user_good", "pass_good")
		p.selectAccounts("0000", "1111") // share both
		p.pane("connected")
		if who == "batched" {
			var during []string
			for _, n := range names(p.calls()) {
				if strings.HasPrefix(n, who+":") {
					during = append(during, n)
				}
			}
			assert.Equal(t, []string{"batched:onLoad", "batched:onEvent:OPEN"}, during, "only OPEN is delivered while Link is open")
		}
		p.click("connected-continue")
		p.waitJS(`window.calls.some(c => c[0] === '` + who + `' && c[1] === 'onEvent' && c[2] === 'HANDOFF')`)
		p.waitJS(`window.calls.some(c => c[0] === '` + who + `' && c[1] === 'onSuccess')`)
		var got []string
		for _, n := range names(p.calls()) {
			if strings.HasPrefix(n, who+":") && n != who+":onLoad" {
				got = append(got, strings.TrimPrefix(n, who+":"))
			}
		}
		return got
	}

	batched := run("batched", "")
	realtime := run("realtime", ", linksimEvents: 'realtime'")

	require.Contains(t, realtime, "onSuccess")
	assert.Equal(t, "onSuccess", realtime[len(realtime)-1], "real time: every event before onSuccess")
	assert.Equal(t, "onEvent:HANDOFF", realtime[len(realtime)-2])

	require.Contains(t, batched, "onSuccess")
	success := slices.Index(batched, "onSuccess")
	assert.Equal(t, []string{"onEvent:OPEN", "onSuccess"}, batched[:success+1], "batched: OPEN, then onSuccess, then the held events")
	// How many SEARCH_INSTITUTION events typing makes depends on how fast
	// the keys come (the search box searches as the user pauses); every
	// other event is the same in both modes.
	eventsOf := func(calls []string) []string {
		return slices.DeleteFunc(slices.Clone(calls), func(n string) bool {
			return !strings.HasPrefix(n, "onEvent:") || n == "onEvent:SEARCH_INSTITUTION"
		})
	}
	assert.Equal(t, eventsOf(realtime), eventsOf(batched), "both modes deliver the same events in the same order")
}
