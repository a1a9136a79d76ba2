package jsoncodec

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds parsed JSON text (jsonparse.go parses it): a tape of
// one 12-byte token per value and per object key, in text order, which the
// grammar checks and Decode copies into Go values; strings are unescaped
// only when read. linksim needs no encoding/json, so the WebAssembly build
// carries none.

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

// NonNullMembers returns the members of the JSON object obj that are not
// null, each as its JSON text; nil when obj is not a JSON object.
func NonNullMembers(obj []byte) map[string]RawJSON {
	v, err := parseJSON(obj)
	if err != nil || v.kind() != jsonObject {
		return nil
	}
	fields := map[string]RawJSON{}
	for key, val := range v.members {
		if !val.isNull() {
			fields[key] = val.raw()
		}
	}
	return fields
}
