package plaidapi

import "github.com/linksim/linksim/flowcore"

// flowGraphPath answers the map of the Link session a config and a bank
// lead to (flowcore.NewFlowGraph). It is linksim's own, for pages that
// draw the flow: no API keys, any origin, and it changes no state.
const flowGraphPath = "/linksim/flow/graph"

// flowGraphResponse is the graph plus a request_id.
type flowGraphResponse struct {
	flowcore.FlowGraph
	RequestID string `json:"request_id"`
}

func flowGraph(_ *Handler, c *call) (any, *flowcore.Error) {
	cfg, entry, err := flowcore.ParseFlowGraphRequest(c.body)
	if err != nil {
		return nil, err
	}
	g, err := flowcore.NewFlowGraph(cfg, entry, c.sb.Catalog())
	if err != nil {
		return nil, err
	}
	return flowGraphResponse{FlowGraph: g, RequestID: c.requestID}, nil
}
