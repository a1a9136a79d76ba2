package flowcore

import (
	"slices"

	"github.com/linksim/linksim/internal/jsoncodec"
)

// AccountFilters are /link/token/create's account_filters: for each account
// type, the subtypes Link may offer ("all" allows any). When filters are
// given, a type they do not name is not offered at all; nil filters offer
// every account.
type AccountFilters map[string][]string

// AccountSubtypeAll is the subtype that allows every subtype of its type.
const AccountSubtypeAll = "all"

// Allows reports whether Link may offer an account of this type and subtype.
func (f AccountFilters) Allows(typ, subtype string) bool {
	if f == nil {
		return true
	}
	subtypes, ok := f[typ]
	return ok && (slices.Contains(subtypes, AccountSubtypeAll) || slices.Contains(subtypes, subtype))
}

// parseAccountFilters reads account_filters in Plaid's shape,
// {"depository": {"account_subtypes": ["checking", "savings"]}}. Absent,
// null or empty filters are nil. A type without account_subtypes allows
// nothing.
func parseAccountFilters(raw jsoncodec.RawJSON) (AccountFilters, *Error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var byType map[string]*struct {
		AccountSubtypes []string `json:"account_subtypes"`
	}
	if jsoncodec.Unmarshal(raw, &byType) != nil {
		return nil, InvalidField("account_filters", "must map account types to {\"account_subtypes\": [...]}")
	}
	if len(byType) == 0 {
		return nil, nil
	}
	if len(byType) > MaxListLength {
		return nil, InvalidField("account_filters", "must have at most 64 account types")
	}
	f := AccountFilters{}
	for typ, v := range byType {
		if err := CheckText("account_filters", typ, MaxTextBytes); err != nil {
			return nil, err
		}
		if v != nil {
			if err := CheckList("account_filters."+typ+".account_subtypes", v.AccountSubtypes); err != nil {
				return nil, err
			}
		}
		f[typ] = []string{}
		if v != nil {
			f[typ] = append(f[typ], v.AccountSubtypes...)
		}
	}
	return f, nil
}
