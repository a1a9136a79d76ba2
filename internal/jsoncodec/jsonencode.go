package jsoncodec

import (
	"encoding/base64"
	"errors"
	"math"
	"reflect"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// Marshal returns the JSON encoding of v, byte for byte what encoding/json's
// Marshal writes for linksim's types (TestMarshalMatchesEncodingJSON and
// FuzzMarshalString hold it to that): struct tags with omitempty and
// omitzero, embedded structs, maps with sorted keys, HTML-safe strings,
// RFC 3339 times, and the types that write themselves (Error, RawJSON,
// WebhookError, LinkEvent). It exists so that linksim, and the
// WebAssembly build with it, needs no encoding/json. It returns an error
// for what encoding/json refuses too: NaN or infinite numbers, channels,
// functions, cycles; and for maps with keys that are not strings, which
// encoding/json writes (linksim has none).
func Marshal(v any) ([]byte, error) {
	return Append(nil, v)
}

// Append appends the JSON encoding of v to b.
func Append(b []byte, v any) ([]byte, error) {
	e := encoder{b: b}
	e.value(reflect.ValueOf(v))
	if e.err != nil {
		return nil, e.err
	}
	return e.b, nil
}

// Appender is implemented by the linksim types that write their own
// JSON, as json.Marshaler is for encoding/json; the output must be compact
// and HTML-safe.
type Appender interface {
	AppendJSON(b []byte) []byte
}

// jsonMarshaler is json.Marshaler, named here so that linksim needs no
// encoding/json: a type from outside linksim that writes its own JSON
// (json.RawMessage) is written by its method, compacted.
type jsonMarshaler interface {
	MarshalJSON() ([]byte, error)
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	appenderType  = reflect.TypeFor[Appender]()
	marshalerType = reflect.TypeFor[jsonMarshaler]()
	isZeroerType  = reflect.TypeFor[interface{ IsZero() bool }]()
)

// encoder is one Marshal's state; the first error stops it.
type encoder struct {
	b   []byte
	err error
	// depth counts the pointers, maps and slices the encoder is inside;
	// past startDetectingCyclesAfter, seen holds them, to refuse cycles as
	// encoding/json does.
	depth int
	seen  map[seenKey]bool
}

// startDetectingCyclesAfter is encoding/json's: values nested less deeply
// are not looked at for cycles.
const startDetectingCyclesAfter = 1000

// seenKey is a pointer, map or slice the encoder is inside.
type seenKey struct {
	typ reflect.Type
	ptr uintptr
	len int
}

// enter goes into v, a pointer, map or slice, failing if the encoder is
// in it already (a cycle); leave comes out of it.
func (e *encoder) enter(v reflect.Value) bool {
	if e.depth++; e.depth <= startDetectingCyclesAfter {
		return true
	}
	k := seenKey{v.Type(), v.Pointer(), 0}
	if v.Kind() == reflect.Slice {
		k.len = v.Len()
	}
	if e.seen[k] {
		e.fail("unsupported value: encountered a cycle via " + v.Type().String())
		return false
	}
	if e.seen == nil {
		e.seen = map[seenKey]bool{}
	}
	e.seen[k] = true
	return true
}

func (e *encoder) leave(v reflect.Value) {
	if e.depth > startDetectingCyclesAfter {
		k := seenKey{v.Type(), v.Pointer(), 0}
		if v.Kind() == reflect.Slice {
			k.len = v.Len()
		}
		delete(e.seen, k)
	}
	e.depth--
}

func (e *encoder) fail(msg string) {
	if e.err == nil {
		e.err = errors.New("flowcore: json: " + msg)
	}
}

func (e *encoder) value(v reflect.Value) {
	if e.err != nil {
		return
	}
	if !v.IsValid() {
		e.b = append(e.b, "null"...)
		return
	}
	t := v.Type()
	if t.Implements(appenderType) {
		if (t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface) && v.IsNil() {
			e.b = append(e.b, "null"...)
			return
		}
		e.b = v.Interface().(Appender).AppendJSON(e.b)
		return
	}
	if v.CanAddr() && reflect.PointerTo(t).Implements(appenderType) {
		e.b = v.Addr().Interface().(Appender).AppendJSON(e.b)
		return
	}
	if t != timeType && (t.Implements(marshalerType) || v.CanAddr() && reflect.PointerTo(t).Implements(marshalerType)) {
		e.marshaler(v)
		return
	}
	if t == timeType {
		tm := v.Interface().(time.Time)
		if y := tm.Year(); y < 0 || y >= 10000 {
			e.fail("Time.MarshalJSON: year outside of range [0,9999]")
			return
		}
		e.b = append(e.b, '"')
		e.b = tm.AppendFormat(e.b, time.RFC3339Nano)
		e.b = append(e.b, '"')
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		e.b = strconv.AppendBool(e.b, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.b = strconv.AppendInt(e.b, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.b = strconv.AppendUint(e.b, v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		e.float(v.Float(), t.Bits())
	case reflect.String:
		e.b = appendJSONString(e.b, v.String())
	case reflect.Interface:
		if v.IsNil() {
			e.b = append(e.b, "null"...)
			return
		}
		e.value(v.Elem())
	case reflect.Pointer:
		if v.IsNil() {
			e.b = append(e.b, "null"...)
			return
		}
		if e.enter(v) {
			e.value(v.Elem())
			e.leave(v)
		}
	case reflect.Struct:
		e.structValue(v)
	case reflect.Map:
		e.mapValue(v)
	case reflect.Slice:
		if v.IsNil() {
			e.b = append(e.b, "null"...)
			return
		}
		if t.Elem().Kind() == reflect.Uint8 && !reflect.PointerTo(t.Elem()).Implements(appenderType) {
			e.b = append(e.b, '"')
			e.b = base64.StdEncoding.AppendEncode(e.b, v.Bytes())
			e.b = append(e.b, '"')
			return
		}
		if e.enter(v) {
			e.array(v)
			e.leave(v)
		}
	case reflect.Array:
		e.array(v)
	default:
		e.fail("unsupported type: " + t.String())
	}
}

// marshaler writes a value by its MarshalJSON method.
func (e *encoder) marshaler(v reflect.Value) {
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		e.b = append(e.b, "null"...)
		return
	}
	m, ok := v.Interface().(jsonMarshaler)
	if !ok {
		m = v.Addr().Interface().(jsonMarshaler)
	}
	out, err := m.MarshalJSON()
	if err != nil {
		e.fail("error calling MarshalJSON for type " + v.Type().String() + ": " + err.Error())
		return
	}
	if e.b, ok = appendCompactJSON(e.b, out); !ok {
		e.fail("error calling MarshalJSON for type " + v.Type().String() + ": invalid JSON")
	}
}

// float writes f as encoding/json does: like JavaScript, in exponent form
// only for very large or very small magnitudes.
func (e *encoder) float(f float64, bits int) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		e.fail("unsupported value: " + strconv.FormatFloat(f, 'g', -1, bits))
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	e.b = strconv.AppendFloat(e.b, f, format, -1, bits)
	if format == 'e' {
		// clean up e-09 to e-9
		if n := len(e.b); n >= 4 && e.b[n-4] == 'e' && e.b[n-3] == '-' && e.b[n-2] == '0' {
			e.b[n-2] = e.b[n-1]
			e.b = e.b[:n-1]
		}
	}
}

func (e *encoder) structValue(v reflect.Value) {
	e.b = append(e.b, '{')
	first := true
	fields := structOf(v.Type()).fields
	for i := range fields {
		f := &fields[i]
		fv, ok := fieldByIndex(v, f.index, false)
		if !ok || f.omitEmpty && isEmptyValue(fv) || f.omitZero && isZeroValue(fv) {
			continue
		}
		if !first {
			e.b = append(e.b, ',')
		}
		first = false
		e.b = append(e.b, f.key...)
		e.value(fv)
	}
	e.b = append(e.b, '}')
}

// isEmptyValue is omitempty's test.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// isZeroValue is omitzero's test: the value's IsZero method if it has
// one, else the zero value of its type.
func isZeroValue(v reflect.Value) bool {
	t := v.Type()
	switch {
	case t.Implements(isZeroerType):
		if (t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface) && v.IsNil() {
			return true
		}
		return v.Interface().(interface{ IsZero() bool }).IsZero()
	case reflect.PointerTo(t).Implements(isZeroerType) && v.CanAddr():
		return v.Addr().Interface().(interface{ IsZero() bool }).IsZero()
	}
	return v.IsZero()
}

func (e *encoder) mapValue(v reflect.Value) {
	if v.IsNil() {
		e.b = append(e.b, "null"...)
		return
	}
	if v.Type().Key().Kind() != reflect.String {
		e.fail("unsupported type: " + v.Type().String())
		return
	}
	if !e.enter(v) {
		return
	}
	keys := make([]string, 0, v.Len())
	for iter := v.MapRange(); iter.Next(); {
		keys = append(keys, iter.Key().String())
	}
	slices.Sort(keys)
	kt := v.Type().Key()
	e.b = append(e.b, '{')
	for i, k := range keys {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.b = appendJSONString(e.b, k)
		e.b = append(e.b, ':')
		e.value(v.MapIndex(reflect.ValueOf(k).Convert(kt)))
	}
	e.b = append(e.b, '}')
	e.leave(v)
}

func (e *encoder) array(v reflect.Value) {
	e.b = append(e.b, '[')
	for i := range v.Len() {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.value(v.Index(i))
	}
	e.b = append(e.b, ']')
}

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it: HTML-safe (<, >, & as \u003c, \u003e, \u0026), U+2028 and
// U+2029 escaped, invalid UTF-8 as U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= ' ' && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendCompactJSON appends src, JSON text, without insignificant space
// and HTML-safe, as encoding/json writes a json.RawMessage; it reports
// false when src is not JSON.
func appendCompactJSON(b, src []byte) ([]byte, bool) {
	if _, err := parseJSON(src); err != nil {
		return b, false
	}
	const hex = "0123456789abcdef"
	inString := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case inString && c == '\\':
			b = append(b, c, src[i+1])
			i++
			continue
		case c == '"':
			inString = !inString
		case !inString && (c == ' ' || c == '\t' || c == '\n' || c == '\r'):
			continue
		case inString && (c == '<' || c == '>' || c == '&'):
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			continue
		case inString && c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && src[i+2]&^1 == 0xA8:
			b = append(b, '\\', 'u', '2', '0', '2', hex[src[i+2]&0xF])
			i += 2
			continue
		}
		b = append(b, c)
	}
	return b, true
}

// RawJSON is JSON text kept as it came, as json.RawMessage is: a request
// field flowcore reads later (account_filters) or passes on. It encodes as
// itself, compacted.
type RawJSON []byte

func (r RawJSON) AppendJSON(b []byte) []byte {
	if r == nil {
		return append(b, "null"...)
	}
	out, ok := appendCompactJSON(b, r)
	if !ok { // never: a RawJSON holds text linksim parsed
		return append(b, "null"...)
	}
	return out
}

// MarshalJSON returns r itself ("null" when r is nil), as json.RawMessage does.
func (r RawJSON) MarshalJSON() ([]byte, error) {
	if r == nil {
		return []byte("null"), nil
	}
	return r, nil
}

// UnmarshalJSON keeps a copy of data.
func (r *RawJSON) UnmarshalJSON(data []byte) error {
	*r = append((*r)[0:0], data...)
	return nil
}
