package sandbox

import (
	"time"

	"github.com/linksim/linksim/flowcore"
)

// host is the Sandbox as the Host of the Link sessions it starts.
type host struct{ s *Sandbox }

func (h host) Now() time.Time                                         { return h.s.clock.Now() }
func (h host) Catalog() *flowcore.Catalog                             { return h.s.Catalog() }
func (h host) SaveItem(it flowcore.Item)                              { h.s.store.PutItem(it) }
func (h host) SavePublicToken(pt flowcore.PublicToken)                { h.s.store.PutPublicToken(pt) }
func (h host) RepairLogin(itemID string)                              { h.s.repairLogin(itemID) }
func (h host) RecordStep(sess *flowcore.Session, step *flowcore.Step) { h.s.recordStep(sess, step) }

func (h host) SubmitItemCode(itemID, accountID, code string) (flowcore.Verification, *flowcore.Error) {
	return h.s.submitItemCode(itemID, accountID, code)
}

func (h host) Item(id string) (flowcore.Item, bool) { return h.s.store.Item(id) }

func (h host) ReplaceAccounts(itemID string, accounts []flowcore.Account) (flowcore.Item, bool) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.store.Item(itemID)
	if ok {
		it.Accounts = accounts
		s.store.PutItem(it)
	}
	return it, ok
}

func (h host) InvalidateLinkToken(token string) {
	if t, ok := h.s.store.LinkToken(token); ok {
		t.ExpiresAt = h.s.clock.Now()
		h.s.store.PutLinkToken(t)
	}
}
