//go:build e2e

package e2e

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/canonical"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/network/demo"
)

type asset struct {
	ID             string `json:"id"`
	HolderID       string `json:"holderId"`
	HolderMSP      string `json:"holderMsp"`
	Status         string `json:"status"`
	NoticeEndsAt   string `json:"noticeEndsAt"`
	CertificateID  string `json:"certificateId"`
	HoldingRightID string `json:"holdingRightId"`
}

type right struct {
	ID        string `json:"id"`
	AssetID   string `json:"assetId"`
	Type      string `json:"type"`
	HolderID  string `json:"holderId"`
	Origin    string `json:"origin"`
	OriginRef string `json:"originRef"`
	Status    string `json:"status"`
}

type listing struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	PriceFen    int64  `json:"priceFen"`
	SoldTradeID string `json:"soldTradeId"`
}

type trade struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Offers []struct {
		Round     int    `json:"round"`
		By        string `json:"by"`
		TermsHash string `json:"termsHash"`
	} `json:"offers"`
	RightID string `json:"rightId"`
}

// historyEntry is one entry of an asset's history (model.HistoryEntry).
type historyEntry struct {
	At       string `json:"at"`
	TxID     string `json:"txId"`
	Action   string `json:"action"`
	RightID  string `json:"rightId"`
	TradeID  string `json:"tradeId"`
	HolderID string `json:"holderId"`
}

// assetHistory reads an asset's whole history (one page suffices for the
// few steps of these tests) and checks that every entry names its
// transaction and that the entries come oldest first.
func assetHistory(t *testing.T, m *demo.Member, assetID string) []historyEntry {
	t.Helper()
	var page struct {
		Items    []historyEntry `json:"items"`
		Bookmark string         `json:"bookmark"`
	}
	evaluate(t, m, &page, "assets:History", []string{assetID, "100", ""})
	assert.Empty(t, page.Bookmark)
	for i, e := range page.Items {
		assert.Len(t, e.TxID, 64, "entry %d names its transaction", i)
		if i > 0 {
			assert.LessOrEqual(t, page.Items[i-1].At, e.At, "oldest first")
		}
	}
	return page.Items
}

// marketTrades lists the IDs of the market's trades in a region ("" for the
// whole market) and status, every page.
func marketTrades(t *testing.T, m *demo.Member, region, status string) []string {
	t.Helper()
	var ids []string
	bookmark := ""
	for {
		var page struct {
			Items    []trade `json:"items"`
			Bookmark string  `json:"bookmark"`
		}
		evaluate(t, m, &page, "trades:ListMarket", []string{region, status, "", "", "100", bookmark})
		for _, tr := range page.Items {
			ids = append(ids, tr.ID)
		}
		if page.Bookmark == "" {
			return ids
		}
		bookmark = page.Bookmark
	}
}

// actions lists the actions of history entries.
func actions(h []historyEntry) []string {
	out := make([]string, len(h))
	for i, e := range h {
		out[i] = e.Action
	}
	return out
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// useShortNoticePeriod returns the market's public-notice period, which the
// deployment set in the market rules from network.env: two seconds (the
// chaincode's default is three days).
func useShortNoticePeriod(t *testing.T) time.Duration {
	t.Helper()
	var rules struct {
		NoticePeriodSeconds int `json:"noticePeriodSeconds"`
	}
	evaluate(t, member(t, "shanghai", "operator"), &rules, "market:GetRules", nil)
	require.Equal(t, 2, rules.NoticePeriodSeconds, "network.env sets MARKET_NOTICE_PERIOD_SECONDS=2")
	return 2 * time.Second
}

// registerAsset runs the registration procedure for an asset of the
// Shanghai holder: apply, review, public notice, certificate. It returns the
// asset and its holder.
func registerAsset(t *testing.T, assetID string) (asset, *demo.Member) {
	t.Helper()
	notice := useShortNoticePeriod(t)
	holder := member(t, "shanghai", "holder")
	operator := member(t, "shanghai", "operator")

	var a asset
	submit(t, holder, &a, "assets:Apply", []string{assetID, "Port logistics " + assetID, "transport", "shanghai",
		"Container movements of the Yangshan port, hourly", sha256Hex(assetID)})
	assert.Equal(t, "PENDING_REVIEW", a.Status)

	// The holder cannot review its own application.
	_, err := holder.Submit(callCtx(t), "assets:Review", []string{assetID, "APPROVE", ""})
	refused(t, ledgererr.Forbidden, err)

	submit(t, operator, &a, "assets:Review", []string{assetID, "APPROVE", ""})
	assert.Equal(t, "PUBLIC_NOTICE", a.Status)
	_, err = holder.Submit(callCtx(t), "assets:Certify", []string{assetID})
	refused(t, ledgererr.Conflict, err) // the notice period is still running

	time.Sleep(notice + time.Second)
	submit(t, holder, &a, "assets:Certify", []string{assetID})
	assert.Equal(t, "REGISTERED", a.Status)
	assert.NotEmpty(t, a.CertificateID)
	return a, holder
}

func newSalt(t *testing.T) string {
	b := make([]byte, 16)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

func termsJSON(t *testing.T, priceFen int64, conditions string) []byte {
	b, err := json.Marshal(model.OfferTerms{PriceFen: priceFen, Conditions: conditions, Salt: newSalt(t)})
	require.NoError(t, err)
	return b
}

// A Shanghai holder registers an asset, grants a use right, lists a licence
// at a negotiable price; a Zhejiang buyer negotiates two rounds with private
// terms, pays, receives delivery and confirms, and receives its right.
func TestNegotiatedTradeToCompletion(t *testing.T) {
	assetID := id("asset-licence")
	a, holder := registerAsset(t, assetID)
	buyer := member(t, "zhejiang", "buyer")
	outsider := member(t, "anhui", "buyer")

	// The holding right certificate exists and is the holder's.
	var holding right
	evaluate(t, outsider, &holding, "rights:Get", []string{a.HoldingRightID})
	assert.Equal(t, "HOLDING", holding.Type)
	assert.Equal(t, demo.ParticipantID("shanghai", "holder"), holding.HolderID)

	// The content hash verifies; another does not.
	var check struct {
		Matches bool `json:"matches"`
	}
	evaluate(t, outsider, &check, "assets:VerifyContent", []string{assetID, sha256Hex(assetID)})
	assert.True(t, check.Matches)
	evaluate(t, outsider, &check, "assets:VerifyContent", []string{assetID, sha256Hex("other")})
	assert.False(t, check.Matches)

	scope := fmt.Sprintf(`{"purpose":"logistics forecasting","regions":["shanghai","zhejiang"],"validUntil":"%s","maySublicense":false}`,
		time.Now().Add(365*24*time.Hour).UTC().Format(time.RFC3339))
	listingID := id("listing-licence")
	var l listing
	submit(t, holder, &l, "listings:Create", []string{listingID, assetID, "USE", scope, "NEGOTIABLE", "500000", sha256Hex("terms of " + listingID)})
	assert.Equal(t, "ACTIVE", l.Status)

	tradeID := id("trade-licence")
	var tr trade
	// Private terms are staged first, endorsed by the two parties' orgs alone; the public steps carry none.
	parties := demo.EndorsingOrgs("ZhejiangMSP", "ShanghaiMSP")
	submit(t, buyer, nil, "trades:StageTerms", []string{tradeID, "1", listingID}, demo.Transient(model.TransientTermsKey, termsJSON(t, 450000, "monthly refresh")), parties)
	submit(t, buyer, &tr, "trades:Propose", []string{tradeID, listingID})
	assert.Equal(t, "NEGOTIATING", tr.Status)
	// The buyer cannot answer its own offer.
	_, err := buyer.Submit(callCtx(t), "trades:AcceptOffer", []string{tradeID})
	refused(t, ledgererr.Forbidden, err)
	submit(t, holder, nil, "trades:StageTerms", []string{tradeID, "2", ""}, demo.Transient(model.TransientTermsKey, termsJSON(t, 480000, "monthly refresh, 2 seats")), parties)
	submit(t, holder, &tr, "trades:Counter", []string{tradeID})
	submit(t, buyer, &tr, "trades:AcceptOffer", []string{tradeID})
	assert.Equal(t, "ACCEPTED", tr.Status)
	require.Len(t, tr.Offers, 2)

	// The agreed terms: readable by the parties on their orgs' peers and
	// verifiable against the public hash; not by anyone else, nor on a peer
	// of an org outside the trade.
	var agreed model.Terms
	evaluate(t, buyer, &agreed, "trades:Terms", []string{tradeID, "2"})
	assert.EqualValues(t, 480000, agreed.PriceFen)
	stored, err := canonical.Hash(agreed)
	require.NoError(t, err)
	assert.Equal(t, tr.Offers[1].TermsHash, stored)
	var sellerView model.Terms
	evaluate(t, holder, &sellerView, "trades:Terms", []string{tradeID, "2"})
	assert.Equal(t, agreed, sellerView)
	_, err = outsider.Evaluate(callCtx(t), "trades:Terms", []string{tradeID, "2"})
	refused(t, ledgererr.NotFound, err) // answered as an unknown trade is
	_, err = outsider.Evaluate(callCtx(t), "trades:Get", []string{tradeID})
	refused(t, ledgererr.NotFound, err)
	_, err = buyer.Evaluate(callCtx(t), "trades:Terms", []string{tradeID, "2"}, demo.EndorsingOrgs("AnhuiMSP"))
	refused(t, ledgererr.Forbidden, err)

	// A payment of the wrong amount is refused; the agreed one is recorded.
	_, err = buyer.Submit(callCtx(t), "trades:RecordPayment", []string{tradeID, "BANK-2026-0001"}, paid("450000"))
	refused(t, ledgererr.InvalidArgument, err)
	submit(t, buyer, &tr, "trades:RecordPayment", []string{tradeID, "BANK-2026-0001"}, paid("480000"))
	assert.Equal(t, "PAID", tr.Status)
	// Only the buyer confirms, and only after delivery.
	_, err = buyer.Submit(callCtx(t), "trades:Confirm", []string{tradeID})
	refused(t, ledgererr.Conflict, err)
	submit(t, holder, &tr, "trades:Deliver", []string{tradeID, sha256Hex("delivered " + tradeID)})
	submit(t, buyer, &tr, "trades:Confirm", []string{tradeID})
	assert.Equal(t, "COMPLETED", tr.Status)
	require.NotEmpty(t, tr.RightID)

	var bought right
	evaluate(t, outsider, &bought, "rights:Get", []string{tr.RightID})
	assert.Equal(t, "USE", bought.Type)
	assert.Equal(t, demo.ParticipantID("zhejiang", "buyer"), bought.HolderID)
	assert.Equal(t, "TRADE", bought.Origin)
	assert.Equal(t, "ACTIVE", bought.Status)
	assert.Empty(t, bought.OriginRef, "the trade is named only to who may read it")
	var own right
	evaluate(t, buyer, &own, "rights:Get", []string{tr.RightID})
	assert.Equal(t, tradeID, own.OriginRef, "the buyer reads its trade")

	// The regulator finds the trade in the market of each region involved,
	// and so does each of those regions' operators; another region's does
	// not list Shanghai's market.
	regulator := member(t, "anhui", "regulator")
	for _, lister := range []struct {
		m      *demo.Member
		region string
	}{{regulator, ""}, {regulator, "zhejiang"}, {member(t, "shanghai", "operator"), "shanghai"}, {member(t, "zhejiang", "operator"), "zhejiang"}} {
		assert.Contains(t, marketTrades(t, lister.m, lister.region, "COMPLETED"), tradeID, "%s lists region %q", lister.m.User, lister.region)
	}
	_, err = member(t, "jiangsu", "operator").Evaluate(callCtx(t), "trades:ListMarket", []string{"shanghai", "", "", "", "", ""})
	refused(t, ledgererr.Forbidden, err)
	_, err = buyer.Evaluate(callCtx(t), "trades:ListMarket", []string{"", "", "", "", "", ""})
	refused(t, ledgererr.Forbidden, err)

	// The asset's history shows the licence sold to anyone, and names its
	// trade only to who may read it.
	h := assetHistory(t, outsider, assetID)
	assert.Equal(t, []string{"APPLIED", "REVIEWED", "CERTIFIED", "SOLD"}, actions(h))
	assert.Equal(t, tr.RightID, h[3].RightID)
	assert.Empty(t, h[3].TradeID, "the trade is named only to who may read it")
	assert.Equal(t, tradeID, assetHistory(t, buyer, assetID)[3].TradeID, "the buyer reads its trade")
}

// A holding right is sold once: two buyers order the same holding, the
// seller can accept only one, and after completion the asset has moved.
func TestHoldingCannotBeSoldTwice(t *testing.T) {
	assetID := id("asset-holding")
	_, holder := registerAsset(t, assetID)
	buyerA := member(t, "jiangsu", "buyer")
	buyerB := member(t, "anhui", "buyer")

	listingID := id("listing-holding")
	submit(t, holder, nil, "listings:Create", []string{listingID, assetID, "HOLDING", "", "FIXED", "2000000", sha256Hex("holding terms")})

	tradeA, tradeB := id("trade-holding-a"), id("trade-holding-b")
	submit(t, buyerA, nil, "trades:Order", []string{tradeA, listingID})
	submit(t, buyerB, nil, "trades:Order", []string{tradeB, listingID})
	submit(t, holder, nil, "trades:Accept", []string{tradeA})
	_, err := holder.Submit(callCtx(t), "trades:Accept", []string{tradeB})
	refused(t, ledgererr.Conflict, err)

	// The holding is promised: it cannot be transferred around the trade.
	_, err = holder.Submit(callCtx(t), "rights:TransferHolding", []string{assetID, demo.ParticipantID("anhui", "buyer"), "side deal"})
	refused(t, ledgererr.Conflict, err)

	var tr trade
	submit(t, buyerA, nil, "trades:RecordPayment", []string{tradeA, "BANK-2026-0002"}, paid("2000000"))
	submit(t, holder, nil, "trades:Deliver", []string{tradeA, sha256Hex("holding delivered")})
	submit(t, buyerA, &tr, "trades:Confirm", []string{tradeA})
	assert.Equal(t, "COMPLETED", tr.Status)

	var a asset
	evaluate(t, buyerB, &a, "assets:Get", []string{assetID})
	assert.Equal(t, demo.ParticipantID("jiangsu", "buyer"), a.HolderID)
	assert.Equal(t, "JiangsuMSP", a.HolderMSP)
	var l listing
	evaluate(t, buyerB, &l, "listings:Get", []string{listingID})
	assert.Equal(t, "SOLD", l.Status)
	assert.Empty(t, l.SoldTradeID, "the losing buyer is not told the trade that won")
	h := assetHistory(t, buyerB, assetID)
	assert.Equal(t, []string{"APPLIED", "REVIEWED", "CERTIFIED", "HOLDING_SOLD"}, actions(h))
	assert.Empty(t, h[3].TradeID, "the losing buyer is not told the trade that won")
	assert.Equal(t, demo.ParticipantID("jiangsu", "buyer"), h[3].HolderID)
	assert.Equal(t, tradeA, assetHistory(t, buyerA, assetID)[3].TradeID, "the winning buyer reads its trade")

	// The second order can no longer go anywhere.
	_, err = holder.Submit(callCtx(t), "trades:Accept", []string{tradeB})
	require.Error(t, err)
	// The former holder cannot sell or list it again.
	_, err = holder.Submit(callCtx(t), "listings:Create", []string{id("listing-again"), assetID, "HOLDING", "", "FIXED", "1", sha256Hex("x")})
	refused(t, ledgererr.Forbidden, err)
}

// paid is the transient amount of trades:RecordPayment.
func paid(amountFen string) demo.CallOption {
	return demo.Transient(model.TransientAmountKey, []byte(amountFen))
}

// A holding given outside a trade moves only when its recipient accepts
// (issue 15): on the real network, the offer is endorsed by the holder's
// org, the answers by both parties' orgs, and nobody else answers for the
// recipient.
func TestAHoldingMovesOnlyWhenItsRecipientAccepts(t *testing.T) {
	assetID := id("asset-offered")
	a, holder := registerAsset(t, assetID)
	recipient := member(t, "anhui", "buyer")
	other := member(t, "jiangsu", "buyer")
	recipientID := demo.ParticipantID("anhui", "buyer")

	var offer struct {
		Status    string `json:"status"`
		ToID      string `json:"toId"`
		ExpiresAt string `json:"expiresAt"`
	}
	submit(t, holder, &offer, "rights:TransferHolding", []string{assetID, demo.ParticipantID("jiangsu", "buyer"), "gift"})
	assert.Equal(t, "OFFERED", offer.Status)
	submit(t, other, nil, "rights:RefuseHolding", []string{assetID, "not wanted"})

	submit(t, holder, &offer, "rights:TransferHolding", []string{assetID, recipientID, "merger"})
	var moved asset
	evaluate(t, other, &moved, "assets:Get", []string{assetID})
	assert.Equal(t, a.HolderID, moved.HolderID, "offered, not moved")
	_, err := other.Submit(callCtx(t), "rights:AcceptHolding", []string{assetID})
	refused(t, ledgererr.Forbidden, err)
	_, err = holder.Submit(callCtx(t), "rights:AcceptHolding", []string{assetID})
	refused(t, ledgererr.Forbidden, err)

	var holding right
	submit(t, recipient, &holding, "rights:AcceptHolding", []string{assetID})
	assert.Equal(t, "HOLDING", holding.Type)
	assert.Equal(t, recipientID, holding.HolderID)
	assert.Equal(t, "TRANSFER", holding.Origin)
	evaluate(t, other, &moved, "assets:Get", []string{assetID})
	assert.Equal(t, recipientID, moved.HolderID)
	assert.Equal(t, "AnhuiMSP", moved.HolderMSP)
	assert.Equal(t, []string{"APPLIED", "REVIEWED", "CERTIFIED", "HOLDING_OFFERED", "HOLDING_REFUSED", "HOLDING_OFFERED", "HOLDING_TRANSFERRED"},
		actions(assetHistory(t, other, assetID)))
}
