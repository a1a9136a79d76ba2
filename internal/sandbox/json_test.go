package sandbox

import (
	"encoding/json"
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/jsoncodec"
	"github.com/stretchr/testify/require"
)

func TestMarshalMatchesEncodingJSONOnRealAnswers(t *testing.T) {
	h := newHarness(t)
	tok, _ := h.instantAuth()
	require.NotEmpty(t, h.steps)
	got, e := h.sb.GetLinkToken(tok)
	require.Nil(t, e)
	values := []any{got}
	for _, s := range h.steps {
		values = append(values, s, s.Screen)
	}
	values = append(values, flowcore.ErrInvalidBody("<x> & y"), flowcore.NewWebhookError(nil), flowcore.NewWebhookError(flowcore.ErrInternal("x")), map[string]any{"n": 1.0, "s": []any{"a", nil}})
	for _, v := range values {
		want, err := json.Marshal(v)
		require.NoError(t, err)
		got, err := jsoncodec.Marshal(v)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
	}
}
