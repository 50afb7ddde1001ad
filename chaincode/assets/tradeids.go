package assets

import (
	"slices"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Trades is what the register and the listings need of the trades contract
// (package trades, which depends on both and so is passed in): who may read
// a trade.
type Trades interface {
	// Read prepares reading the trades tradeIDs name: reads, to make in one
	// request, after which the judge it returns tells who may read each.
	Read(ctx state.Context, tradeIDs []string) ([]*state.Read, TradeJudge, error)
}

// TradeJudge tells, once the trades of a Trades.Read are read, whether p
// may read each (trades:Get) under the market rules in force: false for an
// ID that names no trade.
type TradeJudge func(p *model.Participant, rules *model.Rules) func(tradeID string) bool

// TradeIDs shows the IDs of trades in public answers (an asset's
// HoldingLockedBy, a history entry's TradeID, a listing's SoldTradeID) only
// to a caller who may read that trade, and blanks them for everyone else:
// trades:Get answers a stranger a trade as one that does not exist, and no
// other answer tells it that the trade does. That a holding is promised or a
// listing SOLD stays public (the status, the market's statistics); only the
// link to the trade is hidden.
type TradeIDs struct {
	ctx    state.Context
	trades Trades
}

// NewTradeIDs returns the TradeIDs of one answer to ctx's caller. A caller
// that is no participant in force (an identity not registered, a member
// suspended) is shown none: the register and the listings answer every
// identity of the channel, as before.
func NewTradeIDs(ctx state.Context, trades Trades) *TradeIDs {
	return &TradeIDs{ctx: ctx, trades: trades}
}

// Show blanks each of ids that the caller may not read, all of an answer's
// at once: the trades they name are read in the request that resolves the
// caller and reads the market rules, so that an answer costs the same
// requests to the peer however many trades it names, and one naming none
// costs none. Each call resolves the caller anew: one per answer.
func (s *TradeIDs) Show(ids ...*string) error {
	var named []string
	for _, id := range ids {
		if *id != "" {
			named = append(named, *id)
		}
	}
	if len(named) == 0 {
		return nil
	}
	slices.Sort(named)
	reads, judge, err := s.trades.Read(s.ctx, slices.Compact(named))
	if err != nil {
		return err
	}
	may := func(string) bool { return false }
	p, rules, err := participants.CallerWithRules(s.ctx, reads...)
	switch {
	case err == nil:
		may = judge(p, rules)
	case ledgererr.CodeOf(err) != ledgererr.Forbidden:
		return err
	}
	for _, id := range ids {
		if *id != "" && !may(*id) {
			*id = ""
		}
	}
	return nil
}

// ShowEach is Show for each of items, the trade ID of each being what id
// points to: the IDs of a page, in one Show.
func ShowEach[T any](s *TradeIDs, items []T, id func(T) *string) error {
	ids := make([]*string, len(items))
	for i, item := range items {
		ids[i] = id(item)
	}
	return s.Show(ids...)
}
