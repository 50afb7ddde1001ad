package trades

import (
	"fmt"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
)

// soldReason is the note of the step that closes a trade a sale of the
// holding of its asset beat (closeLosers). It names no trade: the trade's
// buyer may not read the sale.
const soldReason = "closed: the holding of asset %q was sold"

// legacySoldReason was that note before interface 10.0.0, naming the sale;
// such records stay on the ledger.
const legacySoldReason = soldReason + " in trade %q"

// legacySoldNote is a step a sale closed before 10.0.0, the asset it named
// and the sale, which shows only to who may read it.
type legacySoldNote struct {
	step    *model.Step
	assetID string
	saleID  string
	// trade is the trade the sale closed: the sale had its seller, on a
	// listing of its region (assets.Named).
	trade *model.Trade
}

// legacySoldNotes finds, in the timelines of trades, the steps of a sale
// closing them whose note names the sale (legacySoldReason): the step the
// sale took, by no participant, not a party's reason that reads alike.
func legacySoldNotes(trades []*model.Trade) []*legacySoldNote {
	var notes []*legacySoldNote
	for _, t := range trades {
		for i := range t.Timeline {
			s := &t.Timeline[i]
			if s.State != model.TradeCancelled || s.By != "" {
				continue
			}
			n := &legacySoldNote{step: s, trade: t}
			if _, err := fmt.Sscanf(s.Note, legacySoldReason, &n.assetID, &n.saleID); err == nil && fmt.Sprintf(legacySoldReason, n.assetID, n.saleID) == s.Note {
				notes = append(notes, n)
			}
		}
	}
	return notes
}

// showSoldNotes rewrites, in the trades of one answer, each note a sale
// closing them wrote before 10.0.0 that names a sale the caller may not read
// (assets.TradeIDs, the trades:Get rule) as the sale's note reads since:
// its buyer, and an operator of its buyer's region, read a trade the sale
// beat, not the sale. The stored record keeps it.
func showSoldNotes(ctx state.Context, trades ...*model.Trade) error {
	notes := legacySoldNotes(trades)
	named := make([]assets.Named, len(notes))
	for i, n := range notes {
		named[i] = assets.Named{ID: &n.saleID, Parties: []string{n.trade.SellerID}, Regions: []string{n.trade.Region}}
	}
	if err := assets.NewTradeIDs(ctx, Readers{}).Show(named...); err != nil {
		return err
	}
	for _, n := range notes {
		if n.saleID == "" {
			n.step.Note = fmt.Sprintf(soldReason, n.assetID)
		}
	}
	return nil
}

// forgetSales rewrites the notes of t that name a sale before 10.0.0 as
// they read since, without reading the sale: a transaction that writes t
// hands its whole record to whoever submits it, its buyer too, who may not
// read the sale, and reading the sale to decide would hand it the sale's key
// in the read set.
func forgetSales(t *model.Trade) {
	for _, n := range legacySoldNotes([]*model.Trade{t}) {
		n.step.Note = fmt.Sprintf(soldReason, n.assetID)
	}
}

// shownPage returns a page of trades, as a list reads it, with their
// completion marks (showSeals) and their notes shown to its caller
// (showSoldNotes).
func shownPage(ctx state.Context) func(*model.TradePage, error) (*model.TradePage, error) {
	return func(page *model.TradePage, err error) (*model.TradePage, error) {
		if err != nil {
			return nil, err
		}
		if err := showSeals(ctx, page.Items); err != nil {
			return nil, err
		}
		return page, showSoldNotes(ctx, page.Items...)
	}
}
