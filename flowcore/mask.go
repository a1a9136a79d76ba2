package flowcore

// MaxNumberAttempts is how many times a user may type numbers that are not
// the chosen account's (Instant Match and Automated Micro-deposits). Plaid
// does not publish its bound; linksim lets the user retry until the third
// miss, which ends in the error pane.
const MaxNumberAttempts = 3

// errNumberMismatch is the error the numbers pane shows when the typed
// routing or account number is not the chosen account's; left is how many
// attempts remain. Plaid documents INVALID_ACCOUNT_NUMBER (INVALID_REQUEST,
// errors/invalid-request) for exactly this Instant Match / Automated /
// Same Day case, with "Account or routing number incorrect" as its message.
func errNumberMismatch(left int) *Error {
	msg := "the account or routing number does not match the selected account"
	if left > 0 {
		return errInvalidAccountNumber("Account or routing number incorrect. Check with your bank that they are entered correctly.",
			"%s; %d attempts remaining", msg, left)
	}
	return errInvalidAccountNumber("The account or routing number didn't match too many times. Try again later or use another account.",
		"%s; no attempts remaining", msg)
}
