package httpsig

import (
	"net/http"
	"testing"
)

// go test ./federation/httpsig/ -run '^$' -bench . -benchmem -cpu 1
// With -cpu 1 the ops/s metric is per core.

func BenchmarkSignPOST(b *testing.B) {
	key := testKey(b, 0)
	body := []byte(activityBody)
	b.ReportAllocs()
	for b.Loop() {
		r, err := http.NewRequest(http.MethodPost, "https://peer.example/inbox", nil)
		if err != nil {
			b.Fatal(err)
		}
		r.Header.Set("Content-Type", "application/activity+json")
		if err := SignPOST(r, body, aliceKeyID, key, testNow); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

func BenchmarkVerifyPOST(b *testing.B) {
	s := basePOST(b)
	r := s.build(b)
	body := []byte(s.body)
	keys := newFakeKeys().add(aliceKeyID, aliceActor, &s.key.PublicKey)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(r, body, testNow, keys); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}
