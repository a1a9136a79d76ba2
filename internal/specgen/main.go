// Command specgen writes the request grammar (internal/jsoncodec/grammar.json)
// from Plaid's OpenAPI description.
//
// It loads two descriptions with kin-openapi: Plaid's current one (-current,
// plaid/plaid-openapi's 2020-09-14.yml, plain or gzipped) and the older one
// inside plaid-go v20 (-old, found with `go list -m` by default). For the
// request body of every endpoint linksim answers it writes one compact rule
// tree: types, nullable, required, enums, lengths, item counts, bounds and
// the date formats. The constraints are the current description's; a field
// only the older description knows is added with its older rule, so that
// the requests old clients send stay accepted. Subtrees used more than once
// are written once, under the component name they came from.
//
//	go run ./internal/specgen -current plaid-openapi-2020-09-14.yml.gz -out internal/jsoncodec/grammar.json
//	PLAID_OPENAPI=plaid-openapi-2020-09-14.yml.gz go generate ./internal/jsoncodec
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/linksim/linksim/internal/jsoncodec"
)

// Endpoints are the paths whose request grammar linksim needs: every
// endpoint it answers except its own (/sandbox/linksim/…, /linksim/…).
var Endpoints = []string{
	"/link/token/create",
	"/link/token/get",
	"/item/public_token/exchange",
	"/auth/get",
	"/accounts/get",
	"/accounts/balance/get",
	"/identity/match",
	"/item/get",
	"/item/remove",
	"/institutions/get",
	"/institutions/get_by_id",
	"/institutions/search",
	"/sandbox/public_token/create",
	"/sandbox/item/set_verification_status",
	"/sandbox/item/fire_webhook",
	"/sandbox/item/reset_login",
	"/webhook_verification_key/get",
	"/user/create",
	"/item/webhook/update",
	"/item/access_token/invalidate",
	"/processor/token/create",
	"/processor/stripe/bank_account_token/create",
	"/sandbox/processor_token/create",
	"/processor/token/permissions/set",
	"/processor/token/permissions/get",
	"/processor/token/webhook/update",
	"/processor/auth/get",
	"/processor/account/get",
	"/processor/balance/get",
	"/processor/identity/get",
	"/processor/identity/match",
}

func main() {
	current := flag.String("current", os.Getenv("PLAID_OPENAPI"), "Plaid's current OpenAPI description (2020-09-14.yml, or .yml.gz); default $PLAID_OPENAPI")
	old := flag.String("old", "", "the older description to unite with (default: plaid-go v20's api/openapi.yaml)")
	out := flag.String("out", "internal/jsoncodec/grammar.json", "where to write the grammar")
	flag.Parse()
	if err := run(*current, *old, *out); err != nil {
		fmt.Fprintln(os.Stderr, "specgen:", err)
		os.Exit(1)
	}
}

func run(current, old, out string) error {
	if current == "" {
		return fmt.Errorf("-current or PLAID_OPENAPI must name Plaid's OpenAPI description")
	}
	if old == "" {
		dir, err := PlaidGoDir()
		if err != nil {
			return err
		}
		old = filepath.Join(dir, "api", "openapi.yaml")
	}
	cur, err := Load(current)
	if err != nil {
		return err
	}
	prev, err := Load(old)
	if err != nil {
		return err
	}
	g, err := Build(cur, prev, Endpoints)
	if err != nil {
		return err
	}
	b, err := json.Marshal(g)
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o644)
}

// PlaidGoDir returns the directory of the plaid-go v20 module in the module
// cache, as `go list -m` finds it.
func PlaidGoDir() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/plaid/plaid-go/v20").Output()
	if err != nil {
		return "", fmt.Errorf("go list plaid-go: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Load reads an OpenAPI description, gunzipping a .gz file.
func Load(path string) (*openapi3.T, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return doc, nil
}

// RequestSchema returns the JSON request body schema of path's POST.
func RequestSchema(doc *openapi3.T, path string) (*openapi3.SchemaRef, error) {
	item := doc.Paths.Find(path)
	if item == nil || item.Post == nil || item.Post.RequestBody == nil || item.Post.RequestBody.Value == nil {
		return nil, fmt.Errorf("%s: no POST request body", path)
	}
	mt := item.Post.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil, fmt.Errorf("%s: no application/json schema", path)
	}
	return mt.Schema, nil
}

// Build returns the grammar of paths: each request schema of cur united
// with prev's (an endpoint prev lacks takes cur's alone).
func Build(cur, prev *openapi3.T, paths []string) (*jsoncodec.Grammar, error) {
	c := &converter{names: map[*jsoncodec.Rule]string{}}
	g := &jsoncodec.Grammar{
		Source: fmt.Sprintf("Plaid OpenAPI %s united with plaid-go v20's %s", cur.Info.Version, prev.Info.Version),
		Defs:   map[string]*jsoncodec.Rule{}, Endpoints: map[string]*jsoncodec.Rule{},
	}
	for _, p := range paths {
		s, err := RequestSchema(cur, p)
		if err != nil {
			return nil, err
		}
		rule, err := c.convert(s, p)
		if err != nil {
			return nil, err
		}
		if old, err := RequestSchema(prev, p); err == nil {
			oldRule, err := c.convert(old, p)
			if err != nil {
				return nil, err
			}
			merge(rule, oldRule)
		}
		g.Endpoints[p] = rule
	}
	share(g, c.names)
	return g, nil
}

// converter turns kin-openapi schemas into rules.
type converter struct {
	// names remembers the component a rule was made from, to name shared rules.
	names map[*jsoncodec.Rule]string
	stack []*openapi3.Schema
}

// convert returns the rule of s, fully inlined; at names where it is.
func (c *converter) convert(ref *openapi3.SchemaRef, at string) (*jsoncodec.Rule, error) {
	if ref == nil || ref.Value == nil {
		return &jsoncodec.Rule{}, nil
	}
	s := ref.Value
	for _, seen := range c.stack {
		if seen == s {
			return nil, fmt.Errorf("%s: recursive schema %s", at, ref.Ref)
		}
	}
	c.stack = append(c.stack, s)
	defer func() { c.stack = c.stack[:len(c.stack)-1] }()

	if len(s.OneOf) > 0 || len(s.AnyOf) > 0 || s.Not != nil {
		return nil, fmt.Errorf("%s: oneOf/anyOf/not are not supported", at)
	}
	r := &jsoncodec.Rule{Nullable: s.Nullable}
	if s.Type != nil {
		types := s.Type.Slice()
		var nonNull []string
		for _, t := range types {
			if t == "null" {
				r.Nullable = true
			} else {
				nonNull = append(nonNull, t)
			}
		}
		if len(nonNull) == 1 {
			r.Type = nonNull[0]
		}
	}
	for _, e := range s.Enum {
		switch v := e.(type) {
		case nil: // an enum listing null: nullable
			r.Nullable = true
		case string:
			r.Enum = append(r.Enum, v)
		case float64, int, int64, bool:
			r.Enum = append(r.Enum, fmt.Sprint(v)) // compared with the value's JSON text
		default:
			return nil, fmt.Errorf("%s: enum value %v (%T) is not a scalar", at, e, e)
		}
	}
	switch s.Format {
	case "date", "date-time":
		r.Format = s.Format
	}
	if s.MinLength > 0 {
		r.MinLength = int(s.MinLength)
	}
	if s.MaxLength != nil {
		n := int(*s.MaxLength)
		r.MaxLength = &n
	}
	if s.MinItems > 0 {
		r.MinItems = int(s.MinItems)
	}
	if s.MaxItems != nil {
		n := int(*s.MaxItems)
		r.MaxItems = &n
	}
	r.Minimum, r.Maximum = s.Min, s.Max
	if s.Items != nil {
		items, err := c.convert(s.Items, at+"[]")
		if err != nil {
			return nil, err
		}
		r.Items = items
	}
	if len(s.Properties) > 0 {
		r.Props = map[string]*jsoncodec.Rule{}
		for name, p := range s.Properties {
			pr, err := c.convert(p, at+"."+name)
			if err != nil {
				return nil, err
			}
			r.Props[name] = pr
		}
	}
	r.Required = append(r.Required, s.Required...)
	switch {
	case s.AdditionalProperties.Schema != nil:
		x, err := c.convert(s.AdditionalProperties.Schema, at+".*")
		if err != nil {
			return nil, err
		}
		r.Extra = x
	case s.AdditionalProperties.Has != nil && *s.AdditionalProperties.Has:
		r.Extra = &jsoncodec.Rule{}
	case s.AdditionalProperties.Has == nil && len(s.Properties) == 0 && len(s.AllOf) == 0 && r.Type == "object":
		r.Extra = &jsoncodec.Rule{} // a free-form object
	}
	for _, part := range s.AllOf {
		pr, err := c.convert(part, at)
		if err != nil {
			return nil, err
		}
		allOf(r, pr)
	}
	if r.Type == "" && (r.Props != nil || r.Extra != nil) {
		r.Type = "object"
	}
	if name, ok := strings.CutPrefix(ref.Ref, "#/components/schemas/"); ok {
		c.names[r] = name
	}
	return r, nil
}

// allOf folds one allOf member into r: r's own keywords win, fields and
// required lists add up.
func allOf(r, part *jsoncodec.Rule) {
	if r.Type == "" {
		r.Type = part.Type
	}
	r.Nullable = r.Nullable || part.Nullable
	if r.Enum == nil {
		r.Enum = part.Enum
	}
	if r.Format == "" {
		r.Format = part.Format
	}
	if r.MinLength == 0 {
		r.MinLength = part.MinLength
	}
	if r.MaxLength == nil {
		r.MaxLength = part.MaxLength
	}
	if r.MinItems == 0 {
		r.MinItems = part.MinItems
	}
	if r.MaxItems == nil {
		r.MaxItems = part.MaxItems
	}
	if r.Minimum == nil {
		r.Minimum = part.Minimum
	}
	if r.Maximum == nil {
		r.Maximum = part.Maximum
	}
	if r.Items == nil {
		r.Items = part.Items
	}
	if part.Props != nil && r.Props == nil {
		r.Props = map[string]*jsoncodec.Rule{}
	}
	for k, v := range part.Props {
		if _, ok := r.Props[k]; !ok {
			r.Props[k] = v
		}
	}
	for _, req := range part.Required {
		if !contains(r.Required, req) {
			r.Required = append(r.Required, req)
		}
	}
	if r.Extra == nil {
		r.Extra = part.Extra
	}
}

// merge adds to cur every field old declares and cur does not, at any
// depth; cur's constraints stand.
func merge(cur, old *jsoncodec.Rule) {
	if cur == nil || old == nil {
		return
	}
	if cur.Items != nil {
		merge(cur.Items, old.Items)
	}
	if cur.Extra != nil && len(cur.Extra.Props) > 0 {
		merge(cur.Extra, old.Extra)
	}
	for k, v := range old.Props {
		if c, ok := cur.Props[k]; ok {
			merge(c, v)
			continue
		}
		if cur.Props == nil {
			if cur.Extra != nil { // a free-form map takes it anyway
				continue
			}
			cur.Props = map[string]*jsoncodec.Rule{}
		}
		cur.Props[k] = v
	}
}

// share replaces every subtree that occurs more than once (and is worth
// it) with a reference to one copy in g.Defs, named after its component.
// Plaid's Products enum is always shared: flowcore knows it by name.
// It goes top-down, so the largest shared subtrees are the ones named.
func share(g *jsoncodec.Grammar, names map[*jsoncodec.Rule]string) {
	key := func(r *jsoncodec.Rule) string {
		b, _ := json.Marshal(r)
		return string(b)
	}
	count := map[string]int{}
	var countAll func(r *jsoncodec.Rule)
	countAll = func(r *jsoncodec.Rule) {
		if r == nil {
			return
		}
		count[key(r)]++
		countAll(r.Items)
		countAll(r.Extra)
		for _, k := range sortedKeys(r.Props) {
			countAll(r.Props[k])
		}
	}
	for _, p := range sortedKeys(g.Endpoints) {
		countAll(g.Endpoints[p])
	}
	byKey := map[string]string{}
	var pending []*jsoncodec.Rule
	var replace func(r *jsoncodec.Rule, self bool)
	replace = func(r *jsoncodec.Rule, self bool) {
		if r == nil {
			return
		}
		if k := key(r); self && (count[k] > 1 && len(k) >= 48 || names[r] == jsoncodec.ProductsRule) {
			name, ok := byKey[k]
			if !ok {
				name = names[r]
				if name == "" {
					name = "Shared"
				}
				for i, base := 2, name; g.Defs[name] != nil; i++ {
					name = fmt.Sprintf("%s%d", base, i)
				}
				byKey[k] = name
				cp := *r
				g.Defs[name] = &cp
				pending = append(pending, &cp)
			}
			*r = jsoncodec.Rule{Ref: name}
			return
		}
		replace(r.Items, true)
		replace(r.Extra, true)
		for _, k := range sortedKeys(r.Props) {
			replace(r.Props[k], true)
		}
	}
	for _, p := range sortedKeys(g.Endpoints) {
		replace(g.Endpoints[p], false)
	}
	for len(pending) > 0 {
		d := pending[0]
		pending = pending[1:]
		replace(d, false)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
