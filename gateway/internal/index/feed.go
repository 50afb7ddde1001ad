package index

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/ledger"
	"github.com/deltaledger/deltaledger/model"
)

// The chaincode function the feed reads a completed trade's time with: the
// events carry no timestamp, the trade's timeline does (the step the
// completing transaction wrote).
const readTrade = "trades:Get"

// Run feeds the index from the ledger's chaincode events, read as member
// (a wallet member who may read trades: an operator or the regulator),
// until ctx ends. It starts just after the stored checkpoint; after any
// failure (the stream breaks, a trade cannot be read, a write fails) it
// waits and resumes from the checkpoint again, so that a batch is either
// written whole with its checkpoint or read again.
func (x *Index) Run(ctx context.Context, l ledger.Ledger, member string) error {
	wait := x.retryMin
	for {
		progressed, err := x.follow(ctx, l, member)
		if ctx.Err() != nil {
			return nil
		}
		if progressed {
			wait = x.retryMin
		}
		if err != nil {
			if x.observer != nil {
				x.observer.IndexFeedInterrupted()
			}
			x.log.Warn("market index: feed interrupted; resuming from its checkpoint", "error", err.Error(), "retry_in", wait.String())
		} else {
			x.log.Info("market index: the event stream ended; resuming from its checkpoint", "retry_in", wait.String())
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, x.retryMax)
	}
}

// follow reads one event stream from the checkpoint and writes its events
// in batches until the stream ends or a batch fails.
func (x *Index) follow(ctx context.Context, l ledger.Ledger, member string) (progressed bool, err error) {
	cp, err := x.Checkpoint(ctx)
	if err != nil {
		return false, fmt.Errorf("reading the checkpoint: %w", err)
	}
	if x.observer != nil {
		x.observer.IndexedBlock(cp.Block) // from the start, not only after the next event
	}
	streamCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := l.Events(streamCtx, member, cp.Position())
	if err != nil {
		return false, fmt.Errorf("opening the event stream at block %d: %w", cp.Block, err)
	}
	x.log.Info("market index: reading chaincode events", "path", x.path, "from_block", cp.Block, "after_transaction_id", cp.TransactionID)
	var (
		events    int
		lastLog   = time.Now()
		lastCount int
	)
	for {
		batch, open := x.collect(ctx, stream)
		if len(batch) > 0 {
			if err := x.Apply(ctx, l, member, batch); err != nil {
				return progressed, err
			}
			progressed = true
			events += len(batch)
			if x.observer != nil {
				x.observer.IndexedBlock(batch[len(batch)-1].BlockNumber)
			}
			if since := time.Since(lastLog); since >= x.progress {
				last := batch[len(batch)-1]
				x.log.Info("market index: progress", "block", last.BlockNumber, "events", events,
					"events_per_second", int(float64(events-lastCount)/since.Seconds()))
				lastLog, lastCount = time.Now(), events
			}
		}
		if !open {
			return progressed, nil
		}
	}
}

// collect waits for an event, then takes more for up to the linger time or
// until the batch is full. open is false once the stream has ended (or ctx
// is done).
func (x *Index) collect(ctx context.Context, stream <-chan *ledger.Event) (batch []*ledger.Event, open bool) {
	select {
	case e, ok := <-stream:
		if !ok {
			return nil, false
		}
		batch = append(batch, e)
	case <-ctx.Done():
		return nil, false
	}
	timer := time.NewTimer(x.linger)
	defer timer.Stop()
	for len(batch) < x.batch {
		select {
		case e, ok := <-stream:
			if !ok {
				return batch, false
			}
			batch = append(batch, e)
		case <-timer.C:
			return batch, true
		case <-ctx.Done():
			return batch, false
		}
	}
	return batch, true
}

// Trade is one completed trade as the index holds it.
type Trade struct {
	Block         uint64
	TransactionID string
	// Time is when the completing transaction was made (whole seconds).
	Time         time.Time
	Event        string
	TradeID      string
	AssetID      string
	ListingID    string
	Category     string
	Region       string
	SourceRegion string
	RightType    string
	Pricing      string
	// PriceFen is the price of a FIXED trade; nil for any other.
	PriceFen *int64
}

// saleEvent is the part of a trade event's payload the index reads.
type saleEvent struct {
	TradeID      string `json:"tradeId"`
	ListingID    string `json:"listingId"`
	AssetID      string `json:"assetId"`
	Status       string `json:"status"`
	Outcome      string `json:"outcome"`
	Category     string `json:"category"`
	Region       string `json:"region"`
	SourceRegion string `json:"sourceRegion"`
	RightType    string `json:"rightType"`
	Pricing      string `json:"pricing"`
	PriceFen     string `json:"priceFen"`
}

// isSale reports whether an event completes a sale, decoding its payload.
func isSale(e *ledger.Event) (saleEvent, bool, error) {
	if e.Name != model.EventTradeCompleted && e.Name != model.EventTradeResolved {
		return saleEvent{}, false, nil
	}
	var s saleEvent
	if err := json.Unmarshal(e.Payload, &s); err != nil {
		return s, false, fmt.Errorf("payload of %s in block %d, transaction %s: %w", e.Name, e.BlockNumber, e.TransactionID, err)
	}
	if e.Name == model.EventTradeResolved && s.Outcome != model.OutcomeComplete {
		return s, false, nil // a refund undoes the sale
	}
	if s.TradeID == "" {
		return s, false, fmt.Errorf("%s in block %d, transaction %s names no trade", e.Name, e.BlockNumber, e.TransactionID)
	}
	return s, true, nil
}

// Apply indexes one batch of events, in stream order, and stores the
// position after the last as the checkpoint, in one SQLite transaction.
// Events already indexed (the same block and transaction) are ignored, so
// that applying a batch again changes nothing; the checkpoint never moves
// back to an earlier block.
func (x *Index) Apply(ctx context.Context, l ledger.Ledger, member string, batch []*ledger.Event) error {
	if len(batch) == 0 {
		return nil
	}
	var rows []Trade
	for _, e := range batch {
		s, ok, err := isSale(e)
		if err != nil {
			// Chaincode output that does not parse cannot become
			// parseable by retrying: log it and go on.
			x.log.Error("market index: skipping an event it cannot read", "error", err.Error())
			continue
		}
		if !ok {
			continue
		}
		known, err := x.has(ctx, e)
		if err != nil {
			return err
		}
		if known {
			continue
		}
		t, err := x.trade(ctx, l, member, e, s)
		if err != nil {
			return err
		}
		rows = append(rows, t)
	}
	return x.write(ctx, rows, batch[len(batch)-1])
}

// has reports whether the event's trade row is already in the index.
func (x *Index) has(ctx context.Context, e *ledger.Event) (bool, error) {
	var one int
	err := x.db.QueryRowContext(ctx, `SELECT 1 FROM trades WHERE block = ? AND tx_id = ?`, int64(e.BlockNumber), e.TransactionID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// trade builds the row of a sale event. The time comes from the trade's
// timeline, read from the ledger; a price only from a FIXED trade.
func (x *Index) trade(ctx context.Context, l ledger.Ledger, member string, e *ledger.Event, s saleEvent) (Trade, error) {
	payload, err := l.Evaluate(ctx, member, readTrade, []string{s.TradeID})
	if err != nil {
		return Trade{}, fmt.Errorf("reading trade %s (%s) for its completion time as %s, who must be an operator or the regulator: %w", s.TradeID, readTrade, member, err)
	}
	var rec model.Trade
	if err := json.Unmarshal(payload, &rec); err != nil {
		return Trade{}, fmt.Errorf("%s %s answered something other than a trade: %w", readTrade, s.TradeID, err)
	}
	at, err := completedAt(&rec, e.TransactionID)
	if err != nil {
		return Trade{}, err
	}
	// The event names what was sold; the trade record fills in what an
	// event of an older chaincode might lack.
	t := Trade{
		Block: e.BlockNumber, TransactionID: e.TransactionID, Time: at, Event: e.Name, TradeID: s.TradeID,
		AssetID: or(s.AssetID, rec.AssetID), ListingID: or(s.ListingID, rec.ListingID),
		Category: or(s.Category, rec.Category), Region: or(s.Region, rec.Region), SourceRegion: or(s.SourceRegion, rec.SourceRegion),
		RightType: or(s.RightType, rec.RightType), Pricing: or(s.Pricing, rec.Pricing),
	}
	if t.Pricing == model.PricingFixed {
		price := or(s.PriceFen, rec.PriceFen)
		n, err := strconv.ParseInt(price, 10, 64)
		if err != nil || n < 0 {
			x.log.Error("market index: a FIXED trade without a readable price; counted as undisclosed", "trade_id", s.TradeID, "price_fen", price)
		} else {
			t.PriceFen = &n
		}
	}
	return t, nil
}

// completedAt is the time of the timeline step the completing transaction
// wrote.
func completedAt(rec *model.Trade, txID string) (time.Time, error) {
	var step *model.Step
	for i := range rec.Timeline {
		if rec.Timeline[i].TxID == txID {
			step = &rec.Timeline[i]
		}
	}
	if step == nil {
		// The trade's record is read from a peer that has the event's
		// block, so the step is there; should it not be, the completion
		// is the one step to COMPLETED a trade has.
		for i := range rec.Timeline {
			if rec.Timeline[i].State == model.TradeCompleted {
				step = &rec.Timeline[i]
			}
		}
	}
	if step == nil {
		return time.Time{}, fmt.Errorf("trade %s has no step of transaction %s nor a completion in its timeline", rec.ID, txID)
	}
	at, err := time.Parse(time.RFC3339, step.At)
	if err != nil {
		return time.Time{}, fmt.Errorf("trade %s: step time %q: %w", rec.ID, step.At, err)
	}
	return at.UTC(), nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// write stores rows and the checkpoint after last in one transaction.
func (x *Index) write(ctx context.Context, rows []Trade, last *ledger.Event) error {
	tx, err := x.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, t := range rows {
		var price any
		if t.PriceFen != nil {
			price = *t.PriceFen
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO trades
			(block, tx_id, time, event, trade_id, asset_id, listing_id, category, region, source_region, right_type, pricing, price_fen)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (block, tx_id) DO NOTHING`,
			int64(t.Block), t.TransactionID, t.Time.Unix(), t.Event, t.TradeID, t.AssetID, t.ListingID,
			t.Category, t.Region, t.SourceRegion, t.RightType, t.Pricing, price); err != nil {
			return fmt.Errorf("writing trade %s: %w", t.TradeID, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO checkpoint (id, block, tx_id, updated_at) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET block = excluded.block, tx_id = excluded.tx_id, updated_at = excluded.updated_at
		WHERE excluded.block >= checkpoint.block`,
		int64(last.BlockNumber), last.TransactionID, time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return fmt.Errorf("writing the checkpoint: %w", err)
	}
	return tx.Commit()
}

// Trades returns the indexed trades, oldest block first (for tests and
// inspection).
func (x *Index) Trades(ctx context.Context) ([]Trade, error) {
	rows, err := x.db.QueryContext(ctx, `SELECT block, tx_id, time, event, trade_id, asset_id, listing_id, category, region,
		source_region, right_type, pricing, price_fen FROM trades ORDER BY block, rowid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Trade
	for rows.Next() {
		var t Trade
		var block, at int64
		var price sql.NullInt64
		if err := rows.Scan(&block, &t.TransactionID, &at, &t.Event, &t.TradeID, &t.AssetID, &t.ListingID, &t.Category,
			&t.Region, &t.SourceRegion, &t.RightType, &t.Pricing, &price); err != nil {
			return nil, err
		}
		t.Block, t.Time = uint64(block), time.Unix(at, 0).UTC()
		if price.Valid {
			t.PriceFen = &price.Int64
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
