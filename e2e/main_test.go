// Package e2e drives the demo page in headless Chromium the way a user
// does — clicking and typing — and checks what Link reports to the app.
package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/linksim/linksim/internal/site"
)

// The page is served under a sub-path, as a docs site embeds it, by a
// plain static handler: no linksim server, flowcore runs as WASM.
const mount = "/docs/linksim/"

// batchedMount serves the page as a server started with -events batched does.
const batchedMount = "/batched/linksim/"

var (
	demoURL    string          // the demo page
	appURL     string          // testdata/: a host page that loads link-initialize.js
	webDir     string          // the served copy of web/, with the built WASM
	browserCtx context.Context // the shared headless Chromium
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	browser, err := findBrowser()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	dir, err := os.MkdirTemp("", "linksim-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	webDir = filepath.Join(dir, "web")
	if err := buildWeb(webDir); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building the page:", err)
		return 1
	}
	mux := http.NewServeMux()
	mux.Handle(mount, http.StripPrefix(strings.TrimSuffix(mount, "/"), site.New(site.Options{Files: os.DirFS(webDir), Static: true})))
	// The same files as a server started with -events batched serves them.
	mux.Handle(batchedMount, http.StripPrefix(strings.TrimSuffix(batchedMount, "/"),
		site.New(site.Options{Files: os.DirFS(webDir), Static: true, EventDelivery: site.EventsBatched})))
	mux.Handle("/app/", http.StripPrefix("/app", site.New(site.Options{Files: os.DirFS("testdata"), Static: true})))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	demoURL = srv.URL + mount
	appURL = srv.URL + "/app/"

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), browserOptions(browser, filepath.Join(dir, "profile"))...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil { // start the browser
		fmt.Fprintln(os.Stderr, "e2e: starting", browser+":", err)
		return 1
	}
	browserCtx = ctx
	return m.Run()
}

// findBrowser returns Chromium's path; make test installs Debian's
// chromium package when it is missing.
func findBrowser() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no Chromium on PATH: run `make test`, which installs Debian's chromium package")
}

// browserOptions are the flags headless Chromium runs with here.
func browserOptions(browser, profile string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
}

// buildWeb writes the servable page into dir: web/'s files, flowcore built
// for GOOS=js GOARCH=wasm as linksim.wasm (with the Makefile's flags), and
// the wasm_exec.js of the same Go.
func buildWeb(dir string) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(filepath.Join(root, "web"))
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || e.Name() == "linksim.wasm" || e.Name() == "wasm_exec.js" {
			continue
		}
		if err := copyFile(filepath.Join(root, "web", e.Name()), filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %w", err)
	}
	if err := copyFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"), filepath.Join(dir, "wasm_exec.js")); err != nil {
		return err
	}
	build := exec.Command("go", append(append([]string{"build"}, wasmBuildFlags...), "-o", filepath.Join(dir, "linksim.wasm"), "./wasm")...)
	build.Dir = root
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./wasm: %w\n%s", err, out)
	}
	// A gzip sibling, as make dist writes one: every server of the tests
	// serves it rather than compressing the module again, which under the
	// race detector takes each new server some 15 s.
	if out, err := exec.Command("gzip", "-9", "-k", "-f", filepath.Join(dir, "linksim.wasm")).CombinedOutput(); err != nil {
		return fmt.Errorf("gzip linksim.wasm: %w\n%s", err, out)
	}
	return nil
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out))), nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func TestMain_servesUnderSubPath(t *testing.T) {
	resp, err := http.Get(demoURL + "linksim.wasm")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Content-Type"); got != "application/wasm" {
		t.Fatalf("Content-Type = %q", got)
	}
}

// wasmBuildFlags are the Makefile's WASMFLAGS: the WASM the tests load is
// the one make wasm and make dist build.
var wasmBuildFlags = []string{"-trimpath", "-gcflags=all=-l", "-gcflags=runtime=", "-ldflags=-s -w"}
