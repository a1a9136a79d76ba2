package sandbox

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/jsoncodec"
)

// This file holds the record of Link sessions that /link/token/get returns
// as link_sessions: every session run on a link token (in the server's
// browser Link, in-page, or hosted) is written down as it goes, compactly.

// LinkSessionRetention is how long after it ended /link/token/get still
// lists a session: six hours, as Plaid documents.
const LinkSessionRetention = 6 * time.Hour

// linkSessions renders a token's sessions, leaving out those that ended
// more than LinkSessionRetention ago; their events only when
// completeEvents (see Sandbox.completeEvents).
func (s *Sandbox) linkSessions(token string, completeEvents bool) []LinkSession {
	now := s.clock.Now()
	recs := s.store.LinkSessions(token)
	out := make([]LinkSession, 0, len(recs))
	for i := range recs {
		if f := recs[i].FinishedAt; f != nil && now.Sub(*f) > LinkSessionRetention {
			continue
		}
		out = append(out, linkSession(&recs[i], completeEvents))
	}
	return out
}

// recordSessionStart writes down a session that has just started.
func (s *Sandbox) recordSessionStart(sess *flowcore.Session) {
	rec := flowcore.LinkSessionRecord{ID: sess.ID(), StartedAt: s.clock.Now()}
	s.store.UpdateLinkSession(sess.Token(), sess.ID(), func(r *flowcore.LinkSessionRecord) { *r = rec })
}

// recordStep adds what one action did to its session's record: its
// events (up to MaxEventsPerLinkSession) and, when the session ended,
// how. The step itself is left as it is.
func (s *Sandbox) recordStep(sess *flowcore.Session, step *flowcore.Step) {
	if len(step.Events) == 0 && step.Success == nil && step.Exit == nil && step.Added == nil {
		return
	}
	now := s.clock.Now()
	var rec flowcore.LinkSessionRecord // as it stands after the step, for the LINK webhooks
	s.store.UpdateLinkSession(sess.Token(), sess.ID(), func(r *flowcore.LinkSessionRecord) {
		if r.ID == "" {
			r.ID, r.StartedAt = sess.ID(), now
		}
		if room := flowcore.MaxEventsPerLinkSession - len(r.Events); room > 0 {
			r.Events = append(slices.Clip(r.Events), step.Events[:min(room, len(step.Events))]...)
		}
		if step.Added != nil {
			r.Added = append(slices.Clip(r.Added), *step.Added)
		}
		if step.Success != nil || step.Exit != nil {
			r.FinishedAt, r.Success, r.Exit = &now, step.Success, step.Exit
		}
		rec = *r
	})
	s.queueLinkWebhooks(sess, step, &rec)
}

// The shapes of /link/token/get's link_sessions
// (LinkTokenGetSessionsResponse and what it holds).

// LinkSession is one entry of link_sessions.
type LinkSession struct {
	LinkSessionID string              `json:"link_session_id"`
	StartedAt     string              `json:"started_at"`
	FinishedAt    *string             `json:"finished_at"`
	Events        []LinkEvent         `json:"events"`
	Results       *LinkSessionResults `json:"results,omitempty"`
	// OnSuccess is the deprecated form of Results that older clients read.
	OnSuccess *LinkSessionSuccess `json:"on_success,omitempty"`
	Exit      *LinkSessionExit    `json:"exit,omitempty"`
	// OnExit is the deprecated form of Exit that older clients read.
	OnExit *LinkSessionExit `json:"on_exit,omitempty"`
}

// LinkEvent is an event of a recorded session.
type LinkEvent struct {
	EventName     flowcore.EventName     `json:"event_name"`
	Timestamp     string                 `json:"timestamp"`
	EventID       string                 `json:"event_id"`
	EventMetadata flowcore.EventMetadata `json:"event_metadata"`
}

// MarshalJSON writes the event with only the metadata fields it has: in
// link_sessions Plaid leaves absent ones out (its LinkEventMetadata strings
// are not nullable, and its examples omit them), where onEvent sends null.
func (e LinkEvent) MarshalJSON() ([]byte, error) { return e.AppendJSON(nil), nil }

func (e LinkEvent) AppendJSON(b []byte) []byte {
	md, _ := jsoncodec.Marshal(e.EventMetadata) // strings, numbers and booleans: it cannot fail
	fields := jsoncodec.NonNullMembers(md)
	b, _ = jsoncodec.Append(b, struct {
		EventName     flowcore.EventName           `json:"event_name"`
		Timestamp     string                       `json:"timestamp"`
		EventID       string                       `json:"event_id"`
		EventMetadata map[string]jsoncodec.RawJSON `json:"event_metadata"`
	}{e.EventName, e.Timestamp, e.EventID, fields})
	return b
}

// LinkSessionResults are the results of a session that linked an Item.
type LinkSessionResults struct {
	ItemAddResults        []LinkSessionItemAddResult `json:"item_add_results"`
	CRAItemAddResults     []struct{}                 `json:"cra_item_add_results"`
	CRAUpdateResults      []struct{}                 `json:"cra_update_results"`
	BankIncomeResults     []struct{}                 `json:"bank_income_results"`
	PayrollIncomeResults  []struct{}                 `json:"payroll_income_results"`
	DocumentIncomeResults *struct{}                  `json:"document_income_results"`
}

// LinkSessionItemAddResult is one Item a session added.
type LinkSessionItemAddResult struct {
	PublicToken string                   `json:"public_token"`
	Accounts    []flowcore.LinkAccount   `json:"accounts"`
	Institution *flowcore.InstitutionRef `json:"institution"`
}

// LinkSessionSuccess is onSuccess as link_sessions carries it.
type LinkSessionSuccess struct {
	PublicToken string                     `json:"public_token"`
	Metadata    LinkSessionSuccessMetadata `json:"metadata"`
}

// LinkSessionSuccessMetadata is the metadata of LinkSessionSuccess.
type LinkSessionSuccessMetadata struct {
	Institution    *flowcore.InstitutionRef `json:"institution"`
	Accounts       []flowcore.LinkAccount   `json:"accounts"`
	LinkSessionID  string                   `json:"link_session_id"`
	TransferStatus *string                  `json:"transfer_status"`
}

// LinkSessionExit is onExit as link_sessions carries it.
type LinkSessionExit struct {
	Error    *flowcore.Error       `json:"error"`
	Metadata flowcore.ExitMetadata `json:"metadata"`
}

// linkSession renders a record in Plaid's shape, with its events only
// when completeEvents. results lists every Item the session added; the
// deprecated on_success holds the first, as Plaid's does in Multi-Item
// Link ("it will contain only one public token").
func linkSession(r *flowcore.LinkSessionRecord, completeEvents bool) LinkSession {
	out := LinkSession{LinkSessionID: r.ID, StartedAt: rfc3339(r.StartedAt), Events: []LinkEvent{}}
	if r.FinishedAt != nil {
		f := rfc3339(*r.FinishedAt)
		out.FinishedAt = &f
	}
	if completeEvents {
		out.Events = linkEvents(r)
	}
	if len(r.Added) > 0 {
		out.Results = &LinkSessionResults{ItemAddResults: make([]LinkSessionItemAddResult, 0, len(r.Added)),
			CRAItemAddResults: []struct{}{}, CRAUpdateResults: []struct{}{}, BankIncomeResults: []struct{}{},
			PayrollIncomeResults: []struct{}{}}
		for _, a := range r.Added {
			out.Results.ItemAddResults = append(out.Results.ItemAddResults, LinkSessionItemAddResult{
				PublicToken: a.PublicToken, Accounts: orEmptyAccounts(a.Metadata.Accounts), Institution: a.Metadata.Institution})
		}
		s := r.Added[0]
		out.OnSuccess = &LinkSessionSuccess{PublicToken: s.PublicToken, Metadata: LinkSessionSuccessMetadata{
			Institution: s.Metadata.Institution, Accounts: orEmptyAccounts(s.Metadata.Accounts), LinkSessionID: s.Metadata.LinkSessionID,
			TransferStatus: s.Metadata.TransferStatus}}
	}
	if e := r.Exit; e != nil {
		x := LinkSessionExit{Error: e.Error, Metadata: e.Metadata}
		out.Exit, out.OnExit = &x, &x
	}
	return out
}

// linkEvents are a record's events in Plaid's LinkEvent shape.
func linkEvents(r *flowcore.LinkSessionRecord) []LinkEvent {
	out := make([]LinkEvent, 0, len(r.Events))
	for i, e := range r.Events {
		out = append(out, LinkEvent{EventName: e.Name, Timestamp: e.Metadata.Timestamp,
			EventID: eventID(r.ID, i), EventMetadata: e.Metadata})
	}
	return out
}

func orEmptyAccounts(a []flowcore.LinkAccount) []flowcore.LinkAccount {
	if a == nil {
		return []flowcore.LinkAccount{}
	}
	return a
}

// eventID is a recorded event's event_id: a UUID made from the session id
// and the event's place, so it is stable and costs the session no
// randomness (the session's own ids stay as they were).
func eventID(sessionID string, i int) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(sessionID))
	return flowcore.RandomUUID(rand.New(rand.NewPCG(h.Sum64(), uint64(i))))
}
