package rights

import (
	"strings"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
)

// soldNote is the StatusReason of a holding superseded by a sale. It names
// no trade: the new holding's OriginRef does, to those who may read it.
const soldNote = "sold in a trade"

// legacySoldNote began the StatusReason of a holding superseded by a sale
// before interface 10.0.0, followed by the trade's ID; such records stay on
// the ledger.
const legacySoldNote = "sold in trade "

// tradeRefs shows the trades rights were bought or sold in to the caller of
// one answer as the register and the listings do (assets.TradeIDs): the
// OriginRef of a right of origin TRADE to who may read that trade alone, and
// blank to everyone else. The stored record keeps it.
type tradeRefs struct{ ids *assets.TradeIDs }

func (c *Contract) tradeRefs(ctx state.Context) tradeRefs {
	return tradeRefs{ids: assets.NewTradeIDs(ctx, c.trades)}
}

// show blanks, in each of rights, the trade IDs its caller may not read:
// OriginRef of origin TRADE, and the ID a holding sold before 10.0.0 names
// in its StatusReason, which then reads as a sale's does since.
func (s tradeRefs) show(rights ...*model.Right) error {
	for _, r := range rights {
		if r.Origin == model.OriginTrade {
			if err := s.ids.Show(&r.OriginRef); err != nil {
				return err
			}
		}
		if tradeID, ok := strings.CutPrefix(r.StatusReason, legacySoldNote); ok && r.Status == model.RightSuperseded {
			if err := s.ids.Show(&tradeID); err != nil {
				return err
			}
			if tradeID == "" {
				r.StatusReason = soldNote
			}
		}
	}
	return nil
}
