package flowcore

import (
	"fmt"
	"strconv"
	"strings"
)

// Sandbox logins, as Plaid's sandbox documents them.
const (
	SandboxUsername = "user_good"
	// SandboxPassword logs in with no MFA.
	SandboxPassword = "pass_good"
	// SandboxMicrodepositsPassword logs in with no MFA; Plaid documents it
	// for Automated Micro-deposits.
	SandboxMicrodepositsPassword = "microdeposits_good"
	// SandboxMFACode is the code every code and device MFA expects.
	SandboxMFACode = "1234"
	// SandboxSelectionAnswer is the answer every selections MFA expects.
	SandboxSelectionAnswer = "Yes"
	// maxMFAQuestions bounds n and m in mfa_questions_<n>_<m>.
	maxMFAQuestions = 9
)

// MFAType is the kind of multi-factor challenge (the mfa_type field).
type MFAType string

// The MFA kinds Link shows.
const (
	MFACode       MFAType = "code"
	MFADevice     MFAType = "device"
	MFAQuestions  MFAType = "questions"
	MFASelections MFAType = "selections"
)

// MFAChallenge is one round of multi-factor authentication.
type MFAChallenge struct {
	Type MFAType `json:"type"`
	// Prompts are the questions (questions, selections), the devices to
	// pick from (device), or the one line saying where the code went (code).
	Prompts []string `json:"prompts"`
	// Options are the answers to pick from, one list per prompt (selections).
	Options [][]string `json:"options,omitempty"`
	answers []string
}

// Check reports whether the given answers solve the challenge: one answer
// per prompt for questions and selections, one device that is listed for
// device, the code for code. Answers are compared ignoring surrounding space.
func (c *MFAChallenge) Check(answers []string) bool {
	switch c.Type {
	case MFADevice:
		return len(answers) == 1 && containsTrimmed(c.Prompts, answers[0])
	case MFACode:
		return len(answers) == 1 && strings.TrimSpace(answers[0]) == SandboxMFACode
	}
	if len(answers) != len(c.answers) {
		return false
	}
	for i, a := range answers {
		if !strings.EqualFold(strings.TrimSpace(a), c.answers[i]) {
			return false
		}
	}
	return true
}

func containsTrimmed(list []string, s string) bool {
	s = strings.TrimSpace(s)
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// SandboxLogin checks a sandbox username and password at an institution and
// returns the MFA rounds the user must pass next (none for pass_good).
//
//   - user_good / pass_good or microdeposits_good: logged in.
//   - user_good / mfa_device: a code sent to a device, 1234. Where the bank
//     has several devices, the user first picks one.
//   - user_good / mfa_questions_<n>_<m>: n rounds of m questions; question j
//     of round i is answered answer_<i>_<j>.
//   - user_good / mfa_selections: one question answered "Yes".
//   - user_good / error_<CODE>: that Plaid error with its error_type
//     (ITEM_LOCKED, ITEM_LOGIN_REQUIRED, INSTITUTION_DOWN, …); an unknown
//     code is INVALID_CREDENTIALS.
//
// Anything else is INVALID_CREDENTIALS.
func SandboxLogin(ins *Institution, username, password string) ([]MFAChallenge, *Error) {
	if strings.TrimSpace(username) != SandboxUsername {
		return nil, errInvalidCredentials()
	}
	switch {
	case password == SandboxPassword || password == SandboxMicrodepositsPassword:
		return nil, nil
	case password == "mfa_device":
		code := MFAChallenge{Type: MFACode, Prompts: []string{"Enter the code we sent to your device."}}
		if len(ins.MFADevices) <= 1 {
			if len(ins.MFADevices) == 1 {
				code.Prompts = []string{"Enter the code we sent to " + ins.MFADevices[0] + "."}
			}
			return []MFAChallenge{code}, nil
		}
		return []MFAChallenge{{Type: MFADevice, Prompts: ins.MFADevices}, code}, nil
	case password == "mfa_selections":
		return []MFAChallenge{{Type: MFASelections,
			Prompts: []string{"Do you have an account at " + ins.Name + "?"},
			Options: [][]string{{"Yes", "No"}}, answers: []string{SandboxSelectionAnswer}}}, nil
	case strings.HasPrefix(password, "mfa_questions_"):
		n, m, ok := parseQuestions(strings.TrimPrefix(password, "mfa_questions_"))
		if !ok {
			return nil, errInvalidCredentials()
		}
		rounds := make([]MFAChallenge, n)
		for i := range rounds {
			c := MFAChallenge{Type: MFAQuestions}
			for j := 1; j <= m; j++ {
				c.Prompts = append(c.Prompts, fmt.Sprintf("Security question %d of round %d (question_%d_%d)", j, i+1, i+1, j))
				c.answers = append(c.answers, fmt.Sprintf("answer_%d_%d", i+1, j))
			}
			rounds[i] = c
		}
		return rounds, nil
	case strings.HasPrefix(password, "error_"):
		if e, ok := SandboxError(strings.TrimPrefix(password, "error_")); ok {
			return nil, e
		}
	}
	return nil, errInvalidCredentials()
}

func parseQuestions(s string) (n, m int, ok bool) {
	a, b, found := strings.Cut(s, "_")
	if !found {
		return 0, 0, false
	}
	n, err1 := strconv.Atoi(a)
	m, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || n < 1 || m < 1 || n > maxMFAQuestions || m > maxMFAQuestions {
		return 0, 0, false
	}
	return n, m, true
}

func errInvalidCredentials() *Error {
	return &Error{Type: ErrorTypeItemError, Code: "INVALID_CREDENTIALS",
		Message:        "the provided credentials were not correct",
		DisplayMessage: "The provided credentials were not correct. Please try again."}
}

func errInvalidMFA() *Error {
	return &Error{Type: ErrorTypeItemError, Code: "INVALID_MFA",
		Message:        "the provided MFA response(s) were not correct",
		DisplayMessage: "The provided MFA responses were not correct. Please try again."}
}

// Recoverable reports whether Link lets the user fix the error in the pane
// where it happened (a wrong password, MFA answer, account number or code)
// rather than showing its error pane.
func (e *Error) Recoverable() bool {
	switch e.Code {
	case "INVALID_CREDENTIALS", "INVALID_MFA", "INCORRECT_DEPOSIT_VERIFICATION":
		return true
	}
	return false
}

// sandboxErrors are the errors an error_<CODE> password forces (with
// ITEM_LOGIN_REQUIRED, see ErrItemLoginRequired).
var sandboxErrors = map[string][3]string{
	"INVALID_CREDENTIALS":             {ErrorTypeItemError, "the provided credentials were not correct", "The provided credentials were not correct. Please try again."},
	"INVALID_MFA":                     {ErrorTypeItemError, "the provided MFA response(s) were not correct", "The provided MFA responses were not correct. Please try again."},
	"ITEM_LOCKED":                     {ErrorTypeItemError, "the ITEM is locked", "The account is locked. Please reset your password at your bank and try again."},
	"ITEM_NOT_SUPPORTED":              {ErrorTypeItemError, "this account is currently not supported", "This account is currently not supported."},
	"MFA_NOT_SUPPORTED":               {ErrorTypeItemError, "this Item's MFA type is not supported", "This account's security settings aren't supported."},
	"NO_ACCOUNTS":                     {ErrorTypeItemError, "no valid accounts were found for this Item", "No valid accounts were found at the bank. Please ensure you have an open account."},
	"NO_AUTH_ACCOUNTS":                {ErrorTypeItemError, "no valid checking or savings accounts were found", "No valid checking or savings accounts were found."},
	"USER_SETUP_REQUIRED":             {ErrorTypeItemError, "the user must log in to the bank's site to finish setting up", "Log in to your bank's website to finish setting up your account, then try again."},
	"PASSWORD_RESET_REQUIRED":         {ErrorTypeItemError, "the user must reset their password at the bank", "Reset your password at your bank, then try again."},
	"INSUFFICIENT_CREDENTIALS":        {ErrorTypeItemError, "the user did not provide sufficient authorization", "Please provide all the required information."},
	"USER_INPUT_TIMEOUT":              {ErrorTypeItemError, "the user took too long to respond", "The session timed out. Please try again."},
	"INSTITUTION_DOWN":                {ErrorTypeInstitutionError, "this institution is not currently responding to this request", "This bank is having trouble. Please try again later."},
	"INSTITUTION_NOT_RESPONDING":      {ErrorTypeInstitutionError, "this institution is not currently responding to this request", "This bank is not responding. Please try again later."},
	"INSTITUTION_NOT_AVAILABLE":       {ErrorTypeInstitutionError, "this institution is not available", "This bank is not available right now. Please try again later."},
	"INSTITUTION_NO_LONGER_SUPPORTED": {ErrorTypeInstitutionError, "this institution is no longer supported", "This bank is no longer supported."},
	"INTERNAL_SERVER_ERROR":           {ErrorTypeAPIError, "an unexpected error occurred", "Something went wrong. Please try again later."},
}

func SandboxError(code string) (*Error, bool) {
	if code == "ITEM_LOGIN_REQUIRED" {
		return ErrItemLoginRequired(), true
	}
	e, ok := sandboxErrors[code]
	if !ok {
		return nil, false
	}
	return &Error{Type: e[0], Code: code, Message: e[1], DisplayMessage: e[2]}, true
}
