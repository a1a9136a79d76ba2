package plaidapi

import (
	"container/list"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/store"
)

// The browser session endpoints. The Link page served by linksim, opened
// with a link token this server minted, runs its session here: it starts
// one, then sends each user action and renders the Step flowcore returns.
// The server is the one decider; the page computes nothing.
const (
	sessionStartPath  = "/linksim/session/start"
	sessionActionPath = "/linksim/session/action"
	sessionClosePath  = "/linksim/session/close"
)

// Bounds of the live session table.
const (
	DefaultMaxSessions = 10000
	DefaultSessionTTL  = 30 * time.Minute
)

// sessionStartRequest is the body of sessionStartPath. A missing token is
// left for flowcore to refuse as INVALID_LINK_TOKEN, as Link does.
type sessionStartRequest struct {
	LinkToken string `json:"link_token"`
}

// sessionStartResponse answers sessionStartPath: the session's handle, its
// link_session_id and the Step before "open", with no events. The handle
// is a secret capability of the page that started the session (128 bits
// from crypto/rand, whatever the sandbox's seed): it never appears in a
// Plaid payload, so the link_session_id an app logs or a guess gets nothing.
//
// HostedLink is set for a Hosted Link token: the hosted page goes to its
// completion_redirect_uri when Link closes, and takes it from here (the
// token's own config), never from the page's URL.
type sessionStartResponse struct {
	SessionID     string             `json:"session_id"`
	LinkSessionID string             `json:"link_session_id"`
	Step          flowcore.Step      `json:"step"`
	HostedLink    *hostedLinkSession `json:"hosted_link,omitempty"`
	RequestID     string             `json:"request_id"`
}

// hostedLinkSession is what the hosted page needs of its token's hosted_link.
type hostedLinkSession struct {
	CompletionRedirectURI string `json:"completion_redirect_uri,omitempty"`
}

// sessionActionRequest is the body of sessionActionPath.
type sessionActionRequest struct {
	SessionID string           `json:"session_id" plaid:"required"`
	Action    *flowcore.Action `json:"action" plaid:"required"`
}

// stepResponse answers sessionActionPath: the Step, plus a request_id.
type stepResponse struct {
	flowcore.Step
	RequestID string `json:"request_id"`
}

func sessionStart(h *Handler, c *call) (any, *flowcore.Error) {
	var req sessionStartRequest
	if err := c.decode(&req, nil); err != nil {
		return nil, err
	}
	sess, err := c.sb.StartSession(req.LinkToken, c.sb.NewSeed())
	if err != nil {
		return nil, err
	}
	handle := h.sessions.add(sess, store.SizeOf(sess))
	step := flowcore.Step{Events: []flowcore.Event{}, Screen: sess.Screen()}
	resp := sessionStartResponse{SessionID: handle, LinkSessionID: sess.ID(), Step: step, RequestID: c.requestID}
	if hl := sess.Config().HostedLink; hl != nil {
		resp.HostedLink = &hostedLinkSession{CompletionRedirectURI: hl.CompletionRedirectURI}
	}
	return resp, nil
}

func sessionAction(h *Handler, c *call) (any, *flowcore.Error) {
	var req sessionActionRequest
	if err := c.decode(&req, nil); err != nil {
		return nil, err
	}
	ls, ok := h.sessions.get(req.SessionID)
	if !ok {
		return nil, &flowcore.Error{Type: flowcore.ErrorTypeInvalidInput, Code: "INVALID_LINK_TOKEN",
			Message: "the Link session has ended or expired; open Link again", DisplayMessage: "Something went wrong. Please restart the process."}
	}
	ls.mu.Lock()
	step, err := ls.sess.Do(*req.Action)
	done, size, state := ls.sess.Done(), store.SizeOf(ls.sess), ls.sess.OAuthStateID()
	ls.mu.Unlock()
	if err != nil {
		return nil, asFlowError(err)
	}
	if req.Action.Type == flowcore.ActionOAuthResult {
		h.sessions.used(req.Action.OAuthStateID)
	}
	if state != "" {
		h.sessions.index(ls, state) // the bank's page is open: a redirect may come back for it
	}
	if done {
		h.sessions.remove(req.SessionID)
	} else {
		h.sessions.resize(ls, size)
	}
	if step.Events == nil {
		step.Events = []flowcore.Event{}
	}
	return stepResponse{Step: step, RequestID: c.requestID}, nil
}

// asFlowError returns err, an error of flowcore.Session.Do, as Plaid's error.
func asFlowError(err error) *flowcore.Error {
	var fe *flowcore.Error
	if errors.As(err, &fe) {
		return fe
	}
	return flowcore.ErrInternal(err.Error())
}

// sessionCloseRequest is the body of sessionClosePath: the page destroyed
// its handler, so the session's slot can go at once.
type sessionCloseRequest struct {
	SessionID string `json:"session_id" plaid:"required"`
}

// sessionCloseResponse answers sessionClosePath: whether the session was
// still live.
type sessionCloseResponse struct {
	Closed    bool   `json:"closed"`
	RequestID string `json:"request_id"`
}

func sessionClose(h *Handler, c *call) (any, *flowcore.Error) {
	var req sessionCloseRequest
	if err := c.decode(&req, nil); err != nil {
		return nil, err
	}
	return sessionCloseResponse{Closed: h.sessions.remove(req.SessionID), RequestID: c.requestID}, nil
}

// liveSession is a session in the table, by its handle; mu serialises its actions, since a
// flowcore.Session is not safe for concurrent use.
type liveSession struct {
	id       string
	mu       sync.Mutex
	sess     *flowcore.Session
	lastUsed time.Time     // guarded by the table's mutex
	pos      *list.Element // in the table's order, least recently used first; nil once dropped
	size     int64         // the session's Size when last measured; guarded by the table's mutex
	// state is the oauth_state_id of the bank page the session has open and
	// result the bank page's answer for it; guarded by the table's mutex.
	state  string
	result flowcore.OAuthResult
}

// sessionTable holds the live sessions: at most max, taking at most
// maxBytes together (by flowcore.Session.Size; any when 0), each forgotten
// after ttl without an action, least recently used evicted first.
type sessionTable struct {
	mu       sync.Mutex
	max      int
	maxBytes int64
	bytes    int64
	ttl      time.Duration
	now      func() time.Time
	m        map[string]*liveSession
	order    *list.List
	// states finds a session by the oauth_state_id of its open bank page;
	// usedStates remembers the state ids answered (at most max, oldest
	// forgotten first), so a second answer is ALREADY_PROCESSED.
	states     map[string]*liveSession
	usedStates map[string]bool
	usedOrder  []string
}

// liveSessionOverhead is what the table spends on a session besides the
// session itself: its entry, handle, list element and mutex.
const liveSessionOverhead = 256

func newSessionTable(max int, maxBytes int64, ttl time.Duration, now func() time.Time) *sessionTable {
	if max <= 0 {
		max = DefaultMaxSessions
	}
	if ttl <= 0 {
		ttl = DefaultSessionTTL
	}
	return &sessionTable{max: max, maxBytes: maxBytes, ttl: ttl, now: now, m: map[string]*liveSession{}, order: list.New(),
		states: map[string]*liveSession{}, usedStates: map[string]bool{}}
}

// add keeps a session of the given size and returns its handle, a fresh
// secret.
func (t *sessionTable) add(sess *flowcore.Session, size int64) string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	handle := hex.EncodeToString(b[:])
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.expire(now)
	for len(t.m) >= t.max {
		t.drop(t.order.Front().Value.(*liveSession))
	}
	ls := &liveSession{id: handle, sess: sess, lastUsed: now, size: size + liveSessionOverhead}
	ls.pos = t.order.PushBack(ls)
	t.m[ls.id] = ls
	t.bytes += ls.size
	t.shrink()
	return handle
}

// resize records a session's new size, evicting the least recently used
// others while the table is over its bytes.
func (t *sessionTable) resize(ls *liveSession, size int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if ls.pos == nil {
		return // dropped meanwhile
	}
	t.bytes += size + liveSessionOverhead - ls.size
	ls.size = size + liveSessionOverhead
	t.shrink()
}

// shrink evicts the least recently used sessions, never the most recent
// one, while the table is over maxBytes; the caller holds mu.
func (t *sessionTable) shrink() {
	for t.maxBytes > 0 && t.bytes > t.maxBytes && t.order.Len() > 1 {
		t.drop(t.order.Front().Value.(*liveSession))
	}
}

func (t *sessionTable) get(id string) (*liveSession, bool) {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.expire(now)
	ls, ok := t.m[id]
	if !ok {
		return nil, false
	}
	ls.lastUsed = now
	t.order.MoveToBack(ls.pos)
	return ls, true
}

// remove forgets a session and reports whether it was there.
func (t *sessionTable) remove(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	ls, ok := t.m[id]
	if ok {
		t.drop(ls)
	}
	return ok
}

func (t *sessionTable) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}

// expire drops the sessions idle longer than ttl; the caller holds mu.
func (t *sessionTable) expire(now time.Time) {
	for e := t.order.Front(); e != nil; e = t.order.Front() {
		ls := e.Value.(*liveSession)
		if now.Sub(ls.lastUsed) < t.ttl {
			return
		}
		t.drop(ls)
	}
}

func (t *sessionTable) drop(ls *liveSession) {
	if ls.state != "" && t.states[ls.state] == ls {
		delete(t.states, ls.state)
	}
	t.order.Remove(ls.pos)
	ls.pos = nil
	delete(t.m, ls.id)
	t.bytes -= ls.size
}

// index records that ls has a bank page open for state.
func (t *sessionTable) index(ls *liveSession, state string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if ls.pos == nil || ls.state == state {
		return
	}
	if ls.state != "" {
		delete(t.states, ls.state)
	}
	ls.state, ls.result = state, ""
	t.states[state] = ls
}

// authorize records the bank page's answer for state.
func (t *sessionTable) authorize(state string, result flowcore.OAuthResult) *flowcore.Error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.usedStates[state] {
		return flowcore.ErrOAuthStateIDAlreadyProcessed()
	}
	ls, ok := t.states[state]
	if !ok {
		return flowcore.ErrOAuthStateIDNotFound()
	}
	ls.result = result
	return nil
}

// byState returns the session with a bank page open for state and the
// page's answer ("" when none).
func (t *sessionTable) byState(state string) (*liveSession, flowcore.OAuthResult, *flowcore.Error) {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.expire(now)
	if t.usedStates[state] {
		return nil, "", flowcore.ErrOAuthStateIDAlreadyProcessed()
	}
	ls, ok := t.states[state]
	if !ok || state == "" {
		return nil, "", flowcore.ErrOAuthStateIDNotFound()
	}
	ls.lastUsed = now
	t.order.MoveToBack(ls.pos)
	return ls, ls.result, nil
}

// used forgets state's session link and remembers state as answered.
func (t *sessionTable) used(state string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if ls, ok := t.states[state]; ok {
		delete(t.states, state)
		ls.state, ls.result = "", ""
	}
	if t.usedStates[state] {
		return
	}
	t.usedStates[state] = true
	t.usedOrder = append(t.usedOrder, state)
	if len(t.usedOrder) > t.max {
		delete(t.usedStates, t.usedOrder[0])
		t.usedOrder = t.usedOrder[1:]
	}
}
