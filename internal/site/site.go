// Package site serves linksim's static web files — the Link page, the demo
// and the WebAssembly build of flowcore — the way a careful static host
// does: from memory, .wasm as application/wasm, brotli or gzip when the
// client accepts it, an ETag per file and encoding, a
// strict Content-Security-Policy, and link-initialize.js stamped with the
// server's own URL so a copy served under another URL still finds its
// files and server.
package site

import (
	"bytes"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"path"
	"strings"
	"sync"
)

// CSP is the Content-Security-Policy every response carries: no inline
// script or style, WebAssembly compilation allowed, everything from the
// page's own origin.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"

// ServerURLPlaceholder is the text in link-initialize.js replaced with the
// absolute URL of the directory it was served from.
const ServerURLPlaceholder = "__LINKSIM_SERVER_URL__"

// LinkScript is the file that gets the server's URL.
const LinkScript = "link-initialize.js"

// EventDeliveryPlaceholder is the text in link-initialize.js replaced with
// Options.EventDelivery, the server's default for how onEvent is delivered.
const EventDeliveryPlaceholder = "__LINKSIM_EVENT_DELIVERY__"

// The event delivery modes link-initialize.js knows: every event as it
// happens (the default), or as Plaid's web SDK may deliver them, OPEN at
// once and the rest after onSuccess or onExit.
const (
	EventsRealTime = "realtime"
	EventsBatched  = "batched"
)

// Options configure a Handler.
type Options struct {
	// Files are the files to serve (the web/ directory with the built
	// linksim.wasm and wasm_exec.js). Required.
	Files fs.FS
	// Static leaves link-initialize.js as it is, so the page behaves as on
	// a plain static host: files found next to the script, flowcore in
	// WASM, no server.
	Static bool
	// EventDelivery, when set (EventsRealTime or EventsBatched), is how
	// Link delivers onEvent unless a page or handler chooses otherwise.
	EventDelivery string
	// Fail writes the answer to a request that failed: no such file
	// (404), a method other than GET or HEAD (405), a file that cannot be
	// read (500). Without it the answer is plain text.
	Fail func(w http.ResponseWriter, r *http.Request, status int, detail string)
}

// Handler serves the files. It is safe for concurrent use.
type Handler struct {
	files  fs.FS
	static bool
	events string
	onFail func(w http.ResponseWriter, r *http.Request, status int, detail string)

	mu     sync.Mutex
	assets map[string]*asset // by file name
}

// New returns a Handler.
func New(o Options) *Handler {
	return &Handler{files: o.Files, static: o.Static, events: o.EventDelivery, onFail: o.Fail, assets: map[string]*asset{}}
}

// fail answers a failed request through Options.Fail, or in plain text.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, detail string) {
	if h.onFail != nil {
		h.onFail(w, r, status, detail)
		return
	}
	http.Error(w, detail, status)
}

// NoWasm is the 404 detail of linksim.wasm and wasm_exec.js when the files
// lack them, as a binary built by go install does.
const NoWasm = "this linksim has no WebAssembly build of flowcore (go install builds it without), so its page runs " +
	"flowcore on the server and the in-page mode is off; a release build (npm i linksim) carries it, or run make wasm before building"

// compressible lists the types worth compressing.
var compressible = map[string]bool{".wasm": true, ".js": true, ".css": true, ".html": true, ".json": true, ".svg": true, ".txt": true}

// ServeHTTP serves GET and HEAD requests for files; a path ending in / is
// its index.html.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Content-Security-Policy", CSP)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" || strings.HasSuffix(r.URL.Path, "/") {
		name = path.Join(name, "index.html")
	}
	info, err := fs.Stat(h.files, name)
	if err != nil {
		detail := "no such file"
		if b := path.Base(name); b == "linksim.wasm" || b == "wasm_exec.js" {
			detail = NoWasm
		}
		h.fail(w, r, http.StatusNotFound, detail)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		h.fail(w, r, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	if info.IsDir() {
		http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
		return
	}
	ext := path.Ext(name)
	dynamic := path.Base(name) == LinkScript && (!h.static || h.events != "")
	a, err := h.asset(name, info, compressible[ext] && !dynamic)
	if err != nil {
		h.fail(w, r, http.StatusInternalServerError, "cannot read "+name)
		return
	}
	ctype := mime.TypeByExtension(ext)
	switch ext {
	case ".wasm":
		ctype = "application/wasm"
	case ".js":
		ctype = "text/javascript; charset=utf-8"
	}
	if ctype == "" {
		ctype = http.DetectContentType(a.raw)
	}
	hdr.Set("Content-Type", ctype)
	hdr.Set("Cache-Control", "no-cache") // revalidate: the ETag answers 304 while the file is unchanged
	if compressible[ext] {
		hdr.Add("Vary", "Accept-Encoding")
	}
	if dynamic {
		data := a.raw
		if u, ok := dirURL(r); ok && !h.static {
			data = bytes.ReplaceAll(data, []byte(ServerURLPlaceholder), []byte(u))
		}
		if h.events != "" {
			data = bytes.ReplaceAll(data, []byte(EventDeliveryPlaceholder), []byte(h.events))
		}
		http.ServeContent(w, r, name, info.ModTime(), bytes.NewReader(data))
		return
	}
	data, coding, etag := a.pick(r)
	if coding != "" {
		hdr.Set("Content-Encoding", coding)
	}
	hdr.Set("ETag", etag)
	http.ServeContent(w, r, name, info.ModTime(), bytes.NewReader(data))
}

// dirURL is the absolute URL of the directory a request's file is in (on
// the address the request came in on when it names no Host). It
// is written into a JavaScript string, so a Host or path with any character
// outside a plain URL's is refused (ok is false).
func dirURL(r *http.Request) (u string, ok bool) {
	scheme := "http"
	// Behind a TLS-terminating proxy the page is https though this
	// request is not; an http URL would be blocked as mixed content.
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	dir := path.Dir(r.URL.EscapedPath())
	if !strings.HasSuffix(dir, "/") {
		dir += "/"
	}
	host := r.Host
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok && host == "" {
		host = a.String() // an HTTP/1.0 request without Host: the address it came in on
	}
	u = scheme + "://" + host + dir
	if host == "" || strings.IndexFunc(u, func(c rune) bool { return !urlSafe(c) }) >= 0 {
		return "", false
	}
	return u, true
}

// urlSafe reports whether c may appear in a URL written into a script.
func urlSafe(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-._~:/[]%", c)
}
