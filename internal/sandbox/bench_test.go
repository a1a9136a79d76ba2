package sandbox

import (
	"testing"

	"github.com/linksim/linksim/flowcore"
	"github.com/linksim/linksim/internal/store"
)

// BenchmarkInstantAuthSession runs one whole Instant Auth session, from
// open to onSuccess, including the Item and public token it saves.
func BenchmarkInstantAuthSession(b *testing.B) {
	sb := NewSandbox(Options{Clock: flowcore.NewFixedClock(t0), Seed: 1, Store: store.NewMemoryStore(1024)})
	cfg, _ := flowcore.ParseLinkConfig([]byte(config("")))
	tok, _ := sb.CreateLinkTokenFromConfig(cfg)
	actions := []flowcore.Action{act(flowcore.ActionOpen), act(flowcore.ActionContinue), search("platypus"), pick("ins_109508"), login("user_good", "pass_good")}
	b.ReportAllocs()
	var seed uint64
	for b.Loop() {
		seed++
		s, serr := sb.StartSession(tok.LinkToken, seed)
		if serr != nil {
			b.Fatal(serr)
		}
		for _, a := range actions {
			if _, err := s.Do(a); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := s.Do(flowcore.Action{Type: flowcore.ActionSelectAccounts, AccountIDs: []string{s.Screen().Accounts[0].ID}}); err != nil {
			b.Fatal(err)
		}
		step, err := s.Do(act(flowcore.ActionContinue))
		if err != nil || step.Success == nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkItemByAccessToken reads an Item from a full store, as every
// /auth/get does.
func BenchmarkItemByAccessToken(b *testing.B) {
	sb := NewSandbox(Options{Clock: flowcore.NewFixedClock(t0), Seed: 1, Store: store.NewMemoryStore(10000)})
	var token string
	for range 10000 {
		pt, err := sb.CreateSandboxPublicToken(&SandboxPublicTokenRequest{InstitutionID: "ins_109508", InitialProducts: []string{"auth"}})
		if err != nil {
			b.Fatal(err)
		}
		ex, err := sb.ExchangePublicToken(pt.PublicToken)
		if err != nil {
			b.Fatal(err)
		}
		token = ex.AccessToken
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := sb.store.ItemByAccessToken(token); !ok {
			b.Fatal("no Item")
		}
	}
}
