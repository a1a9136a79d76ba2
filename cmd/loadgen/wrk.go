package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// wrkScript makes wrk send the /auth/get request: a POST with the JSON body.
const wrkScript = `wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = %q
`

var (
	wrkRate   = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkNon2xx = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	wrkErrors = regexp.MustCompile(`Socket errors: .*`)
)

// wrkRounds measures both servers with wrk (Debian's package) as the load
// generator, two threads and conns connections, alternating in rounds as
// the Go load does: a generator that needs more CPU than the server hides
// the difference, and wrk needs far less than Go's client. It prints each
// server's requests/s and linksim's ratio to the floor's.
func wrkRounds(w io.Writer, floorURL, linksimURL string, body []byte, conns, rounds int, duration time.Duration) error {
	bin, err := exec.LookPath("wrk")
	if err != nil {
		return fmt.Errorf("wrk is not installed (make bench installs Debian's wrk): %w", err)
	}
	dir, err := os.MkdirTemp("", "loadgen-wrk")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "auth_get.lua")
	if err := os.WriteFile(script, []byte(fmt.Sprintf(wrkScript, body)), 0o600); err != nil {
		return err
	}
	slice := max(duration/time.Duration(2*rounds), time.Second)
	one := func(url string) (float64, error) {
		var out bytes.Buffer
		cmd := exec.Command(bin, "-t2", fmt.Sprintf("-c%d", conns), fmt.Sprintf("-d%ds", int(slice.Seconds())), "-s", script, url+"/auth/get")
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return 0, fmt.Errorf("wrk: %w: %s", err, out.String())
		}
		if m := wrkNon2xx.FindStringSubmatch(out.String()); m != nil {
			return 0, fmt.Errorf("wrk: %s answers were not 200", m[1])
		}
		if m := wrkErrors.FindString(out.String()); m != "" {
			return 0, fmt.Errorf("wrk: %s", strings.TrimSpace(m))
		}
		m := wrkRate.FindStringSubmatch(out.String())
		if m == nil {
			return 0, fmt.Errorf("wrk: no Requests/sec in: %s", out.String())
		}
		return strconv.ParseFloat(m[1], 64)
	}
	var fl, ls float64
	var ratios []float64
	for range rounds {
		f, err := one(floorURL)
		if err != nil {
			return err
		}
		l, err := one(linksimURL)
		if err != nil {
			return err
		}
		fl, ls = fl+f, ls+l
		ratios = append(ratios, l/f)
	}
	fmt.Fprintf(w, "wrk -t2 -c%d, %d rounds of %v per server: floor %.0f req/s, linksim %.0f req/s\n", conns, rounds, slice, fl/float64(rounds), ls/float64(rounds))
	fmt.Fprintf(w, "linksim/floor rate under wrk: %.2f, median of rounds %.2f (aim >= 0.85)\n", ls/fl, median(ratios))
	return nil
}
