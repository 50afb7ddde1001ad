package index

import (
	"context"
	"fmt"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
)

// Run feeds the index from the channel's blocks (read with the
// BlockReader's own identity, one the channel lets read blocks), until ctx
// ends. It starts at the stored checkpoint; after any
// failure (the stream breaks, a write fails) it waits and resumes from the
// checkpoint again, so that a batch is either written whole with its
// checkpoint or read again.
func (x *Index) Run(ctx context.Context, r chain.BlockReader) error {
	wait := x.retryMin
	for {
		progressed, err := x.follow(ctx, r, 0)
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
			x.log.Warn("ledger index: feed interrupted; resuming from its checkpoint", "error", err.Error(), "retry_in", wait.String())
		} else {
			x.log.Info("ledger index: the block stream ended; resuming from its checkpoint", "retry_in", wait.String())
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, x.retryMax)
	}
}

// follow reads one block stream from the checkpoint and writes its blocks
// in batches until the stream ends, a batch fails, or (with until > 0) the
// checkpoint reaches until.
func (x *Index) follow(ctx context.Context, r chain.BlockReader, until uint64) (progressed bool, err error) {
	from, err := x.Checkpoint(ctx)
	if err != nil {
		return false, fmt.Errorf("reading the checkpoint: %w", err)
	}
	if x.observer != nil && from > 0 {
		x.observer.IndexedBlock(from - 1) // from the start, not only after the next batch
	}
	x.reached(from)
	if until > 0 && from >= until {
		return false, nil
	}
	streamCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := r.Blocks(streamCtx, from)
	if err != nil {
		return false, fmt.Errorf("opening the block stream at block %d: %w", from, err)
	}
	x.log.Info("ledger index: reading blocks", "store", x.where, "from_block", from)
	var (
		blocks, rows       int
		lastLog            = time.Now()
		lastBlocks, lastRs int
	)
	for {
		batch, open := x.collect(ctx, stream)
		for until > 0 && len(batch) > 0 && batch[len(batch)-1].Number >= until {
			batch = batch[:len(batch)-1]
		}
		if len(batch) > 0 {
			n, next, err := x.Apply(ctx, batch)
			if err != nil {
				return progressed, err
			}
			progressed = true
			blocks += len(batch)
			rows += n
			if x.observer != nil {
				x.observer.IndexedBlock(next - 1)
			}
			if since := time.Since(lastLog); since >= x.progress {
				x.log.Info("ledger index: progress", "next_block", next, "blocks", blocks, "rows", rows,
					"blocks_per_second", int(float64(blocks-lastBlocks)/since.Seconds()),
					"rows_per_second", int(float64(rows-lastRs)/since.Seconds()))
				lastLog, lastBlocks, lastRs = time.Now(), blocks, rows
			}
		}
		if until > 0 && x.BlocksRead() >= until {
			return progressed, nil
		}
		if !open {
			return progressed, nil
		}
	}
}

// collect waits for a block, then takes more for up to the linger time or
// until the batch is full. open is false once the stream has ended (or ctx
// is done).
func (x *Index) collect(ctx context.Context, stream <-chan *chain.Block) (batch []*chain.Block, open bool) {
	select {
	case b, ok := <-stream:
		if !ok {
			return nil, false
		}
		batch = append(batch, b)
	case <-ctx.Done():
		return nil, false
	}
	timer := time.NewTimer(x.linger)
	defer timer.Stop()
	for len(batch) < x.batch {
		select {
		case b, ok := <-stream:
			if !ok {
				return batch, false
			}
			batch = append(batch, b)
		case <-timer.C:
			return batch, true
		case <-ctx.Done():
			return batch, false
		}
	}
	return batch, true
}

// Apply projects consecutive blocks and moves the checkpoint past the last,
// in one database transaction. Blocks before the checkpoint are skipped
// (applying a batch again changes nothing); a block after it is a gap and
// is refused. The checkpoint is written only if it still holds the value
// read at the start (another writer, or a rebuild, may have moved it): then
// nothing of the batch is kept. It returns the rows written and the new
// checkpoint.
func (x *Index) Apply(ctx context.Context, batch []*chain.Block) (rows int, next uint64, err error) {
	t, err := x.db.begin(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer t.Rollback()
	base, err := readCheckpoint(ctx, t)
	if err != nil {
		return 0, 0, err
	}
	next = base
	digests := creatorDigests{}
	for _, b := range batch {
		if b.Number < next {
			continue
		}
		if b.Number > next {
			return 0, 0, fmt.Errorf("block %d follows block %d: a gap in the stream", b.Number, next-1)
		}
		n, err := projectBlock(ctx, t, b, func(err error) {
			x.log.Error("ledger index: skipping a record it cannot read", "error", err.Error())
		})
		if err != nil {
			return 0, 0, err
		}
		senders, err := recordSenders(ctx, t, b, digests)
		if err != nil {
			return 0, 0, err
		}
		rows += n + senders
		next = b.Number + 1
	}
	if next == base {
		return 0, base, nil
	}
	if x.afterRows != nil {
		if err := x.afterRows(); err != nil {
			return 0, 0, err
		}
	}
	if err := writeCheckpoint(ctx, t, base, next); err != nil {
		return 0, 0, err
	}
	if err := t.Commit(); err != nil {
		return 0, 0, err
	}
	x.reached(next)
	return rows, next, nil
}

// errMoved reports that the checkpoint moved under a batch.
type errMoved struct{ base uint64 }

func (e errMoved) Error() string {
	return fmt.Sprintf("the checkpoint moved from block %d while a batch was written (another writer, or a rebuild); the batch is dropped and read again", e.base)
}

// writeCheckpoint moves the checkpoint from base to next, or fails if it no
// longer is at base.
func writeCheckpoint(ctx context.Context, t *tx, base, next uint64) error {
	now := time.Now().UTC().Format(time.RFC3339Nano)
	var res interface{ RowsAffected() (int64, error) }
	var err error
	if base == 0 {
		res, err = t.exec(ctx, `INSERT INTO checkpoint (id, next_block, updated_at) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET next_block = excluded.next_block, updated_at = excluded.updated_at
			WHERE checkpoint.next_block = 0`, int64(next), now)
	} else {
		res, err = t.exec(ctx, `UPDATE checkpoint SET next_block = ?, updated_at = ? WHERE id = 1 AND next_block = ?`,
			int64(next), now, int64(base))
	}
	if err != nil {
		return fmt.Errorf("writing the checkpoint: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errMoved{base: base}
	}
	return nil
}

// Rebuild empties the index and reads the ledger again from block 0 up to
// the channel's height when it starts. It gives the same rows as
// the incremental feed.
func (x *Index) Rebuild(ctx context.Context, r chain.BlockReader) (blocks uint64, rows int, took time.Duration, err error) {
	height, err := r.Height(ctx)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("reading the channel's height: %w", err)
	}
	return x.RebuildUpTo(ctx, r, height)
}

// RebuildUpTo empties the index and reads blocks 0 to height-1 again.
func (x *Index) RebuildUpTo(ctx context.Context, r chain.BlockReader, height uint64) (blocks uint64, rows int, took time.Duration, err error) {
	start := time.Now()
	if err := x.Reset(ctx); err != nil {
		return 0, 0, 0, err
	}
	x.log.Info("ledger index: rebuilding", "store", x.where, "height", height)
	for {
		next, err := x.Checkpoint(ctx)
		if err != nil {
			return 0, 0, 0, err
		}
		if next >= height {
			break
		}
		if _, err := x.follow(ctx, r, height); err != nil {
			return 0, 0, 0, err
		}
		if ctx.Err() != nil {
			return 0, 0, 0, ctx.Err()
		}
	}
	rows, err = x.Rows(ctx)
	return height, rows, time.Since(start), err
}

// Reset empties every table of the projection and the checkpoint, in one
// transaction.
func (x *Index) Reset(ctx context.Context) error {
	t, err := x.db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	if err := reset(ctx, t); err != nil {
		return err
	}
	// Lowered before the rows go, not after: a reader of BlocksRead between
	// the two would take an emptied index for one that has read them. A
	// failed commit leaves it low until the feed reads the checkpoint again.
	x.mu.Lock()
	x.next = 0
	x.mu.Unlock()
	return t.Commit()
}

// Rows counts the rows of the projection's tables.
func (x *Index) Rows(ctx context.Context) (int, error) {
	return readOnce(ctx, x, func(t *tx) (int, error) {
		total := 0
		for _, table := range projectionTables {
			var n int
			if err := t.queryRow(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
				return 0, err
			}
			total += n
		}
		return total, nil
	})
}

// reset deletes every row of the projection and the checkpoint in t.
func reset(ctx context.Context, t *tx) error {
	tables := append(projectionTables[:len(projectionTables):len(projectionTables)], "asset_text", "asset_text_keys", "checkpoint")
	for _, table := range tables {
		// A migration that reprojects runs before the later steps have
		// made their tables (and asset_text* are SQLite's alone).
		if ok, err := tableExists(ctx, t, table); err != nil {
			return err
		} else if !ok {
			continue
		}
		if _, err := t.exec(ctx, "DELETE FROM "+table); err != nil {
			return err
		}
	}
	return nil
}

// tableExists reports whether the store has the table.
func tableExists(ctx context.Context, t *tx, table string) (bool, error) {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
	if t.d.name == "postgres" {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`
	}
	var n int
	err := t.queryRow(ctx, q, table).Scan(&n)
	return n > 0, err
}
