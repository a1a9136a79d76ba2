package site

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var files = fstest.MapFS{
	"index.html":         {Data: []byte("<!doctype html><title>demo</title>")},
	"link-initialize.js": {Data: []byte("var SERVED_FROM = '" + ServerURLPlaceholder + "';")},
	"linksim.wasm":       {Data: append([]byte("\x00asm\x01\x00\x00\x00"), make([]byte, 4096)...)},
	"docs/index.html":    {Data: []byte("docs")},
}

func get(t *testing.T, h http.Handler, method, target string, header map[string]string) *http.Response {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	var rd io.Reader = resp.Body
	switch resp.Header.Get("Content-Encoding") {
	case "gzip":
		zr, err := gzip.NewReader(resp.Body)
		require.NoError(t, err)
		rd = zr
	case "br":
		rd = brotli.NewReader(resp.Body)
	}
	b, err := io.ReadAll(rd)
	require.NoError(t, err)
	return string(b)
}

func TestContentTypesAndCSP(t *testing.T) {
	h := New(Options{Files: files})
	for _, tc := range []struct{ path, ctype string }{
		{"/", "text/html; charset=utf-8"},
		{"/index.html", "text/html; charset=utf-8"},
		{"/linksim.wasm", "application/wasm"},
		{"/link-initialize.js", "text/javascript; charset=utf-8"},
		{"/docs/", "text/html; charset=utf-8"},
	} {
		resp := get(t, h, http.MethodGet, tc.path, nil)
		assert.Equal(t, http.StatusOK, resp.StatusCode, tc.path)
		assert.Equal(t, tc.ctype, resp.Header.Get("Content-Type"), tc.path)
		assert.Equal(t, CSP, resp.Header.Get("Content-Security-Policy"), tc.path)
		assert.Contains(t, CSP, "'wasm-unsafe-eval'")
		assert.NotContains(t, CSP, "unsafe-inline")
	}
}

func TestEncodingsAndETags(t *testing.T) {
	h := New(Options{Files: files})
	want := files["linksim.wasm"].Data
	etags := map[string]string{}
	for _, tt := range []struct{ accept, coding string }{
		{"", ""},
		{"gzip", "gzip"},
		{"deflate, GZIP", "gzip"},
		{"br, gzip;q=0.8", "br"},
		{"gzip, br", "br"},
		{"gzip;q=0, br", "br"},
		{"br;q=0, gzip", "gzip"},
		{"gzip;q=0, br;q=0", ""},
		{"identity", ""},
	} {
		resp := get(t, h, http.MethodGet, "/linksim.wasm", map[string]string{"Accept-Encoding": tt.accept})
		assert.Equal(t, tt.coding, resp.Header.Get("Content-Encoding"), tt.accept)
		assert.Contains(t, resp.Header.Values("Vary"), "Accept-Encoding")
		assert.True(t, bytes.Equal(want, []byte(body(t, resp))), "%q: the body decodes to the file", tt.accept)
		etag := resp.Header.Get("ETag")
		require.NotEmpty(t, etag)
		if prev, ok := etags[tt.coding]; ok {
			assert.Equal(t, prev, etag, "one ETag per encoding")
		}
		etags[tt.coding] = etag

		again := get(t, h, http.MethodGet, "/linksim.wasm", map[string]string{"Accept-Encoding": tt.accept, "If-None-Match": etag})
		assert.Equal(t, http.StatusNotModified, again.StatusCode, tt.accept)
	}
	assert.Len(t, etags, 3, "identity, gzip and brotli each have their own ETag: %v", etags)
}

// countingFS counts the files read, to show a file is read once.
type countingFS struct {
	fstest.MapFS
	opens map[string]int
}

func (c countingFS) ReadFile(name string) ([]byte, error) {
	c.opens[name]++
	return c.MapFS.ReadFile(name)
}

func TestFilesAreReadOncePerVersion(t *testing.T) {
	mem := fstest.MapFS{"linksim.wasm": {Data: bytes.Repeat([]byte("wasm"), 1000), ModTime: time.Unix(1, 0)}}
	c := countingFS{MapFS: mem, opens: map[string]int{}}
	h := New(Options{Files: c})
	for i := 0; i < 5; i++ {
		for _, ae := range []string{"", "gzip", "br"} {
			resp := get(t, h, http.MethodGet, "/linksim.wasm", map[string]string{"Accept-Encoding": ae})
			require.Equal(t, http.StatusOK, resp.StatusCode)
		}
	}
	assert.Equal(t, 1, c.opens["linksim.wasm"], "every download served from memory")

	mem["linksim.wasm"] = &fstest.MapFile{Data: []byte("new build"), ModTime: time.Unix(2, 0)}
	resp := get(t, h, http.MethodGet, "/linksim.wasm", nil)
	assert.Equal(t, "new build", body(t, resp), "a rebuilt file is read again")
	assert.Equal(t, 2, c.opens["linksim.wasm"])
}

func TestLinkScriptCarriesServerURL(t *testing.T) {
	h := New(Options{Files: files})
	resp := get(t, h, http.MethodGet, "http://127.0.0.1:8080/link-initialize.js", map[string]string{"Accept-Encoding": "gzip"})
	assert.Equal(t, "var SERVED_FROM = 'http://127.0.0.1:8080/';", body(t, resp))

	proxied := get(t, h, http.MethodGet, "http://linksim.example/link-initialize.js", map[string]string{"X-Forwarded-Proto": "https"})
	assert.Equal(t, "var SERVED_FROM = 'https://linksim.example/';", body(t, proxied), "behind a TLS-terminating proxy")

	static := New(Options{Files: files, Static: true})
	resp = get(t, static, http.MethodGet, "http://127.0.0.1:8080/link-initialize.js", nil)
	assert.Equal(t, "var SERVED_FROM = '"+ServerURLPlaceholder+"';", body(t, resp))
}

func TestLinkScriptCarriesEventDelivery(t *testing.T) {
	files := fstest.MapFS{LinkScript: {Data: []byte("var S = '" + ServerURLPlaceholder + "', E = '" + EventDeliveryPlaceholder + "';")}}
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"server default", Options{}, "var S = 'http://127.0.0.1:8080/', E = '" + EventDeliveryPlaceholder + "';"},
		{"server batched", Options{EventDelivery: EventsBatched}, "var S = 'http://127.0.0.1:8080/', E = 'batched';"},
		{"static batched", Options{Static: true, EventDelivery: EventsBatched}, "var S = '" + ServerURLPlaceholder + "', E = 'batched';"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Files = files
			resp := get(t, New(tt.opts), http.MethodGet, "http://127.0.0.1:8080/link-initialize.js", nil)
			assert.Equal(t, tt.want, body(t, resp))
		})
	}
}

func TestHostileHostIsNotWrittenIntoTheScript(t *testing.T) {
	h := New(Options{Files: files})
	r := httptest.NewRequest(http.MethodGet, "/link-initialize.js", nil)
	r.Host = "evil.test';alert(1);'"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, "var SERVED_FROM = '"+ServerURLPlaceholder+"';", w.Body.String())
}

// TestRequestWithoutHostGetsTheServersAddress sends HTTP/1.0 requests with
// no Host header, as old clients and probes do: the script names the address
// the server answered on, never the bare placeholder.
func TestRequestWithoutHostGetsTheServersAddress(t *testing.T) {
	srv := httptest.NewServer(New(Options{Files: files}))
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "GET /link-initialize.js HTTP/1.0\r\n\r\n")
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "var SERVED_FROM = 'http://"+srv.Listener.Addr().String()+"/';", string(got))
}

func TestErrors(t *testing.T) {
	h := New(Options{Files: files})
	assert.Equal(t, http.StatusNotFound, get(t, h, http.MethodGet, "/nope.js", nil).StatusCode)
	assert.Equal(t, http.StatusNotFound, get(t, h, http.MethodGet, "/../../etc/passwd", nil).StatusCode)
	assert.Equal(t, http.StatusMovedPermanently, get(t, h, http.MethodGet, "/docs", nil).StatusCode)
	assert.Equal(t, http.StatusMethodNotAllowed, get(t, h, http.MethodPost, "/index.html", nil).StatusCode)
	head := get(t, h, http.MethodHead, "/index.html", nil)
	assert.Equal(t, http.StatusOK, head.StatusCode)
	assert.Empty(t, body(t, head))
}

// TestMissingWasmSaysWhy: files without the WebAssembly (a go install
// build's) answer its two files with a 404 that says why and where to get
// it, and other missing files with a plain one.
func TestMissingWasmSaysWhy(t *testing.T) {
	h := New(Options{Files: fstest.MapFS{"index.html": files["index.html"]}})
	for _, p := range []string{"/linksim.wasm", "/wasm_exec.js", "/docs/linksim.wasm"} {
		resp := get(t, h, http.MethodGet, p, nil)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, p)
		assert.Contains(t, body(t, resp), "go install builds it without", p)
	}
	assert.NotContains(t, body(t, get(t, h, http.MethodGet, "/nope.js", nil)), "WebAssembly")
}

// TestPrecompressedSiblingsAreServed: a site that holds name.gz (as make
// dist writes it) serves it as the file's gzip encoding instead of
// compressing again, but only when it is the file's: a stale sibling is
// ignored and the file compressed afresh.
func TestPrecompressedSiblingsAreServed(t *testing.T) {
	wasm := files["linksim.wasm"].Data
	var fresh, stale bytes.Buffer
	zw := gzip.NewWriter(&fresh)
	zw.Write(wasm)
	zw.Close()
	zw = gzip.NewWriter(&stale)
	zw.Write(append([]byte("old"), wasm...))
	zw.Close()
	for _, tt := range []struct {
		name              string
		sibling           []byte
		served, hasBrotli bool
	}{
		{"fresh sibling", fresh.Bytes(), true, false},
		{"stale sibling", stale.Bytes(), false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			site := fstest.MapFS{"linksim.wasm": {Data: wasm}, "linksim.wasm.gz": {Data: tt.sibling}}
			h := New(Options{Files: site})
			resp := get(t, h, http.MethodGet, "/linksim.wasm", map[string]string{"Accept-Encoding": "gzip"})
			sent, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
			assert.Equal(t, tt.served, bytes.Equal(tt.sibling, sent), "the sibling's own bytes are sent")
			br := get(t, h, http.MethodGet, "/linksim.wasm", map[string]string{"Accept-Encoding": "br"})
			assert.Equal(t, tt.hasBrotli, br.Header.Get("Content-Encoding") == "br", "compressed afresh only without a sibling")
			assert.Equal(t, wasm, []byte(body(t, get(t, h, http.MethodGet, "/linksim.wasm", map[string]string{"Accept-Encoding": "gzip"}))))
		})
	}
}
