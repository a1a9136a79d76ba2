package store

import "github.com/linksim/linksim/flowcore"

// sessionRecords holds the records of Link sessions by link token, at most
// MaxLinkSessionsPerToken a token and, in all, max records and maxBytes
// bytes (unbounded when 0), forgetting the oldest first. Each record is
// kept as bytes in a table by session id: the token, then the
// LinkSessionRecord. It is not safe for concurrent use; the MemoryStore's
// lock guards it.
type sessionRecords struct {
	t       *table
	byToken map[hashKey]tokenSessions // by the token's hash in t's hash space
}

// tokenSessions are the hashes of a token's sessions' ids, oldest first.
type tokenSessions struct {
	n   int
	ids [flowcore.MaxLinkSessionsPerToken]hashKey
}

// tokenSessionsBytes is what a token's entry in byToken takes, counted
// against each of its records (as if every token had one session).
const tokenSessionsBytes = 16 + 8 + flowcore.MaxLinkSessionsPerToken*16 + 32

func newSessionRecords(max int, maxBytes int64) sessionRecords {
	r := sessionRecords{t: newTable(max, maxBytes), byToken: map[hashKey]tokenSessions{}}
	r.t.extra = tokenSessionsBytes
	r.t.evicted = func(id, rec string) {
		token, _ := splitRecord(rec)
		r.unlist(r.t.hash(token), r.t.hash(id))
	}
	return r
}

// unlist drops a session from its token's list.
func (r *sessionRecords) unlist(th, sh hashKey) {
	ts := r.byToken[th]
	for i := 0; i < ts.n; i++ {
		if ts.ids[i] == sh {
			copy(ts.ids[i:ts.n], ts.ids[i+1:ts.n])
			ts.n--
			ts.ids[ts.n] = hashKey{}
			break
		}
	}
	if ts.n == 0 {
		delete(r.byToken, th)
		return
	}
	r.byToken[th] = ts
}

func (r *sessionRecords) update(token, id string, update func(*flowcore.LinkSessionRecord)) {
	rec := flowcore.LinkSessionRecord{ID: id}
	old, exists := r.t.get(id)
	if exists {
		tok, body := splitRecord(old)
		if tok != token || decodeRecord(body, &rec) != nil {
			return // a session id is never reused across tokens
		}
	}
	update(&rec)
	r.t.put(id, encodeRecord(appendString(nil, token), &rec))
	if exists {
		return
	}
	if _, kept := r.t.lookup(id); !kept {
		return
	}
	th := r.t.hash(token)
	ts := r.byToken[th]
	if ts.n == flowcore.MaxLinkSessionsPerToken {
		r.dropByHash(ts.ids[0])
		copy(ts.ids[:], ts.ids[1:])
		ts.n--
	}
	ts.ids[ts.n] = r.t.hash(id)
	ts.n++
	r.byToken[th] = ts
}

// dropByHash forgets the record whose session id has hash h.
func (r *sessionRecords) dropByHash(h hashKey) {
	if i, ok := r.t.index[h]; ok {
		r.t.free1(i)
	}
}

// records returns the stored bytes of a token's records, oldest first.
func (r *sessionRecords) records(token string) []string {
	ts := r.byToken[r.t.hash(token)]
	out := make([]string, 0, ts.n)
	for _, h := range ts.ids[:ts.n] {
		if rec, ok := r.t.getByHash(h); ok {
			if tok, body := splitRecord(rec); tok == token {
				out = append(out, body)
			}
		}
	}
	return out
}

// decodeSessions decodes records made by update.
func decodeSessions(recs []string) []flowcore.LinkSessionRecord {
	out := make([]flowcore.LinkSessionRecord, 0, len(recs))
	for _, b := range recs {
		var rec flowcore.LinkSessionRecord
		if decodeRecord(b, &rec) == nil {
			out = append(out, rec)
		}
	}
	return out
}
