package flowcore

import "testing"

func BenchmarkSelectFlow(b *testing.B) {
	cfg, _ := ParseLinkConfig([]byte(config(`{"auth":{"same_day_microdeposits_enabled":true}}`)))
	cat := DefaultCatalog()
	hound, _ := cat.ByID("ins_109512")
	b.ReportAllocs()
	for b.Loop() {
		if f, _ := SelectFlow(&cfg, cat, Entry{Institution: hound}); f != FlowInstantMatch {
			b.Fatal(f)
		}
		if f, _ := SelectFlow(&cfg, cat, Entry{RoutingNumber: "333333334"}); f != FlowInstantMicrodeposits {
			b.Fatal(f)
		}
	}
}

func BenchmarkCheckCode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if !CheckCode(" #abc ", "ABC") {
			b.Fatal("no match")
		}
	}
}
