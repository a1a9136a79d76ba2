//go:build js && wasm

// Command wasm is flowcore compiled to WebAssembly for the browser: it
// registers one JavaScript object, globalThis.linksimCore, whose functions
// convert their arguments, call flowcore and convert the answer back. It
// holds no rule of its own.
//
// Every function returns an envelope, {ok: true, value} or {ok: false,
// error}, where error is a Plaid error object; no Go panic ever reaches
// JavaScript. See bridge.go for the functions.
package main

import (
	"fmt"
	"os"

	"github.com/hack-pad/safejs"
)

// APIName is the global the bridge registers its functions under.
const APIName = "linksimCore"

func main() {
	if err := register(safejs.Global(), newBridge()); err != nil {
		fmt.Fprintln(os.Stderr, "linksim: registering the JavaScript API:", err)
		os.Exit(1)
	}
	select {} // serve calls from JavaScript until the page goes away
}
