package jsoncodec

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// DecodeRequest parses the JSON body of a request to a Plaid endpoint (its
// path, such as "/auth/get") and validates it against that endpoint's rule
// in the request grammar generated from Plaid's OpenAPI description:
//
//   - a body that is not a JSON object is INVALID_BODY;
//   - every field the grammar does not declare, at any depth, is listed in
//     one UNKNOWN_FIELDS error ("auth.foo", "items[0].foo");
//   - every required field that is absent, or null where its rule is not
//     nullable, at any depth, is listed in one MISSING_FIELDS error;
//   - any other violation (a wrong type, a value outside an enum, a string
//     too long, an array too short, a number out of bounds, a malformed
//     date) is INVALID_FIELD naming the field's path ("country_codes[0]");
//     a value outside Plaid's Products enum is INVALID_PRODUCT.
//
// A null optional field counts as absent. Then the body is unmarshalled
// into dst, whose struct declares only the fields linksim reads. An
// endpoint without a grammar (linksim's own) is decoded by Decode.
func DecodeRequest(endpoint string, body []byte, dst any) *Error {
	g := RequestGrammar()
	rule, ok := g.Endpoints[endpoint]
	if !ok {
		return Decode(body, dst)
	}
	var more func(has func(string) bool) []string
	if c, ok := dst.(ConditionalFields); ok {
		more = c.MissingFields
	}
	if g.decodeFlat(rule, body, dst, more) {
		return nil // see fastdecode.go: the full path would have accepted it the same
	}
	top, err := parseObject(body)
	if err != nil {
		return err
	}
	if err := g.check(rule, top, more); err != nil {
		return err
	}
	return decodeChecked(top, dst)
}

// Validate checks a JSON body against rule (see DecodeRequest).
func (g *Grammar) Validate(rule *Rule, body []byte) *Error {
	top, err := parseObject(body)
	if err != nil {
		return err
	}
	return g.check(rule, top, nil)
}

// check is Validate for a parsed body; more lists top-level fields missing
// by rules the grammar cannot express (one of user or user_id).
func (g *Grammar) check(rule *Rule, top jsonValue, more func(has func(string) bool) []string) *Error {
	c := checker{g: g}
	c.object(g.resolve(rule), top)
	if more != nil {
		for _, field := range more(func(field string) bool { return !top.member(field).isNull() }) {
			c.missing.add(nil, []byte(field))
		}
	}
	return c.err()
}

// ProductsRule is the name of the shared rule for Plaid's Products enum; a
// value outside it is INVALID_PRODUCT rather than INVALID_FIELD.
const ProductsRule = "Products"

// checker walks a body, collecting what is wrong with it. Object keys are
// visited in sorted order, so the INVALID_FIELD reported is always the same.
type checker struct {
	g    *Grammar
	path jsonPath // where the walk is
	refusal
}

// fail records the problem of the value at path, if it is the first.
func (c *checker) fail(problem string) {
	if c.invalid == nil {
		c.invalid = invalidField(c.path.String(), problem)
	}
}

func (c *checker) value(r *Rule, v jsonValue) {
	r = c.g.resolve(r)
	if r == nil {
		return
	}
	if v.isNull() {
		if !r.Nullable {
			c.fail("must not be null")
		}
		return
	}
	if k, ok := ruleKind(r.Type); ok && v.kind() != k {
		if c.invalid == nil { // only the first is reported: say no more
			c.fail("must be of type " + r.Type)
		}
		return
	}
	switch r.Type {
	case "object":
		c.object(r, v)
	case "array":
		c.array(r, v)
	case "string":
		c.str(r, v)
	case "integer", "number":
		if r.Type == "integer" && !c.integer(v.raw()) {
			return
		}
		f, err := strconv.ParseFloat(string(v.raw()), 64)
		if err != nil {
			c.fail("must be of type " + r.Type)
			return
		}
		c.number(r, f)
	}
}

// ruleKind is the JSON kind a rule's type takes, if it names one.
func ruleKind(typ string) (jsonKind, bool) {
	switch typ {
	case "object":
		return jsonObject, true
	case "array":
		return jsonArray, true
	case "string":
		return jsonString, true
	case "boolean":
		return jsonBool, true
	case "integer", "number":
		return jsonNumber, true
	}
	return 0, false
}

func (c *checker) object(r *Rule, obj jsonValue) {
	// Keys in order (the first INVALID_FIELD is then always the same one);
	// of a key given twice, only the last value counts.
	d := obj.doc
	n := 0
	for i := obj.i + 1; i < obj.tok().next; i = d.toks[i+1].next {
		n++
	}
	keys := make([]uint32, 0, n) // token indices
	for i := obj.i + 1; i < obj.tok().next; i = d.toks[i+1].next {
		keys = append(keys, i)
	}
	// (slices' sort, unlike sort.SliceStable, allocates nothing: a body of
	// [{},{},…] costs no memory per object here)
	slices.SortStableFunc(keys, func(a, b uint32) int {
		switch {
		case d.keyLess(a, b):
			return -1
		case d.keyLess(b, a):
			return 1
		}
		return 0
	})
	for i, k := range keys {
		if i+1 < len(keys) && !d.keyLess(k, keys[i+1]) {
			continue // the same key again
		}
		keyTok, val := jsonValue{d, k}, jsonValue{d, k + 1}
		key, plain := d.keyBytes(k)
		if !plain {
			key = []byte(keyTok.text())
		}
		fr, ok := r.Props[string(key)]
		if !ok {
			if r.Extra == nil {
				c.unknown.add(c.path, key)
				continue
			}
			fr = r.Extra
		}
		if val.isNull() && !enumHas(r.Required, key) {
			continue // a null optional field is an absent one
		}
		depth := len(c.path)
		c.path = c.path.with(pathStep{key: keyTok})
		c.value(fr, val)
		c.path = c.path[:depth]
	}
	for _, k := range r.Required {
		m := obj.member(k)
		if m.isNull() && (m.doc == nil || !c.nullable(r.Props[k])) { // a nullable field may be given as null
			c.missing.add(c.path, []byte(k))
		}
	}
}

// nullable reports whether a field's rule takes null as a value.
func (c *checker) nullable(r *Rule) bool {
	r = c.g.resolve(r)
	return r != nil && r.Nullable
}

func (c *checker) array(r *Rule, arr jsonValue) {
	n := arr.len()
	switch {
	case n < r.MinItems:
		c.fail("must contain at least " + plural(r.MinItems, "element"))
	case r.MaxItems != nil && n > *r.MaxItems:
		c.fail("must contain at most " + plural(*r.MaxItems, "element"))
	}
	for i, v := range arr.items {
		depth := len(c.path)
		c.path = c.path.with(pathStep{index: i})
		c.value(r.Items, v)
		c.path = c.path[:depth]
	}
}

func (c *checker) str(r *Rule, v jsonValue) {
	raw := v.raw()
	b, plain := raw[1:len(raw)-1], readsAsItself(raw[1:len(raw)-1])
	var s string
	if plain {
		// compared and counted without a copy: a body of many strings
		// costs no memory here
	} else {
		s = v.text()
		b = []byte(s)
	}
	if len(r.Enum) > 0 && !enumHas(r.Enum, b) {
		if c.invalid != nil {
			return
		}
		s = v.text()
		if c.isProducts(r) {
			c.invalid = &Error{Type: "INVALID_INPUT", Code: "INVALID_PRODUCT", Message: c.path.String() + ": " + quote(s) + " is not a valid product"}
			return
		}
		c.fail("must be one of " + strings.Join(r.Enum, ", ") + ", not " + quote(s))
		return
	}
	n := utf8.RuneCount(b)
	switch {
	case n < r.MinLength && r.MinLength == 1:
		c.fail("must be a non-empty string")
	case n < r.MinLength:
		c.fail("must be at least " + plural(r.MinLength, "character") + " long")
	case r.MaxLength != nil && n > *r.MaxLength:
		c.fail("must be at most " + plural(*r.MaxLength, "character") + " long")
	case r.Format == "date" && !isDate(string(b)):
		c.fail("must be a date in the format YYYY-MM-DD")
	case r.Format == "date-time" && !isDateTime(string(b)):
		c.fail("must be an ISO 8601 date-time such as 2026-01-02T15:04:05Z")
	}
}

// enumHas reports whether s is one of enum.
func enumHas(enum []string, s []byte) bool {
	for _, e := range enum {
		if string(s) == e {
			return true
		}
	}
	return false
}

// IsProduct reports whether p is in Plaid's Products enum.
func IsProduct(p string) bool {
	g := RequestGrammar()
	return slices.Contains(g.resolve(&Rule{Ref: ProductsRule}).Enum, p)
}

// isProducts reports whether r is Plaid's Products enum.
func (c *checker) isProducts(r *Rule) bool { return c.g.Defs[ProductsRule] == r }

func (c *checker) number(r *Rule, f float64) {
	switch {
	case r.Type == "integer" && f != math.Trunc(f):
		c.fail("must be of type integer")
	case len(r.Enum) > 0 && !slices.Contains(r.Enum, formatFloat(f)):
		c.fail("must be one of " + strings.Join(r.Enum, ", "))
	case r.Minimum != nil && f < *r.Minimum:
		c.fail("must be at least " + formatFloat(*r.Minimum))
	case r.Maximum != nil && f > *r.Maximum:
		c.fail("must be at most " + formatFloat(*r.Maximum))
	}
}

// integer reports whether raw, a JSON number, is an integer literal that
// fits in 64 bits, as Plaid's (and Go's) integer fields take: 1.0, 1e2 and
// 2^63 are INVALID_FIELD here rather than a body that cannot be decoded.
func (c *checker) integer(raw []byte) bool {
	if bytes.ContainsAny(raw, ".eE") {
		c.fail("must be of type integer")
		return false
	}
	if _, err := strconv.ParseInt(string(raw), 10, 64); err != nil {
		c.fail("must be an integer between -2^63 and 2^63-1")
		return false
	}
	return true
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func isDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func isDateTime(s string) bool {
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}
