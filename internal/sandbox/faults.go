package sandbox

import (
	"github.com/linksim/linksim/flowcore"
)

// This file holds the faults scripted on demand: an Item's next calls of an
// endpoint failing (kept on the Item, so they share its memory budget and
// go when it goes), and institutions put down or not responding (kept
// for the sandbox's life; there are as many as the catalogue has banks).

// SetItemFault scripts a fault of endpoint (a Plaid endpoint the caller
// has checked is one) for the Item accessToken opens: see
// flowcore.NewItemFault. It replaces the endpoint's fault, if any. An
// unknown access token is INVALID_ACCESS_TOKEN.
func (s *Sandbox) SetItemFault(accessToken, endpoint, code string, count int, probability float64) *flowcore.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.store.ItemByAccessToken(accessToken)
	if !ok {
		return errInvalidAccessToken()
	}
	f, err := flowcore.NewItemFault(endpoint, code, count, probability, s.faultSeeds.Uint64())
	if err != nil {
		return err
	}
	it.SetFault(f)
	s.scripted.Store(true)
	s.store.PutItem(it)
	return nil
}

// ClearItemFaults removes the Item's scripted fault of endpoint, or all of
// them when endpoint is "". An unknown access token is
// INVALID_ACCESS_TOKEN.
func (s *Sandbox) ClearItemFaults(accessToken, endpoint string) *flowcore.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.store.ItemByAccessToken(accessToken)
	if !ok {
		return errInvalidAccessToken()
	}
	if len(it.Faults) > 0 {
		it.ClearFaults(endpoint)
		s.store.PutItem(it)
	}
	return nil
}

// ItemFaultsScripted reports whether any Item fault has been scripted
// since the sandbox started: until then no call need look for one.
func (s *Sandbox) ItemFaultsScripted() bool { return s.scripted.Load() }

// ItemFault runs the scripted fault of endpoint for the Item accessToken
// opens, if any: the error this call answers, nil for none (an unknown
// token has none; the endpoint refuses it itself).
func (s *Sandbox) ItemFault(endpoint, accessToken string) *flowcore.Error {
	if !s.scripted.Load() || accessToken == "" {
		return nil
	}
	return s.fireItemFault(endpoint, func() (flowcore.Item, bool) { return s.store.ItemByAccessToken(accessToken) })
}

// ProcessorItemFault is ItemFault for a processor endpoint: the fault of
// the Item whose account a processor token names (an unknown token has
// none; the endpoint refuses it itself).
func (s *Sandbox) ProcessorItemFault(endpoint, processorToken string) *flowcore.Error {
	if !s.scripted.Load() || processorToken == "" {
		return nil
	}
	return s.fireItemFault(endpoint, func() (flowcore.Item, bool) {
		pt, ok := s.store.ProcessorToken(processorToken)
		if !ok {
			return flowcore.Item{}, false
		}
		return s.store.Item(pt.ItemID)
	})
}

// fireItemFault runs endpoint's scripted fault on the Item find returns.
func (s *Sandbox) fireItemFault(endpoint string, find func() (flowcore.Item, bool)) *flowcore.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := find()
	if !ok || len(it.Faults) == 0 {
		return nil
	}
	err, changed := it.FireFault(endpoint)
	if changed {
		s.store.PutItem(it)
	}
	return err
}

// ItemFaults returns the faults scripted for the Item accessToken opens.
func (s *Sandbox) ItemFaults(accessToken string) ([]flowcore.ItemFault, *flowcore.Error) {
	it, ok := s.store.ItemByAccessToken(accessToken)
	if !ok {
		return nil, errInvalidAccessToken()
	}
	return it.Faults, nil
}

// SetInstitutionFault puts an institution of the catalogue in a fault
// (INSTITUTION_DOWN or INSTITUTION_NOT_RESPONDING, see
// flowcore.InstitutionFaultStatus), or with code "" back to its catalogue
// status. Link sessions and /institutions/* see it from their next call.
// An unknown institution is INVALID_INSTITUTION.
func (s *Sandbox) SetInstitutionFault(institutionID, code string) *flowcore.Error {
	if _, ok := s.catalog.ByID(institutionID); !ok {
		return flowcore.InvalidInput("INVALID_INSTITUTION", "", "invalid institution_id provided")
	}
	if _, ok := flowcore.InstitutionFaultStatus(code); code != "" && !ok {
		return flowcore.InvalidRequest("INVALID_FIELD", "error_code must be INSTITUTION_DOWN or INSTITUTION_NOT_RESPONDING, or null to restore the institution")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.insFaults == nil {
		s.insFaults = map[string]string{}
	}
	if code == "" {
		delete(s.insFaults, institutionID)
	} else {
		s.insFaults[institutionID] = code
	}
	s.institutions.Store(s.catalog.WithFaults(s.insFaults))
	return nil
}
