package e2e

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/plaidapi"
	"github.com/linksim/linksim/internal/sandbox"
	"github.com/linksim/linksim/internal/site"
)

// withoutWasm is web/ as `go install` builds it into the binary: no
// linksim.wasm, no wasm_exec.js.
type withoutWasm struct{ fs.FS }

func (w withoutWasm) Open(name string) (fs.File, error) {
	if b := path.Base(name); b == "linksim.wasm" || b == "wasm_exec.js" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return w.FS.Open(name)
}

// TestServedDemoNeedsNoWasm: a linksim server whose page has no WebAssembly
// (an installed binary's) still runs the demo end to end, since flowcore
// runs on the server.
func TestServedDemoNeedsNoWasm(t *testing.T) {
	clock := flowcore.NewOffsetClock(flowcore.SystemClock{})
	sb := sandbox.NewSandbox(sandbox.Options{Clock: clock, Seed: 5})
	srv := httptest.NewServer(plaidapi.New(plaidapi.Options{Sandbox: sb, Clock: clock,
		Site: plaidapi.AllowAnyOrigin(site.New(site.Options{Files: withoutWasm{os.DirFS(webDir)}}))}))
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL + "/linksim.wasm")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode)

	tab, cancelTab := chromedp.NewContext(browserCtx)
	t.Cleanup(cancelTab)
	ctx, cancel := context.WithTimeout(tab, 60*time.Second)
	t.Cleanup(cancel)
	p := &page{t: t, ctx: ctx}
	p.do(chromedp.Navigate(srv.URL + "/"))
	p.waitJS(`document.body.dataset.ready === 'true'`)
	st, _ := linkInstantAuth(t, p)
	auth, aerr := p.authGet()
	require.Nil(t, aerr)
	requireNumbersMatch(t, st, auth)
	assert.Equal(t, "HANDOFF", st.trace()[len(st.trace())-1])
}
