package jsoncodec

// Error is a request body the codec refuses, in the terms of Plaid's API:
// Type is INVALID_REQUEST, with Code INVALID_BODY (not a JSON object),
// UNKNOWN_FIELDS, MISSING_FIELDS or INVALID_FIELD, or INVALID_INPUT with
// Code INVALID_PRODUCT; Message names the fields and what is wrong, in the
// words Plaid's error_message uses. flowcore.RequestError turns it into
// Plaid's error object.
type Error struct {
	Type, Code, Message string
}

// Error returns "TYPE/CODE: message", as flowcore.Error does.
func (e *Error) Error() string { return e.Type + "/" + e.Code + ": " + e.Message }

const typeInvalidRequest = "INVALID_REQUEST"

func invalidRequest(code, message string) *Error {
	return &Error{Type: typeInvalidRequest, Code: code, Message: message}
}

// invalidBody reports a body that is not a JSON object.
func invalidBody(detail string) *Error {
	return invalidRequest("INVALID_BODY", "body could not be parsed as JSON: "+detail)
}

func invalidField(field, problem string) *Error {
	return invalidRequest("INVALID_FIELD", field+" "+problem)
}

func quote(s string) string { return `"` + s + `"` }
