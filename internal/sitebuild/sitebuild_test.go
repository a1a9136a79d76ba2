package sitebuild

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// webDir writes a small web/ directory: the real link-initialize.js, and
// stand-ins for the other files.
func webDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	script, err := os.ReadFile("../../web/link-initialize.js")
	require.NoError(t, err)
	for name, data := range map[string][]byte{
		"link-initialize.js": script,
		"linksim.wasm":       append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("flowcore "), 500)...),
		"wasm_exec.js":       bytes.Repeat([]byte("// go runtime\n"), 100),
		"link.css":           bytes.Repeat([]byte(".lk-overlay { position: fixed; }\n"), 50),
		"index.html":         bytes.Repeat([]byte("<p>demo</p>\n"), 50),
		"tiny.js":            []byte("x"),
		".hidden":            []byte("not copied"),
	} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	return dir
}

func TestBuild(t *testing.T) {
	web := webDir(t)
	out := filepath.Join(t.TempDir(), "dist")
	_, err := Write(os.DirFS(web), out, Options{Precompress: true})
	require.NoError(t, err)

	script, err := os.ReadFile(filepath.Join(out, "link-initialize.js"))
	require.NoError(t, err)
	line := regexp.MustCompile(`var FILES = \{[^\n]*`).Find(script)
	require.NotNil(t, line)
	for _, name := range Hashed {
		renamed := HashedName(name, mustRead(t, filepath.Join(web, name)))
		assert.Contains(t, string(line), "'"+renamed+"'", "link-initialize.js loads the hashed %s", name)
		assert.Equal(t, mustRead(t, filepath.Join(web, name)), mustRead(t, filepath.Join(out, renamed)))
		assert.NoFileExists(t, filepath.Join(out, name), "the unhashed name is gone")
		assert.Regexp(t, `\.[0-9a-f]{12}\.`, renamed)
	}
	assert.Equal(t, mustRead(t, filepath.Join(web, "index.html")), mustRead(t, filepath.Join(out, "index.html")))
	assert.NoFileExists(t, filepath.Join(out, ".hidden"))
	assert.NoFileExists(t, filepath.Join(out, "tiny.js.gz"), "no sibling larger than its file")

	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	for _, e := range entries {
		name := e.Name()
		var rd io.Reader
		switch filepath.Ext(name) {
		case ".gz":
			zr, err := gzip.NewReader(bytes.NewReader(mustRead(t, filepath.Join(out, name))))
			require.NoError(t, err)
			rd = zr
		case ".br":
			rd = brotli.NewReader(bytes.NewReader(mustRead(t, filepath.Join(out, name))))
		default:
			if name != "tiny.js" {
				assert.FileExists(t, filepath.Join(out, name+".gz"))
				assert.FileExists(t, filepath.Join(out, name+".br"))
			}
			continue
		}
		got, err := io.ReadAll(rd)
		require.NoError(t, err, name)
		assert.Equal(t, mustRead(t, filepath.Join(out, name[:len(name)-3])), got, name)
	}
}

// TestWriteWithoutPrecompress writes the files only: no .gz or .br.
func TestWriteWithoutPrecompress(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	lines, err := Write(os.DirFS(webDir(t)), out, Options{})
	require.NoError(t, err)
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	assert.Len(t, entries, len(lines))
	for _, e := range entries {
		assert.NotContains(t, []string{".gz", ".br"}, filepath.Ext(e.Name()))
	}
}

func TestWriteErrors(t *testing.T) {
	noWasm := webDir(t)
	require.NoError(t, os.Remove(filepath.Join(noWasm, "linksim.wasm")))
	assert.False(t, HasWasm(os.DirFS(noWasm)))
	assert.True(t, HasWasm(os.DirFS(webDir(t))))
	_, err := Write(os.DirFS(noWasm), filepath.Join(t.TempDir(), "dist"), Options{})
	assert.ErrorIs(t, err, ErrNoWasm)

	full := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(full, "mine.html"), []byte("mine"), 0o644))
	_, err = Write(os.DirFS(webDir(t)), full, Options{})
	assert.ErrorContains(t, err, "is not empty")
	assert.FileExists(t, filepath.Join(full, "mine.html"), "nothing of a folder in use is touched")

	noLine := webDir(t)
	require.NoError(t, os.WriteFile(filepath.Join(noLine, "link-initialize.js"), []byte("var base = 'linksim.wasm';\n"), 0o644))
	_, err = Write(os.DirFS(noLine), filepath.Join(t.TempDir(), "dist"), Options{})
	assert.ErrorContains(t, err, "FILES")

	_, err = rewriteFiles([]byte("  var FILES = { wasm: 'other.wasm' };\n"), map[string]string{"linksim.wasm": "linksim.1.wasm"})
	assert.ErrorContains(t, err, "'linksim.wasm'")
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}
