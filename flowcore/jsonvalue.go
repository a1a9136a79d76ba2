package flowcore

import (
	"bytes"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// This file parses JSON text, accepting exactly what encoding/json accepts
// (RFC 8259, invalid UTF-8 in strings read as U+FFFD, at most 10,000
// levels of nesting) and nothing else; FuzzParseJSON holds it to that.
// Request bodies are parsed once, then the grammar checks them and Decode
// copies them into Go values: flowcore needs no encoding/json, so the
// WebAssembly build carries none.
//
// A parsed text is a tape: one 12-byte token per value and per object
// key, in text order, allocated once at the size a first pass counts. So
// a parse takes at most about six bytes per byte of text whatever the
// text holds (a 1 MiB body of [0,0,…] included), and strings are unescaped
// only when read.

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

// jsonDoc is a parsed text.
type jsonDoc struct {
	data []byte
	toks []jsonTok
}

// jsonTok is one value or object key: its bytes are data[start:end], and
// next is the index of the token after it and everything it holds (an
// object's keys and values, an array's elements follow it).
type jsonTok struct {
	start, end, next uint32
}

// jsonValue is one value of a parsed text; the zero jsonValue is an
// absent one.
type jsonValue struct {
	doc *jsonDoc
	i   uint32
}

func (v jsonValue) tok() jsonTok { return v.doc.toks[v.i] }

// kind returns v's kind; an absent value is null.
func (v jsonValue) kind() jsonKind {
	if v.doc == nil {
		return jsonNull
	}
	switch v.doc.data[v.tok().start] {
	case '{':
		return jsonObject
	case '[':
		return jsonArray
	case '"':
		return jsonString
	case 't', 'f':
		return jsonBool
	case 'n':
		return jsonNull
	}
	return jsonNumber
}

// isNull reports whether v is absent or null.
func (v jsonValue) isNull() bool { return v.kind() == jsonNull }

// raw returns v's bytes in the text.
func (v jsonValue) raw() []byte {
	t := v.tok()
	return v.doc.data[t.start:t.end]
}

// truth is a boolean's value.
func (v jsonValue) truth() bool { return v.doc.data[v.tok().start] == 't' }

// text returns a string's value (escapes resolved, invalid UTF-8 and lone
// surrogates as U+FFFD) or a number's text.
func (v jsonValue) text() string {
	b := v.raw()
	if len(b) == 0 || b[0] != '"' {
		return string(b)
	}
	return unquote(b)
}

// members calls yield with each member of an object in text order; a key
// given twice is yielded twice (later values win where that matters, as in
// encoding/json).
func (v jsonValue) members(yield func(key string, val jsonValue) bool) {
	if v.kind() != jsonObject {
		return
	}
	toks := v.doc.toks
	for i := v.i + 1; i < toks[v.i].next; i = toks[i+1].next {
		key := jsonValue{v.doc, i}.text()
		if !yield(key, jsonValue{v.doc, i + 1}) {
			return
		}
	}
}

// items calls yield with each element of an array.
func (v jsonValue) items(yield func(i int, val jsonValue) bool) {
	if v.kind() != jsonArray {
		return
	}
	toks := v.doc.toks
	n := 0
	for i := v.i + 1; i < toks[v.i].next; i = toks[i].next {
		if !yield(n, jsonValue{v.doc, i}) {
			return
		}
		n++
	}
}

// len returns how many elements or members v holds.
func (v jsonValue) len() int {
	n := 0
	switch v.kind() {
	case jsonArray:
		for range v.items {
			n++
		}
	case jsonObject:
		for i := v.i + 1; i < v.tok().next; i = v.doc.toks[i+1].next {
			n++
		}
	}
	return n
}

// keyLess orders two keys of a document (token indices) by their text,
// comparing the bytes of plain keys without unquoting them.
func (d *jsonDoc) keyLess(a, b uint32) bool {
	ka, kb := d.toks[a], d.toks[b]
	ra, rb := d.data[ka.start+1:ka.end-1], d.data[kb.start+1:kb.end-1]
	if readsAsItself(ra) && readsAsItself(rb) {
		return bytes.Compare(ra, rb) < 0
	}
	return jsonValue{d, a}.text() < jsonValue{d, b}.text()
}

// readsAsItself reports whether a string literal's inside reads as itself.
func readsAsItself(b []byte) bool {
	return bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b)
}

// member returns the value of key in an object (its last, if given more
// than once), or an absent value.
func (v jsonValue) member(key string) jsonValue {
	var found jsonValue
	if v.kind() != jsonObject {
		return found
	}
	d := v.doc
	for i := v.i + 1; i < d.toks[v.i].next; i = d.toks[i+1].next {
		// compared without a copy: a body that gives a key many times
		// costs no memory here, however often a field is looked up
		if b, plain := d.keyBytes(i); plain && string(b) == key || !plain && (jsonValue{d, i}).text() == key {
			found = jsonValue{d, i + 1}
		}
	}
	return found
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

// unquote returns the value of a string literal str has checked: escapes
// resolved, invalid UTF-8 and lone surrogates as U+FFFD, as encoding/json
// reads it.
func unquote(lit []byte) string {
	b := lit[1 : len(lit)-1]
	if readsAsItself(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(b[i:])
			out = utf8.AppendRune(out, r) // RuneError for invalid bytes
			i += size
			continue
		}
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		e := b[i+1]
		i += 2
		switch e {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(b[i:])
			i += 4
			if utf16.IsSurrogate(r) {
				// A valid pair is one rune; anything else is U+FFFD and
				// the next escape is read on its own.
				r2 := rune(-1)
				if i+6 <= len(b) && b[i] == '\\' && b[i+1] == 'u' {
					r2 = hex4(b[i+2:])
				}
				if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
					out = utf8.AppendRune(out, pair)
					i += 6
					continue
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		default: // " \ /
			out = append(out, e)
		}
	}
	return string(out)
}

// hex4 reads the four hex digits str has checked.
func hex4(b []byte) rune {
	return hexValue(b[0])<<12 | hexValue(b[1])<<8 | hexValue(b[2])<<4 | hexValue(b[3])
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

// jsonPath is where a value is in a text, as the walk that reached it
// went: per level, a member (key, the key's token) or an element (index).
// It is written out ("auth.flags[2]") only for an error that names it, so
// walking a text allocates nothing for paths.
type jsonPath []pathStep

type pathStep struct {
	key   jsonValue // zero for an element
	index int
}

func (p jsonPath) String() string { return string(p.appendTo(nil)) }

// with returns p with one more step; pop the step by reslicing.
func (p jsonPath) with(step pathStep) jsonPath { return append(p, step) }

// keyBytes returns an object key's bytes (k is its token) and whether they
// read as the key itself (no escapes, valid UTF-8), so that the key can be
// compared or looked up without a copy.
func (d *jsonDoc) keyBytes(k uint32) ([]byte, bool) {
	t := d.toks[k]
	b := d.data[t.start+1 : t.end-1]
	return b, readsAsItself(b)
}
