package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
)

// appearanceProbe reads the open Link modal's colours: its
// data-appearance and computed color-scheme, the relative luminance
// (WCAG's, 0 black to 1 white) of the dialog's background and of its
// title, and, for the dark theme, every visible element with a light
// opaque background or dark text (the primary button, light on dark by
// design, and the institution badges, coloured, aside).
const appearanceProbe = `(() => {
	const rgba = (c) => {
		const m = /rgba?\(([^)]*)\)/.exec(c);
		if (!m) return null;
		const v = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
		return { r: v[0], g: v[1], b: v[2], a: v.length > 3 ? v[3] : 1 };
	};
	const lum = (c) => {
		const x = rgba(c);
		if (!x) return -1;
		const f = (u) => { u /= 255; return u <= 0.03928 ? u / 12.92 : Math.pow((u + 0.055) / 1.055, 2.4); };
		return 0.2126 * f(x.r) + 0.7152 * f(x.g) + 0.0722 * f(x.b);
	};
	const o = document.querySelector('[data-testid="link-modal"]');
	const d = document.querySelector('[data-testid="link-dialog"]');
	const name = (el) => el.tagName.toLowerCase() + (el.dataset.testid ? '[' + el.dataset.testid + ']' : '') +
		(typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '');
	const glaring = [], darkText = [];
	for (const el of d.querySelectorAll('*')) {
		if (el.closest('.lk-primary, .lk-badge') || !el.getClientRects().length) continue;
		const s = getComputedStyle(el), bg = rgba(s.backgroundColor);
		if (bg && bg.a >= 0.5 && lum(s.backgroundColor) > 0.4) glaring.push(name(el) + ' ' + s.backgroundColor);
		const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()) ||
			el.matches('input:not([type=radio]):not([type=checkbox])');
		if (text && !el.closest('.lk-tag') && lum(s.color) < 0.3) darkText.push(name(el) + ' ' + s.color);
	}
	return { appearance: o.dataset.appearance, scheme: getComputedStyle(o).colorScheme,
		background: lum(getComputedStyle(d).backgroundColor), title: lum(getComputedStyle(d.querySelector('h2')).color),
		glaring, darkText };
})()`

// appearanceVars reads the modal's colour properties: every --lk-*
// custom property link.css's light set defines, as the open modal
// computes it.
const appearanceVars = `(() => {
	const rule = [...document.styleSheets].flatMap((s) => { try { return [...s.cssRules]; } catch (e) { return []; } })
		.find((r) => (r.selectorText || '').split(',').map((s) => s.trim()).includes('.lk-overlay') && [...r.style].some((p) => p.startsWith('--lk-')));
	const s = getComputedStyle(document.querySelector('[data-testid="link-modal"]'));
	return Object.fromEntries([...rule.style].filter((p) => p.startsWith('--lk-')).map((p) => [p, s.getPropertyValue(p).trim()]));
})()`

type appearanceSeen struct {
	Appearance string   `json:"appearance"`
	Scheme     string   `json:"scheme"`
	Background float64  `json:"background"`
	Title      float64  `json:"title"`
	Glaring    []string `json:"glaring"`
	DarkText   []string `json:"darkText"`
}

// theme checks that the open modal is in the mode it should be (the
// data-appearance link-initialize.js set) and looks it: dark, light text
// on a dark dialog with no light surface or dark text left; or light.
func (p *page) theme(pane, mode string, dark bool) {
	p.t.Helper()
	a, err := chromedp.Run(p.ctx, chromedp.Evaluate[appearanceSeen](appearanceProbe))
	require.NoError(p.t, err)
	assert.Equal(p.t, mode, a.Appearance, "pane %s: data-appearance", pane)
	if dark {
		assert.Equal(p.t, "dark", a.Scheme, "pane %s: color-scheme", pane)
		assert.Less(p.t, a.Background, 0.05, "pane %s: the dialog's background is dark", pane)
		assert.Greater(p.t, a.Title, 0.6, "pane %s: the title is light", pane)
		assert.Empty(p.t, a.Glaring, "pane %s: light surfaces in the dark modal", pane)
		assert.Empty(p.t, a.DarkText, "pane %s: dark text in the dark modal", pane)
		return
	}
	assert.Equal(p.t, "light", a.Scheme, "pane %s: color-scheme", pane)
	assert.Greater(p.t, a.Background, 0.9, "pane %s: the dialog's background is light", pane)
	assert.Less(p.t, a.Title, 0.1, "pane %s: the title is dark", pane)
}

// prefersColorScheme emulates the system's colour scheme for the tab, as
// DevTools' rendering panel does ("" ends the emulation).
func (p *page) prefersColorScheme(scheme string) {
	p.t.Helper()
	p.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		params := emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, params)
		return err
	}))
}

// openLinkWith opens Link on the app page with a new link token whose
// body has these fields (a JavaScript object) added.
func (p *page) openLinkWith(extra string) {
	p.t.Helper()
	tok := p.newToken(extra)
	p.do(chromedp.Evaluate[chromedp.Void](`Plaid.create(Object.assign({token: ` + q(tok) + `}, window.record('app'))).open()`))
}

// shot writes a screenshot of the page when the tests run with
// -screenshots=DIR (these are for looking at, not for the README).
func (p *page) shot(name string) {
	p.t.Helper()
	if *screenshots == "" {
		return
	}
	p.waitJS(`document.getAnimations().every((a) => a.playState !== 'running' || a.effect.getComputedTiming().iterations === Infinity)`)
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	require.NoError(p.t, err)
	require.NoError(p.t, os.WriteFile(filepath.Join(*screenshots, name), png, 0o644))
}

// TestAppearanceModeThemesLink: a link token's appearance_mode themes
// Link on every pane an Instant Auth session reaches (and, dark, on the
// exit and error panes too): DARK is dark whatever the system prefers,
// LIGHT, absent and null stay light even on a dark system, and SYSTEM
// follows the emulated prefers-color-scheme, live. axe-core finds no
// serious or critical problem on the dark panes, contrast included. The
// dark set and the SYSTEM-on-a-dark-system set compute the same colours,
// and the dark set replaces every colour of the light one.
func TestAppearanceModeThemesLink(t *testing.T) {
	tests := []struct {
		name, extra, system, mode string
		dark                      bool
		flip                      bool // switch the system's scheme while Link is open
	}{
		{"DARK", `{appearance_mode: 'DARK'}`, "light", flowcore.AppearanceDark, true, false},
		{"SYSTEM on a dark system", `{appearance_mode: 'SYSTEM'}`, "dark", flowcore.AppearanceSystem, true, false},
		{"SYSTEM on a light system", `{appearance_mode: 'SYSTEM'}`, "light", flowcore.AppearanceSystem, false, true},
		{"LIGHT on a dark system", `{appearance_mode: 'LIGHT'}`, "dark", flowcore.AppearanceLight, false, false},
		{"absent on a dark system", `{}`, "dark", flowcore.AppearanceLight, false, false},
		{"null on a dark system", `{appearance_mode: null}`, "dark", flowcore.AppearanceLight, false, false},
	}
	vars := map[string]map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := openApp(t)
			p.waitJS(`window.calls.some(c => c[0] === 'early' && c[1] === 'onExit')`)
			_, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](byRoleAndLabel))
			require.NoError(t, err)
			p.prefersColorScheme(tt.system)
			shotName := strings.NewReplacer(" ", "-").Replace(strings.ToLower(tt.name))
			wp := widgetPage{page: p, checkAxe: tt.dark, eachPane: func(pane string) {
				p.theme(pane, tt.mode, tt.dark)
				p.shot("appearance-" + shotName + "-" + pane + ".png")
				if pane != "consent" {
					return
				}
				if _, seen := vars[tt.name]; !seen {
					v, err := chromedp.Run(p.ctx, chromedp.Evaluate[map[string]string](appearanceVars))
					require.NoError(t, err)
					require.NotEmpty(t, v)
					vars[tt.name] = v
				}
				if tt.flip {
					dialogDark := `(() => { const c = getComputedStyle(document.querySelector('[data-testid="link-dialog"]')).backgroundColor;
						return c === 'rgb(18, 26, 36)'; })()`
					p.prefersColorScheme("dark")
					p.waitJS(dialogDark)
					p.theme(pane+" (system turned dark)", tt.mode, true)
					p.prefersColorScheme("light")
					p.waitJS("!" + dialogDark)
					p.theme(pane+" (system light again)", tt.mode, false)
				}
			}}

			p.openLinkWith(tt.extra)
			panes := wp.drive(widgetScenario{bank: "First Platypus Bank", password: "pass_good"})
			assert.Equal(t, []string{"consent", "search", "credentials", "select_account", "connected"}, panes)
			p.waitJS(`window.calls.some(c => c[0] === 'app' && c[1] === 'onSuccess')`)
			if !tt.dark {
				return
			}
			// The exit pane, from the header's Close.
			p.openLinkWith(tt.extra)
			p.pane("consent")
			wp.clickJS(`t.button('Close')`)
			assert.Equal(t, []string{"exit"}, wp.drive(widgetScenario{}))
			// The error pane (its Exit asks to confirm).
			p.openLinkWith(tt.extra)
			panes = wp.drive(widgetScenario{bank: "First Platypus Bank", password: "error_ITEM_LOCKED"})
			assert.Equal(t, []string{"consent", "search", "credentials", "error", "exit"}, panes)
		})
	}

	dark, system, light := vars["DARK"], vars["SYSTEM on a dark system"], vars["LIGHT on a dark system"]
	if dark == nil || system == nil || light == nil {
		return // a -run that left some out
	}
	for k, v := range light {
		assert.NotEqual(t, v, dark[k], "the dark set replaces %s", k)
		assert.Equal(t, dark[k], system[k], "SYSTEM on a dark system computes %s as DARK does", k)
		for _, other := range []string{"SYSTEM on a light system", "absent on a dark system", "null on a dark system"} {
			if vars[other] != nil {
				assert.Equal(t, v, vars[other][k], "%s computes %s as LIGHT does", other, k)
			}
		}
	}
}

// TestAppearanceModeFromTheServer: with linksim's server driving Link
// (the token minted at the server), the modal is themed just the same.
func TestAppearanceModeFromTheServer(t *testing.T) {
	srv, sb := linksimServer(t)
	static := strings.TrimSuffix(demoURL, "/") + "/link-initialize.js"
	app := appServer(t, `<script src="`+static+`" data-linksim-server="`+srv.URL+`"></script>`)
	p := newTab(t)
	p.do(chromedp.Navigate(app.URL + "/"))
	p.waitJS(`window.calls.some(c => c[0] === 'early' && c[1] === 'onExit')`)
	var req flowcore.LinkTokenCreateRequest
	require.Nil(t, flowcore.Decode([]byte(`{"client_name":"App","language":"en","country_codes":["US"],
		"user":{"client_user_id":"u"},"products":["auth"],"appearance_mode":"DARK"}`), &req))
	resp, ferr := sb.CreateLinkToken(&req)
	require.Nil(t, ferr)
	driver, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`Plaid.linksim.server`))
	require.NoError(t, err)
	require.Equal(t, srv.URL+"/", driver, "Link runs on the server, not in WASM")
	p.do(chromedp.Evaluate[chromedp.Void](`Plaid.create(Object.assign({token: ` + q(resp.LinkToken) + `}, window.record('app'))).open()`))
	p.pane("consent")
	p.theme("consent", flowcore.AppearanceDark, true)
	p.click("consent-continue")
	p.pane("search")
	p.theme("search", flowcore.AppearanceDark, true)
}

// TestWidgetLinkMatchesItsTheme: a <linksim-demo> opens Link in its own
// scheme: theme="dark" DARK, theme="light" LIGHT; with no theme, the host
// page's own dark mode (VitePress' html.dark, Docusaurus' data-theme,
// MkDocs Material's data-md-color-scheme) as DARK or LIGHT, and on a page
// that names none SYSTEM, which follows the reader's system as the card
// does.
func TestWidgetLinkMatchesItsTheme(t *testing.T) {
	wp := openWidgets(t)
	tests := []struct {
		name, widget, theme, system, mode string
		dark                              bool
		page                              string // JS that gives the host page a scheme of its own
	}{
		{"no theme, dark system", "first", "", "dark", flowcore.AppearanceSystem, true, ""},
		{"no theme, light system", "first", "", "light", flowcore.AppearanceSystem, false, ""},
		{"theme=light, dark system", "first", "light", "dark", flowcore.AppearanceLight, false, ""},
		{"theme=dark, light system", "second", "dark", "light", flowcore.AppearanceDark, true, ""},
		{"VitePress dark, light system", "first", "", "light", flowcore.AppearanceDark, true,
			`document.documentElement.classList.add('dark')`},
		{"Docusaurus light, dark system", "first", "", "dark", flowcore.AppearanceLight, false,
			`document.documentElement.setAttribute('data-theme', 'light')`},
		{"MkDocs Material slate, light system", "first", "", "light", flowcore.AppearanceDark, true,
			`document.body.setAttribute('data-md-color-scheme', 'slate')`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := widgetPage{page: &page{t: t, ctx: wp.ctx}}
			el := `document.getElementById(` + q(tt.widget) + `)`
			set := `!` + el + `.removeAttribute('theme')`
			if tt.theme != "" {
				set = `!` + el + `.setAttribute('theme', ` + q(tt.theme) + `)`
			}
			_, err := p.eval(set)
			require.NoError(t, err)
			if tt.page != "" {
				_, err := p.eval(`!` + tt.page)
				require.NoError(t, err)
				t.Cleanup(func() {
					_, err := p.eval(`!(document.documentElement.classList.remove('dark'), document.documentElement.removeAttribute('data-theme'),
						document.body.removeAttribute('data-md-color-scheme'))`)
					require.NoError(t, err)
				})
			}
			p.prefersColorScheme(tt.system)
			want := map[bool]string{true: "dark", false: "light"}[tt.dark]
			p.waitJS(el + `.dataset.scheme === ` + q(want)) // the card follows, live
			p.waitJS(`!t.widgetControl(` + q(tt.widget) + `, 'Open Link').disabled && !` + el + `.state.running`)
			p.clickJS(`t.widgetControl(` + q(tt.widget) + `, 'Open Link')`)
			p.pane("consent")
			p.theme("consent", tt.mode, tt.dark)
			p.shot(fmt.Sprintf("appearance-widget-%s-theme-%s-system-%s.png", tt.widget, tt.theme, tt.system))
			p.clickJS(`t.button('Close')`)
			p.pane("exit")
			p.theme("exit", tt.mode, tt.dark)
			p.clickJS(`t.button('Yes, exit')`)
			p.waitJS(el + `.state.exit !== null && !` + el + `.state.running`)
		})
	}
}
