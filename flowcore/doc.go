// Package flowcore is linksim's rulebook for Plaid Link's Auth flows: every
// decision Link makes, in pure Go with no I/O, so the same rules run in the
// browser (compiled to WebAssembly) and behind the HTTP API. It imports
// nothing of the module but the JSON layer (internal/jsoncodec): never the
// store, the API model, net/http or syscall/js (layers_test.go holds that).
//
// # Reading the rules
//
//   - flow.go: which Auth flow a user gets (SelectFlow), in Plaid's order of
//     precedence, with the US-only and auth-or-transfer-only-products
//     restrictions.
//   - mask.go, numbers.go: the numbers an Instant Match or Automated user
//     types, ABA (and Canadian) routing numbers, their errors and bounds.
//   - microdeposits.go: deposit codes and descriptions, three attempts,
//     Automated verification over time (Verification).
//   - credentials.go: sandbox logins, MFA, reCAPTCHA and error_<CODE>
//     passwords, the Transactions users and the failed-login limit
//     (SandboxLogin); credentials_custom.go: user_custom's configuration
//     (ParseCustomUser).
//   - institutions.go: the sandbox catalogue (First Platypus Bank,
//     Houndstooth Bank, the Unhealthy Platypus banks, …) with routing
//     numbers, Auth methods, login health, MFA devices and Plaid's default
//     sandbox accounts; Catalog.Search.
//   - config.go: a /link/token/create body becomes a LinkConfig with Plaid's
//     defaults (ParseLinkConfig); account_filters.go, appearance.go and
//     limits.go: the accounts Link may offer, its colour scheme, and the
//     bounds on fields Plaid's spec leaves unbounded.
//   - session.go (with session_search, _login, _manual, _codes, _exit and
//     screen.go) and events.go: a Link session as a state machine. Each
//     Action returns a Step with the onEvent events Link emits, the pane to
//     show, and at the end onSuccess's or onExit's arguments. host.go: the
//     Host a session runs in (the sandbox: time, catalogue, where the Items
//     it links are kept).
//   - flowgraph.go: the panes and actions a config and bank lead through,
//     drawn by running scratch sessions.
//   - item.go: the Item, its accounts and tokens, the records the store
//     keeps; namematch.go: /identity/match's name score.
//   - errors.go: one Error type that marshals to Plaid's error object and
//     knows its HTTP status; RequestError turns the JSON layer's refusals
//     into it.
//
// Time comes from a Clock and every id and code from a seeded source, so a
// run is reproducible.
package flowcore
