package trades_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// resaleListing is a USE licence over asset-2 that holderOnly sells under
// an OPERATION right the holder granted it (resale).
const resaleListing = "L-resale"

// resale has the seller (the holder of asset-2) grant holderOnly an
// OPERATION right over asset-2 that may be sublicensed and ends at until,
// and holderOnly list a USE licence under it to the same end; it returns
// the right. The trade's exchange is then Jiangsu's (holderOnly's region).
func (m *market) resale(t *testing.T, until time.Time) *model.Right {
	t.Helper()
	end := until.UTC().Format(time.RFC3339)
	r := m.Grant(t, seller, "asset-2", holderOnly, model.RightOperation,
		`{"purpose":"credit risk model","regions":["shanghai","jiangsu"],"validUntil":"`+end+`","maySublicense":true}`)
	m.Submit(holderOnly, "listings:Create", resaleListing, "asset-2", "USE",
		`{"purpose":"credit risk model","regions":["jiangsu"],"validUntil":"`+end+`"}`, "FIXED", "40000", markettest.Hash("t")).MustOK(t)
	return r
}

// A DELIVERED trade whose conveyance fails after its inspection deadline
// (the seller's OPERATION right revoked by its licensor, renounced by the
// seller in a trade opened before 13.0.0, or out of term; the licence's own
// term ended) was stranded: the
// buyer's Confirm and the seller's deemed acceptance are refused as the
// conveyance is, and a dispute was refused after the deadline, so the paid
// trade stayed DELIVERED for ever. Its buyer may now dispute it, exactly
// while the conveyance would be refused, and the exchange refunds it; its
// seller may not.
func TestAStrandedTradeGoesToTheExchange(t *testing.T) {
	inspected := model.TradeInspectionWindow + time.Second
	resold := sale{holderOnly, resaleListing, foreignOp}
	cases := []struct {
		name    string
		sale    sale
		strand  func(m *market, operation *model.Right)
		refusal ledgererr.Code // of the conveyance
	}{
		{"the seller's OPERATION right is revoked by its licensor", resold, func(m *market, operation *model.Right) {
			m.Net.Advance(inspected)
			m.Submit(seller, "rights:Revoke", operation.ID, "licence ended").MustOK(t)
		}, ledgererr.Forbidden},
		{"the seller renounces its OPERATION right (a trade opened before 13.0.0, which promised nothing)", resold, func(m *market, operation *model.Right) {
			m.Net.Advance(inspected)
			m.forget(t, "T1")
			m.Submit(holderOnly, "rights:Renounce", operation.ID).MustOK(t)
		}, ledgererr.Forbidden},
		{"the seller's OPERATION right runs out of term", resold, func(m *market, operation *model.Right) {
			m.Net.Advance(inspected + 24*time.Hour)
		}, ledgererr.Forbidden},
		{"the licence's term ends", sale{seller, "L-short", operator}, func(m *market, operation *model.Right) {
			m.Net.Advance(inspected + 24*time.Hour)
		}, ledgererr.Conflict},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := newMarket(t)
			c.strand(m, m.strandable(t, c.sale))

			m.refuse(t, c.refusal, "", buyer, "Confirm", "T1")
			m.refuse(t, c.refusal, "", c.sale.seller, "Confirm", "T1")

			disputed := m.do(t, buyer, "Dispute", "T1", "nothing was conveyed")
			require.Equal(t, model.TradeDisputed, disputed.Status)
			assert.Contains(t, disputed.Timeline[len(disputed.Timeline)-1].Note, "after the inspection, the conveyance is refused")
			m.refuse(t, c.refusal, "", c.sale.judge, "Resolve", "T1", model.OutcomeComplete, "the sale stands")
			assert.Equal(t, model.TradeCancelled, m.do(t, c.sale.judge, "Resolve", "T1", model.OutcomeRefund, "refunded").Status)
		})
	}
}

// A buyer does not escape a delivery that still conveys by disputing it
// late: the same trades, their sellers still entitled after the inspection,
// are refused a late dispute, and the seller's deemed acceptance completes
// them.
func TestALateDisputeOfADeliveryThatConveysIsRefused(t *testing.T) {
	for _, s := range []sale{{holderOnly, resaleListing, foreignOp}, {seller, "L-short", operator}} {
		t.Run(s.listing, func(t *testing.T) {
			m := newMarket(t)
			m.strandable(t, s)
			m.Net.Advance(model.TradeInspectionWindow + time.Second)

			m.refuse(t, ledgererr.Conflict, "", buyer, "Dispute", "T1", "changed my mind")
			assert.Equal(t, model.TradeCompleted, m.do(t, s.seller, "Confirm", "T1").Status)
		})
	}
}

// sale is who sells in a strandable trade, on which listing, and which
// operator judges its disputes.
type sale struct{ seller, listing, judge string }

// strandable lists s (a licence whose term, or whose seller's OPERATION
// right, ends a day after the inspection window) and takes trade T1 by the
// buyer on it to DELIVERED; it returns that OPERATION right (nil for the
// holder's own licence).
func (m *market) strandable(t *testing.T, s sale) (operation *model.Right) {
	t.Helper()
	until := m.Net.Now().Add(model.TradeInspectionWindow + 24*time.Hour)
	if s.seller == holderOnly {
		operation = m.resale(t, until)
	} else {
		m.listShortLicence(t, s.listing, until).MustOK(t)
	}
	m.do(t, buyer, "Order", "T1", s.listing)
	m.do(t, s.seller, "Accept", "T1")
	m.doWith(t, buyer, markettest.Payment(strconv.FormatInt(m.trade(t, "T1").PriceFen, 10)), "RecordPayment", "T1", "BANK-T1")
	m.do(t, s.seller, "Deliver", "T1", markettest.Hash("delivery of T1"))
	return operation
}
