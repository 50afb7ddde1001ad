package trades_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// withoutShanghai are the orgs of a majority of the test market without
// Shanghai, the org of the seller and of localBuyer.
var withoutShanghai = []string{markettest.Jiangsu, markettest.Anhui}

// by submits trades:function as who with transient data, endorsed by the
// peers of endorsers alone (the first one's peer runs the proposal).
func (m *market) by(who string, endorsers []string, transient map[string][]byte, function string, args ...string) chaincodetest.Result {
	return m.Net.Invoke(m.As(who), chaincodetest.Call{Function: "trades:" + function, Args: args, Transient: transient,
		PeerMSP: endorsers[0], Endorsers: endorsers})
}

// rewriteAlone has Shanghai's peers alone, running code of their own,
// write trade record tr at its key.
func (m *market) rewriteAlone(t *testing.T, tr *model.Trade) chaincodetest.Result {
	t.Helper()
	b, err := json.Marshal(tr)
	require.NoError(t, err)
	return m.Net.PutAlone(m.Admin(markettest.Shanghai), tradeKey(tr.ID), b)
}

// openedBefore18 puts trade id, between two of Shanghai's members, under
// "Shanghai, or a majority of orgs" (the policy
// state.RequirePartiesOrMajority sets for them), as an opening from 17.0.0
// and before 18.0.0 left a FIXED one: Shanghai's alone to rewrite.
func (m *market) openedBefore18(t *testing.T, id string, orgs []string) {
	t.Helper()
	m.putUnder(t, id, marshalled(t)(state.PartiesOrMajorityPolicy([]string{markettest.Shanghai}, orgs)), orgs)
}

// putUnder sets the key-level policy of trade id, whose buyer is
// localBuyer, of its trade~open entry and of its licence promise (those it
// has) to policy, the orgs endorsing the change (a majority meets the
// policy they have).
func (m *market) putUnder(t *testing.T, id string, policy []byte, orgs []string) {
	t.Helper()
	tr := m.trade(t, id)
	keys := []string{tradeKey(id), "licence~promise/" + tr.AssetID + "/" + tr.SellerID + "/" + tr.Timeline[0].TxID,
		chaincodetest.Key("trade~open", tr.ListingID, markettest.USCC(4), tr.BuyerMSP)}
	m.Net.InvokeFunc(m.Admin(orgs[0]), chaincodetest.Call{PeerMSP: orgs[0], Endorsers: orgs},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			for _, key := range keys {
				if m.Net.Ledger().State(key) == nil {
					continue
				}
				if err := stub.SetStateValidationParameter(key, policy); err != nil {
					return nil, err
				}
			}
			return nil, nil
		}).MustOK(t)
}

// majorityPolicy is the key-level policy of a FIXED trade between two
// members of one org opened from 18.0.0 in the test market: a majority of
// its orgs alone (state.RequireJointOrMajority), the bytes RequireMajority
// writes.
func majorityPolicy(t *testing.T) []byte {
	t.Helper()
	return marshalled(t)(state.MajorityPolicy(markettest.Orgs))
}

// marshalled encodes the policy a state helper built, as the chaincode
// writes it, failing t on an error.
func marshalled(t *testing.T) func(*common.SignaturePolicyEnvelope, error) []byte {
	return func(policy *common.SignaturePolicyEnvelope, err error) []byte {
		t.Helper()
		require.NoError(t, err)
		b, err := proto.Marshal(policy)
		require.NoError(t, err)
		return b
	}
}

// TestOneOrgAloneRewritesNoFixedTradeBetweenItsMembers: a FIXED trade
// between two of Shanghai's members is under a majority of the market's
// orgs alone from 18.0.0 (its key, its trade~open entry, its licence
// promise), no longer "Shanghai, or a majority", which was Shanghai's alone
// to rewrite. Before, Shanghai alone rewrote a PAID holding trade back to
// ACCEPTED with a past deadline, and an honest Expire released the lock on
// the holding its buyer paid for; rewrote an ACCEPTED licence trade to
// DELIVERED, for the buyer's Confirm to convey a licence never paid for;
// and deleted the trade's licence promise and its trade~open entry. Each
// is ENDORSEMENT_POLICY_FAILURE now, and the honest steps refuse the
// honest record.
func TestOneOrgAloneRewritesNoFixedTradeBetweenItsMembers(t *testing.T) {
	m := newMarket(t)
	want := majorityPolicy(t)

	// The Expire that released a paid holding.
	sale := *m.paid(t, "SALE", localBuyer, holdingListing) // seller and buyer both Shanghai's
	assert.Equal(t, want, m.Net.Ledger().ValidationParameter(tradeKey("SALE")), "a majority of the orgs alone")
	forged := sale
	forged.Status, forged.DeadlineAt = model.TradeAccepted, "2000-01-01T00:00:00Z"
	m.rewriteAlone(t, &forged).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
	markettest.RequireRefused(t, m.Submit(seller, "trades:Expire", "SALE"), ledgererr.Conflict, "")
	assert.Equal(t, model.TradePaid, m.trade(t, "SALE").Status)
	assert.Equal(t, "SALE", m.GetAsset(t, seller, "asset-1").HoldingLockedBy, "the paid holding stays locked")

	// The Confirm that conveyed an unpaid licence.
	m.do(t, localBuyer, "Order", "ACC", useListing)
	accepted := *m.do(t, seller, "Accept", "ACC")
	forged = accepted
	forged.Status, forged.DeliveryHash = model.TradeDelivered, markettest.Hash("nothing")
	m.rewriteAlone(t, &forged).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
	markettest.RequireRefused(t, m.Submit(localBuyer, "trades:Confirm", "ACC"), ledgererr.Conflict, "")
	assert.Equal(t, model.TradeAccepted, m.trade(t, "ACC").Status)

	// Its licence promise, and the trade~open entry of an order.
	promise := "licence~promise/asset-2/" + seller + "/" + accepted.Timeline[0].TxID
	require.NotNil(t, m.Net.Ledger().State(promise), "the accepted trade's promise")
	assert.Equal(t, want, m.Net.Ledger().ValidationParameter(promise))
	m.do(t, localBuyer, "Cancel", "ACC", "changed plans") // its buyer ends it before payment
	m.do(t, localBuyer, "Order", "ORD", useListing)
	entry := chaincodetest.Key("trade~open", useListing, markettest.USCC(4), markettest.Shanghai)
	require.NotNil(t, m.Net.Ledger().State(entry), "the order's entry")
	assert.Equal(t, want, m.Net.Ledger().ValidationParameter(entry))
	m.Net.PutAlone(m.Admin(markettest.Shanghai), entry, []byte(`{}`)).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")

	m.do(t, seller, "Accept", "ORD")
	ord := m.trade(t, "ORD")
	promise = "licence~promise/asset-2/" + seller + "/" + ord.Timeline[0].TxID
	require.NotNil(t, m.Net.Ledger().State(promise))
	m.Net.InvokeFunc(m.Admin(markettest.Shanghai), chaincodetest.Call{PeerMSP: markettest.Shanghai, Endorsers: []string{markettest.Shanghai}},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) { return nil, stub.DelState(promise) }).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
}

// Every step of a FIXED trade between two of Shanghai's members is
// endorsed by a majority without Shanghai: none reads the private terms
// (Accept and Order read their hash, which every peer holds; RecordPayment
// compares with the public price). Shanghai's peers alone stage its terms
// (its implicit collection), and are needed only for the second
// RequestPurge of a trade with terms, which purges them from that
// collection (its policy).
func TestAMajorityWithoutThePartiesOrgMovesAFixedTradeBetweenItsMembers(t *testing.T) {
	m := newMarket(t)
	m.StageTerms(localBuyer, "F1", "1", useListing, markettest.Terms("", "delivery by SFTP")).MustOK(t)
	m.by(localBuyer, withoutShanghai, nil, "Order", "F1", useListing).MustOK(t)
	require.Len(t, m.trade(t, "F1").Offers, 1, "the order carries its staged terms")
	m.by(seller, withoutShanghai, nil, "Accept", "F1").MustOK(t)
	m.by(localBuyer, withoutShanghai, markettest.Payment("50000"), "RecordPayment", "F1", "BANK-F1").MustOK(t)
	m.by(seller, withoutShanghai, nil, "Deliver", "F1", markettest.Hash("delivery")).MustOK(t)
	m.by(localBuyer, withoutShanghai, nil, "Confirm", "F1").MustOK(t)
	sale := m.trade(t, "F1")
	assert.Equal(t, model.TradeCompleted, sale.Status)
	assert.False(t, sale.Unsealed)
	m.by(localBuyer, withoutShanghai, nil, "RequestPurge", "F1").MustOK(t)
	m.by(seller, withoutShanghai, nil, "RequestPurge", "F1").MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
	m.by(seller, []string{markettest.Shanghai, markettest.Jiangsu}, nil, "RequestPurge", "F1").MustOK(t)
	assert.True(t, m.trade(t, "F1").TermsPurged)

	m.by(localBuyer, withoutShanghai, nil, "Order", "F2", useListing).MustOK(t)
	m.by(seller, withoutShanghai, nil, "Reject", "F2", "no").MustOK(t)
	m.by(localBuyer, withoutShanghai, nil, "Order", "F3", useListing).MustOK(t)
	m.by(localBuyer, withoutShanghai, nil, "Cancel", "F3", "changed plans").MustOK(t)
	m.paid(t, "F4", localBuyer, holdingListing)
	m.by(localBuyer, withoutShanghai, nil, "Dispute", "F4", "nothing delivered").MustOK(t)
	m.by(operator, withoutShanghai, nil, "Resolve", "F4", model.OutcomeRefund, "no delivery shown").MustOK(t)
	assert.Empty(t, m.GetAsset(t, seller, "asset-1").HoldingLockedBy, "the refund released the holding")
	order := m.by(localBuyer, withoutShanghai, nil, "Order", "F5", useListing).MustOK(t)
	m.Net.Advance(chaincodetest.ParseTime(t, tradeOf(t, order).DeadlineAt).Add(time.Second).Sub(m.Net.Now()))
	m.by(seller, withoutShanghai, nil, "Expire", "F5").MustOK(t)
	for id, status := range map[string]string{"F2": model.TradeRejected, "F3": model.TradeCancelled, "F4": model.TradeCancelled, "F5": model.TradeExpired} {
		assert.Equal(t, status, m.trade(t, id).Status, id)
	}
}

// A negotiation between two of Shanghai's members stays under "Shanghai,
// or a majority of the orgs" (interface 18.0.0 leaves it): RecordPayment
// checks the amount paid, which every endorsing peer receives, against the
// accepted terms' private price, which only Shanghai's peers hold (its
// implicit collection). A majority without Shanghai cannot record it, and
// one with Shanghai would hand the price to another org's peers; so
// Shanghai's peers still endorse it alone, and rewrite the trade alone.
func TestOneOrgStillRewritesANegotiationBetweenItsMembers(t *testing.T) {
	m := newMarket(t)
	m.offer(t, localBuyer, markettest.Terms("70000", "x"), "Propose", "N1", negListing)
	accepted := m.do(t, seller, "AcceptOffer", "N1")
	assert.Equal(t, eitherPolicy(t, markettest.Shanghai, markettest.Shanghai), m.Net.Ledger().ValidationParameter(tradeKey("N1")), "Shanghai, or a majority")

	r := m.by(localBuyer, withoutShanghai, markettest.Payment("70000"), "RecordPayment", "N1", "BANK-N1")
	require.Error(t, r.Err, "no peer of the majority without Shanghai holds the terms")
	assert.Contains(t, r.Err.Error(), "not a member of collection _implicit_org_"+markettest.Shanghai)
	m.by(localBuyer, []string{markettest.Shanghai}, markettest.Payment("70000"), "RecordPayment", "N1", "BANK-N1").MustOK(t)

	forged := *m.trade(t, "N1")
	forged.Status, forged.DeliveryHash = model.TradeDelivered, markettest.Hash("nothing")
	m.rewriteAlone(t, &forged).MustOK(t)
	assert.Equal(t, model.TradeAccepted, accepted.Status)
}

// A FIXED trade between two of Shanghai's members opened before 18.0.0
// keeps its policy: before 17.0.0 Shanghai alone, which no majority may
// change (only the orgs a policy names change it), so no step reseals it;
// from 17.0.0 "Shanghai, or a majority" (openedBefore18), which Shanghai
// rewrites alone, its policy too, whenever it likes, so that a majority's
// reseal would vouch for nothing written before it. Both are still taken
// as bound to their parties' org and move on with Shanghai alone.
func TestAFixedTradeOpenedBefore18BetweenOneOrgsMembersKeepsItsPolicy(t *testing.T) {
	m := newMarket(t)
	alone := []string{markettest.Shanghai}
	m.do(t, localBuyer, "Order", "OLD", useListing)
	m.putUnder(t, "OLD", chaincodetest.KeyPolicy(markettest.Shanghai), markettest.Orgs) // as a ledger before 17.0.0 left it
	m.Net.InvokeFunc(m.As(seller), chaincodetest.Call{PeerMSP: markettest.Jiangsu, Endorsers: withoutShanghai},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) { // a majority's reseal, without Shanghai
			return nil, stub.SetStateValidationParameter(tradeKey("OLD"), majorityPolicy(t))
		}).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
	m.by(seller, alone, nil, "Accept", "OLD").MustOK(t)
	m.rewriteAlone(t, m.trade(t, "OLD")).MustOK(t)

	m.do(t, localBuyer, "Order", "MID", useListing)
	m.openedBefore18(t, "MID", markettest.Orgs)
	m.by(seller, alone, nil, "Accept", "MID").MustOK(t)
	m.rewriteAlone(t, m.trade(t, "MID")).MustOK(t)
}
