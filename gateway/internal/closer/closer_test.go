package closer_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/closer"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// market is trades:CloseOthers as far as the closer meets it: each sale has
// trades waiting until they are closed once; a later call closes nothing.
// The index is the market's too, and reads every closing at once unless
// lagging.
type market struct {
	mu      sync.Mutex
	waiting map[string][]string // by sale, in its region
	region  map[string]string   // of each sale
	lagging bool                // the index has not read the closings yet
	read    map[string][]string // what the index lists while lagging
	fail    error               // the next index read fails with it
	down    error               // trades:CloseOthers fails with it
	advance chan struct{}       // closed when the index reads a block
}

func newMarket(t *testing.T, fake *chaintest.Fake) *market {
	m := &market{
		waiting: map[string][]string{"sale-1": {"T2", "T3"}, "sale-2": {"T5"}, "sale-js": {"T9"}, "sale-quiet": nil},
		region:  map[string]string{"sale-1": "shanghai", "sale-2": "shanghai", "sale-js": "jiangsu", "sale-quiet": "shanghai"},
		advance: make(chan struct{}),
	}
	fake.Handle("trades:CloseOthers", func(c chaintest.Call) (chaintest.Response, error) {
		m.mu.Lock()
		defer m.mu.Unlock()
		if m.down != nil {
			return chaintest.Response{}, m.down
		}
		sale := c.Args[0]
		if _, ok := m.region[sale]; !ok {
			return chaintest.Response{}, chain.Rejected(ledgererr.Conflict, "", "trade "+sale+" is no completed sale of a holding", "")
		}
		// Pages of two, as the chaincode's of model.MaxTradesClosedPerCall.
		closed, bookmark := m.waiting[sale], ""
		if len(closed) > 2 {
			closed, bookmark = closed[:2], "after-"+closed[1]
		}
		m.waiting[sale] = m.waiting[sale][len(closed):]
		b, err := json.Marshal(model.ClosedTrades{SaleTradeID: sale, TradeIDs: append([]string{}, closed...), Bookmark: bookmark})
		require.NoError(t, err)
		return chaintest.Response{Result: b}, nil
	})
	return m
}

func (m *market) Advanced() <-chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.advance
}

// sell records a sale of the region with trades waiting, as a block the
// index reads.
func (m *market) sell(sale, region string, waiting ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.waiting[sale], m.region[sale] = waiting, region
	close(m.advance)
	m.advance = make(chan struct{})
}

func (m *market) SalesWithWaitingTrades(_ context.Context, region string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail; err != nil {
		m.fail = nil
		return nil, err
	}
	if m.lagging {
		return m.read[region], nil
	}
	var out []string
	for sale, trades := range m.waiting {
		if m.region[sale] == region && len(trades) > 0 {
			out = append(out, sale)
		}
	}
	slices.Sort(out)
	return out, nil
}

func newCloser(fake *chaintest.Fake, m *market) *closer.Closer {
	return closer.New(fake, m, closer.Config{Member: "operator", Interval: 10 * time.Millisecond},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func submitted(fake *chaintest.Fake) (sales []string) {
	for _, c := range fake.Calls() {
		if c.Submit {
			sales = append(sales, c.Function+" "+c.Args[0])
		}
	}
	return sales
}

// An operator's closer closes, as its member, the trades each sale of its
// region left waiting, and no other region's; the next round submits
// nothing, since nothing waits.
func TestAnOperatorClosesTheTradesASaleLeftWaiting(t *testing.T) {
	fake := chaintest.New()
	m := newMarket(t, fake)
	c := newCloser(fake, m)

	assert.Equal(t, []string{"T2", "T3", "T5"}, c.Round(t.Context(), "shanghai"))
	assert.Equal(t, []string{"trades:CloseOthers sale-1", "trades:CloseOthers sale-2"}, submitted(fake))
	for _, call := range fake.CallsTo("trades:CloseOthers") {
		assert.Equal(t, "operator", call.Member)
	}
	assert.Equal(t, []string{"T9"}, m.waiting["sale-js"], "another region's sale is left to its own exchange")

	assert.Empty(t, c.Round(t.Context(), "shanghai"))
	assert.Len(t, submitted(fake), 2, "nothing submitted when nothing waits")
}

// A sale whose trades take more than a page is closed in one round, each
// page from the bookmark the last answered.
func TestASaleIsClosedPageAfterPage(t *testing.T) {
	fake := chaintest.New()
	m := newMarket(t, fake)
	m.sell("sale-big", "anhui", "T1", "T2", "T3", "T4", "T5")
	c := newCloser(fake, m)

	assert.Equal(t, []string{"T1", "T2", "T3", "T4", "T5"}, c.Round(t.Context(), "anhui"))
	var args [][]string
	for _, call := range fake.CallsTo("trades:CloseOthers") {
		args = append(args, call.Args)
	}
	assert.Equal(t, [][]string{{"sale-big", ""}, {"sale-big", "after-T2"}, {"sale-big", "after-T4"}}, args)
}

// While its index has not read the closing yet, the closer does not submit
// the same sale again; a sale another gateway closed first (nothing left to
// close) or that is no sale of a holding (a conflict) is done too.
func TestASaleIsClosedOnce(t *testing.T) {
	fake := chaintest.New()
	m := newMarket(t, fake)
	m.lagging, m.read = true, map[string][]string{"shanghai": {"sale-1", "sale-quiet", "sale-unknown"}}
	c := newCloser(fake, m)

	assert.Equal(t, []string{"T2", "T3"}, c.Round(t.Context(), "shanghai"))
	assert.Len(t, submitted(fake), 3)
	assert.Empty(t, c.Round(t.Context(), "shanghai"))
	assert.Len(t, submitted(fake), 3, "no sale submitted again while the index lags")

	m.mu.Lock()
	m.read["shanghai"] = nil
	m.mu.Unlock()
	c.Round(t.Context(), "shanghai")
	assert.Len(t, submitted(fake), 3)
}

// A closing that fails (a peer is down, the transaction lost a race) or an
// index that cannot be read is tried again next round.
func TestAFailedClosingIsRetried(t *testing.T) {
	fake := chaintest.New()
	m := newMarket(t, fake)
	c := newCloser(fake, m)

	m.fail = errors.New("the index's database is gone")
	assert.Empty(t, c.Round(t.Context(), "shanghai"))
	assert.Empty(t, submitted(fake))

	m.down = chain.CommitFailed("tx-1", 12, "MVCC_READ_CONFLICT")
	assert.Empty(t, c.Round(t.Context(), "shanghai"))
	assert.Len(t, submitted(fake), 2)

	m.down = nil
	m.waiting["sale-2"] = nil // closed by another gateway meanwhile
	assert.Equal(t, []string{"T2", "T3"}, c.Round(t.Context(), "shanghai"))
	assert.Equal(t, []string{"trades:CloseOthers sale-1", "trades:CloseOthers sale-2", "trades:CloseOthers sale-1"}, submitted(fake))
}

// A closer whose member is no operator stops at once and submits nothing;
// an operator's closes its own region's sales until stopped.
func TestOnlyAnOperatorCloses(t *testing.T) {
	fake := chaintest.New()
	m := newMarket(t, fake)
	fake.Returns("participants:WhoAmI", model.Participant{ID: "seller", Region: "shanghai", Roles: []string{model.RoleHolder}})
	stopped := make(chan struct{})
	go func() { defer close(stopped); newCloser(fake, m).Run(t.Context()) }()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("a closer whose member is no operator did not stop")
	}
	assert.Empty(t, submitted(fake))

	fake.Returns("participants:WhoAmI", model.Participant{ID: "operator", Region: "shanghai", Roles: []string{model.RoleOperator}})
	ctx, cancel := context.WithCancel(t.Context())
	stopped = make(chan struct{})
	go func() { defer close(stopped); newCloser(fake, m).Run(ctx) }()
	require.Eventually(t, func() bool { return len(submitted(fake)) == 2 }, 5*time.Second, 10*time.Millisecond)
	cancel()
	<-stopped
	assert.Equal(t, []string{"trades:CloseOthers sale-1", "trades:CloseOthers sale-2"}, submitted(fake))
}

// A sale is closed soon after the index reads its block, not at the next
// round: with rounds a minute apart, the closer looks again when the index
// moves.
func TestTheClosingFollowsTheBlockOfTheSale(t *testing.T) {
	fake := chaintest.New()
	m := newMarket(t, fake)
	fake.Returns("participants:WhoAmI", model.Participant{ID: "operator", Region: "shanghai", Roles: []string{model.RoleOperator}})
	c := closer.New(fake, m, closer.Config{Member: "operator", Interval: time.Minute}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(t.Context())
	stopped := make(chan struct{})
	go func() { defer close(stopped); c.Run(ctx) }()
	defer func() { cancel(); <-stopped }()
	require.Eventually(t, func() bool { return len(submitted(fake)) == 2 }, 5*time.Second, 10*time.Millisecond)

	m.sell("sale-3", "shanghai", "T7")
	require.Eventually(t, func() bool { return len(submitted(fake)) == 3 }, 5*closer.Spacing, 10*time.Millisecond,
		"the sale's block woke the closer")
	assert.Equal(t, "trades:CloseOthers sale-3", submitted(fake)[2])
	m.mu.Lock()
	defer m.mu.Unlock()
	assert.Empty(t, m.waiting["sale-3"])
}

// The closer trusts no answer to end its loop: a CloseOthers that answers a
// bookmark it answered before, or never answers "", ends the round (the
// sale is tried again next round) after a bounded number of pages.
func TestAClosingThatNeverEndsIsCutShort(t *testing.T) {
	for name, next := range map[string]func(page int) string{
		"the same bookmark again":  func(int) string { return "again" },
		"a new bookmark each page": func(page int) string { return fmt.Sprintf("page-%d", page) },
	} {
		t.Run(name, func(t *testing.T) {
			fake := chaintest.New()
			m := newMarket(t, fake)
			m.sell("sale-loop", "zhejiang", "T1")
			page := 0
			fake.Handle("trades:CloseOthers", func(chaintest.Call) (chaintest.Response, error) {
				page++
				b, err := json.Marshal(model.ClosedTrades{SaleTradeID: "sale-loop", TradeIDs: []string{}, Bookmark: next(page)})
				require.NoError(t, err)
				return chaintest.Response{Result: b}, nil
			})
			c := newCloser(fake, m)
			assert.Empty(t, c.Round(t.Context(), "zhejiang"))
			assert.LessOrEqual(t, len(fake.CallsTo("trades:CloseOthers")), closer.MaxPagesPerSale)
			assert.Positive(t, len(fake.CallsTo("trades:CloseOthers")))
		})
	}
}
