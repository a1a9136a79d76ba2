//go:build !js

package main

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestNoEncodingJSONInTheBrowser fails when a package the WebAssembly
// build links (flowcore, the bridge) imports encoding/json: about 60 KB
// of the gzipped module that flowcore's own codec (flowcore/jsonvalue.go,
// jsonencode.go) does without.
func TestNoEncodingJSONInTheBrowser(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/linksim/linksim/flowcore") {
		t.Fatalf("go list -deps lists no flowcore: %q", deps)
	}
	if slices.Contains(deps, "encoding/json") {
		t.Error("the WebAssembly build imports encoding/json; see `GOOS=js GOARCH=wasm go list -deps ./wasm`")
	}
}
