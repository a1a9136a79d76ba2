package flowcore

// MaxNumberAttempts is how many times a user may type account numbers whose
// last four digits do not match the chosen account's mask (Instant Match and
// Automated Micro-deposits). Plaid does not publish its bound; linksim lets
// the user retry until the third mismatch, which ends in the error pane.
const MaxNumberAttempts = 3

// MatchMask reports whether a typed account number ends in the bank's mask
// (the last four digits Plaid shows for the account). It does not allocate.
func MatchMask(typed, mask string) bool {
	if mask == "" || len(typed) < len(mask) {
		return false
	}
	return typed[len(typed)-len(mask):] == mask
}

// errMaskMismatch is the error the numbers pane shows after a mismatch;
// left is how many attempts remain.
func errMaskMismatch(left int) *Error {
	msg := "the account number does not match the selected account"
	if left > 0 {
		return invalidInput("INVALID_ACCOUNT_NUMBER", "The account number doesn't match the account you selected. Check it and try again.",
			"%s; %d attempts remaining", msg, left)
	}
	return invalidInput("INVALID_ACCOUNT_NUMBER", "The account number didn't match too many times. Try again later or use another account.",
		"%s; no attempts remaining", msg)
}
