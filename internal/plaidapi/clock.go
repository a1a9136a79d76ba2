package plaidapi

import (
	"time"

	"github.com/linksim/linksim/flowcore"
)

// clockAdvancePath moves the sandbox clock forward. It is linksim's own
// sandbox endpoint (Plaid has none): tests use it to see Automated
// Micro-deposits verify after 24 hours, or tokens expire, in milliseconds.
const clockAdvancePath = "/sandbox/linksim/clock/advance"

// clockAdvanceRequest is the body of clockAdvancePath: a Go duration
// ("24h", "90m") or a number of seconds, not both, at most
// flowcore.MaxClockAdvance.
type clockAdvanceRequest struct {
	flowcore.Credentials
	Duration string   `json:"duration,omitempty"`
	Seconds  *float64 `json:"seconds,omitempty"`
}

// clockAdvanceResponse answers clockAdvancePath with the new sandbox time.
type clockAdvanceResponse struct {
	Now       string `json:"now"`
	RequestID string `json:"request_id"`
}

// clockAdvance moves the clock, then settles every Item so verifications
// that came due queue their webhooks.
func clockAdvance(h *Handler, c *call) (any, *flowcore.Error) {
	var req clockAdvanceRequest
	if err := c.decode(&req, &req.Credentials); err != nil {
		return nil, err
	}
	var secs float64
	switch {
	case req.Duration != "" && req.Seconds != nil:
		return nil, invalidField("give either duration or seconds, not both")
	case req.Duration != "":
		d, err := time.ParseDuration(req.Duration)
		if err != nil || d <= 0 || d > flowcore.MaxClockAdvance {
			return nil, invalidField("duration must be a positive Go duration of at most 8784h, such as \"24h\" or \"90m\"")
		}
		secs = d.Seconds()
	case req.Seconds != nil:
		secs = *req.Seconds
	default:
		return nil, &flowcore.Error{Type: flowcore.ErrorTypeInvalidRequest, Code: "MISSING_FIELDS",
			Message: "the following required fields are missing: duration"}
	}
	d, err := flowcore.ClockAdvance(secs)
	if err != nil {
		return nil, err
	}
	now, err := h.clock.Advance(d)
	if err != nil {
		return nil, err
	}
	h.sb.Settle()
	return clockAdvanceResponse{Now: now.UTC().Format(time.RFC3339Nano), RequestID: c.requestID}, nil
}

func invalidField(msg string) *flowcore.Error {
	return &flowcore.Error{Type: flowcore.ErrorTypeInvalidRequest, Code: "INVALID_FIELD", Message: msg}
}
