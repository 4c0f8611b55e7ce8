package storetest

import (
	"testing"
	"time"
)

// BenchmarkOpen measures what each test pays for its fresh database: on
// PostgreSQL a pooled schema emptied, the first one migrated. Run it with
// -benchtime 1x: each open is a sub-benchmark, whose end gives the schema
// back to the pool as a test's end does.
func BenchmarkOpen(b *testing.B) {
	const opens = 20
	for _, d := range Drivers {
		b.Run(string(d), func(b *testing.B) {
			var took time.Duration
			for range b.N * opens {
				t0 := time.Now()
				b.Run("open", func(b *testing.B) { _ = Open(b, d) })
				took += time.Since(t0)
			}
			b.ReportMetric(float64(took.Microseconds())/1000/float64(b.N*opens), "ms/open")
		})
	}
}
