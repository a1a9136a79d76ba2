package store

import (
	"reflect"
	"testing"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fill sets every field reachable from v to a value that is not its zero
// value (two elements per slice), so a field the codec dropped shows.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(-*n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n) + 0.25)
	case reflect.String:
		v.SetString("s" + string(rune('a'+*n%26)) + "é")
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), n)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fill(s.Index(0), n)
		fill(s.Index(1), n)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, n)
		fill(e, n)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(time.Date(2026, 11, 25, 9, 30, *n, 123, time.UTC)))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			fill(v.Field(i), n)
		}
	}
}

func roundTrip[T any](t *testing.T) {
	var in, out T
	n := 0
	fill(reflect.ValueOf(&in).Elem(), &n)
	data := encodeRecord(nil, &in)
	require.NoError(t, decodeRecord(string(data), &out))
	assert.Equal(t, in, out, "every field of %T survives the store", in)

	var zero, back T
	require.NoError(t, decodeRecord(string(encodeRecord(nil, &zero)), &back))
	assert.Equal(t, zero, back, "nil slices and pointers stay nil")
	for cut := 0; cut < len(data); cut += max(1, len(data)/50) {
		var partial T
		assert.Error(t, decodeRecord(string(data[:cut]), &partial), "a record cut at %d of %d is corrupt, not a panic", cut, len(data))
	}
}

// TestCodecKeepsEveryField covers every record type the MemoryStore keeps:
// a field added to one of them is kept, or this test fails.
func TestCodecKeepsEveryField(t *testing.T) {
	t.Run("Item", roundTrip[flowcore.Item])
	t.Run("LinkToken", roundTrip[flowcore.LinkToken])
	t.Run("PublicToken", roundTrip[flowcore.PublicToken])
	t.Run("LinkSessionRecord", roundTrip[flowcore.LinkSessionRecord])
}

func TestCodecKeepsTimesAndEmptySlices(t *testing.T) {
	local := time.Date(2026, 1, 2, 3, 4, 5, 6, time.Local)
	in := flowcore.Item{CreatedAt: local, Products: []string{}, Accounts: []flowcore.Account{}}
	var out flowcore.Item
	require.NoError(t, decodeRecord(string(encodeRecord(nil, &in)), &out))
	assert.True(t, local.Equal(out.CreatedAt))
	assert.Equal(t, local.Location(), out.CreatedAt.Location())
	assert.NotNil(t, out.Products)
	assert.Empty(t, out.Products)
	assert.NotNil(t, out.Accounts)
}

func TestCodecRefusesWhatItCannotKeep(t *testing.T) {
	type withInterface struct{ V any }
	assert.Panics(t, func() { encodeRecord(nil, &withInterface{}) })
	type withUnexported struct{ v int }
	assert.Panics(t, func() { encodeRecord(nil, &withUnexported{}) })
}
