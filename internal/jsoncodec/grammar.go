package jsoncodec

import (
	_ "embed"
	"sync"
)

//go:generate go run ../specgen -out grammar.json

// grammarJSON is the request grammar internal/specgen generates (go
// generate, with PLAID_OPENAPI naming the description) from Plaid's
// OpenAPI description (the current one, united with the older one inside
// plaid-go v20, so that fields old clients send stay accepted).
//
//go:embed grammar.json
var grammarJSON []byte

// Grammar is the request grammar of the endpoints linksim answers: per
// endpoint path, the rule its JSON body must follow. Rules that several
// places share are stored once, in Defs, and referred to by name.
type Grammar struct {
	Source    string           `json:"source"`
	Defs      map[string]*Rule `json:"defs"`
	Endpoints map[string]*Rule `json:"endpoints"`
}

// Rule is what one JSON value of a request body must be, taken from an
// OpenAPI schema. The short JSON names keep the embedded grammar small.
type Rule struct {
	Ref      string   `json:"$,omitempty"` // the rule is Defs[Ref]; nothing else is set
	Type     string   `json:"t,omitempty"` // string, integer, number, boolean, array, object; "" is any value
	Nullable bool     `json:"n,omitempty"` // null is a value (it is always accepted for optional fields)
	Enum     []string `json:"e,omitempty"` // the only values allowed (a number or boolean as its JSON text)
	Format   string   `json:"f,omitempty"` // date or date-time, checked

	MinLength int  `json:"ml,omitempty"` // in characters
	MaxLength *int `json:"xl,omitempty"`
	MinItems  int  `json:"mi,omitempty"`
	MaxItems  *int `json:"xi,omitempty"`

	Minimum *float64 `json:"lo,omitempty"`
	Maximum *float64 `json:"hi,omitempty"`

	Items *Rule `json:"i,omitempty"` // each element of an array

	Props    map[string]*Rule `json:"p,omitempty"` // an object's declared fields
	Required []string         `json:"r,omitempty"` // the fields an object must have (not null)
	// Extra is the rule of an object's undeclared fields; nil refuses them
	// as unknown, an empty Rule takes anything (a free-form map).
	Extra *Rule `json:"x,omitempty"`
}

var (
	grammarOnce sync.Once
	grammar     *Grammar
)

// RequestGrammar returns the embedded grammar, parsed on first use.
func RequestGrammar() *Grammar {
	grammarOnce.Do(func() {
		g, err := parseGrammar(grammarJSON)
		if err != nil {
			panic("jsoncodec: grammar.json: " + err.Error()) // a build-time artefact; tests parse it
		}
		grammar = g
	})
	return grammar
}

// resolve follows a reference to the shared rule it names.
func (g *Grammar) resolve(r *Rule) *Rule {
	for r != nil && r.Ref != "" {
		r = g.Defs[r.Ref]
	}
	return r
}

// parseGrammar reads grammar.json into a Grammar.
func parseGrammar(data []byte) (*Grammar, error) {
	g := new(Grammar)
	if err := Unmarshal(data, g); err != nil {
		return nil, err
	}
	return g, nil
}

// HasField reports whether the body of endpoint declares the top-level
// field name (false for an endpoint the grammar does not have).
func (g *Grammar) HasField(endpoint, name string) bool {
	r := g.resolve(g.Endpoints[endpoint])
	if r == nil {
		return false
	}
	_, ok := r.Props[name]
	return ok
}
