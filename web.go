package main

import (
	"embed"
	"io/fs"
	"os"
)

// embeddedWeb is web/ as it was when the binary was built, so an installed
// linksim (go install github.com/linksim/linksim@latest) serves its Link
// page and demo from any directory. The server runs flowcore itself, so
// the page needs no WebAssembly; linksim.wasm and wasm_exec.js are in it
// only when `make wasm` ran before the build, as it always does for a
// release build (-tags release, see web_release.go; make npm). Without
// them the binary says so (version.go's noWasmHint).
//
//go:embed web
var embeddedWeb embed.FS

// webFiles returns the Link page's files: the directory dir when set (-web),
// else the copy built into the binary.
func webFiles(dir string) (fs.FS, error) {
	if dir != "" {
		return os.DirFS(dir), nil
	}
	return fs.Sub(embeddedWeb, "web")
}
