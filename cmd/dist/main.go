// Command dist writes linksim's static site into a folder ready to copy to
// any static host (see internal/sitebuild): the pages of web/, the
// content-hashed WASM, wasm_exec.js and link.css, and .gz and .br siblings.
// The folder is replaced.
//
// Usage (make dist runs it after make wasm):
//
//	go run ./cmd/dist -web web -out dist
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/linksim/linksim/internal/sitebuild"
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

// build replaces outDir with the site of webDir, precompressed, and returns
// one line per file written.
func build(webDir, outDir string) ([]string, error) {
	if _, err := os.Stat(webDir); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(outDir); err != nil {
		return nil, err
	}
	lines, err := sitebuild.Write(os.DirFS(webDir), outDir, sitebuild.Options{Precompress: true})
	if errors.Is(err, sitebuild.ErrNoWasm) {
		return nil, fmt.Errorf("%s has %w: run make wasm first", webDir, err)
	}
	return lines, err
}
