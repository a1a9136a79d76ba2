// Command dist writes linksim's static site into a folder ready to copy to
// any static host: the pages of web/, link-initialize.js, link.css, the
// WASM build of flowcore and the wasm_exec.js of the same Go. The files
// link-initialize.js loads get content-hashed names (linksim.<hash>.wasm,
// wasm_exec.<hash>.js, link.<hash>.css), so a host may cache them for ever;
// the entry files (link-initialize.js and the HTML pages) keep their names.
// Every file that compresses gets .gz and .br siblings, for hosts that
// serve precompressed files (nginx gzip_static and brotli_static).
//
// Usage (make dist runs it after make wasm):
//
//	go run ./cmd/dist -web web -out dist
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/andybalholm/brotli"
)

func main() {
	web := flag.String("web", "web", "the web/ directory, with linksim.wasm and wasm_exec.js built (make wasm)")
	out := flag.String("out", "dist", "the folder to write; it is replaced")
	flag.Parse()
	files, err := build(*web, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dist:", err)
		os.Exit(1)
	}
	for _, f := range files {
		fmt.Println(f)
	}
}

// linkScript is the entry script; hashed are the files it loads, by the
// names its FILES line gives them.
const linkScript = "link-initialize.js"

var hashed = []string{"linksim.wasm", "wasm_exec.js", "link.css"}

// compressible lists the extensions that get .gz and .br siblings.
var compressible = map[string]bool{".html": true, ".js": true, ".css": true, ".wasm": true, ".svg": true, ".json": true, ".ico": true}

// build writes the site from webDir into outDir and returns one line per
// file written: its name and size.
func build(webDir, outDir string) ([]string, error) {
	entries, err := os.ReadDir(webDir)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(webDir, e.Name()))
		if err != nil {
			return nil, err
		}
		files[e.Name()] = data
	}
	names := map[string]string{}
	for _, name := range append([]string{linkScript}, hashed...) {
		if _, ok := files[name]; !ok {
			return nil, fmt.Errorf("%s has no %s (run make wasm first)", webDir, name)
		}
	}
	for _, name := range hashed {
		names[name] = hashedName(name, files[name])
	}
	script, err := rewriteFiles(files[linkScript], names)
	if err != nil {
		return nil, err
	}
	files[linkScript] = script
	for old, renamed := range names {
		files[renamed] = files[old]
		delete(files, old)
	}

	if err := os.RemoveAll(outDir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, name := range sortedKeys(files) {
		data := files[name]
		if err := os.WriteFile(filepath.Join(outDir, name), data, 0o644); err != nil {
			return nil, err
		}
		line := fmt.Sprintf("%-32s %9d", name, len(data))
		if compressible[filepath.Ext(name)] {
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

// hashedName puts the first 12 hex digits of data's SHA-256 before the
// extension: linksim.wasm → linksim.0123456789ab.wasm.
func hashedName(name string, data []byte) string {
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
				return nil, errors.New(linkScript + ": two FILES lines")
			}
			found = i
		}
	}
	if found < 0 {
		return nil, errors.New(linkScript + ": no `var FILES = {…}` line to rewrite")
	}
	line := string(lines[found])
	for old, renamed := range names {
		quoted := "'" + old + "'"
		if strings.Count(line, quoted) != 1 {
			return nil, fmt.Errorf("%s: the FILES line does not name %s once: %s", linkScript, quoted, strings.TrimSpace(line))
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
