package flowcore

import (
	"slices"
	"strconv"
	"time"

	"github.com/linksim/linksim/internal/jsoncodec"
)

// This file draws the map of a Link session from the session's own rules:
// it drives scratch sessions through every pane a config and an entry
// reach, trying the actions each pane allows, and records where each one
// leads. Nothing in the graph is written by hand.

// FlowGraphEntry says how the user goes through Link: the bank picked in
// search (InstitutionID) or, for manual entry, the routing number typed,
// and the sandbox answers given on the way. Empty fields take the sandbox's
// good values.
type FlowGraphEntry struct {
	InstitutionID string `json:"institution_id,omitempty"`
	RoutingNumber string `json:"routing_number,omitempty"`
	// Password is the sandbox password (user_good's): pass_good by default,
	// mfa_device, mfa_questions_1_1, error_ITEM_LOCKED, ….
	Password string `json:"password,omitempty"`
	// AccountNumber is typed in manual entry (1111222233330000 by default).
	AccountNumber string `json:"account_number,omitempty"`
	LegalName     string `json:"legal_name,omitempty"` // "John Smith" by default
	// Embedded starts the session in Embedded Institution Search's tiles
	// (Plaid.createEmbedded), where the bank is picked before Link opens.
	Embedded bool `json:"embedded,omitempty"`
}

// FlowGraphRequest is the body of linksim's flow-graph call: a
// /link/token/create body and the entry.
type FlowGraphRequest struct {
	Config jsoncodec.RawJSON `json:"config" plaid:"required"`
	FlowGraphEntry
}

// FlowGraph is the map of the Link session a config and an entry lead to.
type FlowGraph struct {
	// Flow is the Auth flow the path ends in ("" when it ends in an error).
	Flow Flow `json:"flow"`
	// Error is the error the path ends at, if it does.
	Error *Error          `json:"error,omitempty"`
	Nodes []FlowGraphNode `json:"nodes"`
	Edges []FlowGraphEdge `json:"edges"`
	// Path is the panes a user passes who gives every right answer, from
	// consent to on_success (or on_exit).
	Path []string `json:"path"`
}

// FlowGraphNode is a pane, or one of the session's two ends ("on_success",
// "on_exit"). Depth is the fewest actions from consent.
type FlowGraphNode struct {
	ID    string `json:"id"`
	View  View   `json:"view,omitempty"`
	Depth int    `json:"depth"`
}

// FlowGraphEdge is an action that leads from one pane to another (or back
// to itself, for a wrong entry the pane shows again).
type FlowGraphEdge struct {
	From   string     `json:"from"`
	To     string     `json:"to"`
	Action ActionType `json:"action"`
	Label  string     `json:"label"`
	// OnPath marks the edges of Path.
	OnPath bool `json:"on_path"`
}

// The two ends of a session, as graph nodes.
const (
	GraphSuccess = "on_success"
	GraphExit    = "on_exit"
)

// maxGraphSteps bounds a path: no session needs more actions than this.
const maxGraphSteps = 40

// ParseFlowGraphRequest decodes a flow-graph request: its config is
// checked as /link/token/create checks it.
func ParseFlowGraphRequest(body []byte) (LinkConfig, FlowGraphEntry, *Error) {
	var req FlowGraphRequest
	if e := Decode(body, &req); e != nil {
		return LinkConfig{}, FlowGraphEntry{}, e
	}
	var tok LinkTokenCreateRequest
	if e := DecodeRequest("/link/token/create", req.Config, &tok); e != nil {
		return LinkConfig{}, FlowGraphEntry{}, e
	}
	cfg, e := tok.Config()
	if e != nil {
		return LinkConfig{}, FlowGraphEntry{}, e
	}
	if cfg.UpdateMode() {
		return LinkConfig{}, FlowGraphEntry{}, InvalidField("config.access_token", "update mode has no flow graph: it depends on the Item")
	}
	return cfg, req.FlowGraphEntry, nil
}

// graphAction is one action a pane allows, as the graph labels it.
type graphAction struct {
	action Action
	label  string
}

// grapher replays scratch sessions of one config.
type grapher struct {
	host  scratchHost
	cfg   LinkConfig
	entry FlowGraphEntry
}

// scratchHost is the Host of the graph's sessions: a fixed clock and the
// catalogue, keeping nothing they link. The graph has no update mode, so
// no session asks it for a kept Item.
type scratchHost struct{ catalog *Catalog }

func (scratchHost) Now() time.Time                                 { return time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC) }
func (h scratchHost) Catalog() *Catalog                            { return h.catalog }
func (scratchHost) SaveItem(Item)                                  {}
func (scratchHost) Item(string) (Item, bool)                       { return Item{}, false }
func (scratchHost) SavePublicToken(PublicToken)                    {}
func (scratchHost) RepairLogin(string)                             {}
func (scratchHost) RecordStep(*Session, *Step)                     {}
func (scratchHost) InvalidateLinkToken(string)                     {}
func (scratchHost) ReplaceAccounts(string, []Account) (Item, bool) { return Item{}, false }
func (scratchHost) SubmitItemCode(string, string, string) (Verification, *Error) {
	return Verification{}, ErrInvalidAccountID()
}

// NewFlowGraph maps the session cfg and e lead to, in a scratch sandbox on
// cat (DefaultCatalog when nil): it changes nothing anywhere else.
func NewFlowGraph(cfg LinkConfig, e FlowGraphEntry, cat *Catalog) (FlowGraph, *Error) {
	if e.Password == "" {
		e.Password = "pass_good"
	}
	if e.AccountNumber == "" {
		e.AccountNumber = "1111222233330000"
	}
	if e.LegalName == "" {
		e.LegalName = "John Smith"
	}
	if e.InstitutionID == "" && e.RoutingNumber == "" {
		return FlowGraph{}, InvalidField("institution_id", "give institution_id or routing_number")
	}
	if cat == nil {
		cat = DefaultCatalog()
	}
	g := &grapher{host: scratchHost{cat}, cfg: cfg, entry: e}
	return g.build()
}

// replay starts a fresh session and applies actions; ok is false if one
// was refused.
func (g *grapher) replay(actions []Action) (*Session, Step, bool) {
	s := NewSession(g.host, "link-sandbox-flowgraph", g.cfg, 1, nil)
	open := ActionOpen
	if g.entry.Embedded {
		open = ActionOpenEmbedded
	}
	step, e := s.Do(Action{Type: open})
	if e != nil {
		return nil, Step{}, false
	}
	for _, a := range actions {
		if step, e = s.Do(a); e != nil {
			return nil, Step{}, false
		}
	}
	return s, step, true
}

// nodeOf names where a step left the session.
func nodeOf(step Step) string {
	switch {
	case step.Success != nil:
		return GraphSuccess
	case step.Exit != nil:
		return GraphExit
	}
	return string(step.Screen.Pane)
}

func (g *grapher) build() (FlowGraph, *Error) {
	type pending struct {
		prefix []Action
		node   string
	}
	var out FlowGraph
	s, step, ok := g.replay(nil)
	if !ok {
		return out, ErrInternal("flow graph: the session did not open")
	}
	root := nodeOf(step)
	depth := map[string]int{root: 0}
	views := map[string]View{root: s.Screen().View}
	order := []string{root}
	queue := []pending{{nil, root}}
	edges := map[[3]string]bool{}
	explored := map[string]bool{root: true}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		s, _, _ := g.replay(cur.prefix)
		for _, c := range g.candidates(s) {
			prefix := append(slices.Clone(cur.prefix), c.action)
			next, step, ok := g.replay(prefix)
			if !ok {
				continue
			}
			to := nodeOf(step)
			key := [3]string{cur.node, to, c.label}
			if !edges[key] {
				edges[key] = true
				out.Edges = append(out.Edges, FlowGraphEdge{From: cur.node, To: to, Action: c.action.Type, Label: c.label})
			}
			if _, seen := depth[to]; !seen {
				depth[to] = depth[cur.node] + 1
				order = append(order, to)
			}
			if to == GraphSuccess || to == GraphExit {
				continue
			}
			// A pane is explored once per state that can lead elsewhere:
			// each MFA round is its own, and so is the OAuth pane waiting
			// for the bank's answer.
			state := to
			switch {
			case next.st.pane == PaneMFA:
				state += "#" + strconv.Itoa(next.st.mfaRound)
			case next.st.pane == PaneOAuth && next.st.oauthOpen:
				state += "#at the bank"
			}
			if explored[state] {
				continue
			}
			explored[state] = true
			views[to] = next.Screen().View
			queue = append(queue, pending{prefix, to})
		}
	}
	for _, id := range order {
		out.Nodes = append(out.Nodes, FlowGraphNode{ID: id, View: views[id], Depth: depth[id]})
	}
	g.walk(&out)
	return out, nil
}

// walk follows the first (right) action of every pane from consent and
// marks that path.
func (g *grapher) walk(out *FlowGraph) {
	var actions []Action
	s, step, _ := g.replay(nil)
	out.Path = []string{nodeOf(step)}
	for i := 0; i < maxGraphSteps; i++ {
		from := nodeOf(step)
		if from == GraphSuccess || from == GraphExit {
			break
		}
		if step.Screen.Pane == PaneError && out.Error == nil {
			out.Error = step.Screen.Error
		}
		cs := g.candidates(s)
		if len(cs) == 0 {
			break
		}
		c := cs[0]
		if step.Screen.Pane == PaneError {
			c = cs[len(cs)-1] // the path ends at an error: the user leaves
		}
		actions = append(actions, c.action)
		next, nstep, ok := g.replay(actions)
		if !ok {
			break
		}
		s, step = next, nstep
		to := nodeOf(step)
		for i := range out.Edges {
			if e := &out.Edges[i]; e.From == from && e.To == to && e.Label == c.label {
				e.OnPath = true
			}
		}
		out.Path = append(out.Path, to)
		if s.st.flow != "" {
			out.Flow = s.st.flow
		}
	}
	if out.Path[len(out.Path)-1] != GraphSuccess {
		out.Flow = ""
	}
}

// pickBank is what the search pane and the embedded tiles offer: the
// entry's bank, or, for an entry by routing number, manual entry.
func (g *grapher) pickBank(sc Screen, pick, manual string) []graphAction {
	if g.entry.InstitutionID != "" {
		return []graphAction{{Action{Type: ActionSelectInstitution, InstitutionID: g.entry.InstitutionID}, pick}}
	}
	if sc.ManualEntry {
		return []graphAction{{Action{Type: ActionManualEntry}, manual}}
	}
	return nil
}

// candidates lists the actions the session's pane allows, the right one
// first, with the sandbox's answers (which flowcore knows: it set them).
func (g *grapher) candidates(s *Session) []graphAction {
	st := &s.st
	e := g.entry
	sc := s.Screen()
	byRouting := e.InstitutionID == ""
	switch sc.Pane {
	case PaneEmbedded:
		return g.pickBank(sc, "pick the bank's tile", "connect manually")
	case PaneConsent:
		return []graphAction{{Action{Type: ActionContinue}, "continue"}}
	case PaneSelectAuthType:
		instant := graphAction{Action{Type: ActionSelectAuthType, Selection: SelectionInstant}, "instantly"}
		manual := graphAction{Action{Type: ActionSelectAuthType, Selection: SelectionManual}, "manually"}
		if byRouting {
			return []graphAction{manual, instant}
		}
		return []graphAction{instant, manual}
	case PaneSearch:
		return g.pickBank(sc, "pick the bank", "link with account numbers")
	case PaneCredentials:
		return []graphAction{
			{Action{Type: ActionSubmitCredentials, Username: "user_good", Password: e.Password}, "log in"},
			{Action{Type: ActionSubmitCredentials, Username: "user_good", Password: "wrong_password"}, "wrong password"},
		}
	case PaneMFA:
		ch := st.mfa[st.mfaRound]
		answers, label := ch.answers, "answer"
		switch ch.Type {
		case MFADevice:
			answers, label = ch.Prompts[:1], "pick a device"
		case MFACode:
			answers, label = []string{SandboxMFACode}, "enter the code"
		}
		return []graphAction{
			{Action{Type: ActionSubmitMFA, Answers: answers}, label},
			{Action{Type: ActionSubmitMFA, Answers: []string{"wrong answer"}}, "wrong answer"},
		}
	case PaneRecaptcha:
		return []graphAction{{Action{Type: ActionContinue}, "solve the reCAPTCHA"}}
	case PaneOAuth:
		if !st.oauthOpen {
			return []graphAction{{Action{Type: ActionContinue}, "go to the bank"}}
		}
		answer := func(r OAuthResult) Action {
			return Action{Type: ActionOAuthResult, OAuthStateID: st.oauthState, OAuthResult: r}
		}
		return []graphAction{{answer(OAuthApproved), "approve at the bank"}, {answer(OAuthDenied), "deny at the bank"}}
	case PaneSelectAccount:
		if len(st.accounts) == 0 {
			return nil
		}
		return []graphAction{{Action{Type: ActionSelectAccounts, AccountIDs: []string{st.accounts[0].ID}}, "pick an account"}}
	case PaneNumbers:
		if len(st.selected) == 0 {
			return nil
		}
		acc := st.selected[0]
		right := Action{Type: ActionSubmitNumbers, RoutingNumber: acc.Routing, AccountNumber: acc.Number}
		wrong := Action{Type: ActionSubmitNumbers, RoutingNumber: acc.Routing, AccountNumber: "99999999999"}
		if sc.AskLegalName {
			right.LegalName, wrong.LegalName = e.LegalName, e.LegalName
		}
		return []graphAction{{right, "type the numbers"}, {wrong, "wrong numbers"}}
	case PaneRoutingNumber:
		rn := e.RoutingNumber
		if rn == "" && st.ins != nil && len(st.ins.RoutingNumbers) > 0 {
			rn = st.ins.RoutingNumbers[0]
		}
		return []graphAction{{Action{Type: ActionSubmitRoutingNumber, RoutingNumber: rn}, "routing number"}}
	case PaneRerouteInstitution:
		var out []graphAction
		if sc.ManualEntry {
			out = append(out, graphAction{Action{Type: ActionContinue}, "keep typing numbers"})
		}
		if len(st.reroute) > 0 {
			out = append(out, graphAction{Action{Type: ActionSelectInstitution, InstitutionID: st.reroute[0].ID}, "log in instead"})
		}
		return out
	case PaneAccountNumber:
		return []graphAction{{Action{Type: ActionSubmitAccountNumber, AccountNumber: e.AccountNumber, AccountSubtype: "checking"}, "account number"}}
	case PaneLegalName:
		return []graphAction{{Action{Type: ActionSubmitLegalName, LegalName: e.LegalName}, "legal name"}}
	case PaneDepositAuthorized, PaneConnected:
		return []graphAction{{Action{Type: ActionContinue}, "continue"}}
	case PaneCode:
		if st.verification == nil {
			return nil
		}
		wrong := "ZZZ"
		if st.verification.Code == wrong {
			wrong = "YYY"
		}
		return []graphAction{
			{Action{Type: ActionSubmitCode, Code: st.verification.Code}, "deposit code"},
			{Action{Type: ActionSubmitCode, Code: wrong}, "wrong code"},
		}
	case PaneError:
		var out []graphAction
		if sc.CanRetry {
			out = append(out, graphAction{Action{Type: ActionRetry}, "try again"})
		}
		return append(out, graphAction{Action{Type: ActionExit}, "exit"})
	case PaneExit:
		return []graphAction{{Action{Type: ActionConfirmExit}, "yes, exit"}}
	}
	return nil
}
