package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/internal/sitebuild"
)

// TestInstalledBinaryServesWithoutACheckout builds the linksim binary as
// `go install github.com/linksim/linksim@latest` does, runs it from a
// directory with no web/ in it, and checks it serves the demo, the Link
// script, and a Link session, all from the copy of web/ built into it.
func TestInstalledBinaryServesWithoutACheckout(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "linksim")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0", "-log-format", "json")
	cmd.Dir = t.TempDir() // nowhere near a checkout
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	lines := bufio.NewScanner(stderr)
	var base, wasmNote string
	for base == "" && lines.Scan() {
		var l struct{ Msg, URL, Wasm string }
		if json.Unmarshal(lines.Bytes(), &l) == nil && l.Msg == "linksim listening" {
			base, wasmNote = l.URL, l.Wasm
		}
	}
	require.NotEmpty(t, base, "the binary never said where it listens")
	// go build embeds web/ as it is: with the WASM only after make wasm.
	if sitebuild.HasWasm(os.DirFS("web")) {
		assert.Empty(t, wasmNote)
	} else {
		assert.Contains(t, wasmNote, "no in-page mode", "the start-up line says the WASM is missing")
	}
	logged := make(chan string, 100)
	go func() {
		for lines.Scan() {
			logged <- lines.Text()
		}
		close(logged)
	}()

	get := func(path string) (int, string, string) {
		resp, err := http.Get(base + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
	}
	status, ctype, body := get("/")
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, ctype, "text/html")
	assert.Contains(t, body, "link-initialize.js")
	status, ctype, body = get("/link-initialize.js")
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, ctype, "javascript")
	assert.Contains(t, body, "'"+base+"/'", "the script carries the server's URL, so it runs flowcore there")

	post := func(path, body string, out any) int {
		resp, err := http.Post(base+path, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
		return resp.StatusCode
	}
	var token struct {
		LinkToken string `json:"link_token"`
	}
	require.Equal(t, http.StatusOK, post("/link/token/create", `{"client_id":"a","secret":"b","client_name":"App","language":"en",
		"country_codes":["US"],"user":{"client_user_id":"u"},"products":["auth"]}`, &token))
	var start struct {
		SessionID string `json:"session_id"`
		Step      struct {
			Screen struct {
				ClientName string `json:"client_name"`
			} `json:"screen"`
		} `json:"step"`
	}
	require.Equal(t, http.StatusOK, post("/linksim/session/start", `{"link_token":"`+token.LinkToken+`"}`, &start))
	assert.NotEmpty(t, start.SessionID)
	assert.Equal(t, "App", start.Step.Screen.ClientName)

	// Each request above got its log line.
	var paths []string
	for len(paths) < 4 {
		select {
		case l, ok := <-logged:
			require.True(t, ok, "the binary stopped logging")
			var m struct{ Msg, Path string }
			if json.Unmarshal([]byte(l), &m) == nil && m.Msg == "request" {
				paths = append(paths, m.Path)
			}
		case <-ctx.Done():
			t.Fatalf("only %v were logged", paths)
		}
	}
	assert.Equal(t, []string{"/", "/link-initialize.js", "/link/token/create", "/linksim/session/start"}, paths)
	assert.Regexp(t, regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`), base)
}
