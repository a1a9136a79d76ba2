package flowcore

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/linksim/linksim/internal/jsoncodec"
)

// This file holds user_custom: Plaid's custom test user, whose password is
// a JSON configuration (Plaid's UserCustomPassword schema).

// MaxCustomAccounts is how many override_accounts a custom user may have:
// Plaid says more than ten make the Link attempt fail.
const MaxCustomAccounts = 10

// customForceErrors are the force_error values Plaid lists that linksim
// can raise (PLAID_ERROR names no error_type, so it is refused).
var customForceErrors = []string{"INSTITUTION_NOT_RESPONDING", "INSTITUTION_NO_LONGER_SUPPORTED", "INVALID_CREDENTIALS",
	"INVALID_MFA", "ITEM_LOCKED", "ITEM_LOGIN_REQUIRED", "ITEM_NOT_SUPPORTED", "INVALID_LINK_TOKEN", "MFA_NOT_SUPPORTED",
	"NO_ACCOUNTS", "USER_INPUT_TIMEOUT", "USER_SETUP_REQUIRED"}

// customAccountTypes are OverrideAccountType's values.
var customAccountTypes = []string{"depository", "credit", "loan", "investment", "payroll", "other"}

// customUnsupported are the schema's fields for products linksim does not
// simulate; an empty value is accepted, anything else refused.
var customUnsupported = map[string]string{
	"transactions":            "Transactions",
	"holdings":                "Investments",
	"investment_transactions": "Investments",
	"identity":                "Identity",
	"liability":               "Liabilities",
	"inflow_model":            "Income",
	"income":                  "Income",
}

// ParseCustomUser reads user_custom's password, a configuration in
// Plaid's custom-user schema, into what the login leads to. linksim honours
// the fields Link, Auth and the accounts endpoints use:
//
//   - override_accounts (at most ten): type, subtype, starting_balance
//     (current), force_available_balance or has_null_available_balance
//     (available; otherwise the current balance for depository accounts and
//     null for the others), currency, meta (name, official_name, limit,
//     mask) and numbers (account, ach_routing, ach_wire_routing,
//     eft_institution with eft_branch, bacs_sort_code). Without
//     override_accounts the user has the bank's default accounts.
//   - mfa: device (code 1234), questions (answer_<i>_<j>, counted from 0)
//     or selections (the first option); with Plaid's defaults.
//   - recaptcha: good or bad.
//   - force_error: one of Plaid's listed codes, raised once the reCAPTCHA
//     and MFA are passed.
//   - version (2, the default) and seed (linksim's data has no randomness
//     for a seed to fix).
//
// Everything else is refused with INVALID_FIELD naming it, never ignored:
// non-empty transactions, holdings, investment_transactions, identity,
// liability, inflow_model and income (products linksim does not
// simulate), international numbers, version 1, and unknown fields.
func ParseCustomUser(ins *Institution, password string) (Login, *Error) {
	var top map[string]jsoncodec.RawJSON
	if jsoncodec.Unmarshal([]byte(password), &top) != nil || top == nil {
		return Login{}, customErr("", "the user_custom password must be a JSON object in Plaid's custom-user schema")
	}
	var login Login
	for _, k := range slices.Sorted(maps.Keys(top)) {
		v := top[k]
		var err *Error
		switch k {
		case "version":
			var s *string
			if jsoncodec.Unmarshal(v, &s) != nil || s != nil && *s != "2" {
				var n float64
				if jsoncodec.Unmarshal(v, &n) != nil || n != 2 {
					err = customErr(k, "must be \"2\": linksim reads the version 2 schema")
				}
			}
		case "seed":
			var s string
			if jsoncodec.Unmarshal(v, &s) != nil {
				err = customErr(k, "must be a string")
			}
		case "override_accounts":
			login.Accounts, err = customAccounts(v)
		case "mfa":
			login.MFA, err = customMFA(ins, v)
		case "recaptcha":
			if jsoncodec.Unmarshal(v, &login.Recaptcha) != nil || (login.Recaptcha != RecaptchaGood && login.Recaptcha != RecaptchaBad) {
				err = customErr(k, "must be \"good\" or \"bad\"")
			}
		case "force_error":
			var code string
			if jsoncodec.Unmarshal(v, &code) != nil || !slices.Contains(customForceErrors, code) {
				return Login{}, customErr(k, "must be one of "+strings.Join(customForceErrors, ", "))
			}
			if code == "INVALID_LINK_TOKEN" {
				login.Err = ErrInvalidLinkToken("the custom user's force_error")
			} else {
				login.Err, _ = SandboxError(code)
			}
		default:
			err = customErr(k, "is not a field linksim knows in Plaid's custom-user schema")
		}
		if err != nil {
			return Login{}, err
		}
	}
	return login, nil
}

// customOverride is one entry of override_accounts.
type customOverride struct {
	Type                    string   `json:"type"`
	Subtype                 string   `json:"subtype"`
	StartingBalance         *float64 `json:"starting_balance"`
	ForceAvailableBalance   *float64 `json:"force_available_balance"`
	HasNullAvailableBalance bool     `json:"has_null_available_balance"`
	Currency                string   `json:"currency"`
	Meta                    *struct {
		Name         string   `json:"name"`
		OfficialName string   `json:"official_name"`
		Limit        *float64 `json:"limit"`
		Mask         string   `json:"mask"`
	} `json:"meta"`
	Numbers *struct {
		Account        string `json:"account"`
		ACHRouting     string `json:"ach_routing"`
		ACHWireRouting string `json:"ach_wire_routing"`
		EFTInstitution string `json:"eft_institution"`
		EFTBranch      string `json:"eft_branch"`
		BACSSortCode   string `json:"bacs_sort_code"`
	} `json:"numbers"`
}

var customAccountFields = []string{"type", "subtype", "starting_balance", "force_available_balance",
	"has_null_available_balance", "currency", "meta", "numbers"}
var customMetaFields = []string{"name", "official_name", "limit", "mask"}
var customNumberFields = []string{"account", "ach_routing", "ach_wire_routing", "eft_institution", "eft_branch", "bacs_sort_code"}

func customAccounts(raw jsoncodec.RawJSON) ([]AccountTemplate, *Error) {
	var list []jsoncodec.RawJSON
	if jsoncodec.Unmarshal(raw, &list) != nil {
		return nil, customErr("override_accounts", "must be an array of accounts")
	}
	if len(list) > MaxCustomAccounts {
		return nil, customErr("override_accounts", fmt.Sprintf("has %d accounts; Plaid supports at most %d", len(list), MaxCustomAccounts))
	}
	out := []AccountTemplate{}
	for i, item := range list {
		t, err := customAccount(fmt.Sprintf("override_accounts[%d]", i), i, item)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func customAccount(at string, i int, raw jsoncodec.RawJSON) (AccountTemplate, *Error) {
	if err := checkCustomFields(at, raw, customAccountFields); err != nil {
		return AccountTemplate{}, err
	}
	var o customOverride
	if jsoncodec.Unmarshal(raw, &o) != nil {
		return AccountTemplate{}, customErr(at, "has a field of the wrong type (see Plaid's OverrideAccounts schema)")
	}
	if !slices.Contains(customAccountTypes, o.Type) {
		return AccountTemplate{}, customErr(at+".type", "must be one of "+strings.Join(customAccountTypes, ", "))
	}
	if strings.TrimSpace(o.Subtype) == "" {
		return AccountTemplate{}, customErr(at+".subtype", "is required")
	}
	if o.ForceAvailableBalance != nil && o.HasNullAvailableBalance {
		return AccountTemplate{}, customErr(at, "cannot set both force_available_balance and has_null_available_balance")
	}
	t := AccountTemplate{Type: o.Type, Subtype: o.Subtype, Currency: o.Currency,
		Name: "Custom " + o.Subtype, Number: fmt.Sprintf("%012d", 1111222233330000+int64(i)*1111)}
	current := 0.0
	if o.StartingBalance != nil {
		current = *o.StartingBalance
	}
	t.Balances.Current = &current
	switch {
	case o.ForceAvailableBalance != nil:
		t.Balances.Available = o.ForceAvailableBalance
	case !o.HasNullAvailableBalance && o.Type == "depository":
		t.Balances.Available = &current
	}
	if o.Currency != "" && (len(o.Currency) != 3 || strings.ToUpper(o.Currency) != o.Currency) {
		return AccountTemplate{}, customErr(at+".currency", "must be an ISO-4217 code such as USD")
	}
	if m := o.Meta; m != nil {
		if err := checkCustomFields(at+".meta", fieldOf(raw, "meta"), customMetaFields); err != nil {
			return AccountTemplate{}, err
		}
		if m.Name != "" {
			t.Name = m.Name
		}
		t.OfficialName, t.Balances.Limit = m.OfficialName, m.Limit
		if m.Mask != "" && !validCustomMask(m.Mask) {
			return AccountTemplate{}, customErr(at+".meta.mask", "must be 2 to 4 letters or digits")
		}
		t.MaskOverride = m.Mask
	}
	if n := o.Numbers; n != nil {
		if err := checkCustomFields(at+".numbers", fieldOf(raw, "numbers"), customNumberFields); err != nil {
			return AccountTemplate{}, err
		}
		if n.Account != "" {
			t.Number = n.Account
		}
		for _, rn := range []struct{ field, v string }{{"ach_routing", n.ACHRouting}, {"ach_wire_routing", n.ACHWireRouting}} {
			if rn.v == "" {
				continue
			}
			if err := ValidateRoutingNumber(rn.v); err != nil {
				return AccountTemplate{}, customErr(at+".numbers."+rn.field, "must be a valid ACH routing number: "+err.Message)
			}
		}
		t.Routing, t.WireRouting = n.ACHRouting, n.ACHWireRouting
		if (n.EFTInstitution == "") != (n.EFTBranch == "") {
			return AccountTemplate{}, customErr(at+".numbers", "eft_institution and eft_branch go together")
		}
		t.EFTInstitution, t.EFTBranch, t.SortCode = n.EFTInstitution, n.EFTBranch, n.BACSSortCode
	}
	return t, nil
}

// checkCustomFields refuses a field of a custom-user object that linksim
// does not honour: an unknown one, or a non-empty value of a product it
// does not simulate.
func checkCustomFields(at string, raw jsoncodec.RawJSON, known []string) *Error {
	var fields map[string]jsoncodec.RawJSON
	if jsoncodec.Unmarshal(raw, &fields) != nil {
		return customErr(at, "must be an object")
	}
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if slices.Contains(known, k) {
			continue
		}
		if product, ok := customUnsupported[k]; ok {
			switch strings.TrimSpace(string(fields[k])) {
			case "null", "[]", "{}":
				continue
			}
			return customErr(at+"."+k, "is not supported: linksim does not simulate "+product)
		}
		if k == "international_bic" || k == "international_iban" {
			return customErr(at+"."+k, "is not supported: linksim hands out no international numbers")
		}
		return customErr(at+"."+k, "is not a field linksim knows in Plaid's custom-user schema")
	}
	return nil
}

func fieldOf(raw jsoncodec.RawJSON, name string) jsoncodec.RawJSON {
	var fields map[string]jsoncodec.RawJSON
	_ = jsoncodec.Unmarshal(raw, &fields)
	return fields[name]
}

func validCustomMask(m string) bool {
	if len(m) < 2 || len(m) > 4 {
		return false
	}
	for _, c := range m {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// customMFA reads the mfa object: device, questions or selections, with
// Plaid's defaults (two questions per round, one round and two options
// for selections).
func customMFA(ins *Institution, raw jsoncodec.RawJSON) ([]MFAChallenge, *Error) {
	if err := checkCustomFields("mfa", raw, []string{"type", "question_rounds", "questions_per_round", "selection_rounds", "selections_per_question"}); err != nil {
		return nil, err
	}
	var m struct {
		Type                  string   `json:"type"`
		QuestionRounds        *float64 `json:"question_rounds"`
		QuestionsPerRound     *float64 `json:"questions_per_round"`
		SelectionRounds       *float64 `json:"selection_rounds"`
		SelectionsPerQuestion *float64 `json:"selections_per_question"`
	}
	if jsoncodec.Unmarshal(raw, &m) != nil {
		return nil, customErr("mfa", "has a field of the wrong type (see Plaid's MFA schema)")
	}
	count := func(field string, v *float64, def, lo, hi int) (int, *Error) {
		if v == nil {
			if def == 0 {
				return 0, customErr("mfa."+field, "is required when type is "+m.Type)
			}
			return def, nil
		}
		n := int(*v)
		if float64(n) != *v || n < lo || n > hi {
			return 0, customErr("mfa."+field, fmt.Sprintf("must be a whole number from %d to %d", lo, hi))
		}
		return n, nil
	}
	switch m.Type {
	case "device":
		return deviceMFA(ins), nil
	case "questions":
		n, err := count("question_rounds", m.QuestionRounds, 0, 1, maxMFAQuestions)
		if err != nil {
			return nil, err
		}
		q, err := count("questions_per_round", m.QuestionsPerRound, 0, 1, maxMFAQuestions)
		if err != nil {
			return nil, err
		}
		return questionsMFA(n, q, 0), nil
	case "selections":
		n, err := count("selection_rounds", m.SelectionRounds, 1, 1, maxMFAQuestions)
		if err != nil {
			return nil, err
		}
		q, err := count("questions_per_round", m.QuestionsPerRound, 2, 1, maxMFAQuestions)
		if err != nil {
			return nil, err
		}
		o, err := count("selections_per_question", m.SelectionsPerQuestion, 2, 2, maxMFAQuestions)
		if err != nil {
			return nil, err
		}
		return selectionsMFA(n, q, o, 0), nil
	}
	return nil, customErr("mfa.type", "must be device, questions or selections")
}

// customErr is INVALID_FIELD about a field of user_custom's configuration.
func customErr(field, problem string) *Error {
	e := InvalidRequest("INVALID_FIELD", "user_custom: %s", problem)
	if field != "" {
		e.Message = "user_custom: " + field + " " + problem
	}
	e.DisplayMessage = "This test user's configuration cannot be used: " + e.Message
	return e
}
