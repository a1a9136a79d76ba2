package contract

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requestEndpoints are the endpoints whose request bodies are generated
// from the spec. An endpoint linksim does not serve (yet) is skipped.
var requestEndpoints = []string{
	"/link/token/create", "/link/token/get", "/item/public_token/exchange", "/auth/get", "/accounts/get",
	"/accounts/balance/get", "/identity/match", "/item/get", "/item/remove", "/institutions/get",
	"/institutions/get_by_id", "/institutions/search", "/sandbox/public_token/create",
	"/sandbox/item/set_verification_status", "/sandbox/item/fire_webhook", "/sandbox/item/reset_login",
	"/webhook_verification_key/get", "/user/create", "/item/webhook/update", "/item/access_token/invalidate",
	"/processor/token/create", "/processor/stripe/bank_account_token/create", "/sandbox/processor_token/create",
	"/processor/token/permissions/set", "/processor/token/permissions/get", "/processor/token/webhook/update",
	"/processor/auth/get", "/processor/account/get", "/processor/balance/get", "/processor/identity/get",
	"/processor/identity/match",
}

// proseValues are values for fields whose constraints Plaid states in the
// description rather than in schema keywords, so a generated "x" would be
// refused by Plaid as well: the languages Link supports, URLs, a routing
// number (a filter of routing numbers too) with a valid check digit, Auth
// switches that may be combined. Only fields the body has are set.
var proseValues = map[string]map[string]any{
	"/link/token/create": {"language": "en", "webhook": "https://app.example/hook", "redirect_uri": "https://app.example/oauth",
		"hosted_link.completion_redirect_uri": "https://app.example/done",
		"institution_data.routing_number":     "021000021",
		// "Database Insights cannot be used in the same session as Database
		// Match, Same-Day Micro-deposits, or Instant Micro-deposits."
		"auth.database_insights_enabled": false},
	"/sandbox/public_token/create":    {"options.webhook": "https://app.example/hook"},
	"/institutions/get":               {"options.routing_numbers": []any{"021000021"}},
	"/item/webhook/update":            {"webhook": "https://app.example/hook"},
	"/processor/token/webhook/update": {"webhook": "https://processor.example/hook"},
}

// proseRefused are enum values the schema lists that Plaid's own text
// refuses for this field: /link/token/create's products description says
// balance is not a valid value, and errors/invalid-input names
// recurring_transactions (INVALID_PRODUCT).
var proseRefused = map[string][]any{}

func init() {
	for _, f := range []string{"products[0]", "required_if_supported_products[0]", "optional_products[0]", "additional_consented_products[0]"} {
		proseRefused["/link/token/create "+f] = []any{"balance", "recurring_transactions"}
	}
}

// retired are enum values plaid-go's copy of the description lists and
// Plaid's current one dropped; linksim's grammar takes its constraints from
// the current one, so they are refused, as Plaid refuses them today.
var retired = map[string][]any{
	"products[0]":                                          {"deposit_switch"},
	"required_if_supported_products[0]":                    {"deposit_switch"},
	"optional_products[0]":                                 {"deposit_switch"},
	"additional_consented_products[0]":                     {"deposit_switch"},
	"initial_products[0]":                                  {"deposit_switch"},
	"options.products[0]":                                  {"deposit_switch"},
	"consumer_report_permissible_purpose":                  {"EMPLOYMENT"},
	"income_verification.payroll_income.parsing_config[0]": {"fraud_risk"},
	"webhook_code":                                         {"AUTH_DATA_UPDATE"},
	"processor":                                            {"prime_trust"},
}

// requiredSince are fields Plaid's current description requires that
// plaid-go's copy does not know, with a value: linksim follows the current
// one (MISSING_FIELDS without them), so the generated body carries them.
var requiredSince = map[string]map[string]any{
	"/user/create": {"consumer_report_user_identity.date_of_birth": "1990-01-01"},
}

// relaxed are mutations plaid-go's copy refuses and Plaid's current
// description allows; linksim follows the current one.
var relaxed = map[string]string{
	"minLength user.address.country": "the current LinkTokenCreateRequestUserAddress.country has no minLength",
}

// paired are optional fields whose value the endpoint's description pairs
// with another's: when an enum field is varied, its pair is left out (the
// server infers it). /sandbox/item/fire_webhook's description files each
// webhook_code under one webhook_type.
var paired = map[string]string{
	"/sandbox/item/fire_webhook webhook_code": "webhook_type",
}

// crossField are enum fields a value of which may be refused because of
// another field's value, with INVALID_FIELD naming that field: a
// webhook_type that does not fire the body's webhook_code.
var crossField = map[string]string{
	"/sandbox/item/fire_webhook webhook_type": "webhook_code",
}

// pending are endpoints whose spec-valid body linksim still refuses after
// its grammar accepted it, with the reason; the test fails once one is
// accepted, so the entry is removed.
var pending = map[string]string{}

// requestCodes are the error codes that mean linksim refused the body
// itself (rather than, say, an unknown access token in it).
var requestCodes = []string{"INVALID_BODY", "UNKNOWN_FIELDS", "MISSING_FIELDS", "INVALID_FIELD", "INVALID_PRODUCT"}

// TestRequestsFollowPlaidsSchema: for each endpoint, a body built from the
// spec's request schema with every optional field is accepted, and each
// mutation of it that kin-openapi's request validation refuses (a value
// outside an enum, a missing required field, a string past maxLength, an
// array below minItems, a wrong type) gets Plaid's error naming the field.
func TestRequestsFollowPlaidsSchema(t *testing.T) {
	s := newServer(t)
	var report []string
	for _, path := range requestEndpoints {
		t.Run(strings.TrimPrefix(path, "/"), func(t *testing.T) {
			s.t = t
			if r := s.post(path, obj{}); r.errorCode() == "NOT_FOUND" {
				t.Skipf("linksim does not serve %s", path)
			}
			op := s.spec.doc.Paths.Find(path)
			require.NotNil(t, op, "%s is not in Plaid's description", path)
			schema := op.Post.RequestBody.Value.Content.Get("application/json").Schema.Value

			body := generate(schema, 0).(map[string]any)
			for field, v := range proseValues[path] {
				parent, key := lookup(body, splitPath(field))
				if p, ok := parent.(map[string]any); ok && p[key.(string)] != nil {
					set(v)(parent, key)
				}
			}
			for field, v := range requiredSince[path] {
				if parent, key := lookup(body, splitPath(field)); parent != nil {
					set(v)(parent, key)
				}
			}
			raw, _ := json.Marshal(body)
			require.NoError(t, s.spec.validateRequest(path, raw), "the generated body must be valid: %s", raw)
			r := s.post(path, raw)
			refused := r.status != 200 && (r.errorType() == "INVALID_REQUEST" || slices.Contains(requestCodes, r.errorCode()))
			if why, ok := pending[path]; ok {
				require.True(t, refused, "%s is accepted now: remove it from pending", path)
				t.Logf("pending: %s (%s)", why, r.message())
			} else {
				assert.False(t, refused, "a body Plaid's schema accepts was refused: %s\nbody: %s", r.raw, raw)
			}

			counts := map[string]int{}
			for _, m := range enumVariants(schema, body) {
				if other, ok := paired[path+" "+m.path]; ok {
					delete(m.body, other) // the server infers it from this value
				}
				mraw, _ := json.Marshal(m.body) // valid by construction: the spec lists the value
				r := s.post(path, mraw)
				if other, ok := crossField[path+" "+m.path]; ok && r.errorCode() == "INVALID_FIELD" && strings.Contains(r.message(), other) {
					counts["enum value refused with "+other]++
					continue
				}
				if slices.Contains(proseRefused[path+" "+m.path], m.value) || slices.Contains(retired[m.path], m.value) {
					counts["enum value refused"]++
					assert.Contains(t, requestCodes, r.errorCode(), "%s = %v: %s", m.path, m.value, r.raw)
					continue
				}
				counts["enum value accepted"]++
				if _, ok := pending[path]; ok {
					continue
				}
				assert.False(t, r.status != 200 && (r.errorType() == "INVALID_REQUEST" || slices.Contains(requestCodes, r.errorCode())),
					"%s = %v is in Plaid's enum and was refused: %s", m.path, m.value, r.raw)
			}
			for _, m := range mutations(schema, body) {
				mraw, _ := json.Marshal(m.body)
				if s.spec.validateRequest(path, mraw) == nil {
					counts["allowed by spec"]++
					continue // kin-openapi accepts it too: nothing to refuse
				}
				r := s.post(path, mraw)
				if why, ok := relaxed[m.kind+" "+m.path]; ok {
					counts["relaxed since"]++
					assert.NotContains(t, requestCodes, r.errorCode(), "%s %s is allowed by the current description (%s): %s", m.kind, m.path, why, r.raw)
					continue
				}
				counts[m.kind]++
				if !assert.Contains(t, m.codes, r.errorCode(), "%s %s: %s\nbody: %s", m.kind, m.path, r.raw, mraw) {
					continue
				}
				assert.Contains(t, r.message(), m.path, "%s %s: the error names the field", m.kind, m.path)
			}
			report = append(report, fmt.Sprintf("%-40s 1 valid body, mutations: %s", path, formatCounts(counts)))
		})
	}
	s.t = t
	t.Logf("request bodies checked against Plaid's schema:\n%s", strings.Join(report, "\n"))
}

func formatCounts(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, counts[k]))
	}
	return strings.Join(parts, ", ")
}

// generate builds a value the schema accepts, with every optional field:
// an example when the schema has a usable one, else the first enum value,
// else a value within the bounds.
func generate(s *openapi3.Schema, depth int) any {
	s = flatten(s)
	if len(s.Enum) > 0 {
		if s.Example != nil && slices.Contains(s.Enum, s.Example) && fits(s, s.Example) {
			return s.Example
		}
		for _, e := range s.Enum {
			if fits(s, e) {
				return e
			}
		}
		return nil // no listed value has the schema's type: leave the field out
	}
	switch typeOf(s) {
	case "object":
		m := map[string]any{}
		if depth > 12 {
			return m
		}
		for name, p := range s.Properties {
			if v := generate(p.Value, depth+1); v != nil {
				m[name] = v
			}
		}
		return m
	case "array":
		n := max(1, int(s.MinItems))
		out := make([]any, n)
		for i := range out {
			out[i] = generate(s.Items.Value, depth+1)
		}
		return out
	case "string":
		return generateString(s)
	case "integer", "number":
		return generateNumber(s)
	case "boolean":
		if b, ok := s.Example.(bool); ok {
			return b
		}
		return true
	}
	return "any"
}

func generateString(s *openapi3.Schema) string {
	switch s.Format {
	case "date":
		return "2026-01-02"
	case "date-time":
		return "2026-01-02T03:04:05Z"
	}
	str, ok := s.Example.(string)
	if !ok || s.Pattern == "" && (uint64(len(str)) < s.MinLength || s.MaxLength != nil && uint64(len(str)) > *s.MaxLength) {
		str = strings.Repeat("x", max(1, int(s.MinLength)))
	}
	return str
}

func generateNumber(s *openapi3.Schema) any {
	if f, ok := s.Example.(float64); ok && (s.Min == nil || f >= *s.Min) && (s.Max == nil || f <= *s.Max) &&
		(typeOf(s) == "number" || f == float64(int64(f))) {
		return f
	}
	n := 1.0
	if s.Min != nil && n < *s.Min {
		n = *s.Min
	}
	if s.Max != nil && n > *s.Max {
		n = *s.Max
	}
	return n
}

// fits reports whether an enum value has the schema's type (Plaid's
// current description lists numbers in some string enums).
func fits(s *openapi3.Schema, v any) bool {
	switch v.(type) {
	case string:
		return typeOf(s) == "string" || typeOf(s) == ""
	case float64:
		return typeOf(s) == "number" || typeOf(s) == "integer" || typeOf(s) == ""
	case bool:
		return typeOf(s) == "boolean" || typeOf(s) == ""
	}
	return false
}

// flatten folds allOf into one schema (the shape Plaid's request schemas
// use: a $ref plus local keywords).
func flatten(s *openapi3.Schema) *openapi3.Schema {
	if len(s.AllOf) == 0 {
		return s
	}
	out := *s
	out.AllOf = nil
	out.Properties = openapi3.Schemas{}
	for k, v := range s.Properties {
		out.Properties[k] = v
	}
	for _, part := range s.AllOf {
		p := flatten(part.Value)
		if out.Type == nil {
			out.Type = p.Type
		}
		if out.Enum == nil {
			out.Enum = p.Enum
		}
		if out.Items == nil {
			out.Items = p.Items
		}
		if out.Format == "" {
			out.Format = p.Format
		}
		if out.MaxLength == nil {
			out.MaxLength = p.MaxLength
		}
		out.MinLength = max(out.MinLength, p.MinLength)
		out.MinItems = max(out.MinItems, p.MinItems)
		if out.Example == nil {
			out.Example = p.Example
		}
		for k, v := range p.Properties {
			if _, ok := out.Properties[k]; !ok {
				out.Properties[k] = v
			}
		}
		out.Required = append(slices.Clone(out.Required), p.Required...)
	}
	return &out
}

func typeOf(s *openapi3.Schema) string {
	if s.Type != nil {
		for _, t := range s.Type.Slice() {
			if t != "null" {
				return t
			}
		}
	}
	if len(s.Properties) > 0 {
		return "object"
	}
	return ""
}

// variant is a body with one enum field set to another of its values.
type variant struct {
	path  string
	value any
	body  map[string]any
}

// enumVariants returns, for every enum field of body, a body for each
// other value the enum lists.
func enumVariants(s *openapi3.Schema, body map[string]any) []variant {
	var out []variant
	var walk func(s *openapi3.Schema, v any, at []any)
	walk = func(s *openapi3.Schema, v any, at []any) {
		s = flatten(s)
		if len(at) > 0 && len(s.Enum) > 1 {
			for _, e := range s.Enum {
				if e == v || e == nil || !fits(s, e) {
					continue
				}
				m := deepCopy(body).(map[string]any)
				parent, key := lookup(m, at)
				set(e)(parent, key)
				out = append(out, variant{path: pathString(at), value: e, body: m})
			}
		}
		switch val := v.(type) {
		case map[string]any:
			for _, name := range sortedKeys(val) {
				if p := s.Properties[name]; p != nil {
					walk(p.Value, val[name], append(slices.Clone(at), name))
				}
			}
		case []any:
			if s.Items != nil && len(val) > 0 {
				walk(s.Items.Value, val[0], append(slices.Clone(at), 0))
			}
		}
	}
	walk(s, body, nil)
	return out
}

// mutation is a body the schema refuses in one place, and the errors
// linksim may answer it with.
type mutation struct {
	kind  string // enum, required, minLength, maxLength, minimum, maximum, minItems, type
	path  string // the field, as Plaid's errors name it: user.address.city, country_codes[0]
	codes []string
	body  map[string]any
}

// mutations returns every single-place mutation of body (built by
// generate from s) that the schema's keywords make invalid.
func mutations(s *openapi3.Schema, body map[string]any) []mutation {
	var out []mutation
	var walk func(s *openapi3.Schema, v any, at []any)
	walk = func(s *openapi3.Schema, v any, at []any) {
		s = flatten(s)
		path := pathString(at)
		add := func(kind string, codes []string, change func(parent any, key any)) {
			m := deepCopy(body).(map[string]any)
			parent, key := lookup(m, at)
			change(parent, key)
			out = append(out, mutation{kind: kind, path: path, codes: codes, body: m})
		}
		if len(at) > 0 {
			if len(s.Enum) > 0 && v != nil {
				codes := []string{"INVALID_FIELD"}
				if isProducts(s) {
					codes = []string{"INVALID_PRODUCT"}
				}
				add("enum", codes, set("NOT_IN_PLAIDS_ENUM"))
			}
			if s.MaxLength != nil {
				add("maxLength", []string{"INVALID_FIELD"}, set(strings.Repeat("x", int(*s.MaxLength)+1)))
			}
			if typeOf(s) == "string" && s.MinLength > 0 && len(s.Enum) == 0 {
				add("minLength", []string{"INVALID_FIELD"}, set(strings.Repeat("x", int(s.MinLength)-1)))
			}
			if t := typeOf(s); (t == "integer" || t == "number") && len(s.Enum) == 0 {
				if s.Min != nil {
					add("minimum", []string{"INVALID_FIELD"}, set(*s.Min-1))
				}
				if s.Max != nil {
					add("maximum", []string{"INVALID_FIELD"}, set(*s.Max+1))
				}
			}
			if typeOf(s) == "array" && s.MinItems > 0 {
				add("minItems", []string{"INVALID_FIELD"}, set(v.([]any)[:s.MinItems-1]))
			}
			if wrong, ok := wrongType(typeOf(s)); ok {
				add("type", []string{"INVALID_FIELD"}, set(wrong))
			}
		}
		switch val := v.(type) {
		case map[string]any:
			for _, name := range sortedKeys(val) {
				p := s.Properties[name]
				if p == nil {
					continue
				}
				child := append(slices.Clone(at), name)
				if slices.Contains(s.Required, name) {
					m := deepCopy(body).(map[string]any)
					parent, _ := lookup(m, child)
					delete(parent.(map[string]any), name)
					out = append(out, mutation{kind: "required", path: pathString(child), codes: []string{"MISSING_FIELDS"}, body: m})
				}
				walk(p.Value, val[name], child)
			}
		case []any:
			if s.Items != nil && len(val) > 0 {
				walk(s.Items.Value, val[0], append(slices.Clone(at), 0))
			}
		}
	}
	walk(s, body, nil)
	return out
}

// isProducts reports whether s is Plaid's Products enum.
func isProducts(s *openapi3.Schema) bool {
	return slices.Contains(s.Enum, any("auth")) && slices.Contains(s.Enum, any("transactions"))
}

func wrongType(typ string) (any, bool) {
	switch typ {
	case "string":
		return 12345, true
	case "integer", "number", "boolean", "array":
		return "not-a-" + typ, true
	case "object":
		return []any{"not-an-object"}, true
	}
	return nil, false
}

func set(v any) func(parent, key any) {
	return func(parent, key any) {
		switch p := parent.(type) {
		case map[string]any:
			p[key.(string)] = v
		case []any:
			p[key.(int)] = v
		}
	}
}

// lookup returns the container holding the value at path, and its key.
func lookup(root map[string]any, at []any) (any, any) {
	var parent any = root
	for _, k := range at[:len(at)-1] {
		switch p := parent.(type) {
		case map[string]any:
			parent = p[k.(string)]
		case []any:
			parent = p[k.(int)]
		}
	}
	return parent, at[len(at)-1]
}

func splitPath(field string) []any {
	var at []any
	for _, k := range strings.Split(field, ".") {
		at = append(at, k)
	}
	return at
}

func pathString(at []any) string {
	var b strings.Builder
	for _, k := range at {
		switch k := k.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(k)
		case int:
			b.WriteString("[" + strconv.Itoa(k) + "]")
		}
	}
	return b.String()
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = deepCopy(x)
		}
		return out
	}
	return v
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
