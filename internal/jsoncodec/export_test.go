package jsoncodec

// What the tests of package jsoncodec_test (which hold the codec to
// encoding/json on linksim's own request and answer types) need of the
// codec's insides.

// MaxFieldListBytes bounds an UNKNOWN_FIELDS or MISSING_FIELDS list.
const MaxFieldListBytes = maxFieldListBytes

// ParseJSON parses text as the codec does, reporting only its error.
func ParseJSON(text []byte) error {
	_, err := parseJSON(text)
	return err
}

// DecodeFlat is DecodeRequest's fast path alone: it reports whether it
// took the body (and then filled dst).
func DecodeFlat(endpoint string, body []byte, dst any) bool {
	g := RequestGrammar()
	var more func(has func(string) bool) []string
	if c, ok := dst.(ConditionalFields); ok {
		more = c.MissingFields
	}
	return g.decodeFlat(g.Endpoints[endpoint], body, dst, more)
}
