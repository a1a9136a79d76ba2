// Package flowcore is linksim's rulebook for Plaid Link's Auth flows: every
// decision Link and Plaid's API make, in pure Go with no I/O, so the same
// rules run in the browser (compiled to WebAssembly) and behind the HTTP
// API.
//
// # Reading the rules
//
//   - config.go: a /link/token/create body becomes a LinkConfig with Plaid's
//     defaults (ParseLinkConfig); every error is Plaid's (MISSING_FIELDS,
//     UNKNOWN_FIELDS, INVALID_FIELD, INVALID_PRODUCT).
//     account_filters.go: the accounts account_filters let Link offer.
//     appearance.go: appearance_mode, the colour scheme (LIGHT, DARK,
//     SYSTEM) every Screen of the session carries.
//   - grammar.go, grammar.json, validate.go: every Plaid endpoint's request
//     body checked against a grammar generated from Plaid's OpenAPI
//     description by internal/specgen (DecodeRequest). decode.go holds the
//     strict struct-based decoding of linksim's own bodies (Decode).
//   - institutions.go: the sandbox catalogue (First Platypus Bank,
//     Houndstooth Bank, Windowpane Bank, the Unhealthy Platypus banks, …)
//     with routing numbers, Auth methods, login health, MFA devices and
//     Plaid's default sandbox accounts; Catalog.Search.
//   - numbers.go: ABA (and Canadian) routing numbers and account numbers.
//   - flow.go: which Auth flow a user gets (SelectFlow), in Plaid's order of
//     precedence, with the US-only and auth-or-transfer-only-products
//     restrictions.
//   - credentials.go: sandbox logins, MFA, reCAPTCHA and error_<CODE>
//     passwords, the Transactions users and the failed-login limit
//     (SandboxLogin); credentials_custom.go: user_custom's configuration
//     (ParseCustomUser).
//   - mask.go: the numbers an Instant Match or Automated user types, their
//     error and its retry bound.
//   - microdeposits.go: deposit codes and descriptions, three attempts,
//     Automated verification over time (Verification).
//   - session.go and events.go: a Link session as a state machine. Each
//     Action returns a Step with the onEvent events Link emits, the pane to
//     show, and at the end onSuccess's or onExit's arguments.
//   - item.go, store.go: Items, tokens and a bounded, concurrent Store.
//     table.go and codec.go: the MemoryStore keeps each record as one
//     pointer-free byte slice, bounded by count and bytes; store_sessions.go
//     holds Link session records the same way.
//   - limits.go: bounds on the fields Plaid's spec leaves unbounded;
//     budget.go: the MemoryBudget shared by the store, live sessions,
//     webhooks and request bodies, and the sizes it counts.
//   - linksessions.go: the record of every session run on a link token,
//     which /link/token/get returns as link_sessions; hostedlink.go: Hosted
//     Link URLs.
//   - endpoints_*.go: the API endpoints by family (Items, accounts,
//     institutions, sandbox); namematch.go: /identity/match's name score.
//   - sandbox.go and api.go: the Sandbox ties it together and answers the
//     API endpoints' semantics (/link/token/create, /auth/get, …) as Go
//     values; HTTP is somebody else's job.
//   - errors.go: one Error type that marshals to Plaid's error object and
//     knows its HTTP status.
//
// Time comes from a Clock and every id and code from a seeded source, so a
// run is reproducible.
package flowcore
