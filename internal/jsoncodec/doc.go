// Package jsoncodec is linksim's JSON layer: it reads and writes JSON byte
// for byte as encoding/json does (Marshal, Unmarshal, Decode), so that the
// WebAssembly build needs no encoding/json, and it checks request bodies
// against the grammar of Plaid's endpoints, generated from Plaid's OpenAPI
// description (DecodeRequest, grammar.json).
//
// Refusals are *Error values in the terms of Plaid's API (INVALID_BODY,
// UNKNOWN_FIELDS, MISSING_FIELDS, INVALID_FIELD); flowcore turns them into
// Plaid's error object.
//
// It is the bottom of the house: it imports nothing of the module, and
// never net/http, syscall/js or encoding/json (wasm's and its own
// dependency tests hold that).
package jsoncodec
