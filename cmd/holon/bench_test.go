package main

import (
	"slices"
	"testing"
	"time"

	"github.com/holon-network/holon/cmd/holon/holontest"
)

// idleSettle is how long an instance idles before its memory is read.
const idleSettle = 2 * time.Second

// BenchmarkServe_StartupAndIdleRSS starts the real binary on a fresh SQLite
// file b.N times. It reports the time from exec to the first 200 from
// /healthz (median and max; the target is under 1 s) and the resident
// memory after idleSettle of idling (median and max; the target is under
// 40 MB). Run it with a fixed count, as recorded in BENCHMARKS.md:
//
//	go test -run '^$' -bench StartupAndIdleRSS -benchtime 10x ./cmd/holon
func BenchmarkServe_StartupAndIdleRSS(b *testing.B) {
	bin := holontest.Build(b)
	var ready []time.Duration
	var rss []int64
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		dir := b.TempDir()
		env, url := holontest.SQLiteEnv(b, dir)
		b.StartTimer()
		s := holontest.Start(b, bin, dir, env, url)
		d, err := s.WaitHealthy(10 * time.Second)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		ready = append(ready, d)
		time.Sleep(idleSettle)
		n, err := s.RSS()
		if err != nil {
			b.Fatal(err)
		}
		rss = append(rss, n)
		if code, err := s.Stop(10 * time.Second); err != nil || code != 0 {
			b.Fatalf("stop: exit %d, %v", code, err)
		}
		b.StartTimer()
	}
	slices.Sort(ready)
	slices.Sort(rss)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	mb := func(n int64) float64 { return float64(n) / (1 << 20) }
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(ms(ready[len(ready)/2]), "ms-ready-median")
	b.ReportMetric(ms(ready[len(ready)-1]), "ms-ready-max")
	b.ReportMetric(mb(rss[len(rss)/2]), "MiB-idle-RSS-median")
	b.ReportMetric(mb(rss[len(rss)-1]), "MiB-idle-RSS-max")
}
