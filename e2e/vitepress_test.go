package e2e

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVitePressSite builds examples/docs-vitepress, the README's VitePress
// recipe, with VitePress from npm and linksim's static files in its
// public/linksim/, and reads it in Chromium as a docs reader would: the
// static HTML keeps <linksim-demo>, Vue hydrates with no mismatch, Open
// Link opens Link with the site's client-name, and the widget follows
// VitePress' own dark-mode switch. It needs npm and a download of
// VitePress, so it runs in make test-slow (LINKSIM_SLOW=1) only.
func TestVitePressSite(t *testing.T) {
	if os.Getenv("LINKSIM_SLOW") == "" {
		t.Skip("builds a VitePress site from npm: make test-slow runs it (LINKSIM_SLOW=1)")
	}
	root, err := moduleRoot()
	require.NoError(t, err)
	example := filepath.Join(root, "examples", "docs-vitepress")
	public := filepath.Join(example, "docs", "public", "linksim")
	require.NoError(t, os.RemoveAll(public))
	require.NoError(t, os.MkdirAll(public, 0o755))
	entries, err := os.ReadDir(webDir)
	require.NoError(t, err)
	for _, e := range entries {
		if !e.IsDir() {
			require.NoError(t, copyFile(filepath.Join(webDir, e.Name()), filepath.Join(public, e.Name())))
		}
	}
	t.Cleanup(func() { os.RemoveAll(public) })
	for _, args := range [][]string{{"npm", "ci", "--no-audit", "--no-fund"}, {"npx", "vitepress", "build", "docs"}} {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = example
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s:\n%s", strings.Join(args, " "), out)
	}
	built := filepath.Join(example, "docs", ".vitepress", "dist")
	t.Cleanup(func() { os.RemoveAll(built) })
	html, err := os.ReadFile(filepath.Join(built, "index.html"))
	require.NoError(t, err)
	assert.Contains(t, string(html), `<linksim-demo flow="instant-auth" client-name="Acme Pay">`, "the static HTML keeps the element")

	srv := httptest.NewServer(http.FileServer(http.Dir(built)))
	t.Cleanup(srv.Close)
	p := newTab(t)
	p.prefersColorScheme("light") // the tab starts here, so it can be listened to
	var mu sync.Mutex
	var errors []string
	require.NoError(t, chromedp.Listen(p.ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				errors = append(errors, strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			errors = append(errors, e.ExceptionDetails.Text)
		}
	}))
	p.do(chromedp.Navigate(srv.URL + "/"))
	p.waitJS(`document.querySelector('linksim-demo') && document.querySelector('linksim-demo').dataset.ready === 'true'`)
	_, err = chromedp.Run(p.ctx, chromedp.Evaluate[bool](byRoleAndLabel))
	require.NoError(t, err)
	p.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('linksim-demo').id = 'demo'`))
	wp := widgetPage{page: p}
	wp.clickJS(`t.widgetControl('demo', 'Open Link')`)
	p.pane("consent")
	p.waitJS(`t.dialog().textContent.includes('Acme Pay')`)
	wp.clickJS(`t.button('Close')`)
	p.pane("exit")
	wp.clickJS(`t.button('Yes, exit')`)
	p.waitJS(`document.getElementById('demo').state.exit !== null`)

	// VitePress' own switch, found by its role and label.
	assert.Equal(t, "light", evalString(t, p, `document.getElementById('demo').dataset.scheme`))
	wp.clickJS(`[...document.querySelectorAll('button[role="switch"]')].find((b) => /dark theme/i.test(b.getAttribute('title') || b.getAttribute('aria-label') || ''))`)
	p.waitJS(`document.documentElement.classList.contains('dark') && document.getElementById('demo').dataset.scheme === 'dark'`)

	mu.Lock()
	defer mu.Unlock()
	for _, e := range errors {
		assert.NotContains(t, strings.ToLower(e), "hydration", "Vue reported a hydration problem")
	}
}

func evalString(t *testing.T, p *page, expr string) string {
	t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](expr))
	require.NoError(t, err)
	return s
}
