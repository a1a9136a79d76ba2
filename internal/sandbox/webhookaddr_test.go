//go:build !(js && wasm)

package sandbox

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/linksim/linksim/flowcore"
)

func TestWebhookAddressPolicy(t *testing.T) {
	tests := []struct {
		url     string
		refused bool
	}{
		{"http://127.0.0.1:8080/hooks", false},
		{"http://localhost/hooks", false},
		{"http://[::1]:9/x", false},
		{"http://10.0.0.1/cb", false},
		{"http://192.168.1.20/cb", false},
		{"http://[fd00::1]/", false},
		{"https://app.example.com/plaid", false},
		{"http://169.254.169.254/latest/meta-data/", true},
		{"http://169.254.0.1/", true},
		{"http://[fe80::1]/", true},
		{"http://[::ffff:169.254.169.254]/", true},
		{"http://user:pass@metadata.google.internal/computeMetadata/v1/", true},
		{"http://METADATA.GOOG./", true},
		{"http://metadata/", true},
		{"http://instance-data.ec2.internal/", true},
		{"http://100.100.100.200/latest/meta-data/", true},
		{"http://[fd00:ec2::254]/", true},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			for _, allow := range []bool{false, true} {
				sb := NewSandbox(Options{Clock: flowcore.NewFixedClock(t0), AllowLinkLocalWebhooks: allow})
				var req flowcore.LinkTokenCreateRequest
				require.Nil(t, flowcore.Decode([]byte(config(`{"webhook": "`+tt.url+`"}`)), &req))
				_, err := sb.CreateLinkToken(&req)
				_, perr := sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_109508",
					InitialProducts: []string{"auth"}, Options: &SandboxPublicTokenOptions{Webhook: tt.url}})
				if !tt.refused || allow {
					assert.Nil(t, err, "allow=%v", allow)
					assert.Nil(t, perr, "allow=%v", allow)
					continue
				}
				require.NotNil(t, err)
				assert.Equal(t, "INVALID_FIELD", err.Code)
				assert.Contains(t, err.Message, "webhook must not name a link-local address")
				require.NotNil(t, perr)
				assert.Equal(t, "INVALID_FIELD", perr.Code)
				assert.Contains(t, perr.Message, "options.webhook")
			}
		})
	}
}

func TestRefusedWebhookAddr(t *testing.T) {
	for addr, want := range map[string]bool{"169.254.169.254": true, "fe80::abcd": true, "::ffff:169.254.1.1": true,
		"ff02::1": true, "127.0.0.1": false, "10.1.2.3": false, "::1": false, "8.8.8.8": false} {
		assert.Equal(t, want, RefusedWebhookAddr(netip.MustParseAddr(addr)), addr)
	}
}

func TestURLHost(t *testing.T) {
	for raw, want := range map[string]string{
		"http://a.test/x":                    "a.test",
		"https://A.test:8443/x?y#z":          "A.test",
		"http://user:pass@metadata.goog/":    "metadata.goog",
		"http://u@v@169.254.169.254:80/":     "169.254.169.254",
		"http://[fe80::1%25eth0]:9/x":        "fe80::1%25eth0",
		"http://[::ffff:169.254.169.254]/":   "::ffff:169.254.169.254",
		"http://127.0.0.1?x=http://evil/":    "127.0.0.1",
		"http://metadata.google.internal#x":  "metadata.google.internal",
		"http://metadata.google.internal.:1": "metadata.google.internal.",
	} {
		assert.Equal(t, want, urlHost(raw), raw)
	}
}
