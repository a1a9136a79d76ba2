// Package contract holds linksim's contract tests against Plaid's OpenAPI
// description (the copy inside the plaid-go module the tests depend on),
// checked with kin-openapi:
//
//   - every response linksim sends in the scenarios the tests drive, 200 or
//     error, validates against the endpoint's response schema;
//   - a request body built from each endpoint's schema is accepted, and
//     bodies mutated into ones the schema refuses (confirmed by kin-openapi's
//     own request validation) get Plaid's INVALID_REQUEST error naming the
//     field.
//
// The package has only tests.
package contract
