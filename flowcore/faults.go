package flowcore

import (
	"strconv"
	"strings"
	"time"
)

// FaultHeader is the request header that forces a fault on one call of a
// Plaid endpoint (see ParseFault).
const FaultHeader = "Linksim-Fault"

// MaxFaultLatency bounds the delay a fault may add to an answer.
const MaxFaultLatency = 30 * time.Second

// Fault is what a Linksim-Fault header asks of one call: wait Latency,
// then answer Err (nil: answer as usual) or, with Drop, close the
// connection with no answer.
type Fault struct {
	Err     *Error
	Latency time.Duration
	Drop    bool
}

// ParseFault reads a Linksim-Fault header sent to endpoint: a
// comma-separated list of
//
//   - error=CODE: answer the error linksim's table of Plaid's errors gives
//     CODE (see PlaidErrors); error=RATE_LIMIT_EXCEEDED answers the
//     endpoint's own rate limit code (RateLimitCode);
//   - latency=DURATION: wait that long first (a Go duration such as 800ms
//     or 2s, at most MaxFaultLatency);
//   - drop: close the connection with no answer.
//
// Each appears at most once, and drop does not go with error. Anything
// else is INVALID_HEADERS naming what is accepted.
func ParseFault(header, endpoint string) (Fault, *Error) {
	var f Fault
	seen := map[string]bool{}
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimSpace(part)
		name, value, hasValue := strings.Cut(part, "=")
		name, value = strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(value)
		if seen[name] {
			return Fault{}, errFault("%q is given twice", name)
		}
		seen[name] = true
		switch {
		case name == "error" && hasValue:
			e, ok := ForcedError(value, endpoint)
			if !ok {
				return Fault{}, errFault("error=%q is not one linksim knows: give %s", value, errorNames())
			}
			f.Err = e
		case name == "latency" && hasValue:
			d, err := time.ParseDuration(value)
			if err != nil || d < 0 || d > MaxFaultLatency {
				return Fault{}, errFault("latency=%q must be a Go duration from 0s to %s, such as 800ms", value, MaxFaultLatency)
			}
			f.Latency = d
		case name == "drop" && !hasValue:
			f.Drop = true
		case part == "":
			return Fault{}, errFault("an empty item")
		default:
			return Fault{}, errFault("%s is not error=CODE, latency=DURATION or drop", strconv.Quote(part))
		}
	}
	if f.Drop && f.Err != nil {
		return Fault{}, errFault("drop closes the connection, so it cannot also answer an error")
	}
	return f, nil
}

// errFault refuses a Linksim-Fault header.
func errFault(format string, args ...any) *Error {
	e := InvalidRequest("INVALID_HEADERS", "the "+FaultHeader+" header is invalid: "+format, args...)
	e.Message += "; it takes a comma-separated list of error=CODE, latency=DURATION (at most " + MaxFaultLatency.String() + ") and drop"
	return e
}

// ErrFaultsOff refuses a Linksim-Fault header sent to a server started
// with -faults=false: it is answered rather than ignored, so that a test
// expecting the fault cannot pass by mistake.
func ErrFaultsOff() *Error {
	return InvalidRequest("INVALID_HEADERS", "this linksim server was started with -faults=false: the %s header is refused, not ignored", FaultHeader)
}

// ErrFaultEndpointOff refuses linksim's fault endpoints on a server
// started with -faults=false (HTTP 404, as an endpoint the server does not
// have).
func ErrFaultEndpointOff(path string) *Error {
	e := InvalidRequest("NOT_FOUND", "%s is off: this linksim server was started with -faults=false", path)
	e.HTTPStatus = 404
	return e
}

// ErrFaultNotHere refuses a Linksim-Fault header sent to one of the Link
// page's session endpoints: Link's faults are an institution's status and
// the error_<CODE> sandbox passwords.
func ErrFaultNotHere(path string) *Error {
	return InvalidRequest("INVALID_HEADERS", "the %s header does not apply to %s, an endpoint of linksim's Link page: put an institution down or not responding, or log in with an error_<CODE> password", FaultHeader, path)
}
