package store

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"sync"
	"time"
)

// This file holds the compact binary form the MemoryStore keeps records
// in. A record kept as one []byte holds no pointers for the garbage
// collector to trace, so a full store costs a collection almost nothing,
// and its size is exactly what it occupies. The form follows the Go type
// (field order, no names): it is never stored outside the process, so it
// needs no versioning. Every exported field of every kind the records use
// is kept; a kind it cannot keep (an interface, a channel, an unexported
// field) panics when the type is first used, which the store's tests
// catch.

// encodeRecord appends v's binary form to b.
func encodeRecord[T any](b []byte, v *T) []byte {
	rv := reflect.ValueOf(v).Elem()
	return codecOf(rv.Type()).enc(b, rv)
}

// decodeRecord fills v from data made by encodeRecord. Strings of the
// result share data's bytes, so decoding allocates little.
func decodeRecord[T any](data string, v *T) error {
	d := decoders.Get().(*decoder)
	defer func() { *d = decoder{}; decoders.Put(d) }()
	*d = decoder{s: data}
	rv := reflect.ValueOf(v).Elem()
	codecOf(rv.Type()).dec(d, rv)
	if d.bad || d.i != len(d.s) {
		return fmt.Errorf("flowcore: corrupt %s record", rv.Type())
	}
	return nil
}

// decoders are reused: the codecs' function values make a decoder escape,
// and every read of the store makes one.
var decoders = sync.Pool{New: func() any { return new(decoder) }}

type codec struct {
	enc func(b []byte, v reflect.Value) []byte
	dec func(d *decoder, v reflect.Value)
}

// codecs caches a codec per type; like encoding/json's cache it only
// grows by the few record types there are.
var codecs sync.Map // reflect.Type → *codec

var timeType = reflect.TypeFor[time.Time]()

func codecOf(t reflect.Type) *codec {
	if c, ok := codecs.Load(t); ok {
		return c.(*codec)
	}
	c := buildCodec(t, map[reflect.Type]*codec{})
	codecs.Store(t, c)
	return c
}

// buildCodec makes t's codec; building holds the codecs being made, so a
// recursive type refers to its own.
func buildCodec(t reflect.Type, building map[reflect.Type]*codec) *codec {
	if c, ok := building[t]; ok {
		return c
	}
	c := &codec{}
	building[t] = c
	switch t.Kind() {
	case reflect.Bool:
		c.enc = func(b []byte, v reflect.Value) []byte {
			if v.Bool() {
				return append(b, 1)
			}
			return append(b, 0)
		}
		c.dec = func(d *decoder, v reflect.Value) { v.SetBool(d.readByte() == 1) }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.enc = func(b []byte, v reflect.Value) []byte { return binary.AppendVarint(b, v.Int()) }
		c.dec = func(d *decoder, v reflect.Value) { v.SetInt(d.varint()) }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		c.enc = func(b []byte, v reflect.Value) []byte { return binary.AppendUvarint(b, v.Uint()) }
		c.dec = func(d *decoder, v reflect.Value) { v.SetUint(d.uvarint()) }
	case reflect.Float32, reflect.Float64:
		c.enc = func(b []byte, v reflect.Value) []byte {
			return binary.LittleEndian.AppendUint64(b, math.Float64bits(v.Float()))
		}
		c.dec = func(d *decoder, v reflect.Value) { v.SetFloat(math.Float64frombits(d.fixed64())) }
	case reflect.String:
		c.enc = func(b []byte, v reflect.Value) []byte { return appendString(b, v.String()) }
		c.dec = func(d *decoder, v reflect.Value) { v.SetString(d.text()) }
	case reflect.Pointer:
		elem, slab := buildCodec(t.Elem(), building), reflect.ArrayOf(slabSize, t.Elem())
		c.enc = func(b []byte, v reflect.Value) []byte {
			if v.IsNil() {
				return append(b, 0)
			}
			return elem.enc(append(b, 1), v.Elem())
		}
		c.dec = func(d *decoder, v reflect.Value) {
			if d.readByte() == 0 {
				return
			}
			p := d.alloc(slab)
			elem.dec(d, p.Elem())
			v.Set(p)
		}
	case reflect.Slice:
		buildSlice(c, t, building)
	case reflect.Array:
		elem := buildCodec(t.Elem(), building)
		c.enc = func(b []byte, v reflect.Value) []byte {
			for i := 0; i < v.Len(); i++ {
				b = elem.enc(b, v.Index(i))
			}
			return b
		}
		c.dec = func(d *decoder, v reflect.Value) {
			for i := 0; i < v.Len(); i++ {
				elem.dec(d, v.Index(i))
			}
		}
	case reflect.Map:
		buildMap(c, t, building)
	case reflect.Struct:
		buildStruct(c, t, building)
	default:
		panic("flowcore: the store cannot keep a " + t.String())
	}
	return c
}

// A nil slice or map is 0; others are their length plus one, then the
// elements.
func buildSlice(c *codec, t reflect.Type, building map[reflect.Type]*codec) {
	if t.Elem().Kind() == reflect.Uint8 {
		c.enc = func(b []byte, v reflect.Value) []byte {
			if v.IsNil() {
				return append(b, 0)
			}
			return append(binary.AppendUvarint(b, uint64(v.Len())+1), v.Bytes()...)
		}
		c.dec = func(d *decoder, v reflect.Value) {
			if n, ok := d.length(true); ok {
				v.SetBytes([]byte(d.take(n)))
			}
		}
		return
	}
	elem := buildCodec(t.Elem(), building)
	c.enc = func(b []byte, v reflect.Value) []byte {
		if v.IsNil() {
			return append(b, 0)
		}
		b = binary.AppendUvarint(b, uint64(v.Len())+1)
		for i := 0; i < v.Len(); i++ {
			b = elem.enc(b, v.Index(i))
		}
		return b
	}
	c.dec = func(d *decoder, v reflect.Value) {
		n, ok := d.length(t.Elem().Size() > 0)
		if !ok {
			return
		}
		if n == 0 {
			v.Set(reflect.MakeSlice(t, 0, 0)) // empty, not nil
			return
		}
		v.Grow(n) // allocates the elements only, where MakeSlice would add a header
		v.SetLen(n)
		for i := 0; i < n && !d.bad; i++ {
			elem.dec(d, v.Index(i))
		}
	}
}

func buildMap(c *codec, t reflect.Type, building map[reflect.Type]*codec) {
	key, elem := buildCodec(t.Key(), building), buildCodec(t.Elem(), building)
	c.enc = func(b []byte, v reflect.Value) []byte {
		if v.IsNil() {
			return append(b, 0)
		}
		b = binary.AppendUvarint(b, uint64(v.Len())+1)
		for it := v.MapRange(); it.Next(); {
			b = elem.enc(key.enc(b, it.Key()), it.Value())
		}
		return b
	}
	c.dec = func(d *decoder, v reflect.Value) {
		n, ok := d.length(true)
		if !ok {
			return
		}
		m := reflect.MakeMapWithSize(t, n)
		for i := 0; i < n && !d.bad; i++ {
			k, e := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
			key.dec(d, k)
			elem.dec(d, e)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	}
}

func buildStruct(c *codec, t reflect.Type, building map[reflect.Type]*codec) {
	if t == timeType {
		c.enc = func(b []byte, v reflect.Value) []byte { return appendTime(b, v.Interface().(time.Time)) }
		c.dec = func(d *decoder, v reflect.Value) { *v.Addr().Interface().(*time.Time) = d.time() }
		return
	}
	fields := make([]*codec, t.NumField())
	for i := range fields {
		f := t.Field(i)
		if !f.IsExported() {
			panic("flowcore: the store cannot keep " + t.String() + "." + f.Name + ", an unexported field")
		}
		fields[i] = buildCodec(f.Type, building)
	}
	c.enc = func(b []byte, v reflect.Value) []byte {
		for i, fc := range fields {
			b = fc.enc(b, v.Field(i))
		}
		return b
	}
	c.dec = func(d *decoder, v reflect.Value) {
		for i, fc := range fields {
			fc.dec(d, v.Field(i))
		}
	}
}

// A time is its Unix seconds and nanoseconds, then its zone: 0 for UTC, 1
// for Local, else 2, the zone's name and its offset (the monotonic clock
// reading is dropped, as it is by every encoding of times).
func appendTime(b []byte, t time.Time) []byte {
	b = binary.AppendUvarint(binary.AppendVarint(b, t.Unix()), uint64(t.Nanosecond()))
	switch loc := t.Location(); loc {
	case time.UTC:
		return append(b, 0)
	case time.Local:
		return append(b, 1)
	}
	name, offset := t.Zone()
	return binary.AppendVarint(appendString(append(b, 2), name), int64(offset))
}

func (d *decoder) time() time.Time {
	t := time.Unix(d.varint(), int64(min(d.uvarint(), 999_999_999)))
	switch d.readByte() {
	case 0:
		return t.UTC()
	case 1:
		return t
	}
	name := d.text()
	return t.In(time.FixedZone(name, int(d.varint())))
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// decoder reads a record; a read past its end sets bad and yields zeros.
type decoder struct {
	s   string
	i   int
	bad bool
	// slabs hand out the values pointers point to a few at a time, so a
	// record's many small pointers (balances, optional strings) cost a
	// few allocations, not one each.
	slabs [4]slab
}

type slab struct {
	typ  reflect.Type // an array type of slabSize elements
	vals reflect.Value
	used int
}

const slabSize = 8

// alloc returns a pointer to a new zero value of arrayType's element.
func (d *decoder) alloc(arrayType reflect.Type) reflect.Value {
	for i := range d.slabs {
		s := &d.slabs[i]
		if s.typ != nil && s.typ != arrayType {
			continue
		}
		if s.typ == nil || s.used == slabSize {
			s.typ, s.vals, s.used = arrayType, reflect.New(arrayType).Elem(), 0
		}
		s.used++
		return s.vals.Index(s.used - 1).Addr()
	}
	return reflect.New(arrayType.Elem())
}

func (d *decoder) readByte() byte {
	if d.i >= len(d.s) {
		d.bad = true
		return 0
	}
	d.i++
	return d.s[d.i-1]
}

func (d *decoder) uvarint() uint64 {
	var x uint64
	for shift := uint(0); shift < 64; shift += 7 {
		b := d.readByte()
		x |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return x
		}
	}
	d.bad = true
	return 0
}

func (d *decoder) varint() int64 {
	u := d.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

func (d *decoder) fixed64() uint64 {
	s := d.take(8)
	if len(s) < 8 {
		return 0
	}
	return binary.LittleEndian.Uint64([]byte(s))
}

// take returns the next n bytes ("" when there are not that many).
func (d *decoder) take(n int) string {
	if n < 0 || n > len(d.s)-d.i {
		d.bad = true
		return ""
	}
	d.i += n
	return d.s[d.i-n : d.i]
}

func (d *decoder) text() string { return d.take(int(min(d.uvarint(), math.MaxInt32))) }

// length reads a slice or map length (0 for nil, else length plus one);
// when each element takes at least a byte, a length the rest of the
// record cannot hold is corrupt.
func (d *decoder) length(elemBytes bool) (int, bool) {
	n := d.uvarint()
	if n == 0 || d.bad {
		return 0, false
	}
	if n-1 > math.MaxInt32 || (elemBytes && n-1 > uint64(len(d.s)-d.i)) {
		d.bad = true
		return 0, false
	}
	return int(n - 1), true
}
