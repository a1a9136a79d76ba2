package flowcore

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func graphFor(t *testing.T, extra string, e FlowGraphEntry) FlowGraph {
	t.Helper()
	body, err := json.Marshal(map[string]any{"config": json.RawMessage(config(extra)), "institution_id": e.InstitutionID,
		"routing_number": e.RoutingNumber, "password": e.Password, "embedded": e.Embedded})
	require.NoError(t, err)
	cfg, entry, perr := ParseFlowGraphRequest(body)
	require.Nil(t, perr)
	g, gerr := NewFlowGraph(cfg, entry, nil)
	require.Nil(t, gerr)
	return g
}

// views lists the views of the path's panes, each once, in order.
func (g FlowGraph) pathViews() []View {
	byID := map[string]View{}
	for _, n := range g.Nodes {
		byID[n.ID] = n.View
	}
	var out []View
	for _, id := range g.Path {
		if v := byID[id]; v != "" && (len(out) == 0 || out[len(out)-1] != v) {
			out = append(out, v)
		}
	}
	return out
}

// TestFlowGraphFollowsTheRules: the graph is the session's own: each
// config and bank gives the flow SelectFlow picks and the panes its
// session shows, and a config switch changes the graph.
func TestFlowGraphFollowsTheRules(t *testing.T) {
	tests := []struct {
		name  string
		extra string
		entry FlowGraphEntry
		flow  Flow
		path  []string
		views []View
	}{
		{"instant auth", "", FlowGraphEntry{InstitutionID: "ins_109508"}, FlowInstantAuth,
			[]string{"consent", "search", "credentials", "select_account", "connected", GraphSuccess},
			[]View{ViewConsent, ViewSelectInstitution, ViewCredential, ViewSelectAccount, ViewConnected}},
		{"oauth: the bank's own page, no credentials pane", "", FlowGraphEntry{InstitutionID: "ins_127287"}, FlowInstantAuth,
			[]string{"consent", "search", "oauth", "oauth", "connected", GraphSuccess},
			[]View{ViewConsent, ViewSelectInstitution, ViewOAuth, ViewConnected}},
		{"instant match", "", FlowGraphEntry{InstitutionID: "ins_109512"}, FlowInstantMatch,
			[]string{"consent", "search", "credentials", "select_account", "numbers", "connected", GraphSuccess},
			[]View{ViewConsent, ViewSelectInstitution, ViewCredential, ViewSelectAccount, ViewNumbers, ViewConnected}},
		{"automated (instant match off)", `{"auth":{"instant_match_enabled":false,"automated_microdeposits_enabled":true}}`,
			FlowGraphEntry{InstitutionID: "ins_109512"}, FlowAutomatedMicrodeposits, nil, nil},
		{"same day", `{"auth":{"same_day_microdeposits_enabled":true,"instant_microdeposits_enabled":false}}`,
			FlowGraphEntry{RoutingNumber: "110000000"}, FlowSameDayMicrodeposits,
			[]string{"consent", "search", "routing_number", "account_number", "legal_name", "deposit_authorized", "connected", GraphSuccess},
			[]View{ViewConsent, ViewSelectInstitution, ViewNumbers, ViewSameDayMicrodepositAuthorized, ViewConnected}},
		{"instant micro-deposits", "", FlowGraphEntry{InstitutionID: "ins_135858"}, FlowInstantMicrodeposits, nil, nil},
		{"mfa", "", FlowGraphEntry{InstitutionID: "ins_109508", Password: "mfa_device"}, FlowInstantAuth,
			[]string{"consent", "search", "credentials", "mfa", "mfa", "select_account", "connected", GraphSuccess}, nil},
		{"error", "", FlowGraphEntry{InstitutionID: "ins_109508", Password: "error_INSTITUTION_DOWN"}, "",
			[]string{"consent", "search", "credentials", "error", "exit", GraphExit}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := graphFor(t, tt.extra, tt.entry)
			assert.Equal(t, tt.flow, g.Flow)
			if tt.path != nil {
				assert.Equal(t, tt.path, g.Path)
			}
			if tt.views != nil {
				assert.Equal(t, tt.views, g.pathViews())
			}
			// Every path step is an edge marked on the path, between nodes.
			ids := map[string]bool{}
			for _, n := range g.Nodes {
				ids[n.ID] = true
			}
			for i := 1; i < len(g.Path); i++ {
				assert.True(t, slices.ContainsFunc(g.Edges, func(e FlowGraphEdge) bool {
					return e.From == g.Path[i-1] && e.To == g.Path[i] && e.OnPath
				}), "no path edge %s -> %s", g.Path[i-1], g.Path[i])
			}
			for _, e := range g.Edges {
				assert.True(t, ids[e.From] && ids[e.To], "edge %+v", e)
			}
		})
	}
	t.Run("automated has numbers and the deposit", func(t *testing.T) {
		g := graphFor(t, `{"auth":{"instant_match_enabled":false,"automated_microdeposits_enabled":true}}`, FlowGraphEntry{InstitutionID: "ins_109512"})
		assert.Contains(t, g.pathViews(), ViewNumbers)
	})
	t.Run("a switch changes the graph", func(t *testing.T) {
		on := graphFor(t, "", FlowGraphEntry{InstitutionID: "ins_109512"})
		off := graphFor(t, `{"auth":{"instant_match_enabled":false}}`, FlowGraphEntry{InstitutionID: "ins_109512"})
		assert.NotEqual(t, on.Path, off.Path)
		assert.Equal(t, "error", off.Path[2], "Houndstooth has no flow left: %v", off.Path)
		require.NotNil(t, off.Error)
		assert.Equal(t, "PRODUCTS_NOT_SUPPORTED", off.Error.Code)
	})
	t.Run("wrong answers loop back", func(t *testing.T) {
		g := graphFor(t, "", FlowGraphEntry{InstitutionID: "ins_109512"})
		assert.Contains(t, g.Edges, FlowGraphEdge{From: "numbers", To: "numbers", Action: ActionSubmitNumbers, Label: "wrong numbers"})
		assert.Contains(t, g.Edges, FlowGraphEdge{From: "credentials", To: "credentials", Action: ActionSubmitCredentials, Label: "wrong password"})
	})
}

func TestFlowGraphBadRequests(t *testing.T) {
	for name, body := range map[string]string{
		"not json":      `nope`,
		"no config":     `{"institution_id":"ins_109508"}`,
		"bad config":    `{"config":{"client_name":"x"},"institution_id":"ins_109508"}`,
		"unknown field": `{"config":` + config("") + `,"bank":"x"}`,
		"update mode":   `{"config":` + config(`{"access_token":"access-sandbox-x"}`) + `,"institution_id":"ins_109508"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := ParseFlowGraphRequest([]byte(body))
			require.NotNil(t, err)
			assert.NotEmpty(t, err.Code)
		})
	}
	cfg, _, err := ParseFlowGraphRequest([]byte(`{"config":` + config("") + `}`))
	require.Nil(t, err)
	_, gerr := NewFlowGraph(cfg, FlowGraphEntry{}, nil)
	require.NotNil(t, gerr, "no entry")
	_, gerr = NewFlowGraph(cfg, FlowGraphEntry{InstitutionID: "ins_nope"}, nil)
	require.Nil(t, gerr, "an unknown bank is refused by the session, not by the graph")
}

// TestFlowGraphOfAnOAuthBank: Link sends the user to the bank, whose
// answer approves (connected) or denies (Link's error pane).
func TestFlowGraphOfAnOAuthBank(t *testing.T) {
	g := graphFor(t, "", FlowGraphEntry{InstitutionID: "ins_127287"})
	edges := map[string]string{}
	for _, e := range g.Edges {
		if e.From == "oauth" {
			edges[e.Label] = e.To
		}
	}
	assert.Equal(t, map[string]string{"go to the bank": "oauth", "approve at the bank": "connected", "deny at the bank": "error"}, edges)
}

// TestFlowGraphOfEmbeddedSearch: from the tiles, the bank picked, then
// consent and that bank's login, with no search pane; Connect Manually
// leads to the manual flow.
func TestFlowGraphOfEmbeddedSearch(t *testing.T) {
	g := graphFor(t, "", FlowGraphEntry{InstitutionID: "ins_109508", Embedded: true})
	assert.Equal(t, []string{"embedded", "consent", "credentials", "select_account", "connected", GraphSuccess}, g.Path)
	assert.Equal(t, FlowInstantAuth, g.Flow)

	g = graphFor(t, `{"auth":{"auth_type_select_enabled":true,"same_day_microdeposits_enabled":true}}`,
		FlowGraphEntry{RoutingNumber: "110000000", Embedded: true})
	require.NotEmpty(t, g.Path)
	assert.Equal(t, []string{"embedded", "consent", "routing_number"}, g.Path[:3])
	assert.Equal(t, FlowSameDayMicrodeposits, g.Flow)
}
