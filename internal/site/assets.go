package site

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

// asset is one file as the site serves it, read once per version and kept
// in memory with its gzip and brotli encodings (when they are smaller) and
// the ETag of each.
type asset struct {
	modTime time.Time
	size    int64
	once    sync.Once
	err     error
	raw     []byte
	enc     map[string][]byte // by content coding: "gzip", "br"
	etag    string            // of raw; an encoding's ETag adds "-gzip" or "-br"
}

// asset returns a file's cached asset, reading and compressing it the first
// time this version (modification time and size) is asked for. Concurrent
// first requests wait for one read.
func (h *Handler) asset(name string, info fs.FileInfo, compress bool) (*asset, error) {
	h.mu.Lock()
	a, ok := h.assets[name]
	if !ok || !a.modTime.Equal(info.ModTime()) || a.size != info.Size() {
		a = &asset{modTime: info.ModTime(), size: info.Size()}
		h.assets[name] = a
	}
	h.mu.Unlock()
	a.once.Do(func() { a.err = a.load(h.files, name, compress) })
	return a, a.err
}

func (a *asset) load(files fs.FS, name string, compress bool) error {
	raw, err := fs.ReadFile(files, name)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(raw)
	a.raw, a.etag, a.enc = raw, hex.EncodeToString(sum[:8]), map[string][]byte{}
	if !compress {
		return nil
	}
	if a.loadSiblings(files, name) {
		return nil
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(raw)
	zw.Close()
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotliLevel)
	bw.Write(raw)
	bw.Close()
	for coding, b := range map[string][]byte{"gzip": gz.Bytes(), "br": br.Bytes()} {
		if len(b) < len(raw) {
			a.enc[coding] = b
		}
	}
	return nil
}

// siblings are the precompressed copies a site may hold next to a file
// (make dist and linksim dist write them), by content coding, with what
// reads them back.
var siblings = []struct {
	coding, suffix string
	open           func(io.Reader) (io.Reader, error)
}{
	{"br", ".br", func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil }},
	{"gzip", ".gz", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
}

// loadSiblings takes the file's precompressed siblings (name.br, name.gz)
// as its encodings, each only when it decompresses to exactly the file (a
// stale sibling is ignored), and reports whether it found any: then the
// file is not compressed again, which for the 4.7 MB WebAssembly saves
// every new server the work.
func (a *asset) loadSiblings(files fs.FS, name string) bool {
	for _, s := range siblings {
		b, err := fs.ReadFile(files, name+s.suffix)
		if err != nil || len(b) >= len(a.raw) {
			continue
		}
		r, err := s.open(bytes.NewReader(b))
		if err != nil {
			continue
		}
		if got, err := io.ReadAll(io.LimitReader(r, int64(len(a.raw))+1)); err == nil && bytes.Equal(got, a.raw) {
			a.enc[s.coding] = b
		}
	}
	return len(a.enc) > 0
}

// brotliLevel trades compression for the time the first request of a file
// waits: on linksim.wasm (4.2 MB) level 9 gives 0.97 MB in 0.4 s, 16% less
// than gzip -9; level 11 gives 0.85 MB but takes 12 s.
const brotliLevel = 9

// pick returns the bytes to send for a request's Accept-Encoding, their
// content coding ("" for none) and ETag.
func (a *asset) pick(r *http.Request) (data []byte, coding, etag string) {
	for _, c := range acceptedCodings(r) {
		if b, ok := a.enc[c]; ok {
			return b, c, `"` + a.etag + "-" + c + `"`
		}
	}
	return a.raw, "", `"` + a.etag + `"`
}

// acceptedCodings lists the encodings the request accepts that the site
// has, best first: brotli, then gzip.
func acceptedCodings(r *http.Request) []string {
	q := map[string]float64{}
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		weight := 1.0
		if k, v, ok := strings.Cut(strings.ReplaceAll(params, " ", ""), "="); ok && strings.EqualFold(k, "q") {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				weight = f
			}
		}
		q[strings.ToLower(strings.TrimSpace(coding))] = weight
	}
	var out []string
	for _, c := range []string{"br", "gzip"} {
		if w, ok := q[c]; ok && w > 0 {
			out = append(out, c)
		}
	}
	return out
}
