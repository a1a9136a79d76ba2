// Package plaidapi serves Plaid's HTTP API over a sandbox.Sandbox: the
// endpoints an app's backend calls (/link/token/create,
// /item/public_token/exchange, /auth/get, …), the sandbox endpoints, and
// the two session endpoints the browser Link served by linksim calls.
//
// The package knows no rules. Every handler decodes the body with
// flowcore.DecodeRequest (Plaid's schema of the endpoint; linksim's own
// bodies fall back to flowcore.Decode), calls the Sandbox and encodes what
// it returns; one
// function (write) writes every response and every error is a
// *flowcore.Error.
package plaidapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/sandbox"
	"github.com/linksim/linksim/internal/store"
	"github.com/linksim/linksim/internal/webhook"
)

// MaxBodyBytes is the largest request body the API reads (1 MiB).
const MaxBodyBytes = 1 << 20

// Options configure a Handler.
type Options struct {
	// Sandbox answers every endpoint. Required.
	Sandbox *sandbox.Sandbox
	// Clock is the sandbox's clock. When set, POST
	// /sandbox/linksim/clock/advance moves it forward.
	Clock *flowcore.OffsetClock
	// Notify is called, without blocking, after a request that may have
	// queued webhooks (see webhook.Dispatcher.Notify). Optional.
	Notify func()
	// Site serves GET and HEAD requests for paths that are not API
	// endpoints (the Link page and its files). Optional; without it such
	// requests are NOT_FOUND.
	Site http.Handler
	// MaxSessions bounds the live browser sessions (DefaultMaxSessions
	// when 0); SessionTTL is how long an idle one lives, by the sandbox
	// clock (DefaultSessionTTL when 0).
	MaxSessions int
	SessionTTL  time.Duration
	// Memory, when set, bounds the live browser sessions by its
	// LiveSessions share (least recently used evicted first) and the
	// request bodies read at once by its Bodies share, taken as their
	// bytes arrive: a request that waits for it longer than BodyWait
	// (DefaultBodyWait when 0) is answered 503 with Retry-After.
	Memory   store.MemoryBudget
	BodyWait time.Duration
	// WebhookKeys answers /webhook_verification_key/get with the public
	// key of the JWTs webhooks are signed with (webhook.Signer is one).
	// Optional; without it that endpoint is NOT_FOUND.
	WebhookKeys WebhookKeys
	// Logger receives one line per request (Info: method, path, status,
	// error_code, duration, request_id) and recovered panics. Optional.
	Logger *slog.Logger
	// Hosts are the host names (or IP addresses) requests may name in
	// their Host header besides the loopback ones (localhost, *.localhost,
	// 127.0.0.0/8, ::1), which are always allowed; "*" allows any. Other
	// hosts get 421, so a DNS-rebinding page cannot reach the API or read
	// the server's URL from link-initialize.js.
	Hosts []string
	// NoFaults turns faults on demand off (linksim -faults=false): a
	// Linksim-Fault header is then refused with INVALID_HEADERS, and
	// linksim's fault endpoints with NOT_FOUND, rather than ignored.
	NoFaults bool
}

// WebhookKeys finds the public key a webhook JWT's kid names.
type WebhookKeys interface {
	VerificationKey(kid string) (webhook.VerificationKey, bool)
}

// Handler is the Plaid API as an http.Handler. It is safe for concurrent use.
type Handler struct {
	sb       *sandbox.Sandbox
	clock    *flowcore.OffsetClock
	notify   func()
	site     http.Handler
	log      *slog.Logger
	sessions *sessionTable
	keys     WebhookKeys
	routes   map[string]route
	hosts    hostSet
	noFaults bool
	// bodies bounds the bytes of requests being read, decoded and answered
	// at once (see bodyBudget). nil: any.
	bodies *bodyBudget
}

// route is one endpoint.
type route struct {
	serve func(h *Handler, c *call) (any, *flowcore.Error)
	// browser marks the session endpoints: no API keys, CORS from any origin.
	browser bool
	// notify marks endpoints after which webhooks may be waiting.
	notify bool
	// answerBytes is the memory the endpoint's largest answers take while
	// they are made and written, counted with the body's (see bodyCost).
	answerBytes int64
}

// linkTokenGetBytes bounds what a /link/token/get answer takes: 10 sessions
// of 100 events, each with a 1 KiB search query that JSON may escape to 6
// KiB (about 7 MB of JSON), and the records it is made from.
const linkTokenGetBytes = 10 << 20

// New returns the API handler.
func New(o Options) *Handler {
	h := &Handler{sb: o.Sandbox, clock: o.Clock, notify: o.Notify, site: o.Site, log: o.Logger, keys: o.WebhookKeys, noFaults: o.NoFaults,
		sessions: newSessionTable(o.MaxSessions, o.Memory.LiveSessions(), o.SessionTTL, o.Sandbox.Now), hosts: newHostSet(o.Hosts)}
	if b := o.Memory.Bodies(); b > 0 {
		h.bodies = newBodyBudget(b, o.BodyWait)
	}
	if h.notify == nil {
		h.notify = func() {}
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	h.routes = endpoints()
	maps.Copy(h.routes, faultRoutes())
	if h.clock == nil {
		delete(h.routes, clockAdvancePath)
	}
	if h.keys == nil {
		delete(h.routes, webhookKeyPath)
	}
	return h
}

// call is one API request being answered.
type call struct {
	r         *http.Request
	body      []byte
	requestID string
	sb        *sandbox.Sandbox
	held      held // of the body budget, given back when answered
}

// ServeHTTP routes a request: API paths take POST only (OPTIONS too for
// the browser endpoints), other GET and HEAD requests go to the site, and
// anything else is NOT_FOUND. Each request gets one log line (Info).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.log.Enabled(r.Context(), slog.LevelInfo) {
		h.serve(w, r) // no line to write: nothing to record for it
		return
	}
	lw := &loggedResponse{ResponseWriter: w}
	defer h.logRequest(r, lw, time.Now())
	h.serve(lw, r)
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request) {
	if !h.hosts.allows(r.Host) {
		h.fail(w, flowcore.ErrHostNotAllowed(r.Host))
		return
	}
	rt, ok := h.routes[r.URL.Path]
	if !ok {
		if h.site != nil {
			h.site.ServeHTTP(w, r)
			return
		}
		h.fail(w, flowcore.ErrNotFound(r.URL.Path))
		return
	}
	if rt.browser {
		allowAnyOrigin(w.Header())
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "POST, OPTIONS")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
			w.Header().Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.fail(w, flowcore.ErrMethodNotAllowed(r.Method, http.MethodPost))
		return
	}
	latency, answered := h.forceFault(w, r, rt) // a Linksim-Fault header
	if answered {
		return
	}
	c := &call{r: r, requestID: h.sb.RequestID(), sb: h.sb}
	defer h.recoverPanic(w, c)
	resp, err, later := h.run(w, c, rt, latency)
	if later && sleep(r.Context(), latency) { // else the client left before the answer was due
		h.respond(w, c, resp, err)
	}
}

// run answers the call within the memory budget of bodies in flight (see
// bodyBudget: what it holds is given back when run returns) and writes its
// answer, or, when a fault delays it, returns it to be written once the
// latency has passed (later): a wait holds none of the budget.
func (h *Handler) run(w http.ResponseWriter, c *call, rt route, latency time.Duration) (resp any, err *flowcore.Error, later bool) {
	defer c.held.release()
	resp, err = h.answer(w, c, rt)
	if rt.notify {
		h.notify()
	}
	if latency > 0 {
		return resp, err, true
	}
	h.respond(w, c, resp, err)
	return nil, nil, false
}

// respond writes an endpoint's answer: resp, or err.
func (h *Handler) respond(w http.ResponseWriter, c *call, resp any, err *flowcore.Error) {
	if err != nil {
		h.writeError(w, err.WithRequestID(c.requestID))
		return
	}
	noteResponse(w, c.requestID, nil)
	write(w, http.StatusOK, resp)
}

// writeError writes an API error and notes its code for the request's log line.
func (h *Handler) writeError(w http.ResponseWriter, err *flowcore.Error) {
	if err.Status() == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", retryAfter)
	}
	noteResponse(w, err.RequestID, err)
	write(w, err.Status(), err)
}

// answer reads the body and runs the endpoint.
func (h *Handler) answer(w http.ResponseWriter, c *call, rt route) (any, *flowcore.Error) {
	if err := checkContentType(c.r.Header.Get("Content-Type")); err != nil {
		return nil, err
	}
	buf := bufPool.Get().(*bytes.Buffer)
	defer putBuf(buf)
	buf.Reset()
	var body io.Reader = http.MaxBytesReader(w, c.r.Body, MaxBodyBytes)
	if h.bodies != nil {
		body = h.bodies.reader(c.r.Context(), body, &c.held)
	}
	if _, err := buf.ReadFrom(body); err != nil {
		switch {
		case errors.As(err, new(*http.MaxBytesError)):
			return nil, flowcore.ErrBodyTooLarge(MaxBodyBytes)
		case errors.Is(err, errNoBudget):
			return nil, errBusy(h.bodies.wait)
		}
		return nil, flowcore.ErrInvalidBody("could not read the body: " + err.Error())
	}
	if h.bodies != nil && !h.bodies.decode(c.r.Context(), int64(buf.Len()), rt.answerBytes, &c.held) {
		return nil, errBusy(h.bodies.wait)
	}
	c.body = buf.Bytes()
	return rt.serve(h, c)
}

// checkContentType refuses every body not sent as application/json, as
// Plaid does. A body without a Content-Type is refused too: a web page of
// any origin may send one (or text/plain) without a CORS preflight, and
// the keyed API must never act on such a request.
func checkContentType(ct string) *flowcore.Error {
	if ct == "application/json" {
		return nil // what clients send; ParseMediaType would agree
	}
	if mt, _, err := mime.ParseMediaType(ct); err == nil && mt == "application/json" {
		return nil
	}
	if ct == "" {
		return flowcore.ErrInvalidBody("the request has no Content-Type; send it as application/json")
	}
	return flowcore.ErrInvalidBody(fmt.Sprintf("Content-Type %q is not application/json", ct))
}

// decode parses the body into req (a flowcore request type), checking it
// against Plaid's schema of the endpoint, then checks its API keys, taken
// from the body or, when the body has none, from the PLAID-CLIENT-ID and
// PLAID-SECRET headers.
func (c *call) decode(req any, creds *flowcore.Credentials) *flowcore.Error {
	if err := flowcore.DecodeRequest(c.r.URL.Path, c.body, req); err != nil {
		return err
	}
	if creds == nil {
		return nil
	}
	if creds.ClientID == "" {
		creds.ClientID = c.r.Header.Get("Plaid-Client-Id")
	}
	if creds.Secret == "" {
		creds.Secret = c.r.Header.Get("Plaid-Secret")
	}
	return c.sb.Authenticate(*creds)
}

// recoverPanic turns a panic in an endpoint into INTERNAL_SERVER_ERROR.
func (h *Handler) recoverPanic(w http.ResponseWriter, c *call) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	h.log.Error("plaidapi: panic", "path", c.r.URL.Path, "request_id", c.requestID, "panic", v)
	h.writeError(w, flowcore.ErrInternal(fmt.Sprint(v)).WithRequestID(c.requestID))
}

// fail answers a request that reached no endpoint.
func (h *Handler) fail(w http.ResponseWriter, err *flowcore.Error) {
	h.writeError(w, err.WithRequestID(h.sb.RequestID()))
}

// SiteError answers a request for the page's files that failed (no such
// file, a method other than GET or HEAD, a file that cannot be read) with
// the same Plaid-shaped JSON error as the API: wire it as the site's
// site.Options.Fail.
func (h *Handler) SiteError(w http.ResponseWriter, r *http.Request, status int, detail string) {
	var err *flowcore.Error
	switch status {
	case http.StatusNotFound:
		err = flowcore.ErrNotFound(r.URL.Path)
	case http.StatusMethodNotAllowed:
		err = flowcore.ErrMethodNotAllowed(r.Method, "GET or HEAD")
	default:
		err = flowcore.ErrInternal(detail)
	}
	h.fail(w, err)
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// encoder is a buffer with its JSON encoder, reused across responses.
type encoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var encoders = sync.Pool{New: func() any {
	e := new(encoder)
	e.enc = json.NewEncoder(&e.buf)
	return e
}}

func putBuf(b *bytes.Buffer) {
	if b.Cap() <= 64<<10 {
		bufPool.Put(b)
	}
}

var (
	jsonContentType = []string{"application/json; charset=utf-8"}
	noStore         = []string{"no-store"}
	noSniff         = []string{"nosniff"}
)

// write writes every response: v as JSON with the given status.
func write(w http.ResponseWriter, status int, v any) {
	e := encoders.Get().(*encoder)
	defer func() {
		if e.buf.Cap() <= 64<<10 {
			encoders.Put(e)
		}
	}()
	buf := &e.buf
	buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		buf.Reset()
		status = http.StatusInternalServerError
		_ = e.enc.Encode(flowcore.ErrInternal("could not encode the response: " + err.Error()))
	}
	hdr := w.Header()
	// The fixed values are shared, not made per response (net/http copies
	// the map when it sends it and changes no value).
	hdr["Content-Type"] = jsonContentType
	hdr.Set("Content-Length", strconv.Itoa(buf.Len()))
	hdr["Cache-Control"] = noStore // tokens and account numbers: never cached
	hdr["X-Content-Type-Options"] = noSniff
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func allowAnyOrigin(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
}

// AllowAnyOrigin wraps a handler so its responses may be read by pages of
// any origin: an app page elsewhere loads linksim's link-initialize.js and
// the stylesheet it brings in.
func AllowAnyOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		allowAnyOrigin(w.Header())
		next.ServeHTTP(w, r)
	})
}
