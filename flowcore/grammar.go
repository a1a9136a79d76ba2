package flowcore

import (
	_ "embed"
	"sync"
)

//go:generate go run ../internal/specgen -out grammar.json

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
			panic("flowcore: grammar.json: " + err.Error()) // a build-time artefact; tests parse it
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

// parseGrammar reads grammar.json as encoding/json would into a Grammar,
// with the reflection-free scanner: this parse is the first Link token's
// cost in the browser.
func parseGrammar(data []byte) (*Grammar, error) {
	s := &scanner{data: data}
	g := new(Grammar)
	s.object(func(key string) {
		switch key {
		case "source":
			g.Source = s.str()
		case "defs":
			g.Defs = s.rules()
		case "endpoints":
			g.Endpoints = s.rules()
		default:
			s.skip()
		}
	})
	return g, s.end()
}

// rules reads an object of rules by name.
func (s *scanner) rules() map[string]*Rule {
	if s.null() {
		return nil
	}
	out := map[string]*Rule{}
	s.object(func(name string) { out[name] = s.rule() })
	return out
}

// rule reads one Rule, by the JSON names of its fields.
func (s *scanner) rule() *Rule {
	if s.null() {
		return nil
	}
	r := new(Rule)
	s.object(func(key string) {
		switch key {
		case "$":
			r.Ref = s.str()
		case "t":
			r.Type = s.str()
		case "n":
			r.Nullable = s.boolean()
		case "e":
			r.Enum = s.strings()
		case "f":
			r.Format = s.str()
		case "ml":
			r.MinLength = s.int()
		case "xl":
			r.MaxLength = s.intPtr()
		case "mi":
			r.MinItems = s.int()
		case "xi":
			r.MaxItems = s.intPtr()
		case "lo":
			r.Minimum = s.floatPtr()
		case "hi":
			r.Maximum = s.floatPtr()
		case "i":
			r.Items = s.rule()
		case "p":
			r.Props = s.rules()
		case "r":
			r.Required = s.strings()
		case "x":
			r.Extra = s.rule()
		default:
			s.skip()
		}
	})
	return r
}

func (s *scanner) intPtr() *int {
	if s.null() {
		return nil
	}
	n := s.int()
	return &n
}

func (s *scanner) floatPtr() *float64 {
	if s.null() {
		return nil
	}
	f := s.float()
	return &f
}
