//go:build js && wasm

package jsoncodec

// decodeFlat is DecodeRequest's fast path (fastdecode.go), left out of the
// WebAssembly build to keep linksim.wasm small: there every body takes the
// full path.
func (g *Grammar) decodeFlat(*Rule, []byte, any, func(has func(string) bool) []string) bool {
	return false
}
