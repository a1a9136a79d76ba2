package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/server"
)

// TestServer: one handler serves the API and the page's files; without
// files the API alone; Advance moves the sandbox clock.
func TestServer(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	files := fstest.MapFS{"index.html": {Data: []byte("<title>demo</title>")}}
	for _, tt := range []struct {
		name  string
		files fstest.MapFS
		page  int
	}{{"with the page", files, http.StatusOK}, {"API only", nil, http.StatusNotFound}} {
		t.Run(tt.name, func(t *testing.T) {
			c := server.Config{Seeded: true, ClientID: "id", Secret: "s", Clock: flowcore.NewFixedClock(start)}
			if tt.files != nil {
				c.Files = tt.files
			}
			s, err := server.New(c)
			require.NoError(t, err)
			srv := httptest.NewServer(s.Handler)
			defer srv.Close()
			defer s.Close(context.Background())

			resp, err := http.Get(srv.URL + "/index.html")
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tt.page, resp.StatusCode)

			resp, err = http.Post(srv.URL+"/institutions/get_by_id", "application/json",
				strings.NewReader(`{"client_id":"id","secret":"wrong","institution_id":"ins_109508","country_codes":["US"]}`))
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Contains(t, string(body), "INVALID_API_KEYS", "only the configured keys are accepted")

			assert.Equal(t, start, s.Sandbox.Now(), "the sandbox runs on the given clock")
		})
	}
}
