//go:build !js

package main

import (
	"go/build/constraint"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryFileIsTaggedJSWasm fails when a Go file of the bridge (other
// than this host-side test) lacks the js && wasm build constraint.
func TestEveryFileIsTaggedJSWasm(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f == "tags_test.go" || f == "deps_test.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !jsWasmTagged(string(b)) {
			t.Errorf("%s does not start with //go:build js && wasm", f)
		}
	}
}

func jsWasmTagged(src string) bool {
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if !constraint.IsGoBuild(line) {
			return false
		}
		expr, err := constraint.Parse(line)
		if err != nil {
			return false
		}
		tags := map[string]bool{"js": true, "wasm": true}
		withoutJS := map[string]bool{"wasm": true}
		return expr.Eval(func(tag string) bool { return tags[tag] }) &&
			!expr.Eval(func(tag string) bool { return withoutJS[tag] })
	}
	return false
}

func TestJSWasmTagged(t *testing.T) {
	for src, want := range map[string]bool{
		"//go:build js && wasm\n\npackage main": true,
		"//go:build wasm && js\npackage main":   true,
		"//go:build wasm\npackage main":         false,
		"//go:build !js\npackage main":          false,
		"package main":                          false,
		"// comment\npackage main":              false,
	} {
		if got := jsWasmTagged(src); got != want {
			t.Errorf("jsWasmTagged(%q) = %v, want %v", src, got, want)
		}
	}
}
