package index_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/gateway/internal/ledger"
)

// BenchmarkFeed measures how fast the feed indexes a backlog of events
// (one in four a completed sale) into a real SQLite file, with the default
// batching. The fake answers trades:Get at once; on a real network each
// sale costs one evaluate on the org's peer besides.
func BenchmarkFeed(b *testing.B) {
	m := newMarket(b)
	var last *ledger.Event
	for i := range b.N {
		if i%4 == 0 {
			last = m.complete(sale{id: fmt.Sprintf("b%d", i), category: "transport", region: "shanghai", pricing: "FIXED", price: int64(100 + i)})
		} else {
			last = m.other("AssetApplied")
		}
	}
	x, err := index.Open(filepath.Join(b.TempDir(), "market.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	b.ResetTimer()
	start := time.Now()
	stop := runB(b, x, m)
	defer stop()
	for {
		cp, err := x.Checkpoint(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		if cp.TransactionID == last.TransactionID {
			break
		}
		time.Sleep(time.Millisecond)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}

func runB(b *testing.B, x *index.Index, m *market) func() {
	ctx, cancel := context.WithCancel(b.Context())
	done := make(chan struct{})
	go func() { defer close(done); _ = x.Run(ctx, m, member) }()
	return func() { cancel(); <-done }
}
