package assets

import (
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Trades is what the register and the listings need of the trades contract
// (package trades, which depends on both and so is passed in): who may read
// a trade.
type Trades interface {
	// MayRead reports whether p may read trade tradeID (trades:Get); false
	// for an ID that names no trade.
	MayRead(ctx state.Context, p *model.Participant, tradeID string) (bool, error)
}

// TradeIDs shows the IDs of trades in public answers (an asset's
// HoldingLockedBy, a history entry's TradeID, a listing's SoldTradeID) only
// to a caller who may read that trade, and blanks them for everyone else:
// trades:Get answers a stranger a trade as one that does not exist, and no
// other answer tells it that the trade does. That a holding is promised or a
// listing SOLD stays public (the status, the market's statistics); only the
// link to the trade is hidden.
type TradeIDs struct {
	ctx      state.Context
	trades   Trades
	caller   *model.Participant
	resolved bool
}

// NewTradeIDs returns the TradeIDs of one answer to ctx's caller. The caller
// is resolved at the first ID to show, so an answer naming no trade costs no
// read, and a caller that is no participant in force (an identity not
// registered, a member suspended) is shown none: the register and the
// listings answer every identity of the channel, as before.
func NewTradeIDs(ctx state.Context, trades Trades) *TradeIDs {
	return &TradeIDs{ctx: ctx, trades: trades}
}

// Show blanks *id unless the caller may read trade *id.
func (s *TradeIDs) Show(id *string) error {
	if *id == "" {
		return nil
	}
	if !s.resolved {
		p, err := participants.Caller(s.ctx)
		if err != nil && ledgererr.CodeOf(err) != ledgererr.Forbidden {
			return err
		}
		s.caller, s.resolved = p, true
	}
	if s.caller == nil {
		*id = ""
		return nil
	}
	may, err := s.trades.MayRead(s.ctx, s.caller, *id)
	if err != nil {
		return err
	}
	if !may {
		*id = ""
	}
	return nil
}

// ShowEach is Show for each of items, the trade ID of each being what id
// points to: the IDs of a page, for one resolution of its caller.
func ShowEach[T any](s *TradeIDs, items []T, id func(T) *string) error {
	for _, item := range items {
		if err := s.Show(id(item)); err != nil {
			return err
		}
	}
	return nil
}
