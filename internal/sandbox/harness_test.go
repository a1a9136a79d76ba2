package sandbox

import (
	"testing"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/fixture"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// harness is a sandbox on a fixed clock with helpers to drive sessions.
type harness struct {
	t     *testing.T
	sb    *Sandbox
	clock *flowcore.FixedClock
	steps []flowcore.Step // every step of the last session driven with run
}

// config is a /link/token/create body for auth in the US, with extra
// top-level JSON fields merged in.
var config = fixture.LinkTokenCreate

func newHarness(t *testing.T) *harness {
	t.Helper()
	clock := flowcore.NewFixedClock(t0)
	return &harness{t: t, clock: clock, sb: NewSandbox(Options{Clock: clock, Seed: 42})}
}

func (h *harness) token(body string) string {
	h.t.Helper()
	var req flowcore.LinkTokenCreateRequest
	require.Nil(h.t, flowcore.DecodeRequest("/link/token/create", []byte(body), &req))
	resp, err := h.sb.CreateLinkToken(&req)
	require.Nil(h.t, err)
	return resp.LinkToken
}

// open starts a session with a config and opens it.
func (h *harness) open(body string) *flowcore.Session {
	h.t.Helper()
	s, err := h.sb.StartSession(h.token(body), 7)
	require.Nil(h.t, err)
	h.steps = nil
	h.do(s, flowcore.Action{Type: flowcore.ActionOpen})
	return s
}

func (h *harness) do(s *flowcore.Session, a flowcore.Action) flowcore.Step {
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

func labels(events []flowcore.Event) []string {
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
func (h *harness) last() flowcore.Step { return h.steps[len(h.steps)-1] }

func act(t flowcore.ActionType) flowcore.Action { return flowcore.Action{Type: t} }
func search(q string) flowcore.Action           { return flowcore.Action{Type: flowcore.ActionSearch, Query: q} }
func pick(id string) flowcore.Action {
	return flowcore.Action{Type: flowcore.ActionSelectInstitution, InstitutionID: id}
}
func login(user, pass string) flowcore.Action {
	return flowcore.Action{Type: flowcore.ActionSubmitCredentials, Username: user, Password: pass}
}
func mfa(answers ...string) flowcore.Action {
	return flowcore.Action{Type: flowcore.ActionSubmitMFA, Answers: answers}
}
func numbers(rn, an string) flowcore.Action {
	return flowcore.Action{Type: flowcore.ActionSubmitNumbers, RoutingNumber: rn, AccountNumber: an}
}
func numbersAndName(rn, an, legalName string) flowcore.Action {
	return flowcore.Action{Type: flowcore.ActionSubmitNumbers, RoutingNumber: rn, AccountNumber: an, LegalName: legalName}
}
func routing(rn string) flowcore.Action {
	return flowcore.Action{Type: flowcore.ActionSubmitRoutingNumber, RoutingNumber: rn}
}
func account(an string) flowcore.Action {
	return flowcore.Action{Type: flowcore.ActionSubmitAccountNumber, AccountNumber: an}
}
func name(n string) flowcore.Action {
	return flowcore.Action{Type: flowcore.ActionSubmitLegalName, LegalName: n}
}
func code(c string) flowcore.Action { return flowcore.Action{Type: flowcore.ActionSubmitCode, Code: c} }

// accountID returns the id of the listed account with a mask.
func accountID(t *testing.T, s *flowcore.Session, mask string) string {
	t.Helper()
	for _, a := range s.Screen().Accounts {
		if a.Mask == mask {
			return a.ID
		}
	}
	t.Fatalf("no account with mask %s in pane %s", mask, s.Screen().Pane)
	return ""
}

func selectMasks(t *testing.T, s *flowcore.Session, masks ...string) flowcore.Action {
	var ids []string
	for _, m := range masks {
		ids = append(ids, accountID(t, s, m))
	}
	return flowcore.Action{Type: flowcore.ActionSelectAccounts, AccountIDs: ids}
}
