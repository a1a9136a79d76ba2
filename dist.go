package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/linksim/linksim/internal/sitebuild"
)

// distCommand is `linksim dist [-web dir] [-precompress=false] DIR`: it
// writes the static site (see internal/sitebuild) from the copy of web/
// built into the binary, or from -web, into DIR, which must be new or
// empty, and lists what it wrote on stdout.
func distCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("linksim dist", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: linksim dist [flags] DIR\n\nWrites the static site (Link page, demo, embed.js, the WebAssembly) into DIR, a new or empty folder, to copy to any static host.")
		fs.PrintDefaults()
	}
	webDir := fs.String("web", "", "directory of the Link page and demo (default: the copy built into the binary)")
	precompress := fs.Bool("precompress", true, "write .gz and .br siblings for hosts that serve precompressed files")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("dist takes one folder, not %d arguments", fs.NArg())
	}
	files, err := webFiles(*webDir)
	if err != nil {
		return err
	}
	lines, err := sitebuild.Write(files, fs.Arg(0), sitebuild.Options{Precompress: *precompress})
	if errors.Is(err, sitebuild.ErrNoWasm) {
		if *webDir != "" {
			return fmt.Errorf("%s has %w: run make wasm first", *webDir, err)
		}
		return fmt.Errorf("this linksim has %w to write the static site with: %s", err, noWasmHint)
	}
	if err != nil {
		return err
	}
	for _, l := range lines {
		fmt.Fprintln(stdout, l)
	}
	return nil
}
