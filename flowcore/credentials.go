package flowcore

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/linksim/linksim/internal/jsoncodec"
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

// Login is what a sandbox login leads to before Link lists accounts: the
// challenges the user must pass, in order (a reCAPTCHA, then MFA rounds),
// the accounts found, and an error forced once the challenges are passed.
type Login struct {
	// Recaptcha is "good" or "bad" when the user must first solve a
	// reCAPTCHA ("bad" then fails with RECAPTCHA_BAD); "" for none.
	Recaptcha string
	MFA       []MFAChallenge
	// Accounts are a custom user's accounts; nil means the bank's.
	Accounts []AccountTemplate
	// Err is a custom user's force_error, raised after the challenges.
	Err *Error
}

// Sandbox usernames besides user_good.
const (
	// SandboxCustomUsername takes Plaid's custom-user JSON as its password
	// (see ParseCustomUser).
	SandboxCustomUsername = "user_custom"
	// SandboxDynamicUsername is Plaid's Transactions test user; it logs in
	// with any password and sees the default accounts.
	SandboxDynamicUsername = "user_transactions_dynamic"
	// MaxFailedLogins is how many wrong passwords in a row end a Link
	// session: the link token is then invalid and Link exits with
	// INVALID_LINK_TOKEN, as Plaid does after "too many invalid logins"
	// (Plaid gives no number).
	MaxFailedLogins = 5
)

// personaUsernames are Plaid's Transactions persona users: any password.
var personaUsernames = []string{SandboxDynamicUsername, "user_ewa_user", "user_yuppie", "user_small_business"}

// SandboxLogin checks a sandbox username and password at an institution and
// returns what the login leads to (nothing to pass for pass_good).
//
//   - user_good / pass_good or microdeposits_good: logged in.
//   - user_good / mfa_device: a code sent to a device, 1234. Where the bank
//     has several devices, the user first picks one.
//   - user_good / mfa_questions_<n>_<m>: n rounds of m questions; question j
//     of round i is answered answer_<i>_<j>.
//   - user_good / mfa_selections: one question answered "Yes".
//   - user_good / mfa_selections_<n>_<m>_<o>: n rounds of m questions with o
//     answers each (0 < n, m < 10, 2 <= o < 10); question m of round n is
//     answered answer_<n>_<m>_0.
//   - user_good / {"recaptcha":"good"} or {"recaptcha":"bad"}: a reCAPTCHA
//     to solve; bad then fails with RECAPTCHA_BAD.
//   - user_good / error_<CODE>: that Plaid error with its error_type
//     (ITEM_LOCKED, ITEM_LOGIN_REQUIRED, INSTITUTION_DOWN, …); an unknown
//     code is INVALID_CREDENTIALS.
//   - user_custom / a custom-user JSON: see ParseCustomUser.
//   - user_transactions_dynamic, user_ewa_user, user_yuppie,
//     user_small_business / any password: logged in.
//   - the credit and income users (user_bank_income, user_credit_…):
//     INVALID_FIELD saying linksim does not simulate them.
//
// Anything else is INVALID_CREDENTIALS. A DOWN bank refuses every login
// with INSTITUTION_DOWN, a bank set not responding with its LoginError,
// and a bank without a login (Windowpane, Unsupported
// Platypus) with PRODUCTS_NOT_SUPPORTED.
func SandboxLogin(ins *Institution, username, password string) (Login, *Error) {
	if !ins.HasLogin() {
		return Login{}, ErrNotSupported(ins.Name)
	}
	if ins.Health() == StatusDown {
		e, _ := SandboxError("INSTITUTION_DOWN")
		return Login{}, e
	}
	if e := ins.loginError(); e != nil {
		return Login{}, e // an institution not responding on demand
	}
	user := strings.TrimSpace(username)
	switch {
	case user == SandboxCustomUsername:
		return ParseCustomUser(ins, password)
	case slices.Contains(personaUsernames, user) && strings.TrimSpace(password) != "":
		return Login{}, nil
	case user == "user_bank_income" || strings.HasPrefix(user, "user_credit_"):
		return Login{}, InvalidRequest("INVALID_FIELD",
			"%s is one of Plaid's credit and income test users, which linksim does not simulate: log in as user_good or user_custom", user)
	case user != SandboxUsername:
		return Login{}, errInvalidCredentials()
	}
	switch {
	case password == SandboxPassword || password == SandboxMicrodepositsPassword:
		return Login{}, nil
	case password == "mfa_device":
		return Login{MFA: deviceMFA(ins)}, nil
	case password == "mfa_selections":
		return Login{MFA: []MFAChallenge{{Type: MFASelections,
			Prompts: []string{"Do you have an account at " + ins.Name + "?"},
			Options: [][]string{{"Yes", "No"}}, answers: []string{SandboxSelectionAnswer}}}}, nil
	case strings.HasPrefix(password, "mfa_selections_"):
		n, m, o, ok := parseSelections(strings.TrimPrefix(password, "mfa_selections_"))
		if !ok {
			return Login{}, errInvalidCredentials()
		}
		return Login{MFA: selectionsMFA(n, m, o, 1)}, nil
	case strings.HasPrefix(password, "mfa_questions_"):
		n, m, ok := parseQuestions(strings.TrimPrefix(password, "mfa_questions_"))
		if !ok {
			return Login{}, errInvalidCredentials()
		}
		return Login{MFA: questionsMFA(n, m, 1)}, nil
	case strings.HasPrefix(password, "error_"):
		if e, ok := SandboxError(strings.TrimPrefix(password, "error_")); ok {
			return Login{}, e
		}
	case strings.HasPrefix(strings.TrimSpace(password), "{"):
		return recaptchaPassword(password)
	}
	return Login{}, errInvalidCredentials()
}

// deviceMFA is mfa_device's challenge: pick a device when the bank has
// several, then type the code 1234.
func deviceMFA(ins *Institution) []MFAChallenge {
	code := MFAChallenge{Type: MFACode, Prompts: []string{"Enter the code we sent to your device."}}
	if len(ins.MFADevices) <= 1 {
		if len(ins.MFADevices) == 1 {
			code.Prompts = []string{"Enter the code we sent to " + ins.MFADevices[0] + "."}
		}
		return []MFAChallenge{code}
	}
	return []MFAChallenge{{Type: MFADevice, Prompts: ins.MFADevices}, code}
}

// questionsMFA is n rounds of m questions; question j of round i (counted
// from base) is answered answer_<i>_<j>.
func questionsMFA(n, m, base int) []MFAChallenge {
	rounds := make([]MFAChallenge, n)
	for i := range rounds {
		c := MFAChallenge{Type: MFAQuestions}
		for j := 0; j < m; j++ {
			r, q := i+base, j+base
			c.Prompts = append(c.Prompts, fmt.Sprintf("Security question %d of round %d (question_%d_%d)", j+1, i+1, r, q))
			c.answers = append(c.answers, fmt.Sprintf("answer_%d_%d", r, q))
		}
		rounds[i] = c
	}
	return rounds
}

// selectionsMFA is n rounds of m questions with o options each; the first
// option, answer_<i>_<j>_0 (i, j counted from base), is the right one.
func selectionsMFA(n, m, o, base int) []MFAChallenge {
	rounds := make([]MFAChallenge, n)
	for i := range rounds {
		c := MFAChallenge{Type: MFASelections}
		for j := 0; j < m; j++ {
			r, q := i+base, j+base
			c.Prompts = append(c.Prompts, fmt.Sprintf("Security question %d of round %d (question_%d_%d)", j+1, i+1, r, q))
			opts := make([]string, o)
			for k := range opts {
				opts[k] = fmt.Sprintf("answer_%d_%d_%d", r, q, k)
			}
			c.Options = append(c.Options, opts)
			c.answers = append(c.answers, opts[0])
		}
		rounds[i] = c
	}
	return rounds
}

// recaptchaPassword reads user_good's JSON password, which Plaid documents
// for one field: {"recaptcha": "good" | "bad"}.
func recaptchaPassword(password string) (Login, *Error) {
	var fields map[string]jsoncodec.RawJSON
	if jsoncodec.Unmarshal([]byte(password), &fields) != nil {
		return Login{}, errInvalidCredentials()
	}
	var r string
	for k, v := range fields {
		if k != "recaptcha" {
			return Login{}, InvalidRequest("INVALID_FIELD",
				"user_good's JSON password takes only \"recaptcha\" (\"good\" or \"bad\"); %s belongs in a user_custom configuration", Quote(k))
		}
		if jsoncodec.Unmarshal(v, &r) != nil || (r != RecaptchaGood && r != RecaptchaBad) {
			return Login{}, InvalidRequest("INVALID_FIELD", "recaptcha must be \"good\" or \"bad\"")
		}
	}
	return Login{Recaptcha: r}, nil
}

// The values of a reCAPTCHA test password.
const (
	RecaptchaGood = "good"
	RecaptchaBad  = "bad"
)

func errRecaptchaBad() *Error {
	return &Error{Type: "RECAPTCHA_ERROR", Code: "RECAPTCHA_BAD", Message: "The provided challenge response was denied.",
		DisplayMessage: "We couldn't verify that you're not a robot. Please try again."}
}

func parseSelections(s string) (n, m, o int, ok bool) {
	parts := strings.Split(s, "_")
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	var v [3]int
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil {
			return 0, 0, 0, false
		}
		v[i] = x
	}
	n, m, o = v[0], v[1], v[2]
	return n, m, o, n > 0 && n < 10 && m > 0 && m < 10 && o >= 2 && o < 10
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

// sandboxErrorCodes are the codes an error_<CODE> password forces; each
// answers as linksim's table of Plaid's errors gives it (PlaidError).
var sandboxErrorCodes = []string{"INVALID_CREDENTIALS", "INVALID_MFA", "ITEM_LOCKED", "ITEM_LOGIN_REQUIRED", "ITEM_NOT_SUPPORTED",
	"MFA_NOT_SUPPORTED", "NO_ACCOUNTS", "NO_AUTH_ACCOUNTS", "USER_SETUP_REQUIRED", "PASSWORD_RESET_REQUIRED",
	"INSUFFICIENT_CREDENTIALS", "USER_INPUT_TIMEOUT", "INSTITUTION_DOWN", "INSTITUTION_NOT_RESPONDING",
	"INSTITUTION_NOT_AVAILABLE", "INSTITUTION_NO_LONGER_SUPPORTED", "INTERNAL_SERVER_ERROR"}

// SandboxError returns the error an error_<CODE> sandbox password forces,
// false for a code Plaid's sandbox does not force.
func SandboxError(code string) (*Error, bool) {
	if !slices.Contains(sandboxErrorCodes, code) {
		return nil, false
	}
	return PlaidError(code)
}
