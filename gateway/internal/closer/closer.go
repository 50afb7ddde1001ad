// Package closer closes, after the sale of a holding, the other buyers'
// trades still waiting on what was sold. The sale's own transaction closes
// none of them (whoever submits it, the buyer too, is handed every key it
// reads and writes, and the other buyers' trades are not the buyer's to
// read), so trades:CloseOthers does it in a transaction of its own, which
// the sale's seller or an operator of its region may submit. Every gateway
// with a ledger index whose member is an operator submits it, as that
// member, for the sales of the operator's region that its index says still
// have trades waiting. Two gateways of one region may race: the loser's
// transaction fails on a read conflict or closes nothing, and the next
// round, reading the index again, finds the sale done.
package closer

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/internal/ctxsleep"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// closeOthers is the chaincode function the closer submits.
var closeOthers = model.TradesContract.Name + ":CloseOthers"

// Index is what the closer reads of the gateway's ledger index.
type Index interface {
	// SalesWithWaitingTrades lists the completed sales of a holding in the
	// region that still have other trades waiting on what they sold.
	SalesWithWaitingTrades(ctx context.Context, region string) ([]string, error)
	// Advanced is closed when the index next reads a block, which may hold
	// a sale: the closer then looks at once rather than at its next round.
	Advanced() <-chan struct{}
}

// Spacing is the shortest time between two rounds: an index reading a block
// a moment wakes the closer once a Spacing at most.
const Spacing = time.Second

// MaxPagesPerSale bounds the CloseOthers pages one round submits for a sale
// (each at most model.MaxTradesClosedPerCall trades): the closer trusts no
// answer to end its loop, so a chaincode that never answered an empty
// bookmark cannot keep it submitting.
const MaxPagesPerSale = 1000

// Config is as whom the closer acts, and how often.
type Config struct {
	// Member is the wallet member it acts as: an operator of the region
	// whose sales it closes the other trades of.
	Member string
	// Interval is the longest time between rounds: the closer also makes
	// one when its index reads a block (at most one a Spacing).
	Interval time.Duration
}

// Closer closes the trades a sale of a holding left waiting, on a ledger,
// from an index.
type Closer struct {
	ledger chain.Ledger
	index  Index
	cfg    Config
	log    *slog.Logger
	// done are the sales whose other trades the closer closed, or found
	// closed, which the index may still list until it reads the closing
	// block (or, for a listing the seller withdrew by hand in the sale's
	// second, always: index.SalesWithWaitingTrades): they are not submitted
	// again. A sale leaves it once the index no longer lists it.
	done map[string]bool
}

// New returns a closer; Run starts it.
func New(ledger chain.Ledger, index Index, cfg Config, log *slog.Logger) *Closer {
	return &Closer{ledger: ledger, index: index, cfg: cfg, log: log, done: map[string]bool{}}
}

// Run makes rounds until ctx ends: one when the index reads a block, and
// one every Interval when it reads none. It first reads the region its
// member operates; a member that is no operator closes nothing, which it
// logs once.
func (c *Closer) Run(ctx context.Context) {
	me := chain.AwaitWhoAmI(ctx, c.ledger, c.cfg.Member, c.cfg.Interval, func(err error) {
		c.log.Warn("trades: reading the closer's member failed; trying again", "member", c.cfg.Member, "error", err.Error())
	})
	if me == nil {
		return
	}
	if !slices.Contains(me.Roles, model.RoleOperator) {
		c.log.Info("trades: the closer's member is not an operator: this gateway closes no trade a sale left waiting",
			"member", c.cfg.Member, "roles", me.Roles)
		return
	}
	c.log.Info("trades: closing the trades that sales of a holding left waiting", "member", c.cfg.Member, "region", me.Region,
		"interval", c.cfg.Interval.String())
	for {
		// Taken before the round: a block read during it wakes the next one.
		advanced := c.index.Advanced()
		c.Round(ctx, me.Region)
		longest := time.NewTimer(c.cfg.Interval)
		if ctxsleep.Sleep(ctx, min(Spacing, c.cfg.Interval)) != nil {
			longest.Stop()
			return
		}
		select {
		case <-advanced:
		case <-longest.C:
		case <-ctx.Done():
		}
		longest.Stop()
		if ctx.Err() != nil {
			return
		}
	}
}

// Round submits trades:CloseOthers for each sale of the region that the
// index lists with trades waiting, and reports the trades it closed. A sale
// the chaincode finds nothing to close on, or refuses as no completed sale
// of a holding (a conflict), is done; one that fails otherwise is tried
// again next round.
func (c *Closer) Round(ctx context.Context, region string) (closed []string) {
	sales, err := c.index.SalesWithWaitingTrades(ctx, region)
	if err != nil {
		c.log.Warn("trades: reading the sales with trades waiting from the index failed; trying again next round", "error", err.Error())
		return nil
	}
	for sale := range c.done {
		if !slices.Contains(sales, sale) {
			delete(c.done, sale)
		}
	}
	for _, sale := range sales {
		if c.done[sale] {
			continue
		}
		trades, err := c.closeOthers(ctx, sale)
		closed = append(closed, trades...)
		if err != nil {
			c.log.Warn("trades: closing the trades a sale left waiting failed; trying again next round", "sale", sale, "error", err.Error())
			continue
		}
		c.done[sale] = true
	}
	return closed
}

// closeOthers submits trades:CloseOthers for the sale, page after page
// (each closes at most model.MaxTradesClosedPerCall) until its bookmark is
// "", and returns the trades it closed; none when another closer (or the
// seller) was first. A page that fails ends the round: the next one begins
// again, passing over the trades closed, which count toward a page but
// cost no write.
func (c *Closer) closeOthers(ctx context.Context, sale string) ([]string, error) {
	var closed []string
	seen := map[string]bool{"": true}
	for bookmark, page := "", 0; ; page++ {
		if page == MaxPagesPerSale {
			return closed, fmt.Errorf("CloseOthers answered %d pages without an end", page)
		}
		sub, err := c.ledger.Submit(ctx, c.cfg.Member, closeOthers, []string{sale, bookmark})
		if err != nil {
			if chain.AsError(err).Code == ledgererr.Conflict {
				c.log.Info("trades: a sale has no other trades to close", "sale", sale, "reason", err.Error())
				return closed, nil
			}
			return closed, err
		}
		var answer model.ClosedTrades
		if err := json.Unmarshal(sub.Result, &answer); err != nil {
			return closed, err
		}
		if len(answer.TradeIDs) > 0 {
			c.log.Info("trades: closed the trades a sale left waiting", "sale", sale, "trades", answer.TradeIDs)
		}
		closed = append(closed, answer.TradeIDs...)
		if bookmark = answer.Bookmark; bookmark == "" {
			return closed, nil
		}
		if seen[bookmark] {
			return closed, fmt.Errorf("CloseOthers answered bookmark %q a second time", bookmark)
		}
		seen[bookmark] = true
	}
}
