package plaidapi_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStalledUploadsHoldUpNoOrdinaryRequest: many clients that send a
// request's headers and then stall (a Content-Length of 64 KiB, or a
// chunked body, never sent) hold only what they sent of the body budget,
// so /auth/get and /link/token/get are answered while they are all held.
// Before, 8 such uploads at a 64 MiB budget held /auth/get for a minute.
func TestStalledUploadsHoldUpNoOrdinaryRequest(t *testing.T) {
	for _, tt := range []struct{ name, header string }{
		{"content-length", "Content-Length: 65536"},
		{"chunked", "Transfer-Encoding: chunked"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, withMemory(64<<20))
			var entered atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("X-Stall") != "" {
					entered.Add(1)
				}
				e.handler.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			const stalled = 64
			for _, path := range []string{"/auth/get", "/link/token/get"} {
				for range stalled / 2 {
					conn, err := net.Dial("tcp", srv.Listener.Addr().String())
					require.NoError(t, err)
					t.Cleanup(func() { conn.Close() }) // before srv.Close
					_, err = io.WriteString(conn, "POST "+path+" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Stall: 1\r\n"+
						tt.header+"\r\n\r\n")
					require.NoError(t, err)
				}
			}
			require.Eventually(t, func() bool { return entered.Load() == stalled }, time.Minute, time.Millisecond,
				"every stalled upload is in the handler")

			client := &http.Client{Timeout: time.Minute} // a failure guard, not a speed goal
			for path, code := range map[string]string{"/auth/get": "INVALID_ACCESS_TOKEN", "/link/token/get": "INVALID_LINK_TOKEN"} {
				field := map[string]string{"/auth/get": "access_token", "/link/token/get": "link_token"}[path]
				resp, err := client.Post(srv.URL+path, "application/json",
					strings.NewReader(`{"client_id":"c","secret":"s","`+field+`":"x"}`))
				require.NoError(t, err, "%s waited behind the stalled uploads", path)
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s", body)
				assert.Contains(t, string(body), code)
			}
		})
	}
}
