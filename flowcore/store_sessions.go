package flowcore

import (
	"container/list"
	"slices"
)

// sessionRecords holds the records of Link sessions by link token, at most
// MaxLinkSessionsPerToken a token and max in all (unbounded when max <= 0),
// forgetting the oldest first. It is not safe for concurrent use; the
// MemoryStore's lock guards it.
type sessionRecords struct {
	max     int
	order   *list.List                     // of sessionKey, oldest first
	pos     map[string]*list.Element       // by session id
	byToken map[string][]LinkSessionRecord // oldest first
}

type sessionKey struct{ token, id string }

func newSessionRecords(max int) sessionRecords {
	return sessionRecords{max: max, order: list.New(), pos: map[string]*list.Element{}, byToken: map[string][]LinkSessionRecord{}}
}

func (r *sessionRecords) update(token, id string, update func(*LinkSessionRecord)) {
	recs := r.byToken[token]
	i := slices.IndexFunc(recs, func(rec LinkSessionRecord) bool { return rec.ID == id })
	if i < 0 {
		recs = append(recs, LinkSessionRecord{ID: id})
		r.pos[id] = r.order.PushBack(sessionKey{token, id})
		for len(recs) > MaxLinkSessionsPerToken {
			r.order.Remove(r.pos[recs[0].ID])
			delete(r.pos, recs[0].ID)
			recs = slices.Delete(recs, 0, 1)
		}
		i = len(recs) - 1
	}
	update(&recs[i])
	r.byToken[token] = recs
	for r.max > 0 && r.order.Len() > r.max {
		r.forget(r.order.Front().Value.(sessionKey))
	}
}

// forget drops one session's record.
func (r *sessionRecords) forget(k sessionKey) {
	r.order.Remove(r.pos[k.id])
	delete(r.pos, k.id)
	recs := slices.DeleteFunc(r.byToken[k.token], func(rec LinkSessionRecord) bool { return rec.ID == k.id })
	if len(recs) == 0 {
		delete(r.byToken, k.token)
		return
	}
	r.byToken[k.token] = recs
}

// list returns copies of a token's records.
func (r *sessionRecords) list(token string) []LinkSessionRecord {
	out := slices.Clone(r.byToken[token])
	for i := range out {
		out[i].Events = slices.Clone(out[i].Events)
	}
	return out
}
