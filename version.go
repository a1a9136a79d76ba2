package main

import (
	"fmt"
	"io/fs"
	"runtime"
	"runtime/debug"

	"github.com/linksim/linksim/internal/sitebuild"
)

// version is linksim's release version, set by the release build
// (make npm: -ldflags -X main.version=$(VERSION), from the VERSION file).
// Other builds report the module version go install recorded.
var version = ""

// versionLine is what -version prints: the version, the platform, the Go
// that built it, and whether the WebAssembly is built in.
func versionLine(files fs.FS) string {
	v := version
	if v == "" {
		v = "(devel)"
		if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
			v = info.Main.Version
		}
	}
	wasm := "WebAssembly built in"
	if !sitebuild.HasWasm(files) {
		wasm = "no WebAssembly (" + noWasmHint + ")"
	}
	return fmt.Sprintf("linksim %s %s/%s %s, %s", v, runtime.GOOS, runtime.GOARCH, runtime.Version(), wasm)
}

// noWasmHint says why a build lacks the WebAssembly and where to get it.
const noWasmHint = "go install builds linksim without it; a release build (npm i linksim, or make npm in a checkout) " +
	"carries it, or run make wasm before go build"
