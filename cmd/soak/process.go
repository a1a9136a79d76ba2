package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/linksim/linksim/internal/store"
)

// processMaxConns is the -max-conns of the server process: the hostile
// cases fill it.
const processMaxConns = 512

// serverProcess is linksim run as a process of its own.
type serverProcess struct {
	cmd  *exec.Cmd
	dir  string
	url  string
	wait chan error // the process's exit
}

// startProcess builds linksim from this module and runs it on a loopback
// port with the budget, counting the panics it logs.
func startProcess(memory store.MemoryBudget) (*server, error) {
	dir, err := os.MkdirTemp("", "linksim-soak")
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "linksim")
	build := exec.Command("go", "build", "-o", bin, "github.com/linksim/linksim")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("building linksim: %w", err)
	}
	addr, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &server{receive: newReceiver()}
	hookURL, stopReceiver, err := listen(s.receive)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.receive.url = hookURL + "/webhook"
	p := &serverProcess{dir: dir, url: "http://" + addr, wait: make(chan error, 1)}
	p.cmd = exec.Command(bin, "-addr", addr, "-quiet", "-memory", fmt.Sprintf("%dB", int64(memory)),
		"-max-conns", fmt.Sprint(processMaxConns))
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		stopReceiver()
		os.RemoveAll(dir)
		return nil, err
	}
	if err := p.cmd.Start(); err != nil {
		stopReceiver()
		os.RemoveAll(dir)
		return nil, err
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "plaidapi: panic") {
				s.panics.Add(1)
			}
		}
	}()
	go func() { p.wait <- p.cmd.Wait() }()
	if err := waitUp(p.url); err != nil {
		p.cmd.Process.Kill()
		stopReceiver()
		os.RemoveAll(dir)
		return nil, err
	}
	s.url, s.pid, s.proc = p.url, p.cmd.Process.Pid, p
	s.stop = func() {
		stopReceiver()
		os.RemoveAll(dir)
	}
	return s, nil
}

// freePort is a loopback address no one listens on just now.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// waitUp waits until the server answers.
func waitUp(url string) error {
	for range 600 {
		if resp, err := http.Get(url + "/"); err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond) // polling a process's start-up, not waiting on a test condition
	}
	return errors.New("linksim did not start listening in 30 s")
}

// hostileCases runs, after the load, each case the hardening issue found,
// and notes on rep how the server held up; then it stops the server with
// SIGTERM, which must exit 0.
//
// The server's RSS under the mixed load (the kernel's peak, VmHWM) must stay
// within its budget. The hostile cases then hold thousands of connections
// (512 idle, 2,000 webhook attempts hanging), whose buffers and goroutines
// are outside the budget's shares: their peak is reported, not held to it.
func (p *serverProcess) hostileCases(rep *report, srv *server) {
	loaded := procStatus(srv.pid, "VmHWM:")
	rep.mu.Lock()
	rep.peakRSS = max(rep.peakRSS, loaded) // the kernel's own peak, between samples too
	rep.mu.Unlock()
	if loaded > int64(rep.memory) {
		rep.fail(fmt.Sprintf("the server's RSS peaked at %.1f MiB under the mixed load, over its %s budget", float64(loaded)/(1<<20), mib(int64(rep.memory))))
	}
	p.stalledUploads(rep)
	p.idleConnections(rep)
	p.manyOrigins(rep, srv)
	rep.note("server RSS peak with the hostile cases' connections open: %.1f MiB", float64(procStatus(srv.pid, "VmHWM:"))/(1<<20))
	p.cmd.Process.Signal(syscall.SIGTERM)
	start := time.Now()
	select {
	case err := <-p.wait:
		if err != nil {
			rep.fail("SIGTERM: linksim exited with " + err.Error())
		}
		rep.note("shutdown: SIGTERM with webhooks still queued exited %v after %v", exitCode(err), time.Since(start).Round(10*time.Millisecond))
	case <-time.After(time.Minute):
		p.cmd.Process.Kill()
		rep.fail("SIGTERM: linksim did not exit within a minute")
	}
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return 0
}

// timedPost sends one backend call and returns its status and duration
// (status 0 on a transport error or a minute without an answer).
func timedPost(url, path, body string) (int, time.Duration) {
	c := &http.Client{Timeout: time.Minute, Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Now()
	resp, err := c.Post(url+path, "application/json", strings.NewReader(body))
	if err != nil {
		return 0, time.Since(start)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, time.Since(start)
}

// stalledUploads opens 128 uploads that send their headers and no body
// (half with a 64 KiB Content-Length to /auth/get, half chunked to
// /link/token/get), then times /auth/get and /link/token/get.
func (p *serverProcess) stalledUploads(rep *report) {
	const n = 128
	host := strings.TrimPrefix(p.url, "http://")
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := range n {
		c, err := net.Dial("tcp", host)
		if err != nil {
			rep.fail("stalled uploads: dial: " + err.Error())
			return
		}
		conns = append(conns, c)
		path, framing := "/auth/get", "Content-Length: 65536"
		if i%2 == 1 {
			path, framing = "/link/token/get", "Transfer-Encoding: chunked"
		}
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n%s\r\n\r\n", path, host, framing)
	}
	for _, call := range []struct{ path, body string }{
		{"/auth/get", `{"client_id":"c","secret":"s","access_token":"access-sandbox-none"}`},
		{"/link/token/get", `{"client_id":"c","secret":"s","link_token":"link-sandbox-none"}`},
	} {
		status, took := timedPost(p.url, call.path, call.body)
		if status != http.StatusBadRequest {
			rep.fail(fmt.Sprintf("stalled uploads: %s answered %d after %v", call.path, status, took))
		}
		rep.note("stalled uploads: %s answered %d in %v with %d uploads stalled", call.path, status, took.Round(time.Millisecond), n)
	}
}

// idleConnections fills -max-conns with keep-alive connections idle after
// one request each, then times a new client's /auth/get.
func (p *serverProcess) idleConnections(rep *report) {
	var clients []*http.Transport
	defer func() {
		for _, tr := range clients {
			tr.CloseIdleConnections()
		}
	}()
	for range processMaxConns {
		tr := &http.Transport{}
		clients = append(clients, tr)
		c := &http.Client{Transport: tr, Timeout: time.Minute}
		resp, err := c.Get(p.url + "/")
		if err != nil {
			rep.fail("idle connections: " + err.Error())
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	status, took := timedPost(p.url, "/auth/get", `{"client_id":"c","secret":"s","access_token":"access-sandbox-none"}`)
	if status != http.StatusBadRequest {
		rep.fail(fmt.Sprintf("idle connections: /auth/get answered %d after %v", status, took))
	}
	rep.note("idle connections: /auth/get answered %d in %v with all %d connections (-max-conns) idle", status, took.Round(time.Millisecond), processMaxConns)
}

// manyOrigins makes 1,000 apps whose two webhook URLs each never answer
// (listeners that never accept), fires a webhook at each URL, then times a
// healthy app's webhook from its firing to its arrival.
func (p *serverProcess) manyOrigins(rep *report, srv *server) {
	const origins = 1000
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	c := newClient(srv, rep, "origins")
	ctx := context.Background()
	item := func(webhook string) (token, itemID string, err error) {
		pt, err := c.api(ctx, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508",
			"initial_products": []string{"auth"}, "options": map[string]any{"webhook": webhook}})
		if err != nil {
			return "", "", err
		}
		ex, err := c.api(ctx, "/item/public_token/exchange", map[string]any{"public_token": pt.str("public_token")})
		if err != nil {
			return "", "", err
		}
		if ex.str("access_token") == "" {
			return "", "", fmt.Errorf("exchange answered %d", ex.status)
		}
		return ex.str("access_token"), ex.str("item_id"), nil
	}
	fire := func(token string) error {
		_, err := c.api(ctx, "/sandbox/item/fire_webhook", map[string]any{"access_token": token,
			"webhook_type": "ITEM", "webhook_code": "NEW_ACCOUNTS_AVAILABLE"})
		return err
	}
	var made atomic.Int32
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for range origins {
		ln, err := net.Listen("tcp", "127.0.0.1:0") // never accepts: connections wait in its backlog
		if err != nil {
			rep.fail("many origins: listen: " + err.Error())
			return
		}
		mu.Lock()
		lns = append(lns, ln)
		mu.Unlock()
		for _, path := range []string{"/a", "/b"} {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				token, _, err := item("http://" + ln.Addr().String() + path)
				if err == nil {
					err = fire(token)
				}
				if err == nil {
					made.Add(1)
				}
			}()
		}
	}
	wg.Wait()
	token, id, err := item(srv.receive.url)
	if err != nil {
		rep.fail("many origins: healthy Item: " + err.Error())
		return
	}
	start := time.Now()
	if err := fire(token); err != nil {
		rep.fail("many origins: fire: " + err.Error())
		return
	}
	for !srv.receive.received(id) {
		if time.Since(start) > time.Minute {
			rep.fail("many origins: the healthy app's webhook did not arrive within a minute")
			return
		}
		time.Sleep(5 * time.Millisecond) // polling the receiver, to time the delivery
	}
	rep.note("many origins: a healthy app's webhook arrived %v after firing, behind %d webhooks to %d origins that never answer",
		time.Since(start).Round(time.Millisecond), made.Load(), origins)
}
