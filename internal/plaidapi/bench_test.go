package plaidapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/linksim/linksim/internal/plaidapi"
	"github.com/linksim/linksim/internal/sandbox"
	"github.com/linksim/linksim/internal/store"
)

// BenchmarkAuthGet measures /auth/get through the real HTTP stack: a
// loopback server, keep-alive connections, parallel clients.
func BenchmarkAuthGet(b *testing.B) {
	sb := sandbox.NewSandbox(sandbox.Options{Seed: 1})
	pt, err := sb.CreateSandboxPublicToken(&sandbox.SandboxPublicTokenRequest{InstitutionID: "ins_109508", InitialProducts: []string{"auth"}})
	if err != nil {
		b.Fatal(err)
	}
	ex, err := sb.ExchangePublicToken(pt.PublicToken)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(plaidapi.New(plaidapi.Options{Sandbox: sb}))
	defer srv.Close()
	body, _ := json.Marshal(map[string]string{"client_id": "bench", "secret": "bench", "access_token": ex.AccessToken})
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 256
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	url := srv.URL + "/auth/get"

	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Post(url, "application/json", bytes.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}

// discardWriter is a ResponseWriter that keeps nothing, so that
// BenchmarkAuthGetHandler measures the handler alone.
type discardWriter struct {
	hdr    http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.hdr }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }

// BenchmarkAuthGetHandler measures /auth/get in the handler alone, without
// the network or net/http's server: the CPU and allocations that are
// linksim's own on every request.
func BenchmarkAuthGetHandler(b *testing.B) {
	sb := sandbox.NewSandbox(sandbox.Options{Seed: 1, Memory: store.DefaultMemoryBudget})
	pt, err := sb.CreateSandboxPublicToken(&sandbox.SandboxPublicTokenRequest{InstitutionID: "ins_109508", InitialProducts: []string{"auth"}})
	if err != nil {
		b.Fatal(err)
	}
	ex, err := sb.ExchangePublicToken(pt.PublicToken)
	if err != nil {
		b.Fatal(err)
	}
	h := plaidapi.New(plaidapi.Options{Sandbox: sb, Memory: store.DefaultMemoryBudget})
	body, _ := json.Marshal(map[string]string{"client_id": "bench", "secret": "bench", "access_token": ex.AccessToken})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		rd := bytes.NewReader(body)
		r := httptest.NewRequest(http.MethodPost, "/auth/get", rd)
		r.Header.Set("Content-Type", "application/json")
		r.Host = "127.0.0.1:4000"
		w := &discardWriter{hdr: http.Header{}}
		for pb.Next() {
			rd.Reset(body)
			r.Body = io.NopCloser(rd)
			clear(w.hdr)
			h.ServeHTTP(w, r)
			if w.status != http.StatusOK {
				b.Fatalf("status %d", w.status)
			}
		}
	})
}
