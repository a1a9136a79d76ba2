//go:build release

package main

import "embed"

// releaseWasm makes a release build (go build -tags release, as make npm
// builds every platform's binary) fail to compile unless web/ holds the
// WebAssembly build of flowcore and its runtime (make wasm), so a released
// binary always carries them: its served mode offers the in-page mode too,
// and `linksim dist DIR` can write the static site.
//
//go:embed web/linksim.wasm web/wasm_exec.js
var releaseWasm embed.FS
