// Package sandbox is the Plaid API model: Plaid's backend in miniature. A
// Sandbox mints link tokens, starts Link sessions (it is the flowcore.Host
// they run in), keeps Items in a store.Store, and answers what each
// endpoint does to that state (/link/token/create and /get,
// /item/public_token/exchange, /auth/get, /accounts/*, /identity/match,
// /institutions/*, /sandbox/*, webhooks and the Item lifecycle, Hosted Link
// URLs) with Go values and flowcore.Error: the request and response shapes
// are Plaid's, the HTTP around them is internal/plaidapi's.
//
// It imports flowcore, internal/store and internal/jsoncodec, and never
// net/http or syscall/js (layers_test.go holds that), so the page runs the
// same model in WebAssembly.
package sandbox
