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
// in its StatusReason, which then reads as a sale's does since. The rights
// of one answer are shown in one call (assets.TradeIDs.Show).
func (s tradeRefs) show(rights ...*model.Right) error {
	var named []assets.Named
	type soldIn struct {
		right   *model.Right
		tradeID *string
	}
	var legacy []soldIn
	for _, r := range rights {
		if r.Origin == model.OriginTrade {
			// Bought: the right names its buyer (holder) and seller (grantor).
			named = append(named, assets.Named{ID: &r.OriginRef, Parties: []string{r.HolderID, r.GrantorID}, Orgs: []string{r.HolderMSP}})
		}
		if tradeID, ok := strings.CutPrefix(r.StatusReason, legacySoldNote); ok && r.Status == model.RightSuperseded {
			legacy = append(legacy, soldIn{r, &tradeID})
			// Sold: the superseded holding names its seller (holder).
			named = append(named, assets.Named{ID: &tradeID, Parties: []string{r.HolderID}, Orgs: []string{r.HolderMSP}})
		}
	}
	if err := s.ids.Show(named...); err != nil {
		return err
	}
	for _, l := range legacy {
		if *l.tradeID == "" {
			l.right.StatusReason = soldNote
		}
	}
	return nil
}
