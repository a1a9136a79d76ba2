package flowcore

import "maps"

// InstitutionFaults are the errors an institution can be put in on demand
// (linksim's /sandbox/linksim/institution/status/set), each with the
// status of its logins (item_logins in /institutions/get_by_id) it gives:
// INSTITUTION_DOWN puts the bank DOWN (Link refuses it when the user
// selects it), INSTITUTION_NOT_RESPONDING puts it DEGRADED (Link warns,
// then every login fails with that error), as Plaid's institution error
// page describes the two (https://plaid.com/docs/errors/institution/).
var institutionFaults = map[string]string{
	"INSTITUTION_DOWN":           StatusDown,
	"INSTITUTION_NOT_RESPONDING": StatusDegraded,
}

// InstitutionFaultStatus returns the login status an institution fault
// code puts a bank in; false for a code that is not one.
func InstitutionFaultStatus(code string) (string, bool) {
	st, ok := institutionFaults[code]
	return st, ok
}

// WithFaults returns a copy of the catalogue in which each institution
// named in faults (institution id → INSTITUTION_DOWN or
// INSTITUTION_NOT_RESPONDING) has that fault; the others are as in c,
// which is not changed.
func (c *Catalog) WithFaults(faults map[string]string) *Catalog {
	if len(faults) == 0 {
		return c
	}
	out := &Catalog{byID: maps.Clone(c.byID), byRouting: maps.Clone(c.byRouting), institutions: make([]*Institution, len(c.institutions))}
	for i, ins := range c.institutions {
		if code, ok := faults[ins.ID]; ok {
			cp := *ins
			cp.Status, cp.LoginError = institutionFaults[code], ""
			if code == "INSTITUTION_NOT_RESPONDING" {
				cp.LoginError = code
			}
			ins = &cp
			out.byID[ins.ID] = ins
			for _, rn := range ins.RoutingNumbers {
				out.byRouting[rn] = ins
			}
		}
		out.institutions[i] = ins
	}
	return out
}

// loginError is the error every login at the institution fails with, nil
// for none (or no institution).
func (ins *Institution) loginError() *Error {
	if ins == nil {
		return nil
	}
	e, _ := PlaidError(ins.LoginError)
	return e
}
