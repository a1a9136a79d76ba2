package flowcore

import (
	"container/list"
	"sync"
)

// Store keeps the sandbox's state: link tokens, public tokens and Items.
// Implementations must be safe for concurrent use and must copy Items on
// the way in and out, so callers never share one.
type Store interface {
	// PutLinkToken saves a link token.
	PutLinkToken(t LinkToken)
	// LinkToken returns a saved link token.
	LinkToken(token string) (LinkToken, bool)
	// PutPublicToken saves a public token.
	PutPublicToken(t PublicToken)
	// TakePublicToken returns a public token and forgets it: public tokens
	// are single use, and of two concurrent takes only one succeeds.
	TakePublicToken(token string) (PublicToken, bool)
	// PutItem saves an Item, replacing one with the same ID.
	PutItem(it Item)
	// Item returns the Item with an ID.
	Item(id string) (Item, bool)
	// ItemByAccessToken returns the Item an access token opens.
	ItemByAccessToken(token string) (Item, bool)
	// DeleteItem forgets an Item and its access token; it reports whether
	// there was one.
	DeleteItem(id string) bool
	// ItemIDs returns the IDs of every saved Item, oldest first.
	ItemIDs() []string
	// UpdateLinkSession applies update to the record of a Link session run
	// on a link token (a zero record when the session is new). A token
	// keeps only its newest MaxLinkSessionsPerToken sessions; a store may
	// forget the oldest sessions of all to stay within its bounds.
	UpdateLinkSession(token, sessionID string, update func(*LinkSessionRecord))
	// LinkSessions returns copies of the records of a token's sessions,
	// oldest first.
	LinkSessions(token string) []LinkSessionRecord
}

// MemoryStore is a Store in memory, bounded: past its limit it forgets the
// oldest Item (and the oldest link and public tokens) first. It is safe for
// concurrent use.
type MemoryStore struct {
	mu       sync.Mutex
	max      int
	links    boundedMap[LinkToken]
	publics  boundedMap[PublicToken]
	items    boundedMap[Item]
	byAccess map[string]string
	sessions sessionRecords
}

// NewMemoryStore returns an empty store that keeps at most max Items
// (unbounded when max <= 0), at most 4·max link and public tokens, and the
// records of at most max Link sessions.
func NewMemoryStore(max int) *MemoryStore {
	tokens := 4 * max
	return &MemoryStore{
		max:      max,
		links:    newBoundedMap[LinkToken](tokens),
		publics:  newBoundedMap[PublicToken](tokens),
		items:    newBoundedMap[Item](max),
		byAccess: map[string]string{},
		sessions: newSessionRecords(max),
	}
}

// PutLinkToken implements Store.
func (s *MemoryStore) PutLinkToken(t LinkToken) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.links.put(t.Token, t)
}

// LinkToken implements Store.
func (s *MemoryStore) LinkToken(token string) (LinkToken, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.links.get(token)
}

// PutPublicToken implements Store.
func (s *MemoryStore) PutPublicToken(t PublicToken) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.publics.put(t.Token, t)
}

// TakePublicToken implements Store.
func (s *MemoryStore) TakePublicToken(token string) (PublicToken, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.publics.get(token)
	if ok {
		s.publics.delete(token)
	}
	return t, ok
}

// PutItem implements Store.
func (s *MemoryStore) PutItem(it Item) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.items.get(it.ID); ok && old.AccessToken != it.AccessToken {
		delete(s.byAccess, old.AccessToken)
	}
	if evicted, ok := s.items.put(it.ID, it.Clone()); ok {
		delete(s.byAccess, evicted.AccessToken)
	}
	if it.AccessToken != "" {
		s.byAccess[it.AccessToken] = it.ID
	}
}

// Item implements Store.
func (s *MemoryStore) Item(id string) (Item, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.items.get(id)
	return it.Clone(), ok
}

// ItemByAccessToken implements Store.
func (s *MemoryStore) ItemByAccessToken(token string) (Item, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.byAccess[token]
	if !ok {
		return Item{}, false
	}
	it, ok := s.items.get(id)
	return it.Clone(), ok
}

// DeleteItem implements Store.
func (s *MemoryStore) DeleteItem(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.items.get(id)
	if !ok {
		return false
	}
	delete(s.byAccess, it.AccessToken)
	s.items.delete(id)
	return true
}

// ItemIDs implements Store.
func (s *MemoryStore) ItemIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.items.keys()
}

// UpdateLinkSession implements Store.
func (s *MemoryStore) UpdateLinkSession(token, sessionID string, update func(*LinkSessionRecord)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions.update(token, sessionID, update)
}

// LinkSessions implements Store.
func (s *MemoryStore) LinkSessions(token string) []LinkSessionRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions.list(token)
}

// boundedMap is a map that remembers insertion order and drops its oldest
// entry when a new key would take it past max (unbounded when max <= 0).
type boundedMap[V any] struct {
	max   int
	order *list.List // of string keys, oldest first
	m     map[string]boundedEntry[V]
}

type boundedEntry[V any] struct {
	v   V
	pos *list.Element
}

func newBoundedMap[V any](max int) boundedMap[V] {
	return boundedMap[V]{max: max, order: list.New(), m: map[string]boundedEntry[V]{}}
}

// put stores v under k and returns the value it evicted, if any.
func (b *boundedMap[V]) put(k string, v V) (evicted V, ok bool) {
	if e, exists := b.m[k]; exists {
		b.m[k] = boundedEntry[V]{v: v, pos: e.pos}
		return evicted, false
	}
	if b.max > 0 && len(b.m) >= b.max {
		oldest := b.order.Front()
		key := oldest.Value.(string)
		evicted, ok = b.m[key].v, true
		b.order.Remove(oldest)
		delete(b.m, key)
	}
	b.m[k] = boundedEntry[V]{v: v, pos: b.order.PushBack(k)}
	return evicted, ok
}

func (b *boundedMap[V]) get(k string) (V, bool) {
	e, ok := b.m[k]
	return e.v, ok
}

func (b *boundedMap[V]) delete(k string) {
	if e, ok := b.m[k]; ok {
		b.order.Remove(e.pos)
		delete(b.m, k)
	}
}

func (b *boundedMap[V]) keys() []string {
	out := make([]string, 0, len(b.m))
	for e := b.order.Front(); e != nil; e = e.Next() {
		out = append(out, e.Value.(string))
	}
	return out
}
