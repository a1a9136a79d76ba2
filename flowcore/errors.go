package flowcore

import (
	"fmt"
	"strings"

	"github.com/linksim/linksim/internal/jsoncodec"
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
func (e *Error) MarshalJSON() ([]byte, error) { return e.AppendJSON(nil), nil }

func (e *Error) AppendJSON(b []byte) []byte { return e.json().appendTo(b) }

// appendTo writes the error object; errorJSON's fields are all strings,
// so it cannot fail.
func (j errorJSON) appendTo(b []byte) []byte {
	b, _ = jsoncodec.Append(b, j)
	return b
}

func (e *Error) json() errorJSON {
	return errorJSON{
		ErrorType:        e.Type,
		ErrorCode:        e.Code,
		ErrorMessage:     e.Message,
		DisplayMessage:   Nullable(e.DisplayMessage),
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
	if err := jsoncodec.Unmarshal(b, &j); err != nil {
		return err
	}
	*e = Error{Type: j.ErrorType, Code: j.ErrorCode, Message: j.ErrorMessage, RequestID: j.RequestID}
	if j.DisplayMessage != nil {
		e.DisplayMessage = *j.DisplayMessage
	}
	return nil
}

func Nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func InvalidRequest(code, format string, args ...any) *Error {
	return &Error{Type: ErrorTypeInvalidRequest, Code: code, Message: fmt.Sprintf(format, args...)}
}

func InvalidInput(code, display, format string, args ...any) *Error {
	return &Error{Type: ErrorTypeInvalidInput, Code: code, Message: fmt.Sprintf(format, args...), DisplayMessage: display}
}

// ErrInvalidBody reports a request body that is not a JSON object.
func ErrInvalidBody(detail string) *Error {
	return InvalidRequest("INVALID_BODY", "body could not be parsed as JSON: %s", detail)
}

// ErrNotFound reports an unknown API path (HTTP 404).
func ErrNotFound(path string) *Error {
	e := InvalidRequest("NOT_FOUND", "%s is not a valid endpoint", path)
	e.HTTPStatus = 404
	return e
}

// ErrMethodNotAllowed reports a request with a method its path does not
// take (HTTP 405); allowed names the methods it does take ("POST" for the
// API, "GET, HEAD" for the page's files).
func ErrMethodNotAllowed(method, allowed string) *Error {
	e := InvalidRequest("METHOD_NOT_ALLOWED", "method %s is not allowed here, use %s", method, allowed)
	e.HTTPStatus = 405
	return e
}

// ErrHostNotAllowed reports a request whose Host header names none of the
// hosts the server answers for (HTTP 421): a DNS-rebinding page reaching a
// loopback server under its own name.
func ErrHostNotAllowed(host string) *Error {
	e := InvalidRequest("HOST_NOT_ALLOWED", "this linksim server does not answer for the host %q; start it with -allow-host to add one", host)
	e.HTTPStatus = 421
	return e
}

// ErrBodyTooLarge reports a request body over the size limit (HTTP 413).
func ErrBodyTooLarge(limit int64) *Error {
	e := InvalidRequest("INVALID_BODY", "request body exceeds the %d byte limit", limit)
	e.HTTPStatus = 413
	return e
}

// ErrInvalidAPIKeys reports a request with missing or wrong client_id / secret.
func ErrInvalidAPIKeys() *Error {
	return InvalidInput("INVALID_API_KEYS", "", "invalid client_id or secret provided")
}

// ErrInvalidWebhookVerificationKeyID reports a /webhook_verification_key/get
// key_id that names no key.
func ErrInvalidWebhookVerificationKeyID() *Error {
	return InvalidInput("INVALID_WEBHOOK_VERIFICATION_KEY_ID", "", "invalid key_id provided")
}

// ErrInternal reports an unexpected failure; it is what a recovered panic becomes.
func ErrInternal(detail string) *Error {
	return &Error{Type: ErrorTypeAPIError, Code: "INTERNAL_SERVER_ERROR", Message: "an unexpected error occurred: " + detail,
		DisplayMessage: "Something went wrong. Please try again later."}
}

// RequestError is the JSON layer's refusal of a body as Plaid's error
// object; nil when there was none.
func RequestError(e *jsoncodec.Error) *Error {
	if e == nil {
		return nil
	}
	return &Error{Type: e.Type, Code: e.Code, Message: e.Message}
}

// DecodeRequest is jsoncodec.DecodeRequest, its refusal as Plaid's error:
// it checks the body of a request to a Plaid endpoint against Plaid's
// request grammar and reads it into dst.
func DecodeRequest(endpoint string, body []byte, dst any) *Error {
	return RequestError(jsoncodec.DecodeRequest(endpoint, body, dst))
}

// Decode is jsoncodec.Decode, its refusal as Plaid's error: it reads
// linksim's own bodies (session actions, the clock, the bridge's options)
// into dst, checked against dst's struct.
func Decode(body []byte, dst any) *Error {
	return RequestError(jsoncodec.Decode(body, dst))
}

// ErrItemLoginRequired is Plaid's ITEM_LOGIN_REQUIRED error.
func ErrItemLoginRequired() *Error {
	return &Error{Type: ErrorTypeItemError, Code: "ITEM_LOGIN_REQUIRED",
		Message: "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link's update mode to restore the item to a good state"}
}

// WebhookError is a webhook body's error field. The zero value leaves the
// field out (webhooks whose schema has none); with Present set it is null
// when Err is nil, else the error with its HTTP status, as Plaid sends
// errors in webhooks (no request_id).
type WebhookError struct {
	Present bool
	Err     *Error
}

// NewWebhookError is an error field that is present: null for nil.
func NewWebhookError(e *Error) WebhookError { return WebhookError{Present: true, Err: e} }

// IsZero reports whether the field is left out.
func (w WebhookError) IsZero() bool { return !w.Present }

// MarshalJSON writes null or the error with its status.
func (w WebhookError) MarshalJSON() ([]byte, error) { return w.AppendJSON(nil), nil }

func (w WebhookError) AppendJSON(b []byte) []byte {
	if w.Err == nil {
		return append(b, "null"...)
	}
	e := w.Err.json()
	e.RequestID = ""
	b, _ = jsoncodec.Append(b, struct {
		errorJSON
		Status int `json:"status"`
	}{e, w.Err.Status()})
	return b
}

func ErrInvalidAccountID() *Error {
	return InvalidInput("INVALID_ACCOUNT_ID", "", "one or more of the account IDs is invalid")
}

func ErrInvalidLinkToken(msg string) *Error {
	return InvalidInput("INVALID_LINK_TOKEN", "Something went wrong. Please restart the process.", "%s", msg)
}
