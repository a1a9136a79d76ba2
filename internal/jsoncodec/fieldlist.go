package jsoncodec

import (
	"bytes"
	"slices"
	"strconv"
)

// maxFieldListBytes bounds the names an UNKNOWN_FIELDS or MISSING_FIELDS
// error lists: thousands of them are as useful as all, and a body of
// [{},{},…] missing two long-pathed fields per three bytes would otherwise
// cost hundreds of bytes a byte in names and message.
const maxFieldListBytes = 16 << 10

// fieldList collects the fields an UNKNOWN_FIELDS or MISSING_FIELDS error
// names ("auth.foo", "items[0].name"), in one buffer: a body of many bad
// fields costs about the size of their names, up to maxFieldListBytes;
// the fields after that are only said to exist ("and more").
type fieldList struct {
	names   []byte // the names, back to back
	ends    []int  // where each name ends in names
	dropped bool   // a field was not kept
}

// add adds the member key of the value at path.
func (l *fieldList) add(path jsonPath, key []byte) {
	start := len(l.names)
	l.names = path.appendTo(l.names)
	if len(l.names) > start {
		l.names = append(l.names, '.')
	}
	l.names = append(l.names, key...)
	// each name counts its ", " in the message too: a body of {"":0,…}
	// adds many empty ones
	if len(l.names)+2*len(l.ends) > maxFieldListBytes && len(l.ends) > 0 {
		l.names, l.dropped = l.names[:start], true
		return
	}
	l.ends = append(l.ends, len(l.names))
}

// empty reports whether no field was added.
func (l *fieldList) empty() bool { return len(l.ends) == 0 }

// String returns the names sorted, each once, joined by ", ", and "and
// more" if some were not kept.
func (l *fieldList) String() string {
	names := make([][]byte, len(l.ends))
	start := 0
	for i, end := range l.ends {
		names[i], start = l.names[start:end], end
	}
	slices.SortFunc(names, bytes.Compare)
	names = slices.CompactFunc(names, bytes.Equal) // a key given twice
	s := string(bytes.Join(names, []byte(", ")))
	if l.dropped {
		s += " and more"
	}
	return s
}

// appendTo appends p, written out ("auth.flags[2]"), to b.
func (p jsonPath) appendTo(b []byte) []byte {
	start := len(b)
	for _, step := range p {
		if step.key.doc == nil {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(step.index), 10)
			b = append(b, ']')
			continue
		}
		if len(b) > start {
			b = append(b, '.')
		}
		if key, plain := step.key.doc.keyBytes(step.key.i); plain {
			b = append(b, key...)
		} else {
			b = append(b, step.key.text()...)
		}
	}
	return b
}

// refusal is what a walk over a body found wrong with it.
type refusal struct {
	unknown, missing fieldList
	invalid          *Error // the first invalid value
}

// err reports it in Plaid's order: every unknown field, else every missing
// one, else the first invalid value; nil when nothing was wrong.
func (r *refusal) err() *Error {
	switch {
	case !r.unknown.empty():
		return invalidRequest("UNKNOWN_FIELDS", "the following fields are not recognized by this endpoint: "+r.unknown.String())
	case !r.missing.empty():
		return invalidRequest("MISSING_FIELDS", "the following required fields are missing: "+r.missing.String())
	}
	return r.invalid
}
