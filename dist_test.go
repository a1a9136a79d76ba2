package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeWeb writes a web/ folder: the real pages, and stand-ins for the
// WebAssembly and its runtime when withWasm.
func fakeWeb(t *testing.T, withWasm bool) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"link-initialize.js", "link.css", "index.html", "embed.js"} {
		data, err := os.ReadFile(filepath.Join("web", name))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	if withWasm {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "linksim.wasm"), []byte("\x00asm\x01\x00\x00\x00"), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "wasm_exec.js"), []byte("// go"), 0o644))
	}
	return dir
}

// TestDistCommand: linksim dist writes the site into a new folder, refuses
// one in use, and without the WebAssembly says how to get it.
func TestDistCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	var stdout, stderr bytes.Buffer
	require.NoError(t, distCommand([]string{"-web", fakeWeb(t, true), "-precompress=false", out}, &stdout, &stderr))
	assert.Contains(t, stdout.String(), "embed.js")
	assert.FileExists(t, filepath.Join(out, "link-initialize.js"))
	assert.NoFileExists(t, filepath.Join(out, "link-initialize.js.gz"))
	matches, err := filepath.Glob(filepath.Join(out, "linksim.*.wasm"))
	require.NoError(t, err)
	assert.Len(t, matches, 1, "the WASM under its content-hashed name")

	err = distCommand([]string{"-web", fakeWeb(t, true), out}, &stdout, &stderr)
	assert.ErrorContains(t, err, "not empty")

	err = distCommand([]string{"-web", fakeWeb(t, false), filepath.Join(t.TempDir(), "x")}, &stdout, &stderr)
	assert.ErrorContains(t, err, "make wasm")

	err = distCommand(nil, &stdout, &stderr)
	assert.ErrorContains(t, err, "one folder")
	assert.Contains(t, stderr.String(), "usage: linksim dist")
}

// TestVersionLineSaysWhetherTheWasmIsBuiltIn: -version names the
// platform and whether the in-page mode can be served.
func TestVersionLineSaysWhetherTheWasmIsBuiltIn(t *testing.T) {
	assert.Contains(t, versionLine(os.DirFS(fakeWeb(t, true))), "WebAssembly built in")
	without := versionLine(os.DirFS(fakeWeb(t, false)))
	assert.Contains(t, without, "no WebAssembly")
	assert.Contains(t, without, "npm i linksim")
}
