package flowcore

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// scanner reads the JSON files flowcore embeds (the request grammar, the
// institution catalogue) straight into their Go values, without
// encoding/json's reflection: in the browser that parse is the first
// call's cost, and a direct reader is many times faster there. The first
// error stops the reading; the caller checks err once at the end.
type scanner struct {
	data []byte
	pos  int
	err  error
}

func (s *scanner) fail(msg string) {
	if s.err == nil {
		s.err = errors.New("offset " + strconv.Itoa(s.pos) + ": " + msg)
	}
}

func (s *scanner) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (s *scanner) peek() byte {
	s.space()
	if s.err != nil || s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

func (s *scanner) expect(c byte) {
	if s.peek() != c {
		s.fail("expected " + strconv.QuoteRune(rune(c)))
		return
	}
	s.pos++
}

// null consumes a null and reports whether there was one.
func (s *scanner) null() bool {
	if s.peek() == 'n' && s.literal("null") {
		return true
	}
	return false
}

func (s *scanner) literal(word string) bool {
	if len(s.data)-s.pos >= len(word) && string(s.data[s.pos:s.pos+len(word)]) == word {
		s.pos += len(word)
		return true
	}
	return false
}

// object calls field for each member of an object, with the scanner
// positioned at the member's value; field must consume the value. A null
// is an object without members.
func (s *scanner) object(field func(key string)) {
	if s.null() {
		return
	}
	s.expect('{')
	if s.peek() == '}' {
		s.pos++
		return
	}
	for s.err == nil {
		key := s.str()
		s.expect(':')
		if s.err != nil {
			return
		}
		field(key)
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return
		default:
			s.fail("expected ',' or '}'")
		}
	}
}

// array calls elem for each element of an array; elem must consume it. A
// null is an empty array.
func (s *scanner) array(elem func()) {
	if s.null() {
		return
	}
	s.expect('[')
	if s.peek() == ']' {
		s.pos++
		return
	}
	for s.err == nil {
		elem()
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return
		default:
			s.fail("expected ',' or ']'")
		}
	}
}

// strings reads an array of strings: null is nil, [] is empty and not
// nil, as encoding/json has it.
func (s *scanner) strings() []string {
	if s.null() {
		return nil
	}
	out := []string{}
	s.array(func() { out = append(out, s.str()) })
	return out
}

// str reads a string; null reads as "".
func (s *scanner) str() string {
	if s.null() {
		return ""
	}
	s.expect('"')
	if s.err != nil {
		return ""
	}
	start := s.pos
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; {
		case c == '"':
			out := string(s.data[start:s.pos])
			s.pos++
			return out
		case c == '\\':
			return s.escaped(start)
		case c < ' ':
			s.fail("control character in string")
			return ""
		}
		s.pos++
	}
	s.fail("unterminated string")
	return ""
}

// escaped finishes a string that has escapes, from its first backslash.
func (s *scanner) escaped(start int) string {
	buf := append([]byte(nil), s.data[start:s.pos]...)
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			return string(buf)
		case c < ' ':
			s.fail("control character in string")
			return ""
		case c != '\\':
			buf = append(buf, c)
			s.pos++
			continue
		}
		if s.pos+1 >= len(s.data) {
			break
		}
		e := s.data[s.pos+1]
		s.pos += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r := s.hex4()
			if utf16.IsSurrogate(r) && s.literal(`\u`) {
				r = utf16.DecodeRune(r, s.hex4())
			}
			buf = utf8.AppendRune(buf, r)
		default:
			s.fail("invalid escape")
			return ""
		}
	}
	s.fail("unterminated string")
	return ""
}

func (s *scanner) hex4() rune {
	if len(s.data)-s.pos < 4 {
		s.fail("short \\u escape")
		return utf8.RuneError
	}
	n, err := strconv.ParseUint(string(s.data[s.pos:s.pos+4]), 16, 32)
	if err != nil {
		s.fail("invalid \\u escape")
		return utf8.RuneError
	}
	s.pos += 4
	return rune(n)
}

// number reads a JSON number's text.
func (s *scanner) number() string {
	s.space()
	start := s.pos
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		if (c < '0' || c > '9') && c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E' {
			break
		}
		s.pos++
	}
	if start == s.pos {
		s.fail("expected a number")
	}
	return string(s.data[start:s.pos])
}

func (s *scanner) float() float64 {
	f, err := strconv.ParseFloat(s.number(), 64)
	if err != nil {
		s.fail("invalid number")
	}
	return f
}

func (s *scanner) int() int {
	n, err := strconv.Atoi(s.number())
	if err != nil {
		s.fail("invalid integer")
	}
	return n
}

func (s *scanner) boolean() bool {
	s.space()
	switch {
	case s.literal("true"):
		return true
	case s.literal("false"), s.literal("null"):
		return false
	}
	s.fail("expected a boolean")
	return false
}

// skip consumes any value.
func (s *scanner) skip() {
	switch c := s.peek(); {
	case c == '{':
		s.object(func(string) { s.skip() })
	case c == '[':
		s.array(s.skip)
	case c == '"':
		s.str()
	case c == 't' || c == 'f':
		s.boolean()
	case c == 'n':
		s.null()
	default:
		s.number()
	}
}

// end checks that nothing but space follows the value.
func (s *scanner) end() error {
	if s.peek() != 0 {
		s.fail("unexpected data after the value")
	}
	return s.err
}
