package flowcore

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseLinkConfig: any body gives a config or a Plaid-shaped error,
// never a panic, and an accepted config respects Plaid's limits.
func FuzzParseLinkConfig(f *testing.F) {
	f.Add([]byte(config("")))
	f.Add([]byte(config(`{"auth":{"same_day_microdeposits_enabled":true,"reroute_to_credentials":"FORCED"}}`)))
	f.Add([]byte(`{"client_name":"a","language":"en","country_codes":["US"],"user":{"client_user_id":"u"},"access_token":"x"}`))
	f.Add([]byte(`{"user":{"client_user_id":1}}`))
	f.Add([]byte(`{"client_name":"a","language":"en","country_codes":["US"],"user_id":"","products":["auth"]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		cfg, err := ParseLinkConfig(body)
		if err != nil {
			if err.Type == "" || err.Code == "" || err.Message == "" {
				t.Fatalf("error without type, code or message: %#v", err)
			}
			return
		}
		if utf8.RuneCountInString(cfg.DisplayName()) > maxClientNameLength || len(cfg.CountryCodes) == 0 || cfg.ClientUserID == "" {
			t.Fatalf("accepted an invalid config: %+v", cfg)
		}
		if len(cfg.Products) == 0 && !cfg.UpdateMode() {
			t.Fatalf("accepted a config without products outside update mode")
		}
	})
}

// FuzzNumbers: routing and account validation agree with their definitions.
func FuzzNumbers(f *testing.F) {
	for _, s := range []string{"021000021", "110000000", "333333334", "1111222233330000", "12", "0000000000", "abc", "٣٣٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidateRoutingNumber(s) == nil {
			if len(s) != 9 || !allDigits(s) {
				t.Fatalf("accepted routing number %q", s)
			}
			sum := 0
			for i, w := range []int{3, 7, 1, 3, 7, 1, 3, 7, 1} {
				sum += w * int(s[i]-'0')
			}
			if sum%10 != 0 {
				t.Fatalf("accepted routing number %q with a bad check digit", s)
			}
		}
		if ValidateAccountNumber(s) == nil && (len(s) < 4 || len(s) > 17 || !allDigits(s)) {
			t.Fatalf("accepted account number %q", s)
		}
		n := NormalizeDigits(s)
		if strings.ContainsAny(n, " -") {
			t.Fatalf("NormalizeDigits(%q) kept a space or dash: %q", s, n)
		}
	})
}

// FuzzCheckCode: the code check is exactly a case-insensitive comparison
// after trimming spaces and one leading '#', and three wrong codes always
// lock the account.
func FuzzCheckCode(f *testing.F) {
	f.Add("ABC", "ABC")
	f.Add(" #abc ", "ABC")
	f.Add("ǅ", "ǆ")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, typed, code string) {
		want := code != "" && strings.EqualFold(strings.TrimPrefix(strings.TrimSpace(typed), "#"), code)
		if got := CheckCode(typed, code); got != want {
			t.Fatalf("CheckCode(%q, %q) = %v, want %v", typed, code, got, want)
		}
		v := Verification{Status: StatusPendingManual, Code: code}
		for i := 0; i < MaxCodeAttempts+1; i++ {
			err := v.SubmitCode(typed)
			if err == nil && v.Status != StatusManuallyVerified {
				t.Fatalf("accepted code left status %s", v.Status)
			}
		}
		if !want && v.Status != StatusVerificationFailed {
			t.Fatalf("wrong codes left status %s", v.Status)
		}
	})
}
