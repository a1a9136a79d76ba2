package flowcore

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// This file parses JSON text into a tree of jsonValue, accepting exactly
// what encoding/json accepts (RFC 8259, invalid UTF-8 in strings read as
// U+FFFD, at most 10,000 levels of nesting) and nothing else; FuzzParseJSON
// holds it to that. Request bodies are parsed once into the tree, which the
// grammar then checks and Decode copies into Go values: flowcore needs no
// encoding/json, so the WebAssembly build carries none (it would add about
// 140 KB gzip to linksim.wasm).

// jsonKind is the kind of a JSON value.
type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

// kindNames names each kind as Plaid's errors do ("must be of type array").
var kindNames = [...]string{jsonNull: "null", jsonBool: "boolean", jsonNumber: "number", jsonString: "string", jsonArray: "array", jsonObject: "object"}

func (k jsonKind) String() string { return kindNames[k] }

// jsonValue is one parsed JSON value.
type jsonValue struct {
	kind jsonKind
	// text is a string's value or a number's text.
	text string
	// truth is a boolean's value.
	truth bool
	// raw is the value's bytes in the parsed text.
	raw []byte
	// items are an array's elements.
	items []jsonValue
	// members are an object's members in the order their keys first
	// appear; a key given twice keeps its last value, as encoding/json
	// decodes it.
	members []jsonMember
}

// jsonMember is one member of an object.
type jsonMember struct {
	key   string
	value jsonValue
}

// isNull reports whether v is absent (nil) or null.
func (v *jsonValue) isNull() bool { return v == nil || v.kind == jsonNull }

// member returns the value of key in an object, or nil.
func (v *jsonValue) member(key string) *jsonValue {
	for i := range v.members {
		if v.members[i].key == key {
			return &v.members[i].value
		}
	}
	return nil
}

// maxJSONDepth is how deeply arrays and objects may nest: encoding/json's
// limit.
const maxJSONDepth = 10000

// jsonSyntaxError reports JSON text that cannot be parsed.
type jsonSyntaxError struct {
	msg    string
	offset int
}

func (e *jsonSyntaxError) Error() string {
	return e.msg + " at offset " + strconv.Itoa(e.offset)
}

// parseJSON parses data, which must hold exactly one JSON value (and space
// around it). It returns a *jsonSyntaxError when data is not JSON.
func parseJSON(data []byte) (*jsonValue, error) {
	p := jsonParser{data: data}
	v := &jsonValue{}
	p.value(v, 0)
	p.space()
	if p.err == nil && p.pos < len(data) {
		p.fail("invalid character " + quoteChar(data[p.pos]) + " after top-level value")
	}
	if p.err != nil {
		return nil, p.err
	}
	return v, nil
}

// jsonParser is parseJSON's state; the first error stops it.
type jsonParser struct {
	data []byte
	pos  int
	err  error
}

func (p *jsonParser) fail(msg string) {
	if p.err == nil {
		p.err = &jsonSyntaxError{msg: msg, offset: p.pos}
	}
}

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	if c >= utf8.RuneSelf {
		s = strconv.Quote(string([]byte{c}))
	}
	return "'" + s[1:len(s)-1] + "'"
}

func (p *jsonParser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// value parses the value at p.pos into v.
func (p *jsonParser) value(v *jsonValue, depth int) {
	p.space()
	if p.pos >= len(p.data) {
		p.fail("unexpected end of JSON input")
		return
	}
	start := p.pos
	switch c := p.data[p.pos]; {
	case c == '{':
		if depth >= maxJSONDepth {
			p.fail("exceeded max depth")
			return
		}
		v.kind = jsonObject
		p.object(v, depth+1)
	case c == '[':
		if depth >= maxJSONDepth {
			p.fail("exceeded max depth")
			return
		}
		v.kind = jsonArray
		p.array(v, depth+1)
	case c == '"':
		v.kind = jsonString
		v.text = p.str()
	case c == '-' || c >= '0' && c <= '9':
		v.kind = jsonNumber
		v.text = p.number()
	case c == 't':
		v.kind, v.truth = jsonBool, true
		p.literal("true")
	case c == 'f':
		v.kind = jsonBool
		p.literal("false")
	case c == 'n':
		v.kind = jsonNull
		p.literal("null")
	default:
		p.fail("invalid character " + quoteChar(c) + " looking for beginning of value")
		return
	}
	if p.err == nil {
		v.raw = p.data[start:p.pos]
	}
}

func (p *jsonParser) literal(word string) {
	for i := 0; i < len(word); i++ {
		if p.pos >= len(p.data) {
			p.fail("unexpected end of JSON input")
			return
		}
		if p.data[p.pos] != word[i] {
			p.fail("invalid character " + quoteChar(p.data[p.pos]) + " in literal " + word)
			return
		}
		p.pos++
	}
}

// next returns the next byte after space, or fails at the end.
func (p *jsonParser) next() (byte, bool) {
	p.space()
	if p.pos >= len(p.data) {
		p.fail("unexpected end of JSON input")
		return 0, false
	}
	return p.data[p.pos], true
}

func (p *jsonParser) object(v *jsonValue, depth int) {
	p.pos++                  // {
	var index map[string]int // keys of a large object
	if c, ok := p.next(); !ok {
		return
	} else if c == '}' {
		p.pos++
		v.members = []jsonMember{}
		return
	}
	for p.err == nil {
		c, ok := p.next()
		if !ok {
			return
		}
		if c != '"' {
			p.fail("invalid character " + quoteChar(c) + " looking for beginning of object key string")
			return
		}
		key := p.str()
		if c, ok = p.next(); !ok {
			return
		}
		if c != ':' {
			p.fail("invalid character " + quoteChar(c) + " after object key")
			return
		}
		p.pos++
		var val jsonValue
		p.value(&val, depth)
		if p.err != nil {
			return
		}
		add(v, key, val, &index)
		if c, ok = p.next(); !ok {
			return
		}
		switch c {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return
		default:
			p.fail("invalid character " + quoteChar(c) + " after object key:value pair")
			return
		}
	}
}

// add sets key in object v: a repeated key replaces the earlier value.
// Small objects are searched in place; large ones through *index, so a
// hostile body with many keys costs linear time.
func add(v *jsonValue, key string, val jsonValue, index *map[string]int) {
	const small = 16
	if len(v.members) < small {
		if old := v.member(key); old != nil {
			*old = val
			return
		}
		v.members = append(v.members, jsonMember{key, val})
		return
	}
	if *index == nil {
		*index = make(map[string]int, 2*small)
		for i, m := range v.members {
			(*index)[m.key] = i
		}
	}
	if i, ok := (*index)[key]; ok {
		v.members[i].value = val
		return
	}
	(*index)[key] = len(v.members)
	v.members = append(v.members, jsonMember{key, val})
}

func (p *jsonParser) array(v *jsonValue, depth int) {
	p.pos++ // [
	v.items = []jsonValue{}
	if c, ok := p.next(); !ok {
		return
	} else if c == ']' {
		p.pos++
		return
	}
	for p.err == nil {
		v.items = append(v.items, jsonValue{})
		p.value(&v.items[len(v.items)-1], depth)
		c, ok := p.next()
		if !ok {
			return
		}
		switch c {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return
		default:
			p.fail("invalid character " + quoteChar(c) + " after array element")
			return
		}
	}
}

// str parses a string from its opening quote and returns its value, with
// escapes resolved and invalid UTF-8 or lone surrogates read as U+FFFD.
func (p *jsonParser) str() string {
	p.pos++ // "
	start := p.pos
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			s := string(p.data[start:p.pos])
			p.pos++
			return s
		case c == '\\' || c >= utf8.RuneSelf:
			return p.slowStr(start)
		case c < ' ':
			p.fail("invalid character " + quoteChar(c) + " in string literal")
			return ""
		}
		p.pos++
	}
	p.fail("unexpected end of JSON input")
	return ""
}

// slowStr finishes a string that has an escape or a non-ASCII byte.
func (p *jsonParser) slowStr(start int) string {
	buf := append([]byte(nil), p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf)
		case c < ' ':
			p.fail("invalid character " + quoteChar(c) + " in string literal")
			return ""
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(p.data[p.pos:])
			buf = utf8.AppendRune(buf, r) // RuneError for invalid bytes
			p.pos += size
		case c != '\\':
			buf = append(buf, c)
			p.pos++
		default:
			buf = p.escape(buf)
			if p.err != nil {
				return ""
			}
		}
	}
	p.fail("unexpected end of JSON input")
	return ""
}

// escape appends the escape at p.pos (a backslash) to buf.
func (p *jsonParser) escape(buf []byte) []byte {
	if p.pos+1 >= len(p.data) {
		p.pos = len(p.data)
		p.fail("unexpected end of JSON input")
		return buf
	}
	e := p.data[p.pos+1]
	p.pos += 2
	switch e {
	case '"', '\\', '/':
		return append(buf, e)
	case 'b':
		return append(buf, '\b')
	case 'f':
		return append(buf, '\f')
	case 'n':
		return append(buf, '\n')
	case 'r':
		return append(buf, '\r')
	case 't':
		return append(buf, '\t')
	case 'u':
		r := p.hex4()
		if p.err != nil {
			return buf
		}
		if utf16.IsSurrogate(r) {
			// A valid pair is one rune; anything else is U+FFFD and the
			// next escape is read on its own.
			if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
				save := p.pos
				p.pos += 2
				r2 := p.hex4()
				if p.err != nil {
					return buf
				}
				if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
					return utf8.AppendRune(buf, pair)
				}
				p.pos = save
			}
			r = utf8.RuneError
		}
		return utf8.AppendRune(buf, r)
	}
	p.pos--
	p.fail("invalid character " + quoteChar(e) + " in string escape code")
	return buf
}

func (p *jsonParser) hex4() rune {
	var r rune
	for i := 0; i < 4; i++ {
		if p.pos >= len(p.data) {
			p.fail("unexpected end of JSON input")
			return 0
		}
		c := p.data[p.pos]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			p.fail("invalid character " + quoteChar(c) + " in \\u hexadecimal character escape")
			return 0
		}
		r = r<<4 | rune(c)
		p.pos++
	}
	return r
}

// number parses a number and returns its text:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jsonParser) number() string {
	start := p.pos
	if p.data[p.pos] == '-' {
		p.pos++
	}
	switch {
	case p.pos < len(p.data) && p.data[p.pos] == '0':
		p.pos++
	case p.pos < len(p.data) && p.data[p.pos] >= '1' && p.data[p.pos] <= '9':
		p.digits()
	default:
		p.badNumber("in numeric literal")
		return ""
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if p.digits() == 0 {
			p.badNumber("after decimal point in numeric literal")
			return ""
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if p.digits() == 0 {
			p.badNumber("in exponent of numeric literal")
			return ""
		}
	}
	return string(p.data[start:p.pos])
}

func (p *jsonParser) digits() int {
	n := 0
	for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
		p.pos++
		n++
	}
	return n
}

func (p *jsonParser) badNumber(where string) {
	if p.pos >= len(p.data) {
		p.fail("unexpected end of JSON input")
		return
	}
	p.fail("invalid character " + quoteChar(p.data[p.pos]) + " " + where)
}
