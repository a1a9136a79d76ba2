package plaidapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/linksim/linksim/flowcore"
)

// linksim's own endpoints that script faults (Plaid has none).
const (
	itemFaultsSetPath        = "/sandbox/linksim/item/faults/set"
	itemFaultsClearPath      = "/sandbox/linksim/item/faults/clear"
	institutionStatusSetPath = "/sandbox/linksim/institution/status/set"
)

// faultRoutes are the routes of the fault endpoints.
func faultRoutes() map[string]route {
	return map[string]route{
		itemFaultsSetPath:        {serve: itemFaultsSet},
		itemFaultsClearPath:      {serve: itemFaultsClear},
		institutionStatusSetPath: {serve: institutionStatusSet},
	}
}

// forceFault answers the Linksim-Fault header of a request to an API
// endpoint (see flowcore.ParseFault), before its body is read. A refused
// header, an error or a drop answer the request (after the latency asked
// for, the body read and dropped so that a client that leaves is seen):
// answered is true. A latency alone is returned for the caller to wait
// once the endpoint has answered, before the answer is written: the call
// takes effect at once and its answer comes late, as over a slow network.
// A header sent to a server started with -faults=false, or to Link's
// session endpoints, is refused, not ignored.
func (h *Handler) forceFault(w http.ResponseWriter, r *http.Request, rt route) (latency time.Duration, answered bool) {
	values := r.Header.Values(flowcore.FaultHeader)
	if len(values) == 0 {
		return 0, false
	}
	if rt.browser {
		h.fail(w, flowcore.ErrFaultNotHere(r.URL.Path))
		return 0, true
	}
	if h.noFaults {
		h.fail(w, flowcore.ErrFaultsOff())
		return 0, true
	}
	f, err := flowcore.ParseFault(strings.Join(values, ","), r.URL.Path)
	if err != nil {
		h.fail(w, err)
		return 0, true
	}
	if f.Err == nil && !f.Drop {
		return f.Latency, false
	}
	if f.Latency > 0 {
		// Read the body to its end: only then does net/http watch the
		// connection and end the request's context when the client leaves.
		_, _ = io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, MaxBodyBytes))
		if !sleep(r.Context(), f.Latency) {
			return 0, true // the client left: nothing to answer
		}
	}
	if f.Drop {
		// net/http closes the connection (HTTP/1) or resets the stream
		// (HTTP/2) without an answer; the request's log line says status 0,
		// dropped.
		noteDrop(w)
		panic(http.ErrAbortHandler)
	}
	h.fail(w, f.Err)
	return 0, true
}

// sleep waits d, or until ctx ends: false then.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// itemFault runs the fault scripted for the Item a request names, if any.
// Only calls with a top-level access_token, or a processor_token (naming
// one of an Item's accounts), can have one; the body is read for them only
// once a fault has been scripted.
func (c *call) itemFault() *flowcore.Error {
	if !c.sb.ItemFaultsScripted() {
		return nil
	}
	var body struct {
		AccessToken    string `json:"access_token"`
		ProcessorToken string `json:"processor_token"`
	}
	if json.Unmarshal(c.body, &body) != nil {
		return nil
	}
	if body.AccessToken == "" && body.ProcessorToken != "" {
		return c.sb.ProcessorItemFault(c.r.URL.Path, body.ProcessorToken)
	}
	return c.sb.ItemFault(c.r.URL.Path, body.AccessToken)
}

// itemFaultsSetRequest is the body of itemFaultsSetPath: the next count
// calls of endpoint for the Item fail with error_code, or each call with
// probability.
type itemFaultsSetRequest struct {
	flowcore.Credentials
	AccessToken string  `json:"access_token"`
	Endpoint    string  `json:"endpoint"`
	ErrorCode   string  `json:"error_code"`
	Count       int     `json:"count,omitempty"`
	Probability float64 `json:"probability,omitempty"`
}

// itemFaultsResponse answers the Item fault endpoints with the Item's
// faults as they now stand.
type itemFaultsResponse struct {
	Faults    []flowcore.ItemFault `json:"faults"`
	RequestID string               `json:"request_id"`
}

func itemFaultsSet(h *Handler, c *call) (any, *flowcore.Error) {
	var req itemFaultsSetRequest
	if err := h.decodeFaultRequest(c, &req, &req.Credentials); err != nil {
		return nil, err
	}
	if err := missing("access_token", req.AccessToken, "endpoint", req.Endpoint, "error_code", req.ErrorCode); err != nil {
		return nil, err
	}
	if rt, ok := h.routes[req.Endpoint]; !ok || rt.browser {
		return nil, invalidField("endpoint " + req.Endpoint + " is not a Plaid endpoint this server answers, such as /auth/get")
	}
	if !flowcore.ItemEndpoint(req.Endpoint) {
		return nil, invalidField("endpoint " + req.Endpoint + " takes no access_token or processor_token, so none of its calls is an Item's: force its faults with the " + flowcore.FaultHeader + " header")
	}
	if err := c.sb.SetItemFault(req.AccessToken, req.Endpoint, req.ErrorCode, req.Count, req.Probability); err != nil {
		return nil, err
	}
	return c.itemFaults(req.AccessToken)
}

// itemFaultsClearRequest is the body of itemFaultsClearPath: endpoint's
// fault, or every one of the Item's when endpoint is left out.
type itemFaultsClearRequest struct {
	flowcore.Credentials
	AccessToken string `json:"access_token"`
	Endpoint    string `json:"endpoint,omitempty"`
}

func itemFaultsClear(h *Handler, c *call) (any, *flowcore.Error) {
	var req itemFaultsClearRequest
	if err := h.decodeFaultRequest(c, &req, &req.Credentials); err != nil {
		return nil, err
	}
	if err := missing("access_token", req.AccessToken); err != nil {
		return nil, err
	}
	if err := c.sb.ClearItemFaults(req.AccessToken, req.Endpoint); err != nil {
		return nil, err
	}
	return c.itemFaults(req.AccessToken)
}

func (c *call) itemFaults(accessToken string) (any, *flowcore.Error) {
	faults, err := c.sb.ItemFaults(accessToken)
	if faults == nil {
		faults = []flowcore.ItemFault{}
	}
	return itemFaultsResponse{Faults: faults, RequestID: c.requestID}, err
}

// institutionStatusSetRequest is the body of institutionStatusSetPath:
// error_code INSTITUTION_DOWN or INSTITUTION_NOT_RESPONDING, or null
// (left out) to restore the institution's catalogue status.
type institutionStatusSetRequest struct {
	flowcore.Credentials
	InstitutionID string `json:"institution_id"`
	ErrorCode     string `json:"error_code,omitempty"`
}

// institutionStatusResponse answers institutionStatusSetPath with the
// status of the institution's logins, as /institutions/get_by_id's
// item_logins now reports it.
type institutionStatusResponse struct {
	Status    string `json:"status"`
	RequestID string `json:"request_id"`
}

func institutionStatusSet(h *Handler, c *call) (any, *flowcore.Error) {
	var req institutionStatusSetRequest
	if err := h.decodeFaultRequest(c, &req, &req.Credentials); err != nil {
		return nil, err
	}
	if err := missing("institution_id", req.InstitutionID); err != nil {
		return nil, err
	}
	if err := c.sb.SetInstitutionFault(req.InstitutionID, req.ErrorCode); err != nil {
		return nil, err
	}
	ins, _ := c.sb.Catalog().ByID(req.InstitutionID)
	return institutionStatusResponse{Status: ins.Health(), RequestID: c.requestID}, nil
}

// decodeFaultRequest reads a fault endpoint's body (linksim's own, read
// by flowcore.Decode) and checks its keys; with faults off the endpoint is
// refused.
func (h *Handler) decodeFaultRequest(c *call, req any, creds *flowcore.Credentials) *flowcore.Error {
	if h.noFaults {
		return flowcore.ErrFaultEndpointOff(c.r.URL.Path)
	}
	return c.decode(req, creds)
}

// missing is MISSING_FIELDS for the named fields (name, value pairs) that
// are empty.
func missing(pairs ...string) *flowcore.Error {
	var names []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			names = append(names, pairs[i])
		}
	}
	if len(names) == 0 {
		return nil
	}
	return flowcore.InvalidRequest("MISSING_FIELDS", "the following required fields are missing: %s", strings.Join(names, ", "))
}

// APIPaths returns, sorted, the paths of the API endpoints the handler
// answers that a Linksim-Fault header applies to: every route but the
// browser session endpoints.
func (h *Handler) APIPaths() []string {
	var out []string
	for p, rt := range h.routes {
		if !rt.browser {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}
