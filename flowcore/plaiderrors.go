package flowcore

import (
	"slices"
	"strings"
)

// ErrorSpec is one row of Plaid's error reference: an error as Plaid's API
// answers it (type, code, HTTP status, error_message, display_message).
type ErrorSpec struct {
	Type    string
	Code    string
	Status  int
	Message string
	Display string // "" answers null
}

// Err returns the error the row describes.
func (s ErrorSpec) Err() *Error {
	return &Error{Type: s.Type, Code: s.Code, Message: s.Message, DisplayMessage: s.Display, HTTPStatus: s.Status}
}

// plaidErrors is linksim's one table of Plaid's errors: every forced error
// (an error_<CODE> password, a Linksim-Fault header, a scripted Item fault,
// an institution put down) answers from it. Each row is the "API error
// response" of the code's entry on Plaid's error pages:
//
//   - ITEM_ERROR: https://plaid.com/docs/errors/item/
//   - INSTITUTION_ERROR: https://plaid.com/docs/errors/institution/
//   - API_ERROR: https://plaid.com/docs/errors/api/
//   - RATE_LIMIT_EXCEEDED: https://plaid.com/docs/errors/rate-limit-exceeded/
//   - INVALID_INPUT: https://plaid.com/docs/errors/invalid-input/
//
// The messages are Plaid's, word for word. It holds the errors a working
// integration must survive; errors of a malformed request (INVALID_REQUEST)
// come from real malformed requests, not from this table.
var plaidErrors = []ErrorSpec{
	// https://plaid.com/docs/errors/item/
	{ErrorTypeItemError, "ACCESS_NOT_GRANTED", 400, "access to this product was not granted for the account", "The user did not grant the necessary permissions for this product on their account."},
	{ErrorTypeItemError, "INSUFFICIENT_CREDENTIALS", 400, "insufficient authorization was provided to complete the request", "INSUFFICIENT_CREDENTIALS"},
	{ErrorTypeItemError, "INVALID_CREDENTIALS", 400, "the provided credentials were not correct", "The provided credentials were not correct. Please try again."},
	{ErrorTypeItemError, "INVALID_MFA", 400, "the provided MFA response(s) were not correct", "The provided MFA responses were not correct. Please try again."},
	{ErrorTypeItemError, "ITEM_LOCKED", 400, "the account is locked. prompt the user to visit the institution's site and unlock their account", "The given account has been locked by the financial institution. Please visit your financial institution's website to unlock your account."},
	{ErrorTypeItemError, "ITEM_LOGIN_REQUIRED", 400, "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link's update mode to restore the item to a good state", ""},
	{ErrorTypeItemError, "ITEM_NOT_FOUND", 400, "The Item you requested cannot be found. This Item does not exist, has been previously removed via /item/remove, or has had access removed by the user.", ""},
	{ErrorTypeItemError, "ITEM_NOT_SUPPORTED", 400, "this account is currently not supported", "The given account is not currently supported for this financial institution. We apologize for the inconvenience."},
	{ErrorTypeItemError, "MFA_NOT_SUPPORTED", 400, "this account requires a MFA type that we do not currently support for the institution", "The multi-factor security features enabled on this account are not currently supported for this financial institution. We apologize for the inconvenience."},
	{ErrorTypeItemError, "NO_ACCOUNTS", 400, "no valid accounts were found for this item", "No valid accounts were found at the financial institution. Please visit your financial institution's website to confirm accounts are available."},
	{ErrorTypeItemError, "NO_AUTH_ACCOUNTS", 400, "There are no valid checking or savings account(s) associated with this Item. See https://plaid.com/docs/api/#item-errors for more.", ""},
	{ErrorTypeItemError, "PASSWORD_RESET_REQUIRED", 400, "user must reset their password", "The user needs to reset their password for their account"},
	{ErrorTypeItemError, "PRODUCT_NOT_READY", 400, "the requested product is not yet ready. please provide a webhook or try the request again later", ""},
	{ErrorTypeItemError, "PRODUCTS_NOT_SUPPORTED", 400, "", ""},
	{ErrorTypeItemError, "USER_INPUT_TIMEOUT", 400, "user must retry this operation", "The application timed out waiting for user input"},
	{ErrorTypeItemError, "USER_SETUP_REQUIRED", 400, "the account has not been fully set up. prompt the user to visit the issuing institution's site and finish the setup process", "The given account is not fully setup. Please visit your financial institution's website to setup your account."},

	// https://plaid.com/docs/errors/institution/
	{ErrorTypeInstitutionError, "INSTITUTION_DOWN", 400, "this institution is not currently responding to this request. please try again soon", "This financial institution is not currently responding to requests. We apologize for the inconvenience."},
	{ErrorTypeInstitutionError, "INSTITUTION_NOT_AVAILABLE", 400, "this institution is not currently responding to this request. please try again soon", "This financial institution is not currently responding to requests. We apologize for the inconvenience."},
	{ErrorTypeInstitutionError, "INSTITUTION_NOT_RESPONDING", 400, "this institution is not currently responding to this request. please try again soon", "This financial institution is not currently responding to requests. We apologize for the inconvenience."},
	{ErrorTypeInstitutionError, "INSTITUTION_NO_LONGER_SUPPORTED", 400, "this institution is no longer supported", "This financial institution is no longer supported. We apologize for the inconvenience."},
	{ErrorTypeInstitutionError, "UNSUPPORTED_RESPONSE", 400, "the data returned from the financial institution is not valid", "The data returned from the financial institution is not valid."},

	// https://plaid.com/docs/errors/api/
	{ErrorTypeAPIError, "INTERNAL_SERVER_ERROR", 500, "an unexpected error occurred", ""},
	{ErrorTypeAPIError, "PLANNED_MAINTENANCE", 503, "the Plaid API is temporarily unavailable due to planned maintenance. visit https://status.plaid.com/ for more information", ""},

	// https://plaid.com/docs/errors/rate-limit-exceeded/ (each code names
	// the endpoint it limits; see RateLimitCode)
	{ErrorTypeRateLimit, "ACCOUNTS_BALANCE_GET_LIMIT", 429, rateLimitItemMessage, ""},
	{ErrorTypeRateLimit, "ACCOUNTS_LIMIT", 429, rateLimitItemMessage, ""},
	{ErrorTypeRateLimit, "AUTH_LIMIT", 429, rateLimitItemMessage, ""},
	{ErrorTypeRateLimit, "BALANCE_LIMIT", 429, rateLimitItemMessage, ""},
	{ErrorTypeRateLimit, "IDENTITY_LIMIT", 429, rateLimitItemMessage, ""},
	{ErrorTypeRateLimit, "INSTITUTIONS_GET_BY_ID_LIMIT", 429, rateLimitInstitutionsMessage, ""},
	{ErrorTypeRateLimit, "INSTITUTIONS_GET_LIMIT", 429, rateLimitInstitutionsMessage, ""},
	{ErrorTypeRateLimit, "INSTITUTION_RATE_LIMIT", 429, "The institution is currently receiving too many requests. Please try again later.", ""},
	{ErrorTypeRateLimit, "ITEM_GET_LIMIT", 429, rateLimitItemMessage, ""},
	{ErrorTypeRateLimit, "RATE_LIMIT", 429, rateLimitItemMessage, ""},
	{ErrorTypeRateLimit, "TRANSACTIONS_LIMIT", 429, rateLimitItemMessage, ""},

	// https://plaid.com/docs/errors/invalid-input/
	{ErrorTypeInvalidInput, "INVALID_ACCESS_TOKEN", 400, "could not find matching access token", ""},
	{ErrorTypeInvalidInput, "INVALID_API_KEYS", 400, "invalid client_id or secret provided", ""},
}

// The error_message of RATE_LIMIT_EXCEEDED errors, as Plaid's page gives
// them (the institutions codes both name "institutions get by id").
const (
	rateLimitItemMessage         = "rate limit exceeded for attempts to access this item. please try again later"
	rateLimitInstitutionsMessage = `rate limit exceeded for attempts to access "institutions get by id". please try again later`
)

// PlaidErrors returns linksim's table of Plaid's errors, ordered by type
// as Plaid's error pages are, then by code.
func PlaidErrors() []ErrorSpec { return slices.Clone(plaidErrors) }

// PlaidError returns the error the table gives for code.
func PlaidError(code string) (*Error, bool) {
	for _, s := range plaidErrors {
		if s.Code == code {
			return s.Err(), true
		}
	}
	return nil, false
}

// rateLimitCodes are the RATE_LIMIT_EXCEEDED codes Plaid's rate limit page
// names for one endpoint each
// (https://plaid.com/docs/errors/rate-limit-exceeded/). /accounts/balance/get
// has two: BALANCE_LIMIT (per Item) and ACCOUNTS_BALANCE_GET_LIMIT (per
// client); the per-Item one is given, like every other code here.
var rateLimitCodes = map[string]string{
	"/accounts/balance/get":   "BALANCE_LIMIT",
	"/accounts/get":           "ACCOUNTS_LIMIT",
	"/auth/get":               "AUTH_LIMIT",
	"/identity/get":           "IDENTITY_LIMIT",
	"/institutions/get":       "INSTITUTIONS_GET_LIMIT",
	"/institutions/get_by_id": "INSTITUTIONS_GET_BY_ID_LIMIT",
	"/item/get":               "ITEM_GET_LIMIT",
	"/transactions/get":       "TRANSACTIONS_LIMIT",
	"/transactions/refresh":   "TRANSACTIONS_LIMIT",
}

// RateLimitCode returns the RATE_LIMIT_EXCEEDED error code Plaid answers
// endpoint with when it is called too often: the endpoint's own code where
// Plaid's page names one (AUTH_LIMIT for /auth/get, …), else Plaid's
// general RATE_LIMIT (every other endpoint, /identity/match and
// /link/token/create among them).
func RateLimitCode(endpoint string) string {
	if c, ok := rateLimitCodes[endpoint]; ok {
		return c
	}
	return "RATE_LIMIT"
}

// ForcedError returns the error a fault names for endpoint: a code of the
// table, or the type RATE_LIMIT_EXCEEDED alone, which is the endpoint's
// rate limit code (see RateLimitCode); false for any other name.
func ForcedError(name, endpoint string) (*Error, bool) {
	if name == ErrorTypeRateLimit {
		name = RateLimitCode(endpoint)
	}
	return PlaidError(name)
}

// errorNames lists what ForcedError accepts, for refusals.
func errorNames() string {
	return "a Plaid error code (" + strings.Join(codes(), ", ") + ") or " + ErrorTypeRateLimit + " for the endpoint's rate limit code"
}

func codes() []string {
	out := make([]string, len(plaidErrors))
	for i, s := range plaidErrors {
		out[i] = s.Code
	}
	return out
}
