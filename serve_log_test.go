package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLogFlags: -log-format picks text or json lines, one per request;
// -quiet keeps only warnings and errors.
func TestLogFlags(t *testing.T) {
	_, err := parseFlags([]string{"-log-format", "xml"}, io.Discard)
	assert.ErrorContains(t, err, "-log-format must be text or json")

	tests := []struct {
		args  []string
		check func(t *testing.T, out string)
	}{
		{nil, func(t *testing.T, out string) {
			assert.Regexp(t, `^time=\S+ level=INFO msg=request method=POST path=/auth/get status=400 error_code=INVALID_ACCESS_TOKEN duration=\S+ request_id=\w+\n$`, out)
		}},
		{[]string{"-log-format", "json"}, func(t *testing.T, out string) {
			var line map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &line), out)
			assert.Equal(t, "request", line["msg"])
			assert.Equal(t, "/auth/get", line["path"])
			assert.EqualValues(t, 400, line["status"])
			assert.Equal(t, "INVALID_ACCESS_TOKEN", line["error_code"])
			assert.NotEmpty(t, line["request_id"])
		}},
		{[]string{"-quiet", "-log-format", "json"}, func(t *testing.T, out string) {
			assert.Empty(t, out)
		}},
	}
	for _, tt := range tests {
		c, err := parseFlags(tt.args, io.Discard)
		require.NoError(t, err)
		var buf bytes.Buffer
		a, err := newApp(c, newLogger(&buf, c.logFormat, c.quiet))
		require.NoError(t, err)
		srv := httptest.NewServer(a.Handler)
		resp, err := http.Post(srv.URL+"/auth/get", "application/json", strings.NewReader(`{"client_id":"a","secret":"b","access_token":"x"}`))
		require.NoError(t, err)
		resp.Body.Close()
		srv.Close()
		require.NoError(t, a.Close(context.Background()))
		tt.check(t, buf.String())
	}
}
