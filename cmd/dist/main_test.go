package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuildReplacesTheFolder: make dist's folder is replaced, and a web/
// without the WASM names make wasm.
func TestBuildReplacesTheFolder(t *testing.T) {
	web := t.TempDir()
	script, err := os.ReadFile("../../web/link-initialize.js")
	require.NoError(t, err)
	for name, data := range map[string]string{"link-initialize.js": string(script), "linksim.wasm": "\x00asm",
		"wasm_exec.js": "// go", "link.css": "a{}"} {
		require.NoError(t, os.WriteFile(filepath.Join(web, name), []byte(data), 0o644))
	}
	out := filepath.Join(t.TempDir(), "dist")
	require.NoError(t, os.MkdirAll(out, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(out, "stale.wasm"), []byte("old"), 0o644))
	_, err = build(web, out)
	require.NoError(t, err)
	assert.NoFileExists(t, filepath.Join(out, "stale.wasm"), "the folder is replaced")
	assert.FileExists(t, filepath.Join(out, "link-initialize.js"))

	require.NoError(t, os.Remove(filepath.Join(web, "linksim.wasm")))
	_, err = build(web, out)
	assert.ErrorContains(t, err, "make wasm")
}
