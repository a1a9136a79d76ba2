// Package sitebuild writes linksim's static site into a folder ready to copy
// to any static host: the pages of web/, link-initialize.js, link.css, the
// WebAssembly build of flowcore and the wasm_exec.js of the same Go. The
// files link-initialize.js loads get content-hashed names
// (linksim.<hash>.wasm, wasm_exec.<hash>.js, link.<hash>.css), so a host may
// cache them for ever; the entry files (link-initialize.js and the HTML
// pages) keep their names. With Options.Precompress every file that
// compresses gets .gz and .br siblings, for hosts that serve precompressed
// files (nginx gzip_static and brotli_static).
//
// cmd/dist (make dist) and the binary's `linksim dist DIR` both write the
// site through it. It imports nothing of the module and serves nothing.
package sitebuild

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/andybalholm/brotli"
)

// LinkScript is the entry script; Hashed are the files it loads, by the
// names its FILES line gives them.
const LinkScript = "link-initialize.js"

// Hashed are the files link-initialize.js loads, renamed by their content.
var Hashed = []string{"linksim.wasm", "wasm_exec.js", "link.css"}

// ErrNoWasm is the error (wrapped) of a site without linksim.wasm or
// wasm_exec.js: web/ before make wasm, or a binary built without them.
var ErrNoWasm = errors.New("no WebAssembly build of flowcore (linksim.wasm and wasm_exec.js)")

// Options configure Write.
type Options struct {
	// Precompress writes .gz and .br siblings of each file they make smaller.
	Precompress bool
}

// compressible lists the extensions that get .gz and .br siblings.
var compressible = map[string]bool{".html": true, ".js": true, ".css": true, ".wasm": true, ".svg": true, ".json": true, ".ico": true}

// HasWasm reports whether files hold the WebAssembly build of flowcore and
// its runtime, which the in-page mode and a static host need.
func HasWasm(files fs.FS) bool {
	for _, name := range []string{"linksim.wasm", "wasm_exec.js"} {
		if info, err := fs.Stat(files, name); err != nil || !info.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// Write writes the site from the top level of files into outDir, which is
// created and must be missing or empty (a site is never mixed with what
// was there), and returns one line per file written: its name and sizes.
func Write(files fs.FS, outDir string, o Options) ([]string, error) {
	site, err := read(files)
	if err != nil {
		return nil, err
	}
	if err := emptyDir(outDir); err != nil {
		return nil, err
	}
	var written []string
	for _, name := range sortedKeys(site) {
		data := site[name]
		if err := os.WriteFile(filepath.Join(outDir, name), data, 0o644); err != nil {
			return nil, err
		}
		line := fmt.Sprintf("%-32s %9d", name, len(data))
		if o.Precompress && compressible[filepath.Ext(name)] {
			for _, enc := range []string{"gz", "br"} {
				z, err := compress(data, enc)
				if err != nil {
					return nil, err
				}
				if len(z) >= len(data) {
					continue
				}
				if err := os.WriteFile(filepath.Join(outDir, name+"."+enc), z, 0o644); err != nil {
					return nil, err
				}
				line += fmt.Sprintf("  .%s %9d", enc, len(z))
			}
		}
		written = append(written, line)
	}
	return written, nil
}

// read returns the site's files by name: the regular files at the top of
// files (no dot files), the hashed ones renamed and link-initialize.js
// rewritten to load them.
func read(files fs.FS) (map[string][]byte, error) {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		return nil, err
	}
	site := map[string][]byte{}
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		data, err := fs.ReadFile(files, e.Name())
		if err != nil {
			return nil, err
		}
		site[e.Name()] = data
	}
	if !HasWasm(files) {
		return nil, ErrNoWasm
	}
	for _, name := range append([]string{LinkScript}, Hashed...) {
		if _, ok := site[name]; !ok {
			return nil, fmt.Errorf("the site has no %s", name)
		}
	}
	names := map[string]string{}
	for _, name := range Hashed {
		names[name] = HashedName(name, site[name])
	}
	script, err := rewriteFiles(site[LinkScript], names)
	if err != nil {
		return nil, err
	}
	site[LinkScript] = script
	for old, renamed := range names {
		site[renamed] = site[old]
		delete(site, old)
	}
	return site, nil
}

// emptyDir creates dir, or checks that it is an empty directory.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty (%d entries): write the site into a new or empty folder", dir, len(entries))
	}
	return nil
}

// HashedName puts the first 12 hex digits of data's SHA-256 before the
// extension: linksim.wasm → linksim.0123456789ab.wasm.
func HashedName(name string, data []byte) string {
	sum := sha256.Sum256(data)
	ext := filepath.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
}

// rewriteFiles renames the files in link-initialize.js's FILES line.
func rewriteFiles(script []byte, names map[string]string) ([]byte, error) {
	lines := bytes.Split(script, []byte("\n"))
	found := -1
	for i, l := range lines {
		if bytes.HasPrefix(bytes.TrimSpace(l), []byte("var FILES = {")) {
			if found >= 0 {
				return nil, errors.New(LinkScript + ": two FILES lines")
			}
			found = i
		}
	}
	if found < 0 {
		return nil, errors.New(LinkScript + ": no `var FILES = {…}` line to rewrite")
	}
	line := string(lines[found])
	for old, renamed := range names {
		quoted := "'" + old + "'"
		if strings.Count(line, quoted) != 1 {
			return nil, fmt.Errorf("%s: the FILES line does not name %s once: %s", LinkScript, quoted, strings.TrimSpace(line))
		}
		line = strings.Replace(line, quoted, "'"+renamed+"'", 1)
	}
	lines[found] = []byte(line)
	return bytes.Join(lines, []byte("\n")), nil
}

// compress returns data gzip'd or brotli'd ("gz" or "br") at the highest
// level: the work is done once, at build time.
func compress(data []byte, enc string) ([]byte, error) {
	var buf bytes.Buffer
	var w io.WriteCloser
	if enc == "br" {
		w = brotli.NewWriterLevel(&buf, brotli.BestCompression)
	} else {
		gw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return nil, err
		}
		w = gw
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
