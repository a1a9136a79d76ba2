package e2e

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/internal/site"
)

// gatedHost is a static docs host whose linksim.wasm answers its first
// 256 KiB and then waits until the test lets the rest go, so a test sees
// the widget while Link is still on its way, with no timing involved.
type gatedHost struct {
	*httptest.Server
	release chan struct{}
	once    sync.Once
}

func newGatedHost(t *testing.T) *gatedHost {
	t.Helper()
	wasm, err := os.ReadFile(filepath.Join(webDir, "linksim.wasm"))
	require.NoError(t, err)
	g := &gatedHost{release: make(chan struct{})}
	files := site.New(site.Options{Files: os.DirFS(webDir), Static: true})
	mux := http.NewServeMux()
	mux.Handle(mount, http.StripPrefix(strings.TrimSuffix(mount, "/"), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/linksim.wasm" {
			files.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/wasm")
		w.Header().Set("Content-Length", strconv.Itoa(len(wasm)))
		first := 256 << 10
		_, _ = w.Write(wasm[:first])
		w.(http.Flusher).Flush()
		select {
		case <-g.release:
			_, _ = w.Write(wasm[first:])
		case <-r.Context().Done():
		}
	})))
	mux.Handle("/app/", http.StripPrefix("/app", site.New(site.Options{Files: os.DirFS("testdata"), Static: true})))
	g.Server = httptest.NewServer(mux)
	t.Cleanup(func() { g.open(); g.Close() })
	return g
}

// open lets linksim.wasm's remaining bytes go.
func (g *gatedHost) open() { g.once.Do(func() { close(g.release) }) }

// fetched lists the paths of the files the page has fetched (the
// Resource Timing entries), after two frames, so that anything the
// page's first rendering would start has started.
const fetched = `new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() =>
	done(performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)))))`

// TestWidgetLoadsNothingHeavyUntilNeeded: on a long docs page the widget
// far below the fold fetches only its own small files; Link's script and
// WebAssembly come when the reader scrolls near it. Clicked before Link is
// ready, Open Link says it is getting ready, shows the download's progress
// and opens Link once it is.
func TestWidgetLoadsNothingHeavyUntilNeeded(t *testing.T) {
	g := newGatedHost(t)
	p := newTab(t)
	p.do(chromedp.Navigate(g.URL + "/app/lazy.html"))
	p.waitJS(`document.readyState === 'complete' && !!document.getElementById('demo').shadowRoot &&
		!!document.getElementById('demo').shadowRoot.querySelector('.steps li')`)
	var paths []string
	p.evalAsync(fetched, &paths)
	for _, heavy := range []string{"link-initialize.js", "linksim.wasm", "wasm_exec.js", "link.css"} {
		for _, got := range paths {
			assert.False(t, strings.HasSuffix(got, "/"+heavy), "%s fetched before the reader came near the widget: %v", heavy, paths)
		}
	}
	assert.Contains(t, paths, "/docs/linksim/embed.js")
	_, err := p.eval(`!document.getElementById('demo').hasAttribute('data-loading')`)
	require.NoError(t, err)

	// The reader scrolls down and clicks Open Link at once.
	_, err = chromedp.Run(p.ctx, chromedp.Evaluate[bool](byRoleAndLabel))
	require.NoError(t, err)
	p.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('demo').scrollIntoView()`))
	p.waitJS(`document.getElementById('demo').dataset.loading === 'true'`) // coming near starts the download
	wp := widgetPage{page: p}
	wp.clickJS(`t.widgetControl('demo', 'Open Link')`)
	// Link is held back mid-download: the button and a status say so,
	// with the bytes so far.
	p.waitJS(`(() => { const r = t.widget('demo'); const b = [...r.querySelectorAll('button')].find((b) => b.classList.contains('open'));
		const s = r.querySelector('[role="status"]');
		return b.getAttribute('aria-busy') === 'true' && b.textContent === 'Getting Link ready\u2026' &&
			!s.closest('[hidden]') && /Getting Link ready\u2026 \d+% of \d+\.\d MB/.test(s.textContent) &&
			r.querySelector('progress').value > 0 && r.querySelector('progress').value < 1; })()`)
	p.shot("widget-getting-ready.png")
	_, err = p.eval(`!document.querySelector('[data-testid="link-modal"]')`)
	require.NoError(t, err)

	g.open()
	p.pane("consent") // opened by itself once ready, without a second click
	p.waitJS(`document.getElementById('demo').dataset.ready === 'true' &&
		t.widget('demo').querySelector('.loading').hidden && !!t.widget('demo').querySelector('.diagram svg')`)
	wp.clickJS(`t.button('Close')`)
	p.pane("exit")
	wp.clickJS(`t.button('Yes, exit')`)
	p.waitJS(`document.getElementById('demo').state.exit !== null`)
}

// TestWidgetFollowsThePagesDarkMode: with no theme attribute the card takes
// the host page's own scheme, live, as the reader toggles it.
func TestWidgetFollowsThePagesDarkMode(t *testing.T) {
	p := newTab(t)
	p.do(chromedp.Navigate(appURL + "lazy.html"))
	p.prefersColorScheme("light")
	bg := `getComputedStyle(document.getElementById('demo').shadowRoot.querySelector('.card')).backgroundColor`
	p.waitJS(bg + ` === 'rgb(255, 255, 255)'`)
	for _, toggle := range []struct{ on, off string }{
		{`document.documentElement.classList.add('dark')`, `document.documentElement.classList.remove('dark')`},
		{`document.documentElement.setAttribute('data-theme', 'dark')`, `document.documentElement.removeAttribute('data-theme')`},
		{`document.body.setAttribute('data-md-color-scheme', 'slate')`, `document.body.removeAttribute('data-md-color-scheme')`},
	} {
		p.do(chromedp.Evaluate[chromedp.Void](toggle.on))
		p.waitJS(bg + ` === 'rgb(18, 26, 36)'`)
		p.do(chromedp.Evaluate[chromedp.Void](toggle.off))
		p.waitJS(bg + ` === 'rgb(255, 255, 255)'`)
	}
	p.prefersColorScheme("dark")
	p.waitJS(bg + ` === 'rgb(18, 26, 36)'`) // a page with no scheme of its own follows the reader's
	p.prefersColorScheme("")
}

// TestWidgetEagerLoadsAtOnce: the eager attribute loads Link with the page,
// wherever the widget is; a widget without it, as far down, still waits.
func TestWidgetEagerLoadsAtOnce(t *testing.T) {
	p := newTab(t)
	p.do(chromedp.Navigate(appURL + "lazy.html"))
	p.waitJS(`!!customElements.get('linksim-demo')`)
	p.do(chromedp.Evaluate[chromedp.Void](`(() => { const d = document.createElement('linksim-demo');
		d.id = 'eager'; d.setAttribute('eager', ''); document.querySelector('main').append(d); })()`))
	p.waitJS(`document.getElementById('eager').dataset.ready === 'true'`)
	ok, err := p.eval(`!document.getElementById('demo').dataset.ready && !document.getElementById('demo').dataset.loading`)
	require.NoError(t, err)
	assert.True(t, ok, "the widget without eager has loaded nothing of its own")
}
