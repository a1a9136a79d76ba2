//go:build js && wasm

// Command minimal is the smallest Go WebAssembly program that tells its
// page it is ready: the baseline linksim's onLoad is measured against.
package main

import "syscall/js"

func main() {
	js.Global().Call("goReady")
	select {}
}
