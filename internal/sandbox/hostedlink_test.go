package sandbox

import (
	"strings"
	"testing"
	"time"

	"github.com/linksim/linksim/flowcore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHostedLinkToken(t *testing.T) {
	tests := []struct {
		name     string
		base     string
		extra    string
		wantURL  string // with TOKEN for the minted token; "" for none
		wantTTL  time.Duration
		wantCode string
	}{
		{"no hosted_link", "http://127.0.0.1:8080/", `{}`, "", flowcore.LinkTokenTTL, ""},
		{"empty hosted_link", "http://127.0.0.1:8080/", `{"hosted_link": {}}`,
			"http://127.0.0.1:8080/hosted.html?link_token=TOKEN", flowcore.DefaultHostedLinkLifetime, ""},
		{"base without a slash", "http://h.test/docs/linksim", `{"hosted_link": {}}`,
			"http://h.test/docs/linksim/hosted.html?link_token=TOKEN", flowcore.DefaultHostedLinkLifetime, ""},
		{"no base URL", "", `{"hosted_link": {}}`, "hosted.html?link_token=TOKEN", flowcore.DefaultHostedLinkLifetime, ""},
		{"lifetime", "http://h.test/", `{"hosted_link": {"url_lifetime_seconds": 3600}}`,
			"http://h.test/hosted.html?link_token=TOKEN", time.Hour, ""},
		{"completion redirect stays on the server", "http://h.test/", `{"hosted_link": {"completion_redirect_uri": "https://app.test/done?a=1&b=ü"}}`,
			"http://h.test/hosted.html?link_token=TOKEN", flowcore.DefaultHostedLinkLifetime, ""},
		{"custom-scheme completion redirect", "", `{"hosted_link": {"completion_redirect_uri": "myapp://done"}}`, "", 0, "INVALID_FIELD"},
		{"script completion redirect", "", `{"hosted_link": {"completion_redirect_uri": "javascript:alert(1)"}}`, "", 0, "INVALID_FIELD"},
		{"21 days", "http://h.test/", `{"hosted_link": {"url_lifetime_seconds": 1814400}}`,
			"http://h.test/hosted.html?link_token=TOKEN", flowcore.MaxHostedLinkLifetime, ""},
		{"zero lifetime", "", `{"hosted_link": {"url_lifetime_seconds": 0}}`, "", 0, "INVALID_FIELD"},
		{"over 21 days", "", `{"hosted_link": {"url_lifetime_seconds": 1814401}}`, "", 0, "INVALID_FIELD"},
		{"bad delivery", "", `{"hosted_link": {"delivery_method": "fax"}}`, "", 0, "INVALID_FIELD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := NewSandbox(Options{Clock: flowcore.NewFixedClock(t0), BaseURL: tt.base})
			var req flowcore.LinkTokenCreateRequest
			require.Nil(t, flowcore.Decode([]byte(config(tt.extra)), &req))
			resp, err := sb.CreateLinkToken(&req)
			if tt.wantCode != "" {
				require.NotNil(t, err)
				assert.Equal(t, tt.wantCode, err.Code)
				return
			}
			require.Nil(t, err)
			want := strings.Replace(tt.wantURL, "TOKEN", resp.LinkToken, 1)
			assert.Equal(t, want, resp.HostedLinkURL)
			assert.Equal(t, rfc3339(t0.Add(tt.wantTTL)), resp.Expiration, "a Hosted Link token expires with its URL")
		})
	}
}
