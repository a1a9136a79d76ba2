package flowcore

import (
	"encoding/json"
	"slices"
)

// AccountFilters is the account_filters object of /link/token/create: per
// account type (depository, credit, loan, investment, other), the
// subtypes Link may offer, where "all" stands for every subtype of the type.
// A nil AccountFilters offers every account; a non-nil one only the types
// it names. In JSON it has Plaid's shape,
// {"depository":{"account_subtypes":["checking"]}}.
type AccountFilters map[string][]string

// Allows reports whether an account of the given type and subtype may be
// offered.
func (f AccountFilters) Allows(typ, subtype string) bool {
	if f == nil {
		return true
	}
	subtypes, ok := f[typ]
	return ok && (slices.Contains(subtypes, "all") || slices.Contains(subtypes, subtype))
}

// accountSubtypes is one account type's filter as Plaid writes it
// (limited_purpose_types is accepted by the grammar and not kept).
type accountSubtypes struct {
	AccountSubtypes []string `json:"account_subtypes"`
}

// MarshalJSON writes the filters in Plaid's shape.
func (f AccountFilters) MarshalJSON() ([]byte, error) {
	if f == nil {
		return []byte("null"), nil
	}
	m := make(map[string]accountSubtypes, len(f))
	for typ, subtypes := range f {
		m[typ] = accountSubtypes{AccountSubtypes: orEmpty(subtypes)}
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads the filters from Plaid's shape.
func (f *AccountFilters) UnmarshalJSON(b []byte) error {
	var m map[string]*accountSubtypes
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if m == nil {
		*f = nil
		return nil
	}
	*f = make(AccountFilters, len(m))
	for typ, s := range m {
		if s == nil {
			continue
		}
		(*f)[typ] = orEmpty(s.AccountSubtypes)
	}
	return nil
}
