package jsoncodec

import (
	"strconv"
	"unicode/utf8"
)

// This file parses JSON text, accepting exactly what encoding/json accepts
// (RFC 8259, invalid UTF-8 in strings read as U+FFFD, at most 10,000
// levels of nesting) and nothing else; FuzzParseJSON holds it to that.
// The tape it makes (jsonvalue.go) is allocated once at the size a first
// pass counts, so a parse takes at most about six bytes per byte of text
// whatever the text holds (a 1 MiB body of [0,0,…] included).

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
func parseJSON(data []byte) (jsonValue, error) {
	if len(data) >= 1<<31 {
		return jsonValue{}, &jsonSyntaxError{msg: "text too large", offset: 0}
	}
	p := jsonParser{data: data, toks: make([]jsonTok, 0, countTokens(data))}
	p.value(0)
	p.space()
	if p.err == nil && p.pos < len(data) {
		p.fail("invalid character " + quoteChar(data[p.pos]) + " after top-level value")
	}
	if p.err != nil {
		return jsonValue{}, p.err
	}
	return jsonValue{doc: &jsonDoc{data: data, toks: p.toks}}, nil
}

// countTokens returns the number of tokens data parses into (at most, if
// it is not JSON): one, and one for each comma and colon outside strings
// and for each opening bracket not closed at once (it is followed by an
// element or a key; "[}" is a token of its own before it fails).
func countTokens(data []byte) int {
	n, inString := 1, false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == ',' || c == ':':
			n++
		case c == '[' || c == '{':
			j := i + 1
			for j < len(data) && (data[j] == ' ' || data[j] == '\t' || data[j] == '\n' || data[j] == '\r') {
				j++
			}
			if j < len(data) && !(c == '[' && data[j] == ']' || c == '{' && data[j] == '}') {
				n++
			}
		}
	}
	return n
}

// jsonParser is parseJSON's state; the first error stops it.
type jsonParser struct {
	data []byte
	pos  int
	err  error
	toks []jsonTok
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

// value parses the value at p.pos into a token and the tokens it holds.
func (p *jsonParser) value(depth int) {
	p.space()
	if p.pos >= len(p.data) {
		p.fail("unexpected end of JSON input")
		return
	}
	i := len(p.toks)
	p.toks = append(p.toks, jsonTok{start: uint32(p.pos)})
	switch c := p.data[p.pos]; {
	case c == '{' || c == '[':
		if depth >= maxJSONDepth {
			p.fail("exceeded max depth")
			return
		}
		if c == '{' {
			p.object(depth + 1)
		} else {
			p.array(depth + 1)
		}
	case c == '"':
		p.str()
	case c == '-' || c >= '0' && c <= '9':
		p.number()
	case c == 't':
		p.literal("true")
	case c == 'f':
		p.literal("false")
	case c == 'n':
		p.literal("null")
	default:
		p.fail("invalid character " + quoteChar(c) + " looking for beginning of value")
		return
	}
	p.toks[i].end, p.toks[i].next = uint32(p.pos), uint32(len(p.toks))
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

func (p *jsonParser) object(depth int) {
	p.pos++ // {
	if c, ok := p.next(); !ok {
		return
	} else if c == '}' {
		p.pos++
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
		k := len(p.toks)
		p.toks = append(p.toks, jsonTok{start: uint32(p.pos)})
		p.str()
		p.toks[k].end, p.toks[k].next = uint32(p.pos), uint32(k+1)
		if c, ok = p.next(); !ok {
			return
		}
		if c != ':' {
			p.fail("invalid character " + quoteChar(c) + " after object key")
			return
		}
		p.pos++
		p.value(depth)
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

func (p *jsonParser) array(depth int) {
	p.pos++ // [
	if c, ok := p.next(); !ok {
		return
	} else if c == ']' {
		p.pos++
		return
	}
	for p.err == nil {
		p.value(depth)
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

// str checks a string from its opening quote to its closing one: no
// control characters, only JSON's escapes. Its value is read by unquote.
func (p *jsonParser) str() {
	p.pos++ // "
	for p.pos < len(p.data) {
		switch c := p.data[p.pos]; {
		case c == '"':
			p.pos++
			return
		case c < ' ':
			p.fail("invalid character " + quoteChar(c) + " in string literal")
			return
		case c == '\\':
			p.escape()
			if p.err != nil {
				return
			}
		default:
			p.pos++
		}
	}
	p.fail("unexpected end of JSON input")
}

// escape checks the escape at p.pos (a backslash).
func (p *jsonParser) escape() {
	if p.pos+1 >= len(p.data) {
		p.pos = len(p.data)
		p.fail("unexpected end of JSON input")
		return
	}
	p.pos++
	switch e := p.data[p.pos]; e {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		p.pos++
	case 'u':
		p.pos++
		for range 4 {
			if p.pos >= len(p.data) {
				p.fail("unexpected end of JSON input")
				return
			}
			if c := p.data[p.pos]; hexValue(c) < 0 {
				p.fail("invalid character " + quoteChar(c) + " in \\u hexadecimal character escape")
				return
			}
			p.pos++
		}
	default:
		p.fail("invalid character " + quoteChar(e) + " in string escape code")
	}
}

func hexValue(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

// number parses a number:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jsonParser) number() {
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
		return
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if p.digits() == 0 {
			p.badNumber("after decimal point in numeric literal")
			return
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if p.digits() == 0 {
			p.badNumber("in exponent of numeric literal")
			return
		}
	}
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
