package store

import (
	"reflect"

	"github.com/linksim/linksim/flowcore"
)

// MemoryBudget is the memory, in bytes, a linksim process may take: its
// resident memory (RSS) stays within it whatever it is sent. ProcessReserve
// of it is left for what the Go runtime's memory limit does not count (the
// binary's code and data); the rest is the runtime's limit (GoLimit), which
// all of linksim's state shares by fixed percentages (the store, the live
// browser sessions, the webhooks waiting to be sent and the request bodies
// being read), a third being left for the runtime, the served files,
// connections and the collector's headroom.
type MemoryBudget int64

// ProcessReserve is the part of a budget a linksim process takes outside
// the Go runtime's memory limit (16 MiB): the binary's code and read-only
// data as they are paged in (the site built into it, with its 4.7 MB
// WebAssembly when the release build carries it), and the threads' C
// stacks. Measured by 60 s process soaks at 64 MiB with the WebAssembly
// built in: a reserve of 8 MiB peaked at 65.6 MiB, 12 MiB at 62.8 MiB.
const ProcessReserve = 16 << 20

// GoLimit is the Go runtime's memory limit (debug.SetMemoryLimit) of a
// process run within the budget: the budget less ProcessReserve, and at
// least half of it. The shares below are of GoLimit.
func (b MemoryBudget) GoLimit() int64 { return max(int64(b)-ProcessReserve, int64(b)/2) }

// DefaultMemoryBudget is linksim's budget unless told otherwise: 512 MiB.
const DefaultMemoryBudget MemoryBudget = 512 << 20

// Store is the share of the MemoryStore's records (45%).
func (b MemoryBudget) Store() int64 { return b.GoLimit() * 45 / 100 }

// LiveSessions is the share of the Link sessions a server runs for
// browsers (10%).
func (b MemoryBudget) LiveSessions() int64 { return b.GoLimit() * 10 / 100 }

// Webhooks is the share of the webhooks queued for sending (2%).
func (b MemoryBudget) Webhooks() int64 { return b.GoLimit() * 2 / 100 }

// QueuedWebhooks is how many webhooks may wait for delivery (taken from
// the sandbox, not yet sent) within the Webhooks share: each takes at
// most about 3 KiB (a 2 KiB URL, the body, the queue's entry). 0 when the
// budget is unset; at most 10000.
func (b MemoryBudget) QueuedWebhooks() int {
	if b <= 0 {
		return 0
	}
	return int(min(max(b.Webhooks()/(3<<10), 100), 10000))
}

// Bodies is the share of request bodies being read and decoded at once
// (10%).
func (b MemoryBudget) Bodies() int64 { return b.GoLimit() * 10 / 100 }

// StoreLimits returns the limits of a MemoryStore within the budget that
// keeps at most maxItems Items.
func (b MemoryBudget) StoreLimits(maxItems int) StoreLimits {
	return StoreLimits{Items: maxItems, Bytes: b.Store()}
}

// SizeOf estimates the memory the value p points to takes, with everything
// it points to: the struct, its strings, lists and maps. For a live Link
// session, that is its link token's config, what the user typed and the
// session found (accounts, MFA challenges, an update-mode Item), its
// pending events and its result, every field counted (a field added later
// is too). What the value reaches through an interface (a Session's Host)
// and the catalogue's institutions are shared, and count as the reference
// only. It returns 0 when p is not a non-nil pointer.
func SizeOf(p any) int64 {
	v := reflect.ValueOf(p)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return 0
	}
	return deepSize(v.Elem())
}

// sharedTypes are the values many records point to and none owns.
var sharedTypes = map[reflect.Type]bool{reflect.TypeFor[*flowcore.Institution](): true}

// deepSize estimates the memory v takes with everything it points to
// (shared values once per reference; times without their location, which
// is shared). Maps count each entry twice over for their buckets.
func deepSize(v reflect.Value) int64 {
	return int64(v.Type().Size()) + indirectSize(v)
}

// indirectSize is what v points to, beyond v itself.
func indirectSize(v reflect.Value) int64 {
	switch v.Kind() {
	case reflect.String:
		return int64(v.Len())
	case reflect.Pointer:
		if v.IsNil() || sharedTypes[v.Type()] {
			return 0
		}
		return deepSize(v.Elem())
	case reflect.Slice:
		n := int64(v.Cap()) * int64(v.Type().Elem().Size())
		for i := 0; i < v.Len(); i++ {
			n += indirectSize(v.Index(i))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return 0
		}
		n := int64(48)
		for it := v.MapRange(); it.Next(); {
			n += 2*int64(v.Type().Key().Size()+v.Type().Elem().Size()) + indirectSize(it.Key()) + indirectSize(it.Value())
		}
		return n
	case reflect.Struct:
		if v.Type() == timeType {
			return 0
		}
		n := int64(0)
		for i := 0; i < v.NumField(); i++ {
			n += indirectSize(v.Field(i))
		}
		return n
	case reflect.Array:
		n := int64(0)
		for i := 0; i < v.Len(); i++ {
			n += indirectSize(v.Index(i))
		}
		return n
	}
	return 0
}
