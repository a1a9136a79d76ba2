package flowcore

import (
	"fmt"
	"strings"
)

// Plaid error types (the error_type field). Each one decides the HTTP status
// an error is sent with unless the error names its own.
const (
	ErrorTypeInvalidRequest   = "INVALID_REQUEST"
	ErrorTypeInvalidInput     = "INVALID_INPUT"
	ErrorTypeInvalidResult    = "INVALID_RESULT"
	ErrorTypeItemError        = "ITEM_ERROR"
	ErrorTypeInstitutionError = "INSTITUTION_ERROR"
	ErrorTypeAPIError         = "API_ERROR"
	ErrorTypeRateLimit        = "RATE_LIMIT_EXCEEDED"
	ErrorTypeSandbox          = "SANDBOX_ERROR"
)

// Error is a Plaid API error. It marshals to the error object Plaid sends
// (error_type, error_code, error_message, display_message, request_id, …),
// and it is also the error object Link passes to onExit and puts in ERROR
// events. Every failure flowcore reports to a caller is an *Error.
type Error struct {
	Type           string // error_type, one of the ErrorType constants
	Code           string // error_code, e.g. "INVALID_CREDENTIALS"
	Message        string // error_message, for developers
	DisplayMessage string // display_message, for end users; "" marshals as null
	RequestID      string // request_id; set by whoever answers the request
	HTTPStatus     int    // the status to answer with; 0 means by Type
}

// Error returns "TYPE/CODE: message".
func (e *Error) Error() string {
	return e.Type + "/" + e.Code + ": " + e.Message
}

// Status returns the HTTP status Plaid answers this error with.
func (e *Error) Status() int {
	if e.HTTPStatus != 0 {
		return e.HTTPStatus
	}
	switch e.Type {
	case ErrorTypeAPIError:
		return 500
	case ErrorTypeRateLimit:
		return 429
	}
	return 400
}

// WithRequestID returns a copy of e carrying the given request_id.
func (e *Error) WithRequestID(id string) *Error {
	c := *e
	c.RequestID = id
	return &c
}

// errorJSON is Plaid's error object as its API sends it (webhooks add
// status, see WebhookError; causes appear only in asset reports).
type errorJSON struct {
	ErrorType        string  `json:"error_type"`
	ErrorCode        string  `json:"error_code"`
	ErrorMessage     string  `json:"error_message"`
	DisplayMessage   *string `json:"display_message"`
	RequestID        string  `json:"request_id,omitempty"`
	DocumentationURL string  `json:"documentation_url"`
	SuggestedAction  *string `json:"suggested_action"`
}

// MarshalJSON writes e as Plaid's error object.
func (e *Error) MarshalJSON() ([]byte, error) { return e.appendJSON(nil), nil }

func (e *Error) appendJSON(b []byte) []byte { return e.json().appendTo(b) }

// appendTo writes the error object; errorJSON's fields are all strings,
// so it cannot fail.
func (j errorJSON) appendTo(b []byte) []byte {
	b, _ = appendJSON(b, j)
	return b
}

func (e *Error) json() errorJSON {
	return errorJSON{
		ErrorType:        e.Type,
		ErrorCode:        e.Code,
		ErrorMessage:     e.Message,
		DisplayMessage:   nullable(e.DisplayMessage),
		RequestID:        e.RequestID,
		DocumentationURL: e.documentationURL(),
	}
}

// documentationURL is the page of Plaid's docs about the error, as Plaid
// links it: https://plaid.com/docs/errors/<type>/#<code>.
func (e *Error) documentationURL() string {
	page := strings.ToLower(strings.TrimSuffix(e.Type, "_ERROR")) // ITEM_ERROR → item
	return "https://plaid.com/docs/errors/" + strings.ReplaceAll(page, "_", "-") + "/#" + strings.ToLower(e.Code)
}

// UnmarshalJSON reads Plaid's error object.
func (e *Error) UnmarshalJSON(b []byte) error {
	var j errorJSON
	if err := unmarshal(b, &j); err != nil {
		return err
	}
	*e = Error{Type: j.ErrorType, Code: j.ErrorCode, Message: j.ErrorMessage, RequestID: j.RequestID}
	if j.DisplayMessage != nil {
		e.DisplayMessage = *j.DisplayMessage
	}
	return nil
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func invalidRequest(code, format string, args ...any) *Error {
	return &Error{Type: ErrorTypeInvalidRequest, Code: code, Message: fmt.Sprintf(format, args...)}
}

func invalidInput(code, display, format string, args ...any) *Error {
	return &Error{Type: ErrorTypeInvalidInput, Code: code, Message: fmt.Sprintf(format, args...), DisplayMessage: display}
}

// ErrInvalidBody reports a request body that is not a JSON object.
func ErrInvalidBody(detail string) *Error {
	return invalidRequest("INVALID_BODY", "body could not be parsed as JSON: %s", detail)
}

// ErrNotFound reports an unknown API path (HTTP 404).
func ErrNotFound(path string) *Error {
	e := invalidRequest("NOT_FOUND", "%s is not a valid endpoint", path)
	e.HTTPStatus = 404
	return e
}

// ErrMethodNotAllowed reports a request with a method its path does not
// take (HTTP 405); allowed names the methods it does take ("POST" for the
// API, "GET, HEAD" for the page's files).
func ErrMethodNotAllowed(method, allowed string) *Error {
	e := invalidRequest("METHOD_NOT_ALLOWED", "method %s is not allowed here, use %s", method, allowed)
	e.HTTPStatus = 405
	return e
}

// ErrHostNotAllowed reports a request whose Host header names none of the
// hosts the server answers for (HTTP 421): a DNS-rebinding page reaching a
// loopback server under its own name.
func ErrHostNotAllowed(host string) *Error {
	e := invalidRequest("HOST_NOT_ALLOWED", "this linksim server does not answer for the host %q; start it with -allow-host to add one", host)
	e.HTTPStatus = 421
	return e
}

// ErrBodyTooLarge reports a request body over the size limit (HTTP 413).
func ErrBodyTooLarge(limit int64) *Error {
	e := invalidRequest("INVALID_BODY", "request body exceeds the %d byte limit", limit)
	e.HTTPStatus = 413
	return e
}

// ErrInvalidAPIKeys reports a request with missing or wrong client_id / secret.
func ErrInvalidAPIKeys() *Error {
	return invalidInput("INVALID_API_KEYS", "", "invalid client_id or secret provided")
}

// ErrInvalidWebhookVerificationKeyID reports a /webhook_verification_key/get
// key_id that names no key.
func ErrInvalidWebhookVerificationKeyID() *Error {
	return invalidInput("INVALID_WEBHOOK_VERIFICATION_KEY_ID", "", "invalid key_id provided")
}

// ErrInternal reports an unexpected failure; it is what a recovered panic becomes.
func ErrInternal(detail string) *Error {
	return &Error{Type: ErrorTypeAPIError, Code: "INTERNAL_SERVER_ERROR", Message: "an unexpected error occurred: " + detail,
		DisplayMessage: "Something went wrong. Please try again later."}
}
