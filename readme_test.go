package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/site"
)

// TestREADMEGoRecipes: every Go block in the README is code a test runs.
// Each block's lines (comments and indentation aside) must appear, in
// order, in one _test.go file of the repository. The Playwright and
// Cypress blocks are run by e2e/node/recipe.test.mjs (TestPlaywrightRecipe).
func TestREADMEGoRecipes(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	require.NotEmpty(t, blocks)

	var tests []string
	require.NoError(t, filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if strings.HasSuffix(path, "_test.go") && path != "readme_test.go" {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			tests = append(tests, strings.Join(codeLines(string(b)), "\n"))
		}
		return nil
	}))
	for _, b := range blocks {
		want := strings.Join(codeLines(b[1]), "\n")
		found := false
		for _, src := range tests {
			found = found || strings.Contains(src, want)
		}
		assert.True(t, found, "no test runs this README block:\n%s", b[1])
	}
}

// codeLines are a source's lines without indentation, trailing comments
// and blank or comment-only lines.
func codeLines(src string) []string {
	var out []string
	for _, l := range strings.Split(src, "\n") {
		if i := strings.Index(l, " // "); i >= 0 {
			l = l[:i]
		}
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "//") {
			continue
		}
		out = append(out, l)
	}
	return out
}

// TestREADMEStaticHostCSPIsTheTestedOne: the Content-Security-Policy
// docs/static-hosting.md gives static hosts is, word for word, the one the
// e2e tests serve the demo and the widget under (site.CSP).
func TestREADMEStaticHostCSPIsTheTestedOne(t *testing.T) {
	doc, err := os.ReadFile("docs/static-hosting.md")
	require.NoError(t, err)
	policies := regexp.MustCompile(`default-src [^"\x60\n]*`).FindAllString(string(doc), -1)
	require.GreaterOrEqual(t, len(policies), 3, "the policy, and nginx's two add_header lines")
	for _, p := range policies {
		assert.Equal(t, site.CSP, strings.TrimSpace(p))
	}
}

// TestREADMEErrorTable: the README's table of Plaid's errors is linksim's
// (flowcore.PlaidErrors), row for row, and its rate limit codes are the
// ones RateLimitCode gives.
func TestREADMEErrorTable(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	var want strings.Builder
	want.WriteString("| type | code | HTTP | `error_message` | `display_message` |\n|---|---|---|---|---|\n")
	for _, s := range flowcore.PlaidErrors() {
		msg, display := s.Message, s.Display
		if msg == "" {
			msg = "(empty)"
		}
		if display == "" {
			display = "null"
		}
		fmt.Fprintf(&want, "| `%s` | `%s` | %d | %s | %s |\n", s.Type, s.Code, s.Status, msg, display)
	}
	want.WriteString("\n")
	assert.Contains(t, string(readme), want.String(), "the README's error table, as the Go table gives it")

	rows := regexp.MustCompile("(?m)^\\| `(/[a-z_/]+)` \\| `([A-Z_]+)`").FindAllStringSubmatch(string(readme), -1)
	require.NotEmpty(t, rows)
	for _, r := range rows {
		assert.Equal(t, flowcore.RateLimitCode(r[1]), r[2], "README's rate limit code of %s", r[1])
	}
}
