package plaidapi_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/plaidapi"
	"github.com/linksim/linksim/internal/sandbox"
)

// syncBuffer is a log destination the server's goroutines share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) lines(t *testing.T) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s.b.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		out = append(out, m)
	}
	return out
}

// TestRequestLog: every request, whether answered, refused or sent to the
// site, gets exactly one line with its method, path, status, Plaid
// error_code, duration and request_id (the one its answer carries).
func TestRequestLog(t *testing.T) {
	var buf syncBuffer
	var h *plaidapi.Handler
	site := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/index.html" {
			h.SiteError(w, r, http.StatusNotFound, "")
			return
		}
		w.Write([]byte("page"))
	})
	h = plaidapi.New(plaidapi.Options{Sandbox: sandbox.NewSandbox(sandbox.Options{Clock: flowcore.NewFixedClock(t0), Seed: 1}),
		Site: site, Hosts: []string{"example.com"}, Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	tests := []struct {
		method, path, body string
		status             int
		code               string
		requestID          bool
	}{
		{"POST", "/institutions/get_by_id", `{"client_id":"a","secret":"b","institution_id":"ins_109508","country_codes":["US"]}`, 200, "", true},
		{"POST", "/auth/get", `{"client_id":"a","secret":"b","access_token":"nope"}`, 400, "INVALID_ACCESS_TOKEN", true},
		{"GET", "/auth/get", ``, 405, "METHOD_NOT_ALLOWED", true},
		{"POST", "/no/such/endpoint", `{}`, 404, "NOT_FOUND", true},
		{"GET", "/index.html", ``, 200, "", false},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		require.Equal(t, tt.status, rec.Code, tt.path)
		var answer struct {
			RequestID string `json:"request_id"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &answer)

		lines := buf.lines(t)
		require.Len(t, lines, 1, "%s %s", tt.method, tt.path)
		l := lines[0]
		assert.Equal(t, "request", l["msg"])
		assert.Equal(t, "INFO", l["level"])
		assert.Equal(t, tt.method, l["method"])
		assert.Equal(t, tt.path, l["path"])
		assert.EqualValues(t, tt.status, l["status"])
		assert.Equal(t, tt.code, l["error_code"], tt.path)
		assert.Equal(t, answer.RequestID, l["request_id"], tt.path)
		if tt.requestID {
			assert.NotEmpty(t, l["request_id"])
		}
		d, ok := l["duration"].(float64) // slog's JSON writes a Duration in nanoseconds
		require.True(t, ok)
		assert.Greater(t, d, 0.0)
		assert.Less(t, time.Duration(d), time.Minute)
		buf.b.Reset()
	}
}
