package flowcore

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestValidateRoutingNumber(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"021000021", true}, {"110000000", true}, {"333333334", true}, {"011401533", true},
		{"021000022", false}, {"000000001", false}, {"02100002", false}, {"0210000211", false},
		{"02100002a", false}, {"", false}, {"０21000021", false},
	}
	for _, tt := range tests {
		err := ValidateRoutingNumber(tt.in)
		if tt.ok {
			assert.Nil(t, err, tt.in)
			continue
		}
		if assert.NotNil(t, err, tt.in) {
			assert.Equal(t, "INVALID_ACCOUNT_NUMBER", err.Code)
			assert.Equal(t, ErrorTypeInvalidRequest, err.Type)
			assert.NotEmpty(t, err.DisplayMessage)
		}
	}
}

func TestValidateAccountNumber(t *testing.T) {
	for in, ok := range map[string]bool{
		"1234": true, "12345678901234567": true, "1111222233330000": true,
		"123": false, "123456789012345678": false, "12a4": false, "": false, "-1234": false,
	} {
		assert.Equal(t, ok, ValidateAccountNumber(in) == nil, in)
	}
}

func TestNormalizeDigitsAndMask(t *testing.T) {
	assert.Equal(t, "1111222233330000", NormalizeDigits(" 1111-2222 3333-0000 "))
	assert.Equal(t, "0000", Mask("1111222233330000"))
	assert.Equal(t, "123", Mask("123"))
}

func TestDepositDescription(t *testing.T) {
	assert.Equal(t, "#ABC Linksim Dem ACCTVERIFY", DepositDescription("ABC", "Linksim Demo App"))
	assert.Equal(t, "#XYZ Acme ACCTVERIFY", DepositDescription("XYZ", "Acme"))
	assert.Equal(t, "#ABC Ünïcödé Çøm ACCTVERIFY", DepositDescription("ABC", "Ünïcödé Çømpany"), "cuts at characters, not bytes")
}

func TestCheckCode(t *testing.T) {
	for typed, ok := range map[string]bool{"ABC": true, "abc": true, " aBc ": true, "#ABC": true, "AB": false, "ABCD": false, "": false, "XYZ": false} {
		assert.Equal(t, ok, CheckCode(typed, "ABC"), typed)
	}
	assert.False(t, CheckCode("", ""))
}

func TestVerificationSubmitCode(t *testing.T) {
	v := Verification{Status: StatusPendingManual, Code: "ABC"}
	err := v.SubmitCode("XYZ")
	assert.Equal(t, "INCORRECT_DEPOSIT_VERIFICATION", err.Code)
	assert.Contains(t, err.DisplayMessage, "2 attempts remaining")
	err = v.SubmitCode("XYZ")
	assert.Contains(t, err.DisplayMessage, "1 attempt remaining")
	err = v.SubmitCode("XYZ")
	assert.Equal(t, "TOO_MANY_VERIFICATION_ATTEMPTS", err.Code)
	assert.Equal(t, StatusVerificationFailed, v.Status)
	err = v.SubmitCode("ABC")
	assert.Equal(t, "TOO_MANY_VERIFICATION_ATTEMPTS", err.Code, "a locked account takes no more codes")
	assert.Equal(t, StatusVerificationFailed, v.Status)
	done := Verification{Status: StatusManuallyVerified, Code: "ABC"}
	assert.Nil(t, done.SubmitCode("XYZ"), "verified already, by another session")
	auto := Verification{Status: StatusPendingAutomatic}
	assert.Equal(t, "INVALID_FIELD", auto.SubmitCode("ABC").Code)
	assert.Equal(t, StatusPendingAutomatic, auto.Status)

	ok := Verification{Status: StatusPendingManual, Code: "ABC", Attempts: 2}
	assert.Nil(t, ok.SubmitCode("abc"))
	assert.Equal(t, StatusManuallyVerified, ok.Status)
}

func TestVerificationSettle(t *testing.T) {
	tests := []struct {
		name       string
		detectable bool
		age        time.Duration
		want       string
		changed    bool
	}{
		{"too early", true, 23 * time.Hour, StatusPendingAutomatic, false},
		{"found after a day", true, 24 * time.Hour, StatusAutomaticallyVerified, true},
		{"never found, not yet expired", false, 6 * 24 * time.Hour, StatusPendingAutomatic, false},
		{"never found, expired after a week", false, 7 * 24 * time.Hour, StatusVerificationExpired, true},
	}
	for _, tt := range tests {
		v := Verification{Status: StatusPendingAutomatic, InitiatedAt: t0, Detectable: tt.detectable}
		assert.Equal(t, tt.changed, v.Settle(t0.Add(tt.age)), tt.name)
		assert.Equal(t, tt.want, v.Status, tt.name)
	}
	manual := Verification{Status: StatusPendingManual, InitiatedAt: t0}
	assert.False(t, manual.Settle(t0.Add(365*24*time.Hour)), "Same Day never expires")
}

func TestDatabaseResult(t *testing.T) {
	s, score := DatabaseResult("1111222233331111", "john  smith")
	assert.Equal(t, StatusDatabasePass, s)
	assert.Equal(t, 100, score)
	s, score = DatabaseResult("1111222233333333", "Jane Doe")
	assert.Equal(t, StatusDatabasePassWithCaution, s)
	assert.Equal(t, 0, score)
	s, _ = DatabaseResult("1234567", "John Smith")
	assert.Equal(t, StatusDatabaseFail, s)
}
