package flowcore

import "strings"

// This file holds the checks of what a user types in the numbers panes: each problem is reported
// at its own field, in words for a person, and the pane stays as it was, so nothing typed is lost.

// The fields a pane reports a problem with, named as the action names them.
const (
	FieldRoutingNumber = "routing_number"
	FieldAccountNumber = "account_number"
	FieldLegalName     = "legal_name"
)

// FieldError is what is wrong with one field the user typed in, in words
// for a person; the pane shows it at that field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// fieldErrors collects the problems of one submitted pane, and the first
// Plaid error among them (the one Link reports in its ERROR event).
type fieldErrors struct {
	list  []FieldError
	first *Error
}

// check records e, if any, as the problem of field.
func (f *fieldErrors) check(field string, e *Error) {
	if e == nil {
		return
	}
	if f.first == nil {
		f.first = e
	}
	f.list = append(f.list, FieldError{Field: field, Message: e.DisplayMessage})
}

// name records a blank legal name. It returns the name with its spaces
// tidied.
func (f *fieldErrors) name(typed string) string {
	name := strings.Join(strings.Fields(typed), " ")
	if name == "" {
		f.list = append(f.list, FieldError{Field: FieldLegalName, Message: "Enter your full legal name."})
	}
	return name
}

// report keeps the user on the pane with the problems found, and reports
// whether there were any. The caller has started the action's request. A bad routing or account number is a Plaid error
// (INVALID_ACCOUNT_NUMBER, with its ERROR event, as before); a blank name is
// only pointed out at its field, as a form does before anything is sent.
func (s *Session) report(f *fieldErrors) bool {
	if len(f.list) == 0 {
		return false
	}
	if f.first != nil {
		s.fail(f.first, s.st.pane, "")
	} else {
		s.st.paneErr = nil
	}
	s.st.fieldErrs = f.list
	return true
}
