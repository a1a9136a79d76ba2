package flowcore

import "slices"

// This file holds Multi-Item Link (enable_multi_item_link): after each
// Item the connected pane offers "Add another account", which adds the Item
// and returns to the institution search, or Continue, which adds it and
// ends the session. Plaid's Multi-Item Link page: "Adding another bank will
// return the user to the "Select your institution" pane. Clicking
// "Continue" will complete the flow", and "the onSuccess callback will be
// empty": the public tokens come by the SESSION_FINISHED and
// ITEM_ADD_RESULT webhooks and /link/token/get.

// addAnother adds the Item just linked and starts on the next one at the
// institution search, with nothing of the last bank left but the Items
// added.
func (s *Session) addAnother(a Action) *Error {
	if !s.cfg.MultiItem {
		return errIllegal(a, s.st.pane)
	}
	s.newRequest()
	succ := s.complete()
	st := &s.st
	*st = sessionState{view: st.view, requestID: st.requestID, events: st.events,
		added: append(slices.Clip(st.added), *succ), justAdded: succ}
	s.show(PaneSearch)
	return nil
}

// multiItemSuccess is Multi-Item Link's empty onSuccess: no public token
// (an empty string, which is falsy like null, so an app's
// `if (public_token)` skips it), no institution and no accounts; only the
// link_session_id, for the app to find the session's Items by.
func (s *Session) multiItemSuccess() *Success {
	return &Success{Metadata: SuccessMetadata{LinkSessionID: s.id, Accounts: []LinkAccount{}}}
}
