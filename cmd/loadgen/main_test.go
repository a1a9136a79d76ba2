package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFloorDecodesTheRequest(t *testing.T) {
	h := floor([]byte(`{"fixed":true}`))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/auth/get", strings.NewReader(`{"access_token":"a"}`)))
	assert.Equal(t, `{"fixed":true}`, w.Body.String())
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))

	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/auth/get", strings.NewReader(`{`)))
	assert.Equal(t, http.StatusBadRequest, w.Code)
}

func TestQuantile(t *testing.T) {
	ms := time.Millisecond
	r := result{latencies: []time.Duration{5 * ms, 1 * ms, 4 * ms, 2 * ms, 3 * ms}}
	assert.Equal(t, 3*ms, r.quantile(0.5))
	assert.Equal(t, 5*ms, r.quantile(1))
}

// TestRunMeasuresBoth runs a tiny load: every request succeeds on both
// servers (run fails otherwise).
func TestRunMeasuresBoth(t *testing.T) {
	var out strings.Builder
	require.NoError(t, run(&out, 100*time.Millisecond, 2, 1, 40, false))
	assert.Contains(t, out.String(), "linksim/floor rate:")
}
