package store

import (
	"encoding/binary"
	"hash/maphash"
	"strings"
)

// This file holds the table each of the MemoryStore's kinds of record lives
// in: records kept as bytes (see codec.go) in slots, found through a map
// from a 128-bit hash of their key to their slot. Neither the map nor the
// slots' order holds a pointer, and each record is one pointer-free
// allocation, so the collector has almost nothing to trace however full the
// table is. The table is bounded by count and by bytes, forgetting the
// oldest record first.

// recordOverhead is what a record costs besides its bytes: its slot (40
// bytes), its index entry (a 16-byte key and a 4-byte slot in a map at
// its load factor, about 32 bytes), its place in the order (16 bytes) and
// the allocator's rounding of its bytes (up to an eighth, counted apart).
const recordOverhead = 96

// recordBytes is the memory one record of n bytes (with its key) holds.
func recordBytes(n int) int64 { return int64(n + n/8 + recordOverhead) }

type hashKey [16]byte

type slot struct {
	data string // the key, then the record; "" when the slot is free
	seq  uint64 // the put that filled it, to recognise stale order entries
	key  hashKey
}

type orderEntry struct {
	slot uint32
	seq  uint64
}

// table is a bounded map from string keys to encoded records. It is not
// safe for concurrent use; the MemoryStore's lock guards it.
type table struct {
	maxCount int   // 0: any number
	maxBytes int64 // 0: any size
	bytes    int64
	extra    int64 // bytes each record holds elsewhere (in an index of the owner's)
	seeds    [2]maphash.Seed
	index    map[hashKey]uint32
	slots    []slot
	free     []uint32
	order    []orderEntry // oldest first from head; entries of freed slots are stale
	head     int
	seq      uint64
	// evicted, when set, is told of each record the bounds push out.
	evicted func(key, rec string)
}

func newTable(maxCount int, maxBytes int64) *table {
	return &table{maxCount: maxCount, maxBytes: maxBytes, seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
		index: map[hashKey]uint32{}}
}

func (t *table) hash(key string) hashKey {
	var h hashKey
	a, b := maphash.String(t.seeds[0], key), maphash.String(t.seeds[1], key)
	for i := range 8 {
		h[i], h[8+i] = byte(a>>(8*i)), byte(b>>(8*i))
	}
	return h
}

// splitRecord returns a slot's key and record.
func splitRecord(data string) (key, rec string) {
	d := decoder{s: data}
	key = d.text()
	return key, data[d.i:]
}

// lookup returns the slot holding key.
func (t *table) lookup(key string) (uint32, bool) {
	i, ok := t.index[t.hash(key)]
	if !ok {
		return 0, false
	}
	// The hash is 128 bits from per-table random seeds, but a record is
	// only ever returned for its own key.
	if k, _ := splitRecord(t.slots[i].data); k != key {
		return 0, false
	}
	return i, true
}

// get returns key's record. Records are strings, never changed (a put
// replaces them), so they may be read after the lock is released, and the
// strings decoded from them share their bytes.
func (t *table) get(key string) (string, bool) {
	i, ok := t.lookup(key)
	if !ok {
		return "", false
	}
	_, rec := splitRecord(t.slots[i].data)
	return rec, true
}

// getByHash returns the record whose key has hash h.
func (t *table) getByHash(h hashKey) (string, bool) {
	i, ok := t.index[h]
	if !ok {
		return "", false
	}
	_, rec := splitRecord(t.slots[i].data)
	return rec, true
}

// put stores rec under key, replacing a record with the same key in its
// place in the order, then forgets the oldest records until the table is
// within its bounds (never the one just put).
func (t *table) put(key string, rec []byte) {
	var n [binary.MaxVarintLen64]byte
	var b strings.Builder // its String does not copy
	b.Grow(len(key) + len(rec) + len(n))
	b.Write(binary.AppendUvarint(n[:0], uint64(len(key))))
	b.WriteString(key)
	b.Write(rec)
	data := b.String()
	if i, ok := t.lookup(key); ok {
		t.bytes += recordBytes(len(data)) - recordBytes(len(t.slots[i].data))
		t.slots[i].data = data
	} else {
		t.seq++
		var i uint32
		if n := len(t.free); n > 0 {
			i, t.free = t.free[n-1], t.free[:n-1]
		} else {
			i = uint32(len(t.slots))
			t.slots = append(t.slots, slot{})
		}
		h := t.hash(key)
		t.slots[i] = slot{data: data, seq: t.seq, key: h}
		t.index[h] = i
		t.order = append(t.order, orderEntry{slot: i, seq: t.seq})
		t.bytes += recordBytes(len(data)) + t.extra
	}
	for t.len() > 1 && ((t.maxCount > 0 && t.len() > t.maxCount) || (t.maxBytes > 0 && t.bytes > t.maxBytes)) {
		t.evictOldest()
	}
}

// delete forgets key's record and reports whether there was one.
func (t *table) delete(key string) bool {
	i, ok := t.lookup(key)
	if ok {
		t.free1(i)
	}
	return ok
}

func (t *table) len() int { return len(t.index) }

func (t *table) free1(i uint32) {
	s := &t.slots[i]
	delete(t.index, s.key)
	t.bytes -= recordBytes(len(s.data)) + t.extra
	*s = slot{}
	t.free = append(t.free, i)
	t.compact()
}

// evictOldest forgets the oldest record.
func (t *table) evictOldest() {
	for t.head < len(t.order) {
		e := t.order[t.head]
		t.head++
		if s := t.slots[e.slot]; s.data != "" && s.seq == e.seq {
			key, rec := splitRecord(s.data)
			t.free1(e.slot)
			if t.evicted != nil {
				t.evicted(key, rec)
			}
			return
		}
	}
}

// compact drops stale and consumed order entries once they outnumber the
// live ones, so the order stays proportional to the table.
func (t *table) compact() {
	if len(t.order) < 64 || len(t.order) < 2*t.len() {
		return
	}
	live := t.order[:0]
	for _, e := range t.order[t.head:] {
		if s := t.slots[e.slot]; s.data != "" && s.seq == e.seq {
			live = append(live, e)
		}
	}
	clear(t.order[len(live):])
	t.order, t.head = live, 0
}

// each calls f with every record's key, oldest first.
func (t *table) each(f func(key, rec string)) {
	for _, e := range t.order[t.head:] {
		if s := t.slots[e.slot]; s.data != "" && s.seq == e.seq {
			f(splitRecord(s.data))
		}
	}
}
