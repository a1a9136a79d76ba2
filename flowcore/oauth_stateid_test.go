package flowcore

import "testing"

func TestOAuthStateIDOf(t *testing.T) {
	for _, tt := range []struct{ uri, want string }{
		{"https://app.example/oauth.html?oauth_state_id=9d5feadd-a873-43eb-97ba-422f35ce849b", "9d5feadd-a873-43eb-97ba-422f35ce849b"},
		{"http://localhost:3000/cb?x=1&oauth_state_id=abc#frag", "abc"},
		{"http://localhost:3000/cb?oauth_state_id=abc&oauth_state_id=def", "abc"},
		{"http://localhost:3000/cb?not_oauth_state_id=abc", ""},
		{"http://localhost:3000/cb#oauth_state_id=abc", ""},
		{"http://localhost:3000/cb", ""},
		{"", ""},
	} {
		if got := OAuthStateIDOf(tt.uri); got != tt.want {
			t.Errorf("OAuthStateIDOf(%q) = %q, want %q", tt.uri, got, tt.want)
		}
	}
}
