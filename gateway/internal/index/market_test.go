package index_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/internal/pgtest"
	"github.com/deltaledger/deltaledger/model"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

const member = "regulator"

// forEachStore runs a test on a SQLite file and on a real PostgreSQL.
func forEachStore(t *testing.T, test func(t *testing.T, open func(...index.Option) *index.Index)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "index.db")
		test(t, func(options ...index.Option) *index.Index { return openIndex(t, index.Store{Path: path}, options...) })
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := pgtest.Database(t)
		test(t, func(options ...index.Option) *index.Index { return openIndex(t, index.Store{DSN: dsn}, options...) })
	})
}

func openIndex(t *testing.T, store index.Store, options ...index.Option) *index.Index {
	t.Helper()
	x, err := index.Open(store, append([]index.Option{index.WithBatch(3, 5*time.Millisecond), index.WithRetry(10*time.Millisecond, 50*time.Millisecond),
		index.WithLedgerName("yrd-market", "deltaledger")}, options...)...)
	require.NoError(t, err)
	t.Cleanup(func() { x.Close() })
	return x
}

// run feeds x from c until the test ends (or stop is called).
func run(t *testing.T, x *index.Index, c *chaintest.Chain) (stop func()) {
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); _ = x.Run(ctx, c) }()
	stop = func() { cancel(); <-done }
	t.Cleanup(stop)
	return stop
}

// follow runs x over c, as run does, and waits until it has caught up.
func follow(t *testing.T, x *index.Index, c *chaintest.Chain) (stop func()) {
	t.Helper()
	stop = run(t, x, c)
	caughtUp(t, x, c)
	return stop
}

// following opens an index that follows c and has read every block of it.
func following(t *testing.T, open func(...index.Option) *index.Index, c *chaintest.Chain) *index.Index {
	t.Helper()
	x := open()
	follow(t, x, c)
	return x
}

// caughtUp waits until x has read every block of c: through WaitFor, again
// while it answers that the index is still behind (an index opened with a
// short WithMaxWait may need more than one wait on a loaded machine).
func caughtUp(t *testing.T, x *index.Index, c *chaintest.Chain) {
	t.Helper()
	h, _ := c.Height(t.Context())
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := x.WaitFor(t.Context(), h-1)
		var behind *index.BehindError
		if !errors.As(err, &behind) || time.Now().After(deadline) {
			require.NoError(t, err, "the index reads the whole chain")
			return
		}
	}
}

// The market of the tests: participants of three regions, an asset
// through its registration steps, a FIXED and a negotiated trade, an
// invalid transaction, and a credit record with a lookup.
const (
	holder   = "shanghai.holder"
	operator = "shanghai.operator"
	buyerJS  = "jiangsu.buyer"
	buyerZJ  = "zhejiang.buyer"
	agency   = "anhui.agency"
	asset    = "asset-port-moves"
	usccSH   = "91310000MA1FL1800B"
)

func ts(at time.Time) string { return at.UTC().Format(time.RFC3339) }

func participant(id, msp, region, roles, uscc string, at time.Time) model.Participant {
	return model.Participant{ID: id, MSPID: msp, Identity: "x509::" + id, Roles: []string{roles}, USCC: uscc, Name: id,
		Region: region, Status: model.ParticipantActive, RegisteredAt: ts(at), UpdatedAt: ts(at)}
}

type marketChain struct {
	*chaintest.Chain
	asset     model.Asset
	fixed     model.Trade
	negotiate model.Trade
}

func newMarket() *marketChain {
	c := &marketChain{Chain: chaintest.NewChain(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))}
	at := c.Clock()
	c.Add(
		chaintest.Tx(chaintest.Record("participant", participant(holder, "ShanghaiMSP", "shanghai", "holder", usccSH, at), holder),
			chaintest.Marker("participant~uscc", usccSH, holder)),
		chaintest.Tx(chaintest.Record("participant", participant(operator, "ShanghaiMSP", "shanghai", "operator", "91310000MA1FL1900X", at), operator)),
		chaintest.Tx(chaintest.Record("participant", participant(buyerJS, "JiangsuMSP", "jiangsu", "buyer", "91320000MA1FL1700R", at), buyerJS)),
		chaintest.Tx(chaintest.Record("participant", participant(buyerZJ, "ZhejiangMSP", "zhejiang", "buyer", "91330000MA1FL1600K", at), buyerZJ)),
		chaintest.Tx(chaintest.Record("participant", participant(agency, "AnhuiMSP", "anhui", "agency", "91340000MA1FL1500J", at), agency)),
	)
	c.asset = model.Asset{AssetDescription: model.AssetDescription{ID: asset, Name: "Yangshan port container moves", Category: "transport",
		SourceRegion: "shanghai", Description: "Hourly moves per berth at 洋山深水港", ContentHash: "ab"}, Sources: []string{}, ApplicantID: holder,
		ExchangeRegion: "shanghai", HolderID: holder, HolderMSP: "ShanghaiMSP", Status: model.AssetPendingReview,
		AppliedAt: ts(at), UpdatedAt: ts(at)}
	c.Add(chaintest.Tx(chaintest.Record("asset", c.asset, asset), chaintest.Marker("asset~holder", holder, asset)))
	c.asset.Status, c.asset.ReviewerID = model.AssetPublicNotice, operator
	c.Add(chaintest.Tx(chaintest.Record("asset", c.asset, asset)))
	holding := model.Right{ID: "R-holding", AssetID: asset, Type: model.RightHolding, HolderID: holder, HolderMSP: "ShanghaiMSP",
		Origin: model.OriginRegistration, Status: model.RightActive, IssuedAt: ts(c.Clock()), UpdatedAt: ts(c.Clock())}
	holding.Scope.Purpose, holding.Scope.ValidUntil = "holding", "9999-12-31T23:59:59Z"
	c.asset.Status, c.asset.RegisteredAt, c.asset.HoldingRightID = model.AssetRegistered, ts(c.Clock().Add(time.Second)), holding.ID
	c.Add(chaintest.Tx(chaintest.Record("asset", c.asset, asset), chaintest.Record("right", holding, holding.ID)))

	fixed := model.Listing{ID: "listing-use", AssetID: asset, RightType: model.RightUse, Pricing: model.PricingFixed,
		PriceFen: 150000, Category: "transport", SourceRegion: "shanghai", SellerID: holder, SellerMSP: "ShanghaiMSP",
		Region: "shanghai", Status: model.ListingActive, CreatedAt: ts(c.Clock()), UpdatedAt: ts(c.Clock())}
	nego := fixed
	nego.ID, nego.RightType, nego.Pricing, nego.PriceFen = "listing-op", model.RightOperation, model.PricingNegotiable, 990000
	c.Add(chaintest.Tx(chaintest.Record("listing", fixed, fixed.ID), chaintest.Record("listing~price", model.PricePoint{Seq: 0, PriceFen: 150000, At: ts(c.Clock())}, fixed.ID, "000000")),
		chaintest.Tx(chaintest.Record("listing", nego, nego.ID)))

	c.fixed = model.Trade{ID: "trade-fixed", ListingID: fixed.ID, AssetID: asset, RightType: model.RightUse, Category: "transport",
		Region: "shanghai", SourceRegion: "shanghai", Pricing: model.PricingFixed, PriceFen: 150000, BuyerID: buyerJS,
		BuyerMSP: "JiangsuMSP", SellerID: holder, SellerMSP: "ShanghaiMSP", Status: model.TradeOrdered,
		CreatedAt: ts(c.Clock()), UpdatedAt: ts(c.Clock())}
	c.Add(chaintest.Tx(chaintest.Record("trade", c.fixed, c.fixed.ID), chaintest.Marker("trade~party", buyerJS, c.fixed.ID)))
	c.fixed.Status, c.fixed.RightID = model.TradeCompleted, "R-bought"
	bought := holding
	bought.ID, bought.Type, bought.HolderID, bought.HolderMSP, bought.Origin = "R-bought", model.RightUse, buyerJS, "JiangsuMSP", model.OriginTrade
	bought.Scope.Purpose = "route analytics"
	c.Add(chaintest.Tx(chaintest.Record("trade", c.fixed, c.fixed.ID), chaintest.Record("right", bought, bought.ID)))

	// A negotiated trade: its record must never give the price; should one
	// carry it anyway, the index does not keep it.
	c.negotiate = c.fixed
	c.negotiate.ID, c.negotiate.ListingID, c.negotiate.Pricing, c.negotiate.PriceFen = "trade-nego", nego.ID, model.PricingNegotiable, 777777
	c.negotiate.BuyerID, c.negotiate.BuyerMSP, c.negotiate.RightType, c.negotiate.RightID = buyerZJ, "ZhejiangMSP", model.RightOperation, ""
	c.negotiate.Status, c.negotiate.CreatedAt = model.TradeCompleted, ts(c.Clock().Add(time.Second))
	c.Add(chaintest.Tx(chaintest.Record("trade", c.negotiate, c.negotiate.ID)))

	// An invalid transaction writes nothing.
	ghost := c.asset
	ghost.ID, ghost.Name = "asset-ghost", "never written"
	invalid := chaintest.Tx(chaintest.Record("asset", ghost, ghost.ID))
	invalid.ValidationCode = "MVCC_READ_CONFLICT"
	c.Add(invalid)

	rec := model.Record{RecordID: "rating-1", SubjectUSCC: usccSH, AgencyID: agency, AgencyMSP: "AnhuiMSP", Region: "anhui",
		ContentHash: "cd", Status: model.RecordActive, PublishedAt: ts(c.Clock()), UpdatedAt: ts(c.Clock())}
	trace := model.Trace{TraceID: "trace-1", SubjectUSCC: usccSH, QuerierID: buyerZJ, QuerierMSP: "ZhejiangMSP",
		Purpose: "due diligence", Basis: model.BasisAuthorization, AuthID: "auth-1", At: ts(c.Clock()), ExpiresAt: ts(c.Clock().Add(time.Hour))}
	c.Add(chaintest.Tx(chaintest.Record("credit.record", rec, rec.RecordID)), chaintest.Tx(chaintest.Record("credit.trace", trace, trace.TraceID),
		chaintest.Marker("credit.trace~subject", usccSH, ts(c.Clock()), trace.TraceID)))

	// A later write of the completed trade (a purge request) does not move
	// its completion.
	c.fixed.PurgeRequests = []model.PurgeRequest{{By: buyerJS, At: ts(c.Clock()), TxID: "x"}}
	c.Add(chaintest.Tx(chaintest.Record("trade", c.fixed, c.fixed.ID)))
	return c
}
