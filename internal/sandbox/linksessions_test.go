package sandbox

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// instantAuth drives a whole Instant Auth session on a new token and
// returns the token and the session.
func (h *harness) instantAuth() (string, *flowcore.Session) {
	h.t.Helper()
	tok := h.token(config(""))
	s, err := h.sb.StartSession(tok, 7)
	require.Nil(h.t, err)
	h.steps = nil
	for _, a := range []flowcore.Action{act(flowcore.ActionOpen), act(flowcore.ActionContinue), search("platypus"), pick("ins_109508"),
		login("user_good", "pass_good")} {
		h.do(s, a)
	}
	h.do(s, selectMasks(h.t, s, "0000"))
	h.do(s, act(flowcore.ActionContinue))
	require.True(h.t, s.Done())
	return tok, s
}

func TestLinkTokenGetRecordsSessions(t *testing.T) {
	tests := []struct {
		name  string
		drive func(h *harness) (token string, s *flowcore.Session)
		check func(t *testing.T, h *harness, got LinkSession)
	}{
		{"success", (*harness).instantAuth, func(t *testing.T, h *harness, got LinkSession) {
			succ := h.last().Success
			require.NotNil(t, got.FinishedAt)
			require.NotNil(t, got.Results)
			require.Len(t, got.Results.ItemAddResults, 1)
			r := got.Results.ItemAddResults[0]
			assert.Equal(t, succ.PublicToken, r.PublicToken)
			assert.Equal(t, succ.Metadata.Accounts, r.Accounts)
			assert.Equal(t, &flowcore.InstitutionRef{Name: "First Platypus Bank", InstitutionID: "ins_109508"}, r.Institution)
			require.NotNil(t, got.OnSuccess)
			assert.Equal(t, succ.PublicToken, got.OnSuccess.PublicToken)
			assert.Nil(t, got.Exit)
			assert.Equal(t, "HANDOFF", string(got.Events[len(got.Events)-1].EventName))
		}},
		{"exit", func(h *harness) (string, *flowcore.Session) {
			tok := h.token(config(""))
			s, err := h.sb.StartSession(tok, 7)
			require.Nil(h.t, err)
			h.steps = nil
			for _, a := range []flowcore.Action{act(flowcore.ActionOpen), act(flowcore.ActionContinue), search("platypus"), pick("ins_109508"),
				{Type: flowcore.ActionExit, Force: true}} {
				h.do(s, a)
			}
			return tok, s
		}, func(t *testing.T, h *harness, got LinkSession) {
			require.NotNil(t, got.FinishedAt)
			require.NotNil(t, got.Exit)
			assert.Equal(t, h.last().Exit.Metadata, got.Exit.Metadata)
			assert.Equal(t, flowcore.ExitRequiresCredentials, *got.Exit.Metadata.Status)
			assert.Equal(t, got.Exit, got.OnExit)
			assert.Nil(t, got.Results)
			assert.Nil(t, got.OnSuccess)
		}},
		{"unfinished", func(h *harness) (string, *flowcore.Session) {
			tok := h.token(config(""))
			s, err := h.sb.StartSession(tok, 7)
			require.Nil(h.t, err)
			h.steps = nil
			h.do(s, act(flowcore.ActionOpen))
			return tok, s
		}, func(t *testing.T, h *harness, got LinkSession) {
			assert.Nil(t, got.FinishedAt)
			assert.Nil(t, got.Results)
			assert.Nil(t, got.Exit)
			require.Len(t, got.Events, 1)
			assert.Equal(t, "OPEN", string(got.Events[0].EventName))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.sb.linkEvents = true // every session's events (see TestLinkTokenGetEventsByDefault)
			tok, s := tt.drive(h)
			resp, err := h.sb.GetLinkToken(tok)
			require.Nil(t, err)
			require.Len(t, resp.LinkSessions, 1)
			got := resp.LinkSessions[0]
			assert.Equal(t, s.ID(), got.LinkSessionID)
			assert.Equal(t, rfc3339(t0), got.StartedAt)
			var all []flowcore.Event
			for _, st := range h.steps {
				all = append(all, st.Events...)
			}
			require.Len(t, got.Events, len(all), "every event the session emitted is recorded")
			ids := map[string]bool{}
			for i, e := range got.Events {
				assert.Equal(t, all[i].Name, e.EventName)
				assert.Equal(t, all[i].Metadata, e.EventMetadata)
				assert.Equal(t, all[i].Metadata.Timestamp, e.Timestamp)
				assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, e.EventID)
				ids[e.EventID] = true
			}
			assert.Len(t, ids, len(got.Events), "event ids are unique")
			tt.check(t, h, got)
		})
	}
}

func TestRecordingLeavesSessionsAsTheyWere(t *testing.T) {
	// The same token, seed and actions give the same session whether or
	// not the token's earlier sessions were recorded: recording costs the
	// session no randomness and changes no step.
	a, b := newHarness(t), newHarness(t)
	_, s1 := a.instantAuth()
	steps1 := a.steps
	_, s2 := b.instantAuth()
	assert.Equal(t, s1.ID(), s2.ID())
	assert.Equal(t, steps1, b.steps)
	resp, err := a.sb.GetLinkToken(s1.Token())
	require.Nil(t, err)
	again, err := a.sb.GetLinkToken(s1.Token())
	require.Nil(t, err)
	assert.Equal(t, resp.LinkSessions, again.LinkSessions, "event ids are stable across calls")
}

func TestLinkSessionsAreBounded(t *testing.T) {
	h := newHarness(t)
	h.sb.linkEvents = true
	tok := h.token(config(""))
	var ids []string
	for i := 0; i < flowcore.MaxLinkSessionsPerToken+3; i++ {
		s, err := h.sb.StartSession(tok, uint64(i))
		require.Nil(t, err)
		ids = append(ids, s.ID())
		h.do(s, act(flowcore.ActionOpen))
		h.do(s, act(flowcore.ActionContinue))
		for j := 0; j < flowcore.MaxEventsPerLinkSession; j++ { // each search emits an event or two
			h.do(s, search(fmt.Sprint("query ", j)))
		}
	}
	resp, err := h.sb.GetLinkToken(tok)
	require.Nil(t, err)
	require.Len(t, resp.LinkSessions, flowcore.MaxLinkSessionsPerToken, "only the newest sessions are kept")
	assert.Equal(t, ids[3], resp.LinkSessions[0].LinkSessionID)
	assert.Equal(t, ids[len(ids)-1], resp.LinkSessions[flowcore.MaxLinkSessionsPerToken-1].LinkSessionID)
	for _, ls := range resp.LinkSessions {
		assert.Len(t, ls.Events, flowcore.MaxEventsPerLinkSession)
	}
}

func TestLinkSessionJSONShape(t *testing.T) {
	h := newHarness(t)
	h.sb.linkEvents = true
	tok, _ := h.instantAuth()
	resp, err := h.sb.GetLinkToken(tok)
	require.Nil(t, err)
	b, jerr := json.Marshal(resp)
	require.NoError(t, jerr)
	var doc struct {
		LinkSessions []map[string]json.RawMessage `json:"link_sessions"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	require.Len(t, doc.LinkSessions, 1)
	ls := doc.LinkSessions[0]
	for _, k := range []string{"link_session_id", "started_at", "finished_at", "events", "results", "on_success"} {
		assert.Contains(t, ls, k)
	}
	var results map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(ls["results"], &results))
	for _, k := range []string{"item_add_results", "cra_item_add_results", "cra_update_results", "bank_income_results",
		"payroll_income_results", "document_income_results"} {
		assert.Contains(t, results, k, "LinkSessionResults requires %s", k)
	}
	var events []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(ls["events"], &events))
	for _, k := range []string{"event_name", "timestamp", "event_id", "event_metadata"} {
		assert.Contains(t, events[0], k)
	}
}

func TestLinkSessionsLastSixHoursAfterTheyEnd(t *testing.T) {
	h := newHarness(t)
	tok, _ := h.instantAuth()
	open, err := h.sb.StartSession(tok, 8) // never finishes
	require.Nil(t, err)
	h.do(open, act(flowcore.ActionOpen))
	count := func() int {
		resp, err := h.sb.GetLinkToken(tok)
		require.Nil(t, err)
		return len(resp.LinkSessions)
	}
	h.clock.Advance(LinkSessionRetention)
	assert.Equal(t, 2, count())
	h.clock.Advance(time.Second)
	assert.Equal(t, 1, count(), "the finished session is gone, the open one stays")
}

// TestLinkTokenGetEventsByDefault: as on a default Plaid account,
// /link/token/get has complete event data only for Hosted Link sessions;
// every session is listed with its results, and LinkEvents gives every
// session its events.
func TestLinkTokenGetEventsByDefault(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		linkEvents bool
		events     bool
	}{
		{"web", config(""), false, false},
		{"hosted", config(`{"hosted_link":{}}`), false, true},
		{"web with Link events", config(""), true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.sb.linkEvents = tt.linkEvents
			tok := h.token(tt.body)
			s, err := h.sb.StartSession(tok, 7)
			require.Nil(t, err)
			for _, a := range []flowcore.Action{act(flowcore.ActionOpen), act(flowcore.ActionContinue), search("platypus"),
				pick("ins_109508"), login("user_good", "pass_good")} {
				h.do(s, a)
			}
			h.do(s, selectMasks(t, s, "0000"))
			succ := h.do(s, act(flowcore.ActionContinue)).Success
			require.NotNil(t, succ)
			resp, gerr := h.sb.GetLinkToken(tok)
			require.Nil(t, gerr)
			require.Len(t, resp.LinkSessions, 1)
			got := resp.LinkSessions[0]
			require.NotNil(t, got.Results, "results are listed for every session")
			assert.Equal(t, succ.PublicToken, got.Results.ItemAddResults[0].PublicToken)
			assert.NotNil(t, got.Events, "events is always a list")
			if tt.events {
				assert.Len(t, got.Events, 10)
			} else {
				assert.Empty(t, got.Events)
			}
		})
	}
}
