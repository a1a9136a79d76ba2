package linksimtest

import (
	"github.com/linksim/linksim/flowcore"
)

// The one-call helpers below complete each Auth flow with the sandbox's
// documented values, the way a user would in Link, and return how it
// ended. A flow the link token does not allow fails the test.

// InstantAuth links First Platypus Bank (ins_109508) with user_good /
// pass_good and its first account.
func (s *Server) InstantAuth(t TB, linkToken string) Result {
	t.Helper()
	return s.Link(t, linkToken).Continue().Search("platypus").Select("ins_109508").
		Login("user_good", "pass_good").Accounts().Finish()
}

// InstantMatch links Houndstooth Bank (ins_109512) with user_good /
// pass_good, Plaid Saving (••1111), routing 021000021 and account
// 1111222233331111.
func (s *Server) InstantMatch(t TB, linkToken string) Result {
	t.Helper()
	return s.Link(t, linkToken).Continue().Search("houndstooth").Select("ins_109512").
		Login("user_good", "pass_good").Accounts("1111").Numbers("021000021", "1111222233331111", "").Finish()
}

// Automated links Houndstooth Bank with user_good / microdeposits_good and
// Plaid Checking (••0000) for Automated Micro-deposits (the token needs
// auth.automated_microdeposits_enabled and instant_match_enabled false);
// the Item verifies after 24 hours of clock time (see Server.Advance).
func (s *Server) Automated(t TB, linkToken string) Result {
	t.Helper()
	l := s.Link(t, linkToken).Continue().Search("houndstooth").Select("ins_109512").
		Login("user_good", "microdeposits_good").Accounts("0000")
	name := ""
	if l.Screen().AskLegalName {
		name = "Jane Doe"
	}
	return l.Numbers("021000021", "1111222233330000", name).Finish()
}

// SameDay starts Same Day Micro-deposits (the token needs
// auth.same_day_microdeposits_enabled): "Link with account numbers",
// routing 110000000, account 1111222233330000. The Item is pending until
// VerifySameDay enters the code.
func (s *Server) SameDay(t TB, linkToken string) Result {
	t.Helper()
	l := s.manual(t, linkToken, "110000000", "1111222233330000", "Jane Doe")
	if l.Pane() == flowcore.PaneDepositAuthorized {
		l.Continue()
	}
	return l.Finish()
}

// VerifySameDay enters a Same Day code in update mode, as the user does
// when the app opens Link with an update-mode token (one made with the
// Item's access_token) a day or two later. The sandbox's code is "ABC".
func (s *Server) VerifySameDay(t TB, updateToken, code string) Result {
	t.Helper()
	return s.Link(t, updateToken).Code(code).Finish()
}

// InstantMicrodeposits links Windowpane Bank (ins_135858) by Instant
// Micro-deposits: routing 333333334, account 1111222233330000, code ABC.
func (s *Server) InstantMicrodeposits(t TB, linkToken string) Result {
	t.Helper()
	l := s.Link(t, linkToken).Continue().Search("windowpane").Select("ins_135858").
		Routing("333333334").Account("1111222233330000")
	if l.Pane() == flowcore.PaneLegalName {
		l.LegalName("Jane Doe")
	}
	return l.Code("ABC").Finish()
}

// DatabaseInsights links account 1111222233331111 at routing 110000000 for
// John Smith by Database Insights (the token needs
// auth.database_insights_enabled); /auth/get then says pass.
func (s *Server) DatabaseInsights(t TB, linkToken string) Result {
	t.Helper()
	return s.manual(t, linkToken, "110000000", "1111222233331111", "John Smith").Finish()
}

// manual goes through manual entry: consent, "Link with account numbers"
// (or Manually on Auth Type Select), the numbers and, when asked, the
// legal name.
func (s *Server) manual(t TB, linkToken, routing, account, name string) *Link {
	t.Helper()
	l := s.Link(t, linkToken).Continue()
	if l.Pane() == flowcore.PaneSelectAuthType {
		l.AuthType(flowcore.SelectionManual)
	} else {
		l.ManualEntry()
	}
	l.Routing(routing).Account(account)
	if l.Pane() == flowcore.PaneLegalName {
		l.LegalName(name)
	}
	return l
}
