package flowcore

import "strings"

// Account number lengths accepted for US accounts.
const (
	MinAccountNumberLength = 4
	MaxAccountNumberLength = 17
)

// ValidateRoutingNumber checks that s is a nine-digit ABA routing number
// whose check digit is right: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) must
// be a multiple of ten. It returns INVALID_ACCOUNT_NUMBER otherwise: Plaid
// documents no routing-number code, and its INVALID_ACCOUNT_NUMBER
// (errors/invalid-request) reads "Account or routing number incorrect".
func ValidateRoutingNumber(s string) *Error {
	if len(s) != 9 || !allDigits(s) {
		return errInvalidRouting("must be exactly nine digits")
	}
	weights := [3]int{3, 7, 1}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += weights[i%3] * int(s[i]-'0')
	}
	if sum%10 != 0 {
		return errInvalidRouting("has an invalid check digit")
	}
	return nil
}

// ValidateCanadianRoutingNumber checks a Canadian routing number in its
// electronic form: 0, the three-digit institution number and the
// five-digit transit (branch) number, e.g. 011011111 for institution 110,
// branch 11111. It returns INVALID_ACCOUNT_NUMBER otherwise.
func ValidateCanadianRoutingNumber(s string) *Error {
	if len(s) != 9 || s[0] != '0' || !allDigits(s) {
		return errInvalidAccountNumber("Enter 0, your three-digit institution number and your five-digit transit number.",
			"routing number must be 0 followed by a three-digit institution number and a five-digit transit number")
	}
	return nil
}

// ValidateAccountNumber checks that s is a US account number: 4 to 17
// digits. It returns INVALID_ACCOUNT_NUMBER otherwise.
func ValidateAccountNumber(s string) *Error {
	if len(s) < MinAccountNumberLength || len(s) > MaxAccountNumberLength || !allDigits(s) {
		return errInvalidAccountNumber("Enter a valid account number (4 to 17 digits).",
			"account number must be 4 to 17 digits")
	}
	return nil
}

func errInvalidRouting(problem string) *Error {
	return errInvalidAccountNumber("Enter a valid nine-digit routing number.", "routing number %s", problem)
}

// errInvalidAccountNumber is Plaid's INVALID_ACCOUNT_NUMBER, an
// INVALID_REQUEST error (errors/invalid-request), for an account or routing
// number Link cannot use.
func errInvalidAccountNumber(display, format string, args ...any) *Error {
	e := InvalidRequest("INVALID_ACCOUNT_NUMBER", format, args...)
	e.DisplayMessage = display
	return e
}

// NormalizeDigits removes the spaces and dashes people type inside numbers.
func NormalizeDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// Mask returns the last four characters of an account number, the form in
// which numbers appear in onSuccess metadata and events.
func Mask(number string) string {
	if len(number) <= 4 {
		return number
	}
	return number[len(number)-4:]
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
