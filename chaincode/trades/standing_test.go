package trades_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// endStanding has the admin of who's org suspend it, or release its
// enterprise: it is no longer ACTIVE.
func (m *market) endStanding(t *testing.T, msp, who, how string) {
	t.Helper()
	admin := m.Admin(msp)
	if how == model.ParticipantReleased {
		var p model.Participant
		m.Evaluate(who, "participants:WhoAmI").Unmarshal(t, &p)
		m.Net.Submit(admin, "participants:ReleaseEnterprise", p.USCC, "moves to another region").MustOK(t)
		return
	}
	m.Net.Submit(admin, "participants:Suspend", who, "under investigation").MustOK(t)
}

// A participant whose standing ended (suspended, or its enterprise released)
// takes no step in a trade or a listing, and nobody trades with it as a
// seller: an order or an acceptance of its counter-offer is refused, since
// it could not deliver. The exchange still takes its listing off the market.
func TestNobodyTradesWithAParticipantWhoseStandingEnded(t *testing.T) {
	for _, how := range []string{model.ParticipantSuspended, model.ParticipantReleased} {
		t.Run(how, func(t *testing.T) {
			m := newMarket(t)
			m.do(t, buyer, "Order", "T1", useListing)
			m.offer(t, buyer, markettest.Terms("70000", ""), "Propose", "N1", negListing)
			m.offer(t, seller, markettest.Terms("75000", ""), "Counter", "N1")
			m.do(t, buyer2, "Order", "T2", useListing)
			m.do(t, buyer2, "Cancel", "T2", "later")
			m.endStanding(t, markettest.Shanghai, seller, how)

			m.refuse(t, ledgererr.Conflict, "", buyer2, "Order", "T3", useListing)
			m.StageTerms(buyer2, "N2", "1", negListing, markettest.Terms("70000", "")).MustOK(t)
			m.refuse(t, ledgererr.Conflict, "", buyer2, "Propose", "N2", negListing)
			m.refuse(t, ledgererr.Conflict, "", buyer, "AcceptOffer", "N1")
			m.refuse(t, ledgererr.Forbidden, "", seller, "Accept", "T1")
			m.refuse(t, ledgererr.Forbidden, "", seller, "RequestPurge", "T2")
			for _, call := range [][]string{{"UpdatePrice", useListing, "60000", "dearer"}, {"Delist", useListing, "gone"}} {
				m.Refuse(t, ledgererr.Forbidden, "", func() chaincodetest.Result { return m.Submit(seller, "listings:"+call[0], call[1:]...) })
			}
			m.Submit(operator, "listings:Delist", useListing, "the seller no longer trades").MustOK(t)
			// The buyer, still in good standing, ends what it started.
			m.do(t, buyer, "Cancel", "T1", "the seller no longer trades")
		})
	}
}

// A buyer whose standing ended takes no step either: no order, payment,
// confirmation, cancellation or dispute.
func TestABuyerWhoseStandingEndedTakesNoStep(t *testing.T) {
	for _, how := range []string{model.ParticipantSuspended, model.ParticipantReleased} {
		t.Run(how, func(t *testing.T) {
			m := newMarket(t)
			m.do(t, buyer, "Order", "T1", useListing)
			m.do(t, seller, "Accept", "T1")
			m.delivered(t, "T2", buyer, holdingListing)
			m.endStanding(t, markettest.Jiangsu, buyer, how)

			m.refuse(t, ledgererr.Forbidden, "", buyer, "Order", "T3", useListing)
			m.refuseWith(t, ledgererr.Forbidden, "", buyer, markettest.Payment("50000"), "RecordPayment", "T1", "BANK-T1")
			m.refuse(t, ledgererr.Forbidden, "", buyer, "Cancel", "T1", "no")
			m.refuse(t, ledgererr.Forbidden, "", buyer, "Confirm", "T2")
			m.refuse(t, ledgererr.Forbidden, "", buyer, "Dispute", "T2", "no")
		})
	}
}

// A sale conveys nothing to a buyer whose standing ended, as rights.Grant
// and rights.TransferHolding offer nothing to one: the exchange resolving a
// dispute cannot complete it, which would leave a RELEASED participant, who
// never acts again, holding the asset (nobody could list, license or move it
// any more), or give a suspended one a right while it is shut out. The
// exchange refunds instead, or completes once a suspended buyer is
// reinstated.
func TestASaleConveysNothingToABuyerWhoseStandingEnded(t *testing.T) {
	for _, how := range []string{model.ParticipantSuspended, model.ParticipantReleased} {
		t.Run(how, func(t *testing.T) {
			m := newMarket(t)
			m.delivered(t, "T1", buyer, holdingListing)
			m.delivered(t, "T2", buyer, useListing)
			m.endStanding(t, markettest.Jiangsu, buyer, how)
			m.do(t, seller, "Dispute", "T1", "the buyer never confirmed")
			m.do(t, seller, "Dispute", "T2", "the buyer never confirmed")

			m.refuse(t, ledgererr.Conflict, "", operator, "Resolve", "T1", model.OutcomeComplete, "delivered")
			m.refuse(t, ledgererr.Conflict, "", operator, "Resolve", "T2", model.OutcomeComplete, "delivered")
			assert.Equal(t, seller, m.GetAsset(t, seller, "asset-1").HolderID)
			if how == model.ParticipantSuspended {
				m.Net.Submit(m.Admin(markettest.Jiangsu), "participants:Reinstate", buyer).MustOK(t)
				assert.Equal(t, model.TradeCompleted, m.do(t, operator, "Resolve", "T1", model.OutcomeComplete, "delivered").Status)
				assert.Equal(t, buyer, m.GetAsset(t, seller, "asset-1").HolderID)
				return
			}
			assert.Equal(t, model.TradeCancelled, m.do(t, operator, "Resolve", "T1", model.OutcomeRefund, "the buyer left the market").Status)
			assert.Empty(t, m.GetAsset(t, seller, "asset-1").HoldingLockedBy, "the refund frees the holding")
		})
	}
}

// A seller whose standing ended after delivering still completes the sale
// it was paid for: the buyer's Confirm conveys the holding, the right it
// bought, out of what the seller still holds (complete reads the seller, not
// its standing), so the buyer, in good standing, loses nothing to the
// seller's suspension or release, and a released seller's asset passes to a
// participant who acts.
func TestABuyerStillReceivesWhatASellerWhoseStandingEndedDelivered(t *testing.T) {
	for _, how := range []string{model.ParticipantSuspended, model.ParticipantReleased} {
		t.Run(how, func(t *testing.T) {
			m := newMarket(t)
			m.delivered(t, "T1", buyer, holdingListing)
			m.endStanding(t, markettest.Shanghai, seller, how)
			assert.Equal(t, model.TradeCompleted, m.do(t, buyer, "Confirm", "T1").Status)
			assert.Equal(t, buyer, m.GetAsset(t, buyer, "asset-1").HolderID)
		})
	}
}

// A buyer released after its inspection deadline left a DELIVERED trade no
// party could move: it never acts again, the sale conveys nothing to it,
// and its seller's late dispute was refused, so the holding the trade locked
// stayed so for ever. Its seller may
// now put the trade before the exchange, which refunds it.
func TestASellerDisputesLateTheTradeOfAReleasedBuyer(t *testing.T) {
	m := newMarket(t)
	m.delivered(t, "T1", buyer, holdingListing)
	m.delivered(t, "T2", buyer, useListing)
	m.Net.Advance(model.TradeInspectionWindow + time.Second)
	m.endStanding(t, markettest.Jiangsu, buyer, model.ParticipantReleased)

	for _, id := range []string{"T1", "T2"} {
		m.refuse(t, ledgererr.Conflict, "", seller, "Confirm", id)
		m.do(t, seller, "Dispute", id, "the buyer left the market")
		assert.Equal(t, model.TradeCancelled, m.do(t, operator, "Resolve", id, model.OutcomeRefund, "the buyer left the market").Status)
	}
	assert.Empty(t, m.GetAsset(t, seller, "asset-1").HoldingLockedBy, "the refund frees the holding")
}

// A buyer its own org suspends after the inspection deadline left a
// DELIVERED trade only its org could move: the seller's deemed acceptance
// conveys nothing to a suspended member and the seller's late dispute was
// refused until the buyer was RELEASED, so the holding the trade locked (a
// licence trade its promise) stayed locked for as long as the buyer's org did
// not reinstate it. Its seller may now put the trade before the exchange,
// which gives the suspended buyer nothing and completes the sale once the
// buyer is reinstated, or refunds it: the impartial exchange, not the
// seller, decides whether the sale stands. While the buyer is ACTIVE the
// late dispute is still refused.
func TestASellerDisputesLateTheTradeOfASuspendedBuyer(t *testing.T) {
	m := newMarket(t)
	m.delivered(t, "T1", buyer, holdingListing)
	m.delivered(t, "T2", buyer, useListing)
	m.Net.Advance(model.TradeInspectionWindow + time.Second)
	m.refuse(t, ledgererr.Conflict, "", seller, "Dispute", "T1", "the buyer is ACTIVE")
	m.endStanding(t, markettest.Jiangsu, buyer, model.ParticipantSuspended)

	for _, id := range []string{"T1", "T2"} {
		m.refuse(t, ledgererr.Conflict, "", seller, "Confirm", id)
		disputed := m.do(t, seller, "Dispute", id, "the buyer is suspended")
		assert.Equal(t, model.TradeDisputed, disputed.Status)
		assert.Contains(t, disputed.Timeline[len(disputed.Timeline)-1].Note, model.ParticipantSuspended, "the timeline says why")
		m.refuse(t, ledgererr.Conflict, "", operator, "Resolve", id, model.OutcomeComplete, "delivered")
	}
	assert.Equal(t, seller, m.GetAsset(t, seller, "asset-1").HolderID, "nothing goes to a suspended buyer")
	assert.NotEmpty(t, m.GetAsset(t, seller, "asset-1").HoldingLockedBy, "the exchange decides: the holding waits for it")

	m.Reinstate(t, markettest.Jiangsu, buyer)
	assert.Equal(t, model.TradeCompleted, m.do(t, operator, "Resolve", "T1", model.OutcomeComplete, "delivered").Status)
	assert.Equal(t, buyer, m.GetAsset(t, buyer, "asset-1").HolderID)
	assert.Equal(t, model.TradeCancelled, m.do(t, operator, "Resolve", "T2", model.OutcomeRefund, "refunded").Status)
}

// A buyer whose org's binding of its enterprise is no longer in force (its org
// removed, the enterprise registered in another, its org named again) acts no
// more; the sale it bought no longer completes either, by the seller's deemed
// acceptance or the exchange's decision, or the holding would go to the old
// org's record of an enterprise another org now holds. Its seller may put the
// trade before the exchange, which refunds it. Nor is it offered a licence or
// a holding (rights:Grant, TransferHolding).
func TestABuyerWhoseBindingIsNotInForceReceivesNothing(t *testing.T) {
	m := newMarket(t)
	m.delivered(t, "T1", buyer, holdingListing)
	m.Net.Advance(model.TradeInspectionWindow + time.Second)
	majority := []chaincodetest.Identity{m.Admin(markettest.Shanghai), m.Admin(markettest.Anhui)}
	before := rulestest.Current(t, m.Net, majority[0]).Rules
	without := before
	without.Version++
	without.Orgs = nil
	for _, o := range before.Orgs {
		if o.MSPID != markettest.Jiangsu {
			without.Orgs = append(without.Orgs, o)
		}
	}
	rulestest.Change(t, m.Net, majority, &without)
	m.Join(t, markettest.Shanghai, "sh.buyer", "buyer", markettest.USCC(2))
	back := before
	back.Version = without.Version + 1
	rulestest.Change(t, m.Net, majority, &back)

	r := m.Submit(seller, "trades:Confirm", "T1")
	registertest.RequireCode(t, r, ledgererr.Forbidden, "")
	assert.Contains(t, r.Message, "its participants in JiangsuMSP act for it no more", "the refusal of caller resolution")
	m.do(t, seller, "Dispute", "T1", "the buyer's enterprise moved to Shanghai")
	m.refuse(t, ledgererr.Forbidden, "", operator, "Resolve", "T1", model.OutcomeComplete, "the sale stands")
	assert.Equal(t, model.TradeCancelled, m.do(t, operator, "Resolve", "T1", model.OutcomeRefund, "refunded").Status)
	assert.Equal(t, seller, m.GetAsset(t, seller, "asset-1").HolderID)
	// Nor is it offered a licence or the holding.
	registertest.RequireCode(t, m.Submit(seller, "rights:Grant", "asset-2", buyer, "USE", useScope), ledgererr.Forbidden, "")
	registertest.RequireCode(t, m.Submit(seller, "rights:TransferHolding", "asset-1", buyer, "merger"), ledgererr.Forbidden, "")
}
