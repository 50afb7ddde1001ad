// Package publisher closes the periods of the published indices without a
// person: every gateway with a ledger index attests each closed period's
// figures for its org, and a gateway whose member is a regulator opens and
// publishes them. No region coordinates with another: each takes the
// period's last block from its own index by one rule (index.ClosingBlock:
// the block before the first block with a valid write of the period's
// publication record, its opening, which the chaincode makes only at or
// after the period's closing instant, model.PeriodClosesAt of its end),
// which every index that has read that block finds alike, so the regions
// compute the same figures and attest the same digest. A regulator's
// publisher opens a period at its closing instant; an operator's attests it
// once its index has read the opening.
// Two publishers may race: the period is opened once (the second Open is a
// conflict) and published once (the second Publish is a conflict); both are
// taken as done.
//
// It submits on the ledger itself, not through the transaction manager
// (package transactions) the HTTP routes share: no client retries it with an
// Idempotency-Key, each round reads the period's record and the org's
// attestation again, which resolves a transaction whose outcome was unknown
// by what committed, and the refusals it meets are passing (a majority not
// yet attested), which an outcome kept under a key would repeat.
package publisher

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/internal/ctxsleep"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// Index is what the publisher reads of the gateway's ledger index.
type Index interface {
	WaitFor(ctx context.Context, block uint64) error
	ClosingBlock(ctx context.Context, period string) (toBlock uint64, closed, empty bool, err error)
	ComputePeriod(ctx context.Context, period string, toBlock uint64) (*ledgerindex.ComputedIndices, string, error)
}

// Config is what the publisher closes, and as whom.
type Config struct {
	// Member is the wallet member it acts as: a regulator attests and
	// publishes, an operator attests only.
	Member string
	// MSPID is the gateway's org, whose peers alone endorse its attestation.
	MSPID string
	// Kinds are the kinds of period it closes (model.PeriodKinds).
	Kinds []string
	// Lookback is how many of the latest periods of each kind whose closing
	// instant (model.PeriodClosesAt) has come it looks at on each round (a
	// gateway that was down catches up on them), besides those that ended
	// since.
	Lookback int
	// Interval is the time between rounds.
	Interval time.Duration
}

// Publisher closes periods on a ledger, from an index.
type Publisher struct {
	ledger chain.Ledger
	index  Index
	cfg    Config
	log    *slog.Logger
	now    func() time.Time
}

// New returns a publisher; Run starts it.
func New(ledger chain.Ledger, index Index, cfg Config, log *slog.Logger) *Publisher {
	return &Publisher{ledger: ledger, index: index, cfg: cfg, log: log, now: time.Now}
}

// Run makes a round every Interval until ctx ends. It first reads whether
// its member is a regulator (it publishes) or an operator (it attests); a
// member that is neither closes nothing, which it logs.
func (p *Publisher) Run(ctx context.Context) {
	me := chain.AwaitWhoAmI(ctx, p.ledger, p.cfg.Member, p.cfg.Interval, func(err error) {
		p.log.Warn("indices: reading the publisher's member failed; trying again", "member", p.cfg.Member, "error", err.Error())
	})
	if me == nil {
		return
	}
	publishes := slices.Contains(me.Roles, model.RoleRegulator)
	if !publishes && !slices.Contains(me.Roles, model.RoleOperator) {
		p.log.Warn("indices: the publisher's member is neither a regulator nor an operator: no period is closed by this gateway",
			"member", p.cfg.Member, "roles", me.Roles)
		return
	}
	p.log.Info("indices: closing periods by themselves", "member", p.cfg.Member, "publishes", publishes, "kinds", p.cfg.Kinds,
		"interval", p.cfg.Interval.String())
	ctxsleep.Every(ctx, p.cfg.Interval, func() { p.Round(ctx, publishes) })
}

// Round closes the ended periods of the configured kinds (periods) as far
// as it can now; a period it cannot close yet (the index has read no block
// that closes it, too few regions have attested) is tried again next
// round. It reports the periods it published or found published.
func (p *Publisher) Round(ctx context.Context, publishes bool) (published []string) {
	now := p.now()
	for _, kind := range p.cfg.Kinds {
		for _, period := range p.periods(kind, now) {
			done, err := p.close(ctx, period, publishes)
			if errors.Is(err, errNotClosed) {
				p.log.Debug("indices: a period is not closed yet; trying again next round", "period", period)
				continue
			}
			if err != nil {
				p.log.Info("indices: a period is not published yet; trying again next round", "period", period, "error", err.Error())
				continue
			}
			if done {
				published = append(published, period)
			}
		}
	}
	return published
}

// periods names, latest first, the Lookback latest ended periods of kind
// whose closing instant (model.PeriodClosesAt) has come at now: only their
// opening closes a period (index.ClosingBlock), and indices:Open opens none
// sooner, so a period ended since is not looked at, nor asked about.
func (p *Publisher) periods(kind string, now time.Time) []string {
	return model.OpenablePeriods(kind, now, p.cfg.Lookback)
}

// errNotClosed says the index has read no block that closes the period yet.
var errNotClosed = errors.New("the index has read no opening of the period (indices:Open) yet")

// close attests the period for the org and, for a regulator, opens and
// publishes it. done is true once the period is published (by anyone) or
// has nothing to publish.
func (p *Publisher) close(ctx context.Context, period string, publishes bool) (done bool, err error) {
	publication, err := p.publication(ctx, period)
	if err != nil {
		return false, err
	}
	if publication != nil && publication.Status == model.PublicationPublished {
		return true, nil
	}
	toBlock, closed, empty, err := p.index.ClosingBlock(ctx, period)
	if err != nil {
		return false, err
	}
	if empty {
		return true, nil // it ended before the ledger's first transaction
	}
	// Opening the period is what closes it for every region that reads its block; indices:Open makes it only
	// at the period's closing instant, by the transaction's stamp and by the endorsing peers' clocks, which
	// Round's periods have reached (by this gateway's clock).
	opened := publication != nil
	if !closed && publishes && !opened {
		if opened, err = p.open(ctx, period); err != nil {
			return false, err
		}
		toBlock, closed, _, err = p.index.ClosingBlock(ctx, period)
		if err != nil {
			return false, err
		}
	}
	if !closed {
		return false, errNotClosed
	}
	computed, figures, err := p.index.ComputePeriod(ctx, period, toBlock)
	if err != nil {
		return false, err
	}
	if err := p.attest(ctx, computed); err != nil {
		return false, fmt.Errorf("attesting: %w", err)
	}
	if !publishes {
		return false, nil
	}
	if !opened { // the index has read an opening the chain did not answer yet (its peer behind): a conflict
		if opened, err = p.open(ctx, period); err != nil {
			return false, err
		}
	}
	return p.publish(ctx, computed, figures)
}

// publication reads the period's record; nil when none is opened. A record
// the chain does not vouch for (indices:Get answers CONFLICT: orgs wrote it
// with code of their own, a majority as the chaincode's policy asks) reads
// as opened and not published:
// indices:Open will not open the period again, and indices:Publish
// publishes over it what a majority attests.
func (p *Publisher) publication(ctx context.Context, period string) (*model.Publication, error) {
	b, err := p.ledger.Evaluate(ctx, p.cfg.Member, "indices:Get", []string{period})
	if err != nil {
		switch chain.AsError(err).Code {
		case ledgererr.NotFound:
			return nil, nil
		case ledgererr.Conflict:
			return &model.Publication{Period: period}, nil
		}
		return nil, err
	}
	var out model.Publication
	return &out, json.Unmarshal(b, &out)
}

// open opens the period and waits until the index has read the block that
// holds the opening; another publisher's opening is as good.
func (p *Publisher) open(ctx context.Context, period string) (bool, error) {
	sub, err := p.ledger.Submit(ctx, p.cfg.Member, "indices:Open", []string{period})
	if err != nil {
		if chain.AsError(err).Code == ledgererr.Conflict {
			return true, nil
		}
		return false, fmt.Errorf("opening: %w", err)
	}
	return true, p.index.WaitFor(ctx, sub.BlockNumber)
}

// attest records the org's attestation of the figures unless the org has
// already attested this very digest.
func (p *Publisher) attest(ctx context.Context, c *ledgerindex.ComputedIndices) error {
	own := chain.WithEndorsingOrganizations(p.cfg.MSPID)
	f := c.Figures
	if b, err := p.ledger.Evaluate(ctx, p.cfg.Member, "indices:MyAttestation", []string{f.Period}, own); err == nil {
		var a model.Attestation
		if json.Unmarshal(b, &a) == nil && a.Digest == c.Digest {
			return nil
		}
	} else if chain.AsError(err).Code != ledgererr.NotFound {
		return err
	}
	_, err := p.ledger.Submit(ctx, p.cfg.Member, "indices:Attest",
		[]string{f.Period, fmt.Sprint(f.FromBlock), fmt.Sprint(f.ToBlock), c.InputHash, c.FiguresHash}, own)
	if err == nil {
		p.log.Info("indices: attested", "period", f.Period, "to_block", f.ToBlock, "digest", c.Digest)
	}
	return err
}

// publish publishes the figures, endorsed as Fabric plans it, else by each
// majority of the market's orgs in turn while endorsers refuse (Fabric's
// plan may pick an org that has not attested yet). A publication already
// made by another publisher is as good.
func (p *Publisher) publish(ctx context.Context, c *ledgerindex.ComputedIndices, figures string) (bool, error) {
	f := c.Figures
	args := []string{f.Period, fmt.Sprint(f.FromBlock), fmt.Sprint(f.ToBlock), c.InputHash, figures}
	plans := [][]string{nil}
	if orgs, err := p.orgs(ctx); err == nil {
		plans = append(plans, majorities(orgs)...)
	}
	var err error
	for _, plan := range plans {
		if _, err = p.ledger.Submit(ctx, p.cfg.Member, "indices:Publish", args, chain.WithEndorsingOrganizations(plan...)); err == nil {
			p.log.Info("indices: published", "period", f.Period, "to_block", f.ToBlock, "digest", c.Digest)
			return true, nil
		}
		e := chain.AsError(err)
		if e.Code == ledgererr.Conflict {
			return true, nil // published by another publisher
		}
		if e.Code != ledgererr.Forbidden && e.Kind != chain.KindEndorsement {
			// Not a plan's fault: the record changed under the transaction
			// (another publisher's commit, MVCC_READ_CONFLICT), or the peer
			// is unwell. The next round reads the record again.
			break
		}
	}
	return false, fmt.Errorf("publishing: %w", err)
}

// orgs reads the market's orgs from the rules in force.
func (p *Publisher) orgs(ctx context.Context) ([]string, error) {
	b, err := p.ledger.Evaluate(ctx, p.cfg.Member, "market:GetRules", nil)
	if err != nil {
		return nil, err
	}
	var rules model.MarketRules
	if err := json.Unmarshal(b, &rules); err != nil {
		return nil, err
	}
	orgs := rules.MSPIDs()
	slices.Sort(orgs)
	return orgs, nil
}

// majorities returns every set of just over half of the orgs, in order.
func majorities(orgs []string) [][]string {
	need := len(orgs)/2 + 1
	var out [][]string
	var pick func(start int, chosen []string)
	pick = func(start int, chosen []string) {
		if len(chosen) == need {
			out = append(out, slices.Clone(chosen))
			return
		}
		for i := start; i < len(orgs); i++ {
			pick(i+1, append(chosen, orgs[i]))
		}
	}
	pick(0, nil)
	return out
}
