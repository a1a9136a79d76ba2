// Package store keeps linksim's state within a memory budget: the Store
// interface and its MemoryStore (link tokens, public tokens, Items and the
// records of Link sessions, each record one pointer-free byte string
// behind maps without pointers, bounded by count and by bytes, oldest
// first), the binary record codec (codec.go), and the MemoryBudget that the
// store, live sessions, queued webhooks and request bodies share, with
// SizeOf, the estimate they are counted by.
//
// It stores flowcore's types and knows nothing of the API model, HTTP or
// JavaScript: it imports flowcore and nothing else of the module, and never
// net/http or syscall/js (layers_test.go holds that).
package store
