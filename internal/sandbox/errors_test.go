package sandbox

import (
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSandboxKeyOverridesSeed: a sandbox keyed with secret bytes makes
// tokens that its seed does not reproduce, so a server started without
// -seed mints ids no other server (and no attacker) can predict.
func TestSandboxKeyOverridesSeed(t *testing.T) {
	token := func(o Options) string {
		resp, err := NewSandbox(o).CreateLinkToken(&flowcore.LinkTokenCreateRequest{ClientName: "App", Language: "en",
			CountryCodes: []string{"US"}, User: &flowcore.LinkUser{ClientUserID: "u"}, Products: []string{"auth"}})
		require.Nil(t, err)
		return resp.LinkToken
	}
	assert.Equal(t, token(Options{Seed: 1}), token(Options{Seed: 1}), "same seed, same ids")
	k1, k2 := [32]byte{7}, [32]byte{8}
	assert.NotEqual(t, token(Options{Seed: 1}), token(Options{Seed: 1, Key: &k1}))
	assert.NotEqual(t, token(Options{Seed: 1, Key: &k1}), token(Options{Seed: 1, Key: &k2}))
}
