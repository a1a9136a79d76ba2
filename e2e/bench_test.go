package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// benchPages adds the benchmark pages to the served directory once: a
// minimal Go WebAssembly program and its page, a page that only waits for
// linksim's onLoad, and the in-page flow driver.
var benchPages = sync.OnceValue(func() error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	for _, f := range []string{"minimal.html", "minimal.js", "onload.html", "onload.js", "flow.js", "firstcall.html", "firstcall.js"} {
		if err := copyFile(filepath.Join("testdata", f), filepath.Join(webDir, f)); err != nil {
			return err
		}
	}
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(webDir, "minimal.wasm"), "./e2e/testdata/minimal")
	build.Dir = root
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build minimal: %w\n%s", err, out)
	}
	return nil
})

func benchTab(b *testing.B) context.Context {
	b.Helper()
	require.NoError(b, benchPages())
	tab, cancelTab := chromedp.NewContext(browserCtx)
	b.Cleanup(cancelTab)
	ctx, cancel := context.WithTimeout(tab, 5*time.Minute)
	b.Cleanup(cancel)
	return ctx
}

// coldReadyAt loads a page in a fresh browser context (empty HTTP and code
// caches, as a first visit) and returns when it reported ready, in
// milliseconds since navigation started.
func coldReadyAt(b *testing.B, url string) float64 {
	b.Helper()
	fresh, cancelFresh := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	defer cancelFresh()
	ctx, cancel := context.WithTimeout(fresh, time.Minute)
	defer cancel()
	require.NoError(b, chromedp.Do(ctx, chromedp.Navigate(url)))
	ms, err := chromedp.Run(ctx, chromedp.Poll[float64](`window.readyAt`, chromedp.WithPollingTimeout(30*time.Second)))
	require.NoError(b, err)
	return ms
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

// BenchmarkOnLoad loads, in turn and each in a fresh browser context, a
// page that waits for linksim's onLoad and a minimal Go WebAssembly page
// served the same way, and reports the median time from navigation to
// ready of each, their ratio, and linksim.wasm's size raw, gzip -9 and
// brotli -q 11 (what a host serving the precompressed siblings sends).
func BenchmarkOnLoad(b *testing.B) {
	require.NoError(b, benchPages())
	wasm, err := os.ReadFile(filepath.Join(webDir, "linksim.wasm"))
	require.NoError(b, err)
	var linksim, minimal []float64
	coldReadyAt(b, demoURL+"onload.html") // start the browser's processes once
	b.ResetTimer()
	for range b.N {
		linksim = append(linksim, coldReadyAt(b, demoURL+"onload.html"))
		minimal = append(minimal, coldReadyAt(b, demoURL+"minimal.html"))
	}
	b.ReportMetric(median(linksim), "ms-linksim-onLoad")
	b.ReportMetric(median(minimal), "ms-minimal-go-wasm")
	b.ReportMetric(median(linksim)/median(minimal), "ratio")
	b.ReportMetric(float64(len(wasm)), "B-wasm-raw")
	b.ReportMetric(float64(compressedSize(b, wasm, "gzip")), "B-wasm-gzip")
	b.ReportMetric(float64(compressedSize(b, wasm, "br")), "B-wasm-brotli")
	b.ReportMetric(0, "ns/op")
}

// compressedSize is len(data) compressed at the highest level of gzip or
// brotli.
func compressedSize(b *testing.B, data []byte, encoding string) int {
	b.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser
	if encoding == "br" {
		w = brotli.NewWriterLevel(&buf, brotli.BestCompression)
	} else {
		gw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		require.NoError(b, err)
		w = gw
	}
	_, err := w.Write(data)
	require.NoError(b, err)
	require.NoError(b, w.Close())
	return buf.Len()
}

// BenchmarkInstantAuthFlow runs a whole Instant Auth flow on the demo page
// (token, open, consent, search, login, accounts, connected, onSuccess)
// with the DOM events of a user's clicks and typing, and reports the median.
func BenchmarkInstantAuthFlow(b *testing.B) {
	ctx := benchTab(b)
	require.NoError(b, chromedp.Do(ctx, chromedp.Navigate(demoURL+"?seed=1")))
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`document.body.dataset.ready === 'true'`))
	require.NoError(b, err)
	_, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`new Promise((ok, fail) => { const s = document.createElement('script');
		s.src = 'flow.js'; s.onload = ok; s.onerror = fail; document.head.appendChild(s); })`, chromedp.EvalAwaitPromise))
	require.NoError(b, err)
	flow := func() float64 {
		ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.instantAuthFlow()`, chromedp.EvalAwaitPromise))
		require.NoError(b, err)
		return ms
	}
	flow() // warm up
	var times []float64
	b.ResetTimer()
	for range b.N {
		times = append(times, flow())
	}
	b.ReportMetric(median(times), "ms-flow-median")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkWidgetPage loads a long docs page whose <linksim-demo> sits far
// below the fold, each time in a fresh browser context (a first visit),
// and reports the bytes the page fetched before the reader came near the
// widget (aim: embed.js and its styles, under 30 KB) and the cold time
// from clicking Open Link to Link's first pane, the WebAssembly's
// download, compile and start included.
func BenchmarkWidgetPage(b *testing.B) {
	var before, clickToPane []float64
	for range b.N {
		fresh, cancelFresh := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
		ctx, cancel := context.WithTimeout(fresh, time.Minute)
		require.NoError(b, chromedp.Do(ctx, chromedp.Navigate(appURL+"lazy.html")))
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`document.readyState === 'complete' &&
			!!document.getElementById('demo').shadowRoot && !!document.getElementById('demo').shadowRoot.querySelector('.steps li')`))
		require.NoError(b, err)
		bytes, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() =>
			done([...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
				.reduce((n, e) => n + e.transferSize, 0)))))`, chromedp.EvalAwaitPromise))
		require.NoError(b, err)
		before = append(before, bytes)
		ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`new Promise((done) => {
			const el = document.getElementById('demo');
			el.scrollIntoView();
			const t0 = performance.now();
			el.shadowRoot.querySelector('button.open').click();
			const poll = () => {
				const d = document.querySelector('[data-testid="link-dialog"]');
				if (d && d.dataset.pane === 'consent' && !d.hasAttribute('aria-busy')) done(performance.now() - t0);
				else requestAnimationFrame(poll);
			};
			poll();
		})`, chromedp.EvalAwaitPromise))
		require.NoError(b, err)
		clickToPane = append(clickToPane, ms)
		cancel()
		cancelFresh()
	}
	b.ReportMetric(median(before), "B-before-interaction")
	b.ReportMetric(median(clickToPane), "ms-cold-click-to-pane")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkFirstCallAfterOnLoad loads, each time in a fresh browser
// context, a page that mints a link token in the page the moment onLoad
// fires, and reports how long that first call took (the page's sandbox
// made and flowcore's first use included; aim: under 10 ms).
func BenchmarkFirstCallAfterOnLoad(b *testing.B) {
	require.NoError(b, benchPages())
	var first []float64
	coldReadyAt(b, demoURL+"firstcall.html") // start the browser's processes once
	for range b.N {
		fresh, cancelFresh := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
		ctx, cancel := context.WithTimeout(fresh, time.Minute)
		require.NoError(b, chromedp.Do(ctx, chromedp.Navigate(demoURL+"firstcall.html")))
		ms, err := chromedp.Run(ctx, chromedp.Poll[float64](`window.firstCall`, chromedp.WithPollingTimeout(30*time.Second)))
		require.NoError(b, err)
		first = append(first, ms)
		cancel()
		cancelFresh()
	}
	b.ReportMetric(median(first), "ms-first-call-after-onLoad")
	b.ReportMetric(0, "ns/op")
}
