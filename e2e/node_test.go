package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/internal/server"
)

// TestPlaywrightRecipe runs the README's Playwright recipe as written, and
// its Cypress one on a stand-in for the Cypress commands it uses
// (node/recipe.test.mjs), with playwright-core from npm and Debian's
// chromium against a linksim server.
func TestPlaywrightRecipe(t *testing.T) {
	runNodeTests(t, "recipe.test.mjs", 3)
}

// TestEmbeddedLinkInPlaywright runs node/embedded.test.mjs: an app on its
// own origin draws Embedded Institution Search with Plaid.createEmbedded,
// directly and through react-plaid-link, and links a bank through it,
// driven by role and label, against a linksim server and against
// linksim's static files (flowcore in the page).
func TestEmbeddedLinkInPlaywright(t *testing.T) {
	runNodeTests(t, "embedded.test.mjs", 5)
}

// TestMultiItemLinkInPlaywright runs node/multi-item.test.mjs: a user
// links two banks in one Multi-Item session with "Add another account",
// and the backend exchanges both Items' tokens from /link/token/get.
func TestMultiItemLinkInPlaywright(t *testing.T) {
	runNodeTests(t, "multi-item.test.mjs", 1)
}

// runNodeTests runs a node --test file of e2e/node against a linksim server
// (LINKSIM_URL) and linksim's static files (LINKSIM_STATIC_URL), and
// requires all its want tests to pass. make test installs node/'s pinned
// packages first (npm ci) and sets LINKSIM_NODE=1, so there a missing
// install fails the test; a plain go test skips it.
func runNodeTests(t *testing.T, file string, want int) {
	t.Helper()
	if _, err := os.Stat(filepath.Join("node", "node_modules", "playwright-core")); err != nil {
		if os.Getenv("LINKSIM_NODE") != "" {
			t.Fatalf("playwright-core is not installed in e2e/node: run npm ci there (make test does): %v", err)
		}
		t.Skip("playwright-core is not installed in e2e/node (make test installs it)")
	}
	node, err := exec.LookPath("node")
	require.NoError(t, err, "Node.js runs the Playwright tests")
	srv, err := server.New(server.Config{Files: os.DirFS(webDir)})
	require.NoError(t, err)
	httpSrv := httptest.NewServer(srv.Handler)
	t.Cleanup(func() {
		httpSrv.Close()
		_ = srv.Close(context.Background())
	})

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test", "--test-reporter=spec", file)
	cmd.Dir = "node"
	cmd.Env = append(os.Environ(), "LINKSIM_URL="+httpSrv.URL, "LINKSIM_STATIC_URL="+demoURL, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1")
	out, err := cmd.CombinedOutput()
	t.Logf("node --test:\n%s", out)
	require.NoError(t, err)
	require.Contains(t, string(out), fmt.Sprintf("ℹ pass %d\n", want), "every test of %s ran and passed", file)
	require.Contains(t, string(out), "ℹ skipped 0\n")
}
