package flowcore

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// harness is a sandbox on a fixed clock with helpers to drive sessions.
type harness struct {
	t     *testing.T
	sb    *Sandbox
	clock *FixedClock
	steps []Step // every step of the last session driven with run
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	clock := NewFixedClock(t0)
	return &harness{t: t, clock: clock, sb: NewSandbox(Options{Clock: clock, Seed: 42})}
}

// config is a /link/token/create body for auth in the US, with extra
// top-level JSON fields merged in.
func config(extra string) string {
	base := map[string]any{"client_name": "Linksim Demo App", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "user-1"}, "products": []string{"auth"}}
	if extra != "" {
		var m map[string]any
		if err := json.Unmarshal([]byte(extra), &m); err != nil {
			panic(err)
		}
		for k, v := range m {
			base[k] = v
		}
	}
	b, _ := json.Marshal(base)
	return string(b)
}

func (h *harness) token(body string) string {
	h.t.Helper()
	var req LinkTokenCreateRequest
	require.Nil(h.t, DecodeRequest("/link/token/create", []byte(body), &req))
	resp, err := h.sb.CreateLinkToken(&req)
	require.Nil(h.t, err)
	return resp.LinkToken
}

// open starts a session with a config and opens it.
func (h *harness) open(body string) *Session {
	h.t.Helper()
	s, err := h.sb.StartSession(h.token(body), 7)
	require.Nil(h.t, err)
	h.steps = nil
	h.do(s, Action{Type: ActionOpen})
	return s
}

func (h *harness) do(s *Session, a Action) Step {
	h.t.Helper()
	step, err := s.Do(a)
	require.NoError(h.t, err, "action %+v in pane %s", a, s.Screen().Pane)
	h.steps = append(h.steps, step)
	return step
}

// trace labels every event of the steps: NAME, NAME:VIEW for OPEN and
// TRANSITION_VIEW, and :mfa_type where one is set.
func (h *harness) trace() []string {
	var out []string
	for _, st := range h.steps {
		out = append(out, labels(st.Events)...)
	}
	return out
}

func labels(events []Event) []string {
	var out []string
	for _, e := range events {
		l := string(e.Name)
		if v := e.Metadata.ViewName; v != nil {
			l += ":" + string(*v)
		}
		if m := e.Metadata.MFAType; m != nil {
			l += ":" + string(*m)
		}
		out = append(out, l)
	}
	return out
}

// last returns the last step.
func (h *harness) last() Step { return h.steps[len(h.steps)-1] }

func act(t ActionType) Action { return Action{Type: t} }
func search(q string) Action  { return Action{Type: ActionSearch, Query: q} }
func pick(id string) Action   { return Action{Type: ActionSelectInstitution, InstitutionID: id} }
func login(user, pass string) Action {
	return Action{Type: ActionSubmitCredentials, Username: user, Password: pass}
}
func mfa(answers ...string) Action { return Action{Type: ActionSubmitMFA, Answers: answers} }
func numbers(rn, an string) Action {
	return Action{Type: ActionSubmitNumbers, RoutingNumber: rn, AccountNumber: an}
}
func numbersAndName(rn, an, legalName string) Action {
	return Action{Type: ActionSubmitNumbers, RoutingNumber: rn, AccountNumber: an, LegalName: legalName}
}
func routing(rn string) Action { return Action{Type: ActionSubmitRoutingNumber, RoutingNumber: rn} }
func account(an string) Action { return Action{Type: ActionSubmitAccountNumber, AccountNumber: an} }
func name(n string) Action     { return Action{Type: ActionSubmitLegalName, LegalName: n} }
func code(c string) Action     { return Action{Type: ActionSubmitCode, Code: c} }

// accountID returns the id of the listed account with a mask.
func accountID(t *testing.T, s *Session, mask string) string {
	t.Helper()
	for _, a := range s.Screen().Accounts {
		if a.Mask == mask {
			return a.ID
		}
	}
	t.Fatalf("no account with mask %s in pane %s", mask, s.Screen().Pane)
	return ""
}

func selectMasks(t *testing.T, s *Session, masks ...string) Action {
	var ids []string
	for _, m := range masks {
		ids = append(ids, accountID(t, s, m))
	}
	return Action{Type: ActionSelectAccounts, AccountIDs: ids}
}
