package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// by finds elements the way a user names them: a Link dialog's control by
// its label or its text, a widget's by its label. Defined in the page by
// the test (DevTools' evaluate is not subject to the page's CSP).
const byRoleAndLabel = `window.t = {
	dialog: () => document.querySelector('[role="dialog"]'),
	name: (el) => {
		if (el.getAttribute('aria-label')) return el.getAttribute('aria-label').trim();
		const c = el.cloneNode(true);
		c.querySelectorAll('[aria-hidden="true"]').forEach((h) => h.remove());
		return c.textContent.trim();
	},
	button: (name) => [...t.dialog().querySelectorAll('button')].find((b) => {
		const n = t.name(b);
		return n === name || n.startsWith(name);
	}),
	field: (label) => { const l = [...t.dialog().querySelectorAll('label')].find((l) => l.textContent.trim() === label); return l && l.control; },
	widget: (id) => document.getElementById(id).shadowRoot,
	widgetControl: (id, label) => {
		const r = t.widget(id);
		const l = [...r.querySelectorAll('label')].find((l) => l.textContent.trim() === label);
		if (l) return r.getElementById(l.htmlFor);
		return [...r.querySelectorAll('button')].find((b) => b.textContent.trim() === label);
	},
}; true`

// widgetPage is a tab on testdata/widget.html: two <linksim-demo>
// elements from a static sub-path, no linksim server.
type widgetPage struct {
	*page
	checkAxe bool // run axe-core on every Link pane drive passes
	// eachPane, when set, checks every Link pane drive passes, before
	// drive acts on it.
	eachPane func(pane string)
}

func openWidgets(t *testing.T) widgetPage {
	t.Helper()
	// A tab of its own with time for every scenario.
	tab, cancelTab := chromedp.NewContext(browserCtx)
	t.Cleanup(cancelTab)
	ctx, cancel := context.WithTimeout(tab, 5*time.Minute)
	t.Cleanup(cancel)
	p := &page{t: t, ctx: ctx}
	// Record what the page's Content-Security-Policy blocks (the static
	// host sends linksim's strict one), from before any script runs.
	p.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: `window.cspViolations = [];
			document.addEventListener('securitypolicyviolation', (e) => {
				// axe-core, evaluated by the test through DevTools, has no source file.
				if (e.sourceFile) window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber);
			});`})
		return err
	}))
	p.do(chromedp.Navigate(appURL + "widget.html"))
	p.waitJS(`document.getElementById('first').dataset.ready === 'true' && document.getElementById('second').dataset.ready === 'true'`)
	_, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](byRoleAndLabel))
	require.NoError(t, err)
	return widgetPage{page: p}
}

func (p widgetPage) clickJS(path string) {
	p.t.Helper()
	p.do(chromedp.Click(chromedp.JSPath(path)))
}

func (p widgetPage) typeJS(path, text string) {
	p.t.Helper()
	p.do(chromedp.SendKeys(chromedp.JSPath(path), text))
}

func (p widgetPage) has(path string) bool {
	p.t.Helper()
	ok, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`!!(`+path+`)`))
	require.NoError(p.t, err)
	return ok
}

func q(s string) string { b, _ := json.Marshal(s); return string(b) }

// scenario is how a user gets through one of the widget's scenarios.
type widgetScenario struct {
	id, bank, password, routing, account, mfaAnswer string
	query                                           string // typed in the search first: the bank is not a popular one
	embedded                                        bool   // the bank is picked on Embedded Institution Search's tiles
	errorCode                                       string // "" for onSuccess
}

// drive plays the user through Link, pane by pane, by labels and button
// names, until Link closes; it returns the panes seen. Between them, the
// scenarios pass every Link pane; with checkAxe, axe-core checks each.
func (p widgetPage) drive(sc widgetScenario) []string {
	p.t.Helper()
	var panes []string
	for i := 0; i < 30; i++ {
		p.waitJS(`(() => { const d = document.querySelector('[data-testid="link-dialog"]');
			return !document.querySelector('[data-testid="link-modal"]') || (d && d.dataset.pane !== 'loading' && !d.hasAttribute('aria-busy')); })()`)
		pane, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`(() => { const d = document.querySelector('[data-testid="link-dialog"]'); return d ? d.dataset.pane : ''; })()`))
		require.NoError(p.t, err)
		if pane == "" {
			return panes
		}
		p.pane(pane) // the accessibility checks
		if p.checkAxe {
			assert.Empty(p.t, p.axe(), "axe-core on pane %s", pane)
		}
		if p.eachPane != nil {
			p.eachPane(pane)
		}
		panes = append(panes, pane)
		field := func(label string) string { return `t.field(` + q(label) + `)` }
		button := func(name string) string { return `t.button(` + q(name) + `)` }
		switch pane {
		case "consent", "deposit_authorized", "connected":
			p.clickJS(button("Continue"))
		case "select_account":
			// The user shares every account listed (the first, where only
			// one may be picked): none is picked in advance.
			labels := `t.dialog().querySelectorAll('fieldset label')`
			n, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`(`+labels+`)[0].control.type === 'radio' ? 1 : (`+labels+`).length`))
			require.NoError(p.t, err)
			for i := 0; i < n; i++ {
				p.clickJS(fmt.Sprintf(`(%s)[%d]`, labels, i))
			}
			p.clickJS(button("Continue"))
		case "select_auth_type":
			p.clickJS(button("Instantly"))
		case "search":
			if sc.query != "" {
				p.typeJS(field("Search for your bank"), sc.query)
				p.waitJS(`!!` + button(sc.bank))
				p.clickJS(button(sc.bank))
			} else if sc.bank != "" {
				p.clickJS(button(sc.bank)) // a popular bank: no typing
			} else {
				p.clickJS(button("Link with account numbers"))
			}
		case "credentials":
			p.typeJS(field("Username"), "user_good")
			p.typeJS(field("Password"), sc.password)
			p.clickJS(button("Submit"))
		case "mfa":
			switch {
			case p.has(button("Send code")):
				p.clickJS(button("Send code"))
			case p.has(field("Verification code")):
				p.typeJS(field("Verification code"), "1234")
				p.clickJS(button("Submit"))
			case p.has(`t.dialog().querySelector('fieldset')`):
				p.clickJS(field(sc.mfaAnswer))
				p.clickJS(button("Submit"))
			default:
				p.typeJS(`t.dialog().querySelector('input')`, sc.mfaAnswer)
				p.clickJS(button("Submit"))
			}
		case "numbers":
			p.typeJS(field("Routing number"), sc.routing)
			p.typeJS(field("Account number"), sc.account)
			if p.has(field("Full legal name")) {
				p.typeJS(field("Full legal name"), "John Smith")
			}
			p.clickJS(button("Continue"))
		case "routing_number":
			_, _ = p.eval("!(" + field("Routing number") + ".value = '')") // clear what Link pre-filled
			p.typeJS(field("Routing number"), sc.routing)
			p.clickJS(button("Continue"))
		case "account_number":
			p.typeJS(field("Account number"), sc.account)
			p.clickJS(button("Continue"))
		case "legal_name":
			p.typeJS(field("Full legal name"), "John Smith")
			p.clickJS(button("Continue"))
		case "code":
			p.typeJS(field("Code from the deposit"), "ABC")
			p.clickJS(button("Verify"))
		case "oauth":
			// The bank opens in a pop-up; its Approve sends Link on.
			popup := chromedp.WaitNewTarget(p.ctx, func(info *target.Info) bool { return strings.Contains(info.URL, "oauth.html") })
			p.clickJS(button("Continue to " + sc.bank))
			bankCtx, cancel := chromedp.NewContext(p.ctx, chromedp.WithTargetID(<-popup))
			(&page{t: p.t, ctx: bankCtx}).approveAtBank("Approve")
			cancel()
			p.waitJS(`(() => { const d = document.querySelector('[data-testid="link-dialog"]'); return !d || d.dataset.pane !== 'oauth'; })()`)
		case "numbers_select_institution":
			p.clickJS(button("Continue with account numbers"))
		case "error":
			p.clickJS(button("Exit"))
		case "exit":
			p.clickJS(button("Yes, exit"))
		default:
			p.t.Fatalf("no step for pane %s", pane)
		}
	}
	p.t.Fatalf("Link did not close: %v", panes)
	return nil
}

// TestWidgetCompletesEveryScenario: on a static page under a sub-path with
// no server, the widget's every scenario runs to its end, driven by role
// and label; the diagram lights the path the session took; successful
// ones show onSuccess's metadata and /auth/get's numbers, error ones
// onExit's error.
func TestWidgetCompletesEveryScenario(t *testing.T) {
	scenarios := []widgetScenario{
		{id: "instant-auth", bank: "First Platypus Bank", password: "pass_good"},
		{id: "instant-match", bank: "Houndstooth Bank", password: "pass_good", routing: "021000021", account: "1111222233330000"},
		{id: "automated", bank: "Houndstooth Bank", password: "microdeposits_good", routing: "021000021", account: "1111222233330000"},
		{id: "same-day", routing: "110000000", account: "1111222233330000"},
		{id: "instant-microdeposits", bank: "Windowpane Bank", routing: "333333334", account: "1111222233330000"},
		{id: "auth-type-select", bank: "First Platypus Bank", password: "pass_good"},
		{id: "oauth", bank: "Platypus OAuth Bank", query: "platypus oauth"},
		{id: "embedded", bank: "First Platypus Bank", password: "pass_good", embedded: true},
		{id: "reroute", routing: "011401533", account: "1111222233330000"},
		{id: "database-insights", routing: "110000000", account: "1111222233331111"},
		{id: "database-match", routing: "110000000", account: "1111222233331111"},
		{id: "mfa-device", bank: "First Platypus Bank", password: "mfa_device"},
		{id: "mfa-questions", bank: "First Platypus Bank", password: "mfa_questions_1_1", mfaAnswer: "answer_1_1"},
		{id: "mfa-selections", bank: "First Platypus Bank", password: "mfa_selections", mfaAnswer: "Yes"},
		{id: "error-locked", bank: "First Platypus Bank", password: "error_ITEM_LOCKED", errorCode: "ITEM_LOCKED"},
		{id: "error-down", bank: "First Platypus Bank", password: "error_INSTITUTION_DOWN", errorCode: "INSTITUTION_DOWN"},
		{id: "not-supported", bank: "Houndstooth Bank", errorCode: "PRODUCTS_NOT_SUPPORTED"},
	}
	p := openWidgets(t)
	t.Cleanup(func() {
		blocked, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`window.cspViolations`))
		require.NoError(t, err)
		assert.Empty(t, blocked, "the page's strict CSP blocked nothing the widget and Link did")
	})
	ids, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`[...t.widgetControl('first', 'Scenario').options].map((o) => o.value)`))
	require.NoError(t, err)
	var want []string
	for _, sc := range scenarios {
		want = append(want, sc.id)
	}
	assert.Equal(t, want, ids, "the picker offers every scenario the test drives")
	for _, sc := range scenarios {
		t.Run(sc.id, func(t *testing.T) {
			p := widgetPage{page: &page{t: t, ctx: p.ctx}, checkAxe: true}
			t.Cleanup(func() { // a failed scenario leaves no Link open for the next
				_, _ = chromedp.Run(p.ctx, chromedp.Evaluate[bool](`(() => { const w = document.getElementById('first');
					if (w.handler) w.handler.destroy(); w.finish(); return true; })()`))
			})
			p.do(chromedp.SetValue(chromedp.JSPath(`t.widgetControl('first', 'Scenario')`), sc.id))
			_, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`t.widgetControl('first', 'Scenario').dispatchEvent(new Event('change'))`))
			require.NoError(t, err)
			p.waitJS(`(() => { const s = document.getElementById('first').state; return s.graph && s.scenario.id === ` + q(sc.id) + `; })()`)
			p.waitJS(`!t.widgetControl('first', 'Open Link').disabled && !document.getElementById('first').state.running`)
			p.clickJS(`t.widgetControl('first', 'Open Link')`)
			if sc.embedded {
				// The tiles, in the widget, by role and name: a pick opens Link.
				tile := `[...document.getElementById('first').querySelectorAll('[role="region"][aria-label="Connect a bank account"] button')].find((b) => t.name(b) === ` + q(sc.bank) + `)`
				p.waitJS(`!!` + tile)
				p.clickJS(tile)
			}
			panes := p.drive(sc)
			if sc.embedded {
				panes = append([]string{"embedded"}, panes...)
			}
			if sc.errorCode == "" {
				p.waitJS(`document.getElementById('first').state.auth !== null`)
			} else {
				p.waitJS(`document.getElementById('first').state.exit !== null`)
			}
			var st struct {
				Graph struct {
					Path []string `json:"path"`
				} `json:"graph"`
				Visited []string `json:"visited"`
				Success *struct {
					Metadata map[string]any `json:"metadata"`
				} `json:"success"`
				Auth *struct {
					Numbers *struct {
						ACH []map[string]any `json:"ach"`
					} `json:"numbers"`
					Error map[string]any `json:"error"`
				} `json:"auth"`
				Exit *struct {
					Error map[string]any `json:"error"`
				} `json:"exit"`
				Lit    []string `json:"lit"`
				Shown  string   `json:"shown"`
				Second int      `json:"second"`
			}
			raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[json.RawMessage](`(() => {
				const w = document.getElementById('first');
				return Object.assign({}, w.state, {
					lit: [...w.shadowRoot.querySelectorAll('.lsg-node.lsg-visited')].map((g) => g.dataset.node),
					shown: w.shadowRoot.querySelector('.result').textContent,
					second: document.getElementById('second').state.events.length,
				}); })()`))
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(raw, &st))
			assert.Zero(t, st.Second, "the other widget saw none of this session")
			// The diagram lit what the session did, and that is the path
			// flowcore drew (the ends aside: the modal shows no pane for them).
			assert.Equal(t, dedupe(panes), without(st.Visited, "on_success", "on_exit"), "visited")
			for _, n := range st.Visited {
				assert.Contains(t, st.Lit, n)
			}
			assert.Equal(t, dedupe(st.Graph.Path), st.Visited, "the session took the path the diagram draws")
			if sc.errorCode != "" {
				require.NotNil(t, st.Exit)
				assert.Equal(t, sc.errorCode, st.Exit.Error["error_code"])
				assert.Contains(t, st.Shown, sc.errorCode)
				return
			}
			require.NotNil(t, st.Success)
			assert.NotEmpty(t, st.Success.Metadata["link_session_id"])
			require.NotNil(t, st.Auth)
			assert.Contains(t, st.Shown, "onSuccess metadata")
			assert.Contains(t, st.Shown, "/auth/get")
			if st.Auth.Numbers != nil {
				assert.NotEmpty(t, st.Auth.Numbers.ACH)
			} else {
				assert.NotEmpty(t, st.Auth.Error, "no numbers and no error")
			}
		})
	}
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if len(out) == 0 || out[len(out)-1] != x {
			out = append(out, x)
		}
	}
	return out
}

func without(xs []string, drop ...string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(drop, x) {
			out = append(out, x)
		}
	}
	return out
}

// TestWidgetScreenshots writes the README's pictures of the widget and
// its diagram (make screenshots); it is not a check.
func TestWidgetScreenshots(t *testing.T) {
	if *screenshots == "" {
		t.Skip("run with -screenshots=DIR (make screenshots)")
	}
	p := openWidgets(t)
	shot := func(name, path string) {
		png, err := chromedp.Run(p.ctx, chromedp.Screenshot(chromedp.JSPath(path)))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(*screenshots, name), png, 0o644))
	}
	run := func(id string, sc widgetScenario) {
		p.do(chromedp.SetValue(chromedp.JSPath(`t.widgetControl('first', 'Scenario')`), id))
		_, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`t.widgetControl('first', 'Scenario').dispatchEvent(new Event('change'))`))
		require.NoError(t, err)
		p.waitJS(`(() => { const s = document.getElementById('first').state; return s.graph && s.scenario.id === ` + q(id) + `; })()`)
		p.clickJS(`t.widgetControl('first', 'Open Link')`)
		p.drive(sc)
		p.waitJS(`document.getElementById('first').state.auth !== null`)
		_, _ = p.eval(`!document.activeElement.blur()`)
	}
	run("instant-microdeposits", widgetScenario{bank: "Windowpane Bank", routing: "333333334", account: "1111222233330000"})
	shot("diagram.png", `document.getElementById('first').shadowRoot.querySelector('.left')`)
	run("instant-match", widgetScenario{bank: "Houndstooth Bank", password: "pass_good", routing: "021000021", account: "1111222233330000"})
	shot("widget.png", `document.getElementById('first')`)
	shot("widget-dark.png", `document.getElementById('second')`)
}

// TestWidgetFitsAPhone: at phone width the card is one column, nothing
// scrolls sideways, and Open Link is still on screen.
func TestWidgetFitsAPhone(t *testing.T) {
	p := openWidgets(t)
	p.do(chromedp.EmulateViewport(375, 740))
	p.waitJS(`document.getElementById('first').getBoundingClientRect().width <= 375`)
	var got struct {
		Width       float64 `json:"width"`
		ScrollWidth float64 `json:"scrollWidth"`
		Columns     string  `json:"columns"`
		OpenRight   float64 `json:"openRight"`
	}
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[json.RawMessage](`(() => {
		const w = document.getElementById('first'), r = w.shadowRoot;
		return { width: w.getBoundingClientRect().width, scrollWidth: document.documentElement.scrollWidth,
			columns: getComputedStyle(r.querySelector('.body')).gridTemplateColumns,
			openRight: t.widgetControl('first', 'Open Link').getBoundingClientRect().right };
	})()`))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &got))
	assert.LessOrEqual(t, got.ScrollWidth, 375.0, "no sideways scrolling")
	assert.NotContains(t, strings.TrimSpace(got.Columns), " ", "one column: %s", got.Columns)
	assert.LessOrEqual(t, got.OpenRight, 375.0)
}

// TestLinkFocusFromAShadowRoot: Link opened from the widget's button, inside
// its shadow root, keeps focus in its dialog (the page going inert must not
// blur it to <body> a frame later), and focus is back on that button when
// Link closes.
func TestLinkFocusFromAShadowRoot(t *testing.T) {
	p := openWidgets(t)
	for i := 0; i < 3; i++ {
		p.clickJS(`t.widgetControl('first', 'Open Link')`)
		p.pane("consent")
		p.waitJS(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
		inside, err := p.eval(`document.querySelector('[data-testid="link-dialog"]').contains(document.activeElement)`)
		require.NoError(t, err)
		require.True(t, inside, "focus stays in the dialog after the page went inert")
		p.do(chromedp.KeyEvent("\x1b")) // Escape asks to exit
		p.pane("exit")
		p.click("exit-confirm")
		p.closed()
		p.waitJS(`document.getElementById('first').state.exit !== null`)
		back, err := p.eval(`document.getElementById('first').shadowRoot.activeElement === t.widgetControl('first', 'Open Link')`)
		require.NoError(t, err)
		assert.True(t, back, "focus is back on Open Link")
	}
}
