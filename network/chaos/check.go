package chaos

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/internal/ctxsleep"
	"github.com/deltaledger/deltaledger/model"
)

// readTimeout bounds each of the checker's reads of a region (the event
// stream up to the end, the state, the index catching up).
const readTimeout = 3 * time.Minute

// regionRead is what the checker read through one region's gateway.
type regionRead struct {
	fresh []client.Event    // the event stream read again from the start block after the run
	live  []client.Event    // the event stream followed during the run, cut at the same place
	state map[string]string // element ID -> content hash, from the lists by holder
	index uint64            // the market index's block
	err   []string
}

// check reads the ledger through every region and judges the history.
func check(ctx context.Context, run string, regions []*region, w *workload, live []*stream, startBlock uint64,
	logf func(string, ...any)) *Report {
	ops := w.history()
	end := map[string]bool{}
	var finalBlock uint64
	for _, op := range ops {
		if op.Fence && strings.Contains(op.ID, "-end-") {
			end[op.TransactionID] = true
			finalBlock = max(finalBlock, op.BlockNumber)
		}
	}
	reads := make([]regionRead, len(regions))
	var wg sync.WaitGroup
	for i, r := range regions {
		wg.Go(func() {
			reads[i] = readRegion(ctx, run, r, regions, live[i], startBlock, finalBlock, end)
		})
	}
	wg.Wait()
	logf("read the ledger through %d regions", len(regions))

	rep := &Report{Run: run, StartBlock: startBlock, FinalBlock: finalBlock}
	problem := func(format string, args ...any) { rep.Problems = append(rep.Problems, fmt.Sprintf(format, args...)) }
	for i, r := range regions {
		for _, e := range reads[i].err {
			problem("%s: %s", r.Key, e)
		}
	}

	// Applications per element, from the first region's stream (the others
	// must be the same stream, checked below).
	applied := map[string]int{}
	for _, ev := range reads[0].fresh {
		if ev.Name != model.EventAssetApplied {
			continue
		}
		var p struct {
			AssetID string `json:"assetId"`
		}
		if json.Unmarshal(ev.Payload, &p) == nil && strings.HasPrefix(p.AssetID, run+"-") {
			applied[p.AssetID]++
		}
	}

	ops = slices.DeleteFunc(ops, func(op *Op) bool { return op.Fence })
	rep.Operations.Attempted = len(ops)
	for _, op := range ops {
		rep.Operations.Attempts += op.Attempts
		if op.Replayed {
			rep.Operations.Replayed++
		}
		committed := applied[op.ID] > 0
		var missingIn []string
		for i, r := range regions {
			if reads[i].state[op.ID] != contentHash(op.ID) {
				missingIn = append(missingIn, r.Key)
			}
		}
		switch op.Outcome {
		case Acknowledged, Resolved:
			rep.Acknowledged++
			if op.Outcome == Resolved {
				rep.Operations.Resolved++
			}
			if !committed || len(missingIn) > 0 {
				rep.Lost++
				problem("lost: %s was acknowledged (%s, transaction %s) but has %d applications on the ledger and is missing in %v",
					op.ID, op.Outcome, op.TransactionID, applied[op.ID], missingIn)
			}
		case Failed:
			rep.Operations.Failed++
			if committed || len(missingIn) < len(regions) {
				rep.Operations.FailedButCommitted++
				problem("reported failed but committed: %s (errors: %s)", op.ID, strings.Join(op.Errors, " | "))
			}
		case Indeterminate:
			rep.Operations.Indeterminate++
			if committed {
				rep.Operations.IndeterminateCommitted++
			}
		}
		if applied[op.ID] > 1 {
			rep.Duplicated++
			problem("duplicated: %s has %d applications on the ledger", op.ID, applied[op.ID])
		}
	}
	if len(ops) > 0 {
		if elapsed := ops[len(ops)-1].End.Sub(ops[0].Start).Seconds(); elapsed > 0 {
			rep.Operations.PerSecond = float64(rep.Acknowledged) / elapsed
		}
	}

	// Every region's stream and index: the same events to the same final
	// block, none missing from or repeated in the live stream.
	ids := func(evs []client.Event) []string {
		out := make([]string, len(evs))
		for i, ev := range evs {
			out[i] = ev.ID
		}
		return out
	}
	reference := ids(reads[0].fresh)
	for i, r := range regions {
		fresh, liveIDs := ids(reads[i].fresh), ids(reads[i].live)
		st := StreamCheck{Region: r.Key, Events: len(fresh), LiveEvents: len(liveIDs), IndexedBlock: reads[i].index}
		st.Reconnects, _ = live[i].stats()
		if n := len(reads[i].fresh); n > 0 {
			st.FinalBlock = reads[i].fresh[n-1].BlockNumber
		}
		st.Gaps, st.Duplicates = compare(fresh, liveIDs)
		st.SameAsOthers = slices.Equal(fresh, reference)
		if d := repeated(fresh); d > 0 {
			st.Duplicates += d
		}
		switch {
		case !st.SameAsOthers:
			problem("stream of %s: %d events differ from %s's %d", r.Key, len(fresh), regions[0].Key, len(reference))
		case st.Gaps > 0 || st.Duplicates > 0:
			problem("live stream of %s: %d events missing, %d repeated", r.Key, st.Gaps, st.Duplicates)
		case st.FinalBlock != finalBlock:
			problem("stream of %s ends at block %d, not %d", r.Key, st.FinalBlock, finalBlock)
		case st.IndexedBlock != finalBlock:
			problem("market index of %s is at block %d, not %d", r.Key, st.IndexedBlock, finalBlock)
		}
		rep.Streams = append(rep.Streams, st)
	}
	return rep
}

// compare counts the events of want missing from got, and those got has
// more than once.
func compare(want, got []string) (gaps, duplicates int) {
	have := map[string]int{}
	for _, id := range got {
		have[id]++
	}
	for _, id := range want {
		if have[id] == 0 {
			gaps++
		}
	}
	return gaps, repeated(got)
}

func repeated(ids []string) int {
	seen, n := map[string]bool{}, 0
	for _, id := range ids {
		if seen[id] {
			n++
		}
		seen[id] = true
	}
	return n
}

// readRegion reads through r's gateway: the event stream from startBlock up
// to the end fences (again, and as followed live), the elements of every
// holder, and the market index once it has caught up with finalBlock.
func readRegion(ctx context.Context, run string, r *region, regions []*region, live *stream, startBlock, finalBlock uint64,
	end map[string]bool) regionRead {
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	var out regionRead
	freshCtx, stopFresh := context.WithCancel(ctx)
	fresh := follow(freshCtx, r, startBlock)
	var ok bool
	if out.fresh, ok = fresh.until(ctx, end); !ok {
		_, err := fresh.stats()
		out.err = append(out.err, fmt.Sprintf("the event stream read again did not reach the end of the run (%v)", err))
	}
	stopFresh()
	if out.live, ok = live.until(ctx, end); !ok {
		_, err := live.stats()
		out.err = append(out.err, fmt.Sprintf("the live event stream did not reach the end of the run (%v)", err))
	}

	out.state = map[string]string{}
	for _, h := range regions {
		for a, err := range r.Regulator.Assets().ByHolder(ctx, h.HolderID, client.PageSize(100)) {
			if err != nil {
				out.err = append(out.err, fmt.Sprintf("listing the assets of %s: %v", h.HolderID, err))
				break
			}
			if strings.HasPrefix(a.ID, run+"-") {
				out.state[a.ID] = a.ContentHash
			}
		}
	}

	for {
		st, err := r.Regulator.Market().Statistics(ctx, client.MarketStatisticsQuery{})
		if err == nil {
			out.index = st.IndexedBlock
			if out.index >= finalBlock {
				break
			}
		}
		if ctxsleep.Sleep(ctx, 500*time.Millisecond) != nil {
			break
		}
	}
	return out
}
