package store

import (
	"fmt"
	"sync"
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMemoryStoreEvictsTheOldestItem(t *testing.T) {
	s := NewMemoryStore(2)
	for i := 0; i < 3; i++ {
		s.PutItem(flowcore.Item{ID: fmt.Sprint("item", i), AccessToken: fmt.Sprint("at", i)})
	}
	assert.Equal(t, []string{"item1", "item2"}, s.ItemIDs())
	_, ok := s.ItemByAccessToken("at0")
	assert.False(t, ok, "the evicted Item's access token is gone too")
	it, ok := s.ItemByAccessToken("at2")
	require.True(t, ok)
	assert.Equal(t, "item2", it.ID)

	s.PutItem(flowcore.Item{ID: "item1", AccessToken: "at1-new"}) // replacing keeps its place
	assert.Equal(t, []string{"item1", "item2"}, s.ItemIDs())
	_, ok = s.ItemByAccessToken("at1")
	assert.False(t, ok)
	_, ok = s.ItemByAccessToken("at1-new")
	assert.True(t, ok)

	assert.True(t, s.DeleteItem("item1"))
	assert.False(t, s.DeleteItem("item1"))
	_, ok = s.ItemByAccessToken("at1-new")
	assert.False(t, ok)
}

func TestMemoryStoreCopiesItems(t *testing.T) {
	s := NewMemoryStore(0)
	it := flowcore.Item{ID: "i", Accounts: []flowcore.Account{{ID: "a", Verification: &flowcore.Verification{Status: flowcore.StatusPendingManual}}}}
	s.PutItem(it)
	it.Accounts[0].Verification.Status = flowcore.StatusManuallyVerified
	got, _ := s.Item("i")
	assert.Equal(t, flowcore.StatusPendingManual, got.Accounts[0].Verification.Status)
	got.Accounts[0].ID = "changed"
	again, _ := s.Item("i")
	assert.Equal(t, "a", again.Accounts[0].ID)
}

func TestMemoryStoreTokens(t *testing.T) {
	s := NewMemoryStore(1)
	s.PutLinkToken(flowcore.LinkToken{Token: "l1"})
	_, ok := s.LinkToken("l1")
	assert.True(t, ok)
	s.PutPublicToken(flowcore.PublicToken{Token: "p1", ItemID: "i"})
	pt, ok := s.TakePublicToken("p1")
	assert.True(t, ok)
	assert.Equal(t, "i", pt.ItemID)
	_, ok = s.TakePublicToken("p1")
	assert.False(t, ok)
	for i := 0; i < 10; i++ {
		s.PutLinkToken(flowcore.LinkToken{Token: fmt.Sprint("l", i+2)})
	}
	_, ok = s.LinkToken("l1")
	assert.False(t, ok, "link tokens are bounded too")
}

func TestMemoryStorePublicTokenIsTakenOnce(t *testing.T) {
	s := NewMemoryStore(0)
	s.PutPublicToken(flowcore.PublicToken{Token: "p"})
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := 0
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, ok := s.TakePublicToken("p"); ok {
				mu.Lock()
				taken++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, taken)
}

func TestMemoryStoreBoundsLinkSessions(t *testing.T) {
	s := NewMemoryStore(3) // three session records in all
	touch := func(token, id string) {
		s.UpdateLinkSession(token, id, func(r *flowcore.LinkSessionRecord) {
			r.Events = append(r.Events, flowcore.Event{Name: flowcore.EventOpen})
		})
	}
	touch("t1", "a")
	touch("t1", "b")
	touch("t2", "c")
	touch("t1", "a") // an update keeps the session's place
	ids := func(token string) []string {
		var out []string
		for _, r := range s.LinkSessions(token) {
			out = append(out, r.ID)
		}
		return out
	}
	assert.Equal(t, []string{"a", "b"}, ids("t1"))
	assert.Len(t, s.LinkSessions("t1")[0].Events, 2)
	touch("t3", "d") // the oldest session of all goes
	assert.Equal(t, []string{"b"}, ids("t1"))
	assert.Equal(t, []string{"c"}, ids("t2"))
	assert.Equal(t, []string{"d"}, ids("t3"))
	touch("t3", "e")
	touch("t3", "f")
	assert.Empty(t, ids("t1"))
	assert.Empty(t, ids("t2"))
	assert.Equal(t, []string{"d", "e", "f"}, ids("t3"))

	got := s.LinkSessions("t3")
	got[0].Events[0].Name = "CHANGED"
	assert.Equal(t, flowcore.EventOpen, s.LinkSessions("t3")[0].Events[0].Name, "callers get copies")
}
