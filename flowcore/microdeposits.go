package flowcore

import (
	"strconv"
	"strings"
	"time"
)

// Verification statuses an account reports (verification_status).
const (
	StatusPendingAutomatic        = "pending_automatic_verification"
	StatusPendingManual           = "pending_manual_verification"
	StatusAutomaticallyVerified   = "automatically_verified"
	StatusManuallyVerified        = "manually_verified"
	StatusVerificationExpired     = "verification_expired"
	StatusVerificationFailed      = "verification_failed"
	StatusDatabasePass            = "database_insights_pass"
	StatusDatabasePassWithCaution = "database_insights_pass_with_caution"
	StatusDatabaseFail            = "database_insights_fail"
	// StatusDatabasePending is what onSuccess reports for a Database
	// Insights account: its verdict is available from /auth/get only.
	StatusDatabasePending = "database_insights_pending"
	StatusDatabaseMatched = "database_matched"
)

// linkVerificationStatus is the verification_status onSuccess reports for
// an account's status: a Database Insights verdict is pending there.
func linkVerificationStatus(status string) string {
	switch status {
	case StatusDatabasePass, StatusDatabasePassWithCaution, StatusDatabaseFail:
		return StatusDatabasePending
	}
	return status
}

// Micro-deposit rules.
const (
	// SandboxCode is the code of every deposit made to the sandbox test
	// account (SandboxAccountNumber); deposits to other numbers get a seeded
	// random code.
	SandboxCode = "ABC"
	// SandboxAccountNumber is the account number Plaid's sandbox documents
	// for micro-deposit flows.
	SandboxAccountNumber = "1111222233330000"
	// MaxCodeAttempts is how many codes a user may type before the account
	// is locked as verification_failed.
	MaxCodeAttempts = 3
	// AutomatedDetectionDelay is when an Automated Micro-deposit is found
	// in the sandbox (Plaid: one to two business days).
	AutomatedDetectionDelay = 24 * time.Hour
	// AutomatedExpiry is when an Automated Micro-deposit that was never
	// found expires.
	AutomatedExpiry = 7 * 24 * time.Hour
	// DepositAmount is the amount of the one micro-deposit, in dollars.
	DepositAmount = 0.01
)

// DepositDescription is the description the user sees on the $0.01 deposit
// at their bank: "#XXX <first 11 characters of client_name> ACCTVERIFY",
// where XXX is the code.
func DepositDescription(code, clientName string) string {
	name := []rune(clientName)
	if len(name) > 11 {
		name = name[:11]
	}
	return "#" + code + " " + string(name) + " ACCTVERIFY"
}

// CheckCode reports whether a typed code is the deposit's code, ignoring
// case, surrounding spaces and a leading '#'. It does not allocate.
func CheckCode(typed, code string) bool {
	typed = strings.TrimSpace(typed)
	typed = strings.TrimPrefix(typed, "#")
	return code != "" && strings.EqualFold(typed, code)
}

// Verification is the micro-deposit state of one account.
type Verification struct {
	Status      string    `json:"status"`
	Code        string    `json:"code,omitempty"`
	Description string    `json:"description,omitempty"`
	Attempts    int       `json:"attempts"`
	InitiatedAt time.Time `json:"initiated_at"`
	// Detectable says whether an Automated deposit will be found. Link
	// takes only the account's real number, so deposits made through Link
	// always are; an undetectable one (never found, expiring after 7 days)
	// is kept for Items built by hand.
	Detectable bool `json:"detectable"`
}

// SubmitCode checks a typed code against a pending manual verification.
// A right code makes the status manually_verified and returns nil. A wrong
// one returns INCORRECT_DEPOSIT_VERIFICATION saying how many attempts are
// left; the third wrong one returns TOO_MANY_VERIFICATION_ATTEMPTS and locks
// the account as verification_failed. An account already verified (say, by
// another session) returns nil; a locked one TOO_MANY_VERIFICATION_ATTEMPTS;
// any other status INVALID_FIELD. None of those change it.
func (v *Verification) SubmitCode(typed string) *Error {
	switch v.Status {
	case StatusPendingManual:
	case StatusManuallyVerified:
		return nil
	case StatusVerificationFailed:
		return errTooManyAttempts()
	default:
		return InvalidRequest("INVALID_FIELD", "account is %s; it takes no micro-deposit code", v.Status)
	}
	if CheckCode(typed, v.Code) {
		v.Status = StatusManuallyVerified
		return nil
	}
	v.Attempts++
	if left := MaxCodeAttempts - v.Attempts; left > 0 {
		noun := "attempts"
		if left == 1 {
			noun = "attempt"
		}
		return InvalidInput("INCORRECT_DEPOSIT_VERIFICATION", "The code you entered is incorrect. You have "+strconv.Itoa(left)+" "+noun+" remaining.",
			"the provided micro-deposit verification code was incorrect; %d %s remaining", left, noun)
	}
	v.Status = StatusVerificationFailed
	return errTooManyAttempts()
}

func errTooManyAttempts() *Error {
	return InvalidInput("TOO_MANY_VERIFICATION_ATTEMPTS", "You've entered an incorrect code too many times. This account can no longer be verified.",
		"the maximum number of micro-deposit verification attempts has been reached")
}

// Settle applies the passage of time to an Automated Micro-deposit: a
// detectable deposit verifies AutomatedDetectionDelay after it was made, one
// never found expires after AutomatedExpiry. It reports whether the status
// changed.
func (v *Verification) Settle(now time.Time) bool {
	if v.Status != StatusPendingAutomatic {
		return false
	}
	age := now.Sub(v.InitiatedAt)
	switch {
	case v.Detectable && age >= AutomatedDetectionDelay:
		v.Status = StatusAutomaticallyVerified
	case age >= AutomatedExpiry:
		v.Status = StatusVerificationExpired
	default:
		return false
	}
	return true
}

// DatabaseResult is the outcome of Database Insights for typed numbers.
// Plaid's sandbox passes 1111222233331111 (in Canada 11223311), passes
// 1111222233333333 (11223333) with caution, fails everything else, and
// scores the name "John Smith" 100.
func DatabaseResult(accountNumber, legalName string) (status string, nameScore int) {
	switch accountNumber {
	case "1111222233331111", "11223311":
		status = StatusDatabasePass
	case "1111222233333333", "11223333":
		status = StatusDatabasePassWithCaution
	default:
		status = StatusDatabaseFail
	}
	if strings.EqualFold(strings.Join(strings.Fields(legalName), " "), "John Smith") {
		nameScore = 100
	}
	return status, nameScore
}

// DatabaseMatched reports whether Database Match recognises typed numbers
// and name. Plaid's sandbox matches routing 110000000, account
// 1111222233331111 and the name "John Smith"; anything else falls back to
// micro-deposits.
func DatabaseMatched(routing, accountNumber, legalName string) bool {
	return routing == "110000000" && accountNumber == "1111222233331111" &&
		strings.EqualFold(strings.Join(strings.Fields(legalName), " "), "John Smith")
}
