package store

import (
	"strings"
	"sync"

	"github.com/linksim/linksim/flowcore"
)

// Store keeps the sandbox's state: link tokens, public tokens and Items.
// Implementations must be safe for concurrent use and must copy Items on
// the way in and out, so callers never share one.
type Store interface {
	// PutLinkToken saves a link token.
	PutLinkToken(t flowcore.LinkToken)
	// LinkToken returns a saved link token.
	LinkToken(token string) (flowcore.LinkToken, bool)
	// PutPublicToken saves a public token.
	PutPublicToken(t flowcore.PublicToken)
	// TakePublicToken returns a public token and forgets it: public tokens
	// are single use, and of two concurrent takes only one succeeds.
	TakePublicToken(token string) (flowcore.PublicToken, bool)
	// PutItem saves an Item, replacing one with the same ID.
	PutItem(it flowcore.Item)
	// Item returns the Item with an ID.
	Item(id string) (flowcore.Item, bool)
	// ItemByAccessToken returns the Item an access token opens.
	ItemByAccessToken(token string) (flowcore.Item, bool)
	// DeleteItem forgets an Item and its access token; it reports whether
	// there was one.
	DeleteItem(id string) bool
	// ItemIDs returns the IDs of every saved Item, oldest first.
	ItemIDs() []string
	// UpdateLinkSession applies update to the record of a Link session run
	// on a link token (a zero record when the session is new). A token
	// keeps only its newest MaxLinkSessionsPerToken sessions; a store may
	// forget the oldest sessions of all to stay within its bounds.
	UpdateLinkSession(token, sessionID string, update func(*flowcore.LinkSessionRecord))
	// LinkSessions returns copies of the records of a token's sessions,
	// oldest first.
	LinkSessions(token string) []flowcore.LinkSessionRecord
	// PutUser saves a user of /user/create.
	PutUser(u flowcore.User)
	// UserByClientUserID and UserByToken return a saved user by its
	// client_user_id or its user_token.
	UserByClientUserID(id string) (flowcore.User, bool)
	UserByToken(token string) (flowcore.User, bool)
	// PutProcessorToken saves a processor token, replacing one with the
	// same token.
	PutProcessorToken(t flowcore.ProcessorToken)
	// ProcessorToken returns a saved processor token.
	ProcessorToken(token string) (flowcore.ProcessorToken, bool)
}

// MemoryStore is a Store in memory, bounded by count and by bytes: past a
// limit it forgets the oldest record of the kind first (the oldest Item,
// link token, public token or Link session record). It keeps each record
// as one pointer-free byte slice (see table.go), so however full it is the
// garbage collector barely notices it. It is safe for concurrent use.
type MemoryStore struct {
	mu       sync.Mutex
	links    *table
	publics  *table
	items    *table              // records: the access token, then the Item
	byAccess map[hashKey]hashKey // access token's hash → Item id's hash, in items' hash space
	sessions sessionRecords
	users    *table // each user twice: by user_token and by userKey(client_user_id)
	// processors are the processor tokens, by token.
	processors *table
}

// StoreLimits bound a MemoryStore.
type StoreLimits struct {
	// Items is the number of Items kept; 4·Items link tokens, public
	// tokens and processor tokens, Items Link session records and 2·Items
	// users are kept. 0: any number.
	Items int
	// Bytes is what all the store's records may take together, shared as
	// StoreShares says. 0: any size.
	Bytes int64
}

// StoreShares is how a MemoryStore's Bytes are shared among its kinds of
// record, in percent: Items hold numbers and verification state an app
// relies on for longest, link tokens are many, sessions' event logs are
// the largest records; processor tokens are small and few.
var StoreShares = struct{ LinkTokens, PublicTokens, Items, LinkSessions, Users, ProcessorTokens int64 }{32, 5, 38, 20, 2, 3}

// NewMemoryStore returns an empty store that keeps at most max Items
// (unbounded when max <= 0), at most 4·max link and public tokens, and the
// records of at most max Link sessions, with no bound on bytes.
func NewMemoryStore(max int) *MemoryStore {
	return NewLimitedMemoryStore(StoreLimits{Items: max})
}

// NewLimitedMemoryStore returns an empty store within the limits.
func NewLimitedMemoryStore(l StoreLimits) *MemoryStore {
	share := func(pct int64) int64 { return l.Bytes * pct / 100 }
	s := &MemoryStore{
		links:    newTable(4*l.Items, share(StoreShares.LinkTokens)),
		publics:  newTable(4*l.Items, share(StoreShares.PublicTokens)),
		items:    newTable(l.Items, share(StoreShares.Items)),
		byAccess: map[hashKey]hashKey{},
	}
	s.items.extra = accessIndexBytes
	s.items.evicted = func(_, rec string) { delete(s.byAccess, s.items.hash(itemAccessToken(rec))) }
	s.sessions = newSessionRecords(l.Items, share(StoreShares.LinkSessions))
	s.users = newTable(4*l.Items, share(StoreShares.Users))
	s.processors = newTable(4*l.Items, share(StoreShares.ProcessorTokens))
	return s
}

// accessIndexBytes is what an Item's entry in byAccess takes: two 16-byte
// hashes in a map at its load factor.
const accessIndexBytes = 48

// Bytes returns what the store's records take, by the estimate its bounds
// use.
func (s *MemoryStore) Bytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.links.bytes + s.publics.bytes + s.items.bytes + s.sessions.t.bytes + s.users.bytes + s.processors.bytes
}

// userKey is the users table's key of a client_user_id; no user_token
// starts with a NUL.
func userKey(clientUserID string) string { return "\x00" + clientUserID }

// PutUser implements Store.
func (s *MemoryStore) PutUser(u flowcore.User) {
	rec := encodeRecord(nil, &u)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users.put(u.Token, rec)
	s.users.put(userKey(u.ClientUserID), rec)
}

// UserByClientUserID implements Store.
func (s *MemoryStore) UserByClientUserID(id string) (flowcore.User, bool) { return s.user(userKey(id)) }

// UserByToken implements Store.
func (s *MemoryStore) UserByToken(token string) (flowcore.User, bool) {
	if strings.HasPrefix(token, "\x00") {
		return flowcore.User{}, false
	}
	return s.user(token)
}

func (s *MemoryStore) user(key string) (flowcore.User, bool) {
	s.mu.Lock()
	rec, ok := s.users.get(key)
	s.mu.Unlock()
	var u flowcore.User
	return u, ok && decodeRecord(rec, &u) == nil
}

// PutProcessorToken implements Store.
func (s *MemoryStore) PutProcessorToken(t flowcore.ProcessorToken) {
	rec := encodeRecord(nil, &t)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.processors.put(t.Token, rec)
}

// ProcessorToken implements Store.
func (s *MemoryStore) ProcessorToken(token string) (flowcore.ProcessorToken, bool) {
	s.mu.Lock()
	rec, ok := s.processors.get(token)
	s.mu.Unlock()
	var t flowcore.ProcessorToken
	return t, ok && decodeRecord(rec, &t) == nil
}

// PutLinkToken implements Store.
func (s *MemoryStore) PutLinkToken(t flowcore.LinkToken) {
	rec := encodeRecord(nil, &t)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.links.put(t.Token, rec)
}

// LinkToken implements Store.
func (s *MemoryStore) LinkToken(token string) (flowcore.LinkToken, bool) {
	s.mu.Lock()
	rec, ok := s.links.get(token)
	s.mu.Unlock()
	var t flowcore.LinkToken
	return t, ok && decodeRecord(rec, &t) == nil
}

// PutPublicToken implements Store.
func (s *MemoryStore) PutPublicToken(t flowcore.PublicToken) {
	rec := encodeRecord(nil, &t)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.publics.put(t.Token, rec)
}

// TakePublicToken implements Store.
func (s *MemoryStore) TakePublicToken(token string) (flowcore.PublicToken, bool) {
	s.mu.Lock()
	rec, ok := s.publics.get(token)
	if ok {
		s.publics.delete(token)
	}
	s.mu.Unlock()
	var t flowcore.PublicToken
	return t, ok && decodeRecord(rec, &t) == nil
}

// itemAccessToken returns the access token an Item record starts with.
func itemAccessToken(rec string) string {
	tok, _ := splitRecord(rec)
	return tok
}

// PutItem implements Store.
func (s *MemoryStore) PutItem(it flowcore.Item) {
	rec := encodeRecord(appendString(nil, it.AccessToken), &it)
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.items.get(it.ID); ok {
		delete(s.byAccess, s.items.hash(itemAccessToken(old)))
	}
	s.items.put(it.ID, rec)
	if it.AccessToken != "" {
		if _, ok := s.items.lookup(it.ID); ok {
			s.byAccess[s.items.hash(it.AccessToken)] = s.items.hash(it.ID)
		}
	}
}

// Item implements Store.
func (s *MemoryStore) Item(id string) (flowcore.Item, bool) {
	s.mu.Lock()
	rec, ok := s.items.get(id)
	s.mu.Unlock()
	return decodeItem(rec, ok)
}

func decodeItem(rec string, ok bool) (flowcore.Item, bool) {
	var it flowcore.Item
	if !ok {
		return it, false
	}
	_, body := splitRecord(rec)
	return it, decodeRecord(body, &it) == nil
}

// ItemByAccessToken implements Store.
func (s *MemoryStore) ItemByAccessToken(token string) (flowcore.Item, bool) {
	s.mu.Lock()
	rec, ok := s.itemByAccessToken(token)
	s.mu.Unlock()
	return decodeItem(rec, ok)
}

// itemByAccessToken returns the record of the Item an access token opens;
// the caller holds mu.
func (s *MemoryStore) itemByAccessToken(token string) (string, bool) {
	h, ok := s.byAccess[s.items.hash(token)]
	if !ok {
		return "", false
	}
	rec, ok := s.items.getByHash(h)
	if !ok || itemAccessToken(rec) != token {
		return "", false
	}
	return rec, true
}

// DeleteItem implements Store.
func (s *MemoryStore) DeleteItem(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.items.get(id)
	if !ok {
		return false
	}
	delete(s.byAccess, s.items.hash(itemAccessToken(rec)))
	return s.items.delete(id)
}

// ItemIDs implements Store.
func (s *MemoryStore) ItemIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, s.items.len())
	s.items.each(func(key, _ string) { out = append(out, key) })
	return out
}

// UpdateLinkSession implements Store.
func (s *MemoryStore) UpdateLinkSession(token, sessionID string, update func(*flowcore.LinkSessionRecord)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions.update(token, sessionID, update)
}

// LinkSessions implements Store.
func (s *MemoryStore) LinkSessions(token string) []flowcore.LinkSessionRecord {
	s.mu.Lock()
	recs := s.sessions.records(token)
	s.mu.Unlock()
	return decodeSessions(recs)
}
