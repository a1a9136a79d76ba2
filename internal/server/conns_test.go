package server_test

import (
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/internal/server"
)

// TestIdleConnectionsMakeRoom: with every slot held by a keep-alive
// connection idle after its request, a new client is answered (the
// longest-idle connection is closed for it), while connections with a
// request under way are never closed for it.
func TestIdleConnectionsMakeRoom(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	lim := server.LimitConns(ln, 4)
	release := make(chan struct{})
	var busy atomic.Int32
	srv := &http.Server{ConnState: lim.ConnState, IdleTimeout: time.Hour, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			busy.Add(1)
			<-release
		}
		io.WriteString(w, "ok")
	})}
	go srv.Serve(lim)
	t.Cleanup(func() { srv.Close() })
	base := "http://" + ln.Addr().String()

	get := func(c *http.Client, path string) (string, error) {
		resp, err := c.Get(base + path)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	// Three clients keep their connection idle after one request; one has
	// a request under way.
	for range 3 {
		c := &http.Client{Transport: &http.Transport{}, Timeout: time.Minute}
		got, err := get(c, "/")
		require.NoError(t, err)
		require.Equal(t, "ok", got)
	}
	slowDone := make(chan error, 1)
	go func() {
		_, err := get(&http.Client{Transport: &http.Transport{}}, "/slow")
		slowDone <- err
	}()
	require.Eventually(t, func() bool { return busy.Load() == 1 }, time.Minute, time.Millisecond)

	// Every slot is taken; new clients are answered, one after another.
	for range 5 {
		got, err := get(&http.Client{Transport: &http.Transport{}, Timeout: time.Minute}, "/") // the bound is a failure guard
		require.NoError(t, err, "a new client waited behind idle connections")
		assert.Equal(t, "ok", got)
	}
	close(release)
	assert.NoError(t, <-slowDone, "the connection with a request under way was not closed")
}
