package main

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/linksim/linksim/"

// layer is what one package may import, as its doc comment and
// docs/architecture.md say.
type layer struct {
	pkg string // relative to the module
	// below lists the only packages of the module it may reach, directly
	// or through others (nil: none).
	below []string
	// never lists standard packages it may not reach at all.
	never []string
	// notDirectly lists standard packages it may not import itself (fmt
	// reaches os, so "no I/O" is held on the package's own imports).
	notDirectly []string
	goos        string // "js" for the WebAssembly build
}

// pure are the packages that run in the browser and behind the server
// alike: no HTTP, no JS, no files, no encoding/json (its 60 KB gzipped
// stay out of the WebAssembly).
var (
	pureNever       = []string{"net/http", "syscall/js", "encoding/json"}
	pureNotDirectly = []string{"os", "io/fs", "net", "log", "log/slog"}
)

var layers = []layer{
	{pkg: "internal/jsoncodec", never: pureNever, notDirectly: pureNotDirectly},
	{pkg: "flowcore", below: []string{"internal/jsoncodec"}, never: pureNever, notDirectly: pureNotDirectly},
	{pkg: "internal/store", below: []string{"flowcore", "internal/jsoncodec"}, never: pureNever, notDirectly: pureNotDirectly},
	{pkg: "internal/sandbox", below: []string{"flowcore", "internal/jsoncodec", "internal/store"}, never: pureNever, notDirectly: pureNotDirectly},
	// The WebAssembly bridge converts between JS and the model; it never
	// reaches the server or anything of HTTP, nor net/url (41 KB of the
	// gzipped module for what a few lines of strings do).
	{pkg: "wasm", goos: "js", below: []string{"flowcore", "internal/jsoncodec", "internal/store", "internal/sandbox"},
		never: []string{"net/http", "encoding/json", "net/url"}},
	// The static site's writer (make dist, linksim dist) reads files and
	// writes a folder: nothing of the module. (It reaches net/http only
	// through the brotli package's HTTP helper.)
	{pkg: "internal/sitebuild"},
}

// listedPackage is what go list -json says of a package.
type listedPackage struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

// listPackages returns go list's account of pkgs and their dependencies.
func listPackages(t *testing.T, goos string, pkgs ...string) map[string]listedPackage {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-deps", "-json=ImportPath,Imports,Deps"}, pkgs...)...)
	cmd.Env = os.Environ()
	if goos == "js" {
		cmd.Env = append(cmd.Env, "GOOS=js", "GOARCH=wasm")
	}
	out, err := cmd.Output()
	require.NoError(t, err, "go list")
	listed := map[string]listedPackage{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else {
			require.NoError(t, err)
		}
		listed[p.ImportPath] = p
	}
	return listed
}

// TestPackagesImportOnlyTheLayersBelowThem holds each package to the
// arrows of docs/architecture.md: the JSON codec at the bottom, the rules
// on it, the store on the rules, the API model on top, the WebAssembly
// bridge beside the server and never reaching it.
func TestPackagesImportOnlyTheLayersBelowThem(t *testing.T) {
	for _, l := range layers {
		t.Run(l.pkg, func(t *testing.T) {
			p, ok := listPackages(t, l.goos, "./"+l.pkg)[module+l.pkg]
			require.True(t, ok, "go list does not list %s", l.pkg)
			for _, dep := range p.Deps {
				if rel, ok := strings.CutPrefix(dep, module); ok {
					assert.Contains(t, l.below, rel, "%s reaches %s, which its layer may not", l.pkg, rel)
				}
				assert.NotContains(t, l.never, dep, "%s reaches %s", l.pkg, dep)
			}
			for _, imp := range p.Imports {
				assert.NotContains(t, l.notDirectly, imp, "%s imports %s", l.pkg, imp)
			}
		})
	}
}

// TestArchitectureMapNamesEveryLayer keeps docs/architecture.md, the map a
// newcomer reads first, in step with the layers held above.
func TestArchitectureMapNamesEveryLayer(t *testing.T) {
	doc, err := os.ReadFile("docs/architecture.md")
	require.NoError(t, err)
	for _, l := range layers {
		assert.Contains(t, string(doc), "`"+l.pkg+"/`", "docs/architecture.md does not name %s", l.pkg)
	}
	for _, pkg := range []string{"internal/plaidapi", "internal/webhook", "internal/site", "internal/server", "linksimtest", "web"} {
		assert.Contains(t, string(doc), "`"+pkg+"/`", "docs/architecture.md does not name %s", pkg)
	}
	assert.True(t, slices.ContainsFunc(strings.Split(string(doc), "\n"), func(line string) bool { return strings.Contains(line, "→") }),
		"docs/architecture.md draws no arrows")
}
