//go:build e2e

package e2e

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/canonical"
	"github.com/deltaledger/deltaledger/network/demo"
)

// A buyer and a seller of one region negotiate through their region's
// gateway with the SDK: each round's terms are staged by the region's org
// alone, then offered publicly without terms; both read the agreed terms and
// check them against the public hash, and the trade completes.
func TestSameRegionNegotiationThroughTheSDK(t *testing.T) {
	holder, operator, buyer := member(t, "shanghai", "holder"), member(t, "shanghai", "operator"), member(t, "shanghai", "buyer")
	ctx := callCtx(t)
	assetID, listingID, tradeID := id("neg-asset"), id("neg-listing"), id("neg-trade")

	sub, err := holder.Assets().Apply(ctx, client.ApplyRequest{ID: assetID, Name: "Lujiazui footfall " + run, Category: "commerce",
		SourceRegion: "shanghai", Description: "Hourly footfall per block", ContentHash: client.SHA256([]byte(assetID))})
	committed(t, sub, err)
	sub, err = operator.Assets().Review(ctx, assetID, client.ReviewRequest{Decision: model.DecisionApprove})
	reviewed := committed(t, sub, err)
	afterNotice(t, reviewed)
	sub, err = holder.Assets().Certify(ctx, assetID)
	committed(t, sub, err)
	scope := client.Scope{Purpose: "retail planning", Regions: []string{"shanghai"}, ValidUntil: time.Now().AddDate(1, 0, 0)}
	l, err := holder.Listings().Create(ctx, client.CreateListingRequest{ID: listingID, AssetID: assetID, RightType: model.RightUse,
		Scope: &scope, Pricing: model.PricingNegotiable, PriceFen: 900000, TermsHash: client.SHA256([]byte("terms " + run))})
	committed(t, l, err)

	buyerID, sellerID := demo.ParticipantID("shanghai", "buyer"), demo.ParticipantID("shanghai", "holder")
	first := client.OfferTerms{PriceFen: 800000, Conditions: "weekly <refresh> & one seat", Salt: client.NewSalt()}
	counter := client.OfferTerms{PriceFen: 850000, Conditions: "weekly refresh, two seats", Salt: client.NewSalt()}

	// Round 1: staged by Shanghai's peers alone, then proposed without terms.
	staged, err := buyer.Trades().StageTerms(ctx, tradeID, 1, listingID, first)
	s1 := committed(t, staged, err)
	want := termsHash(t, tradeID, 1, buyerID, first)
	assert.Equal(t, model.StagedTerms{TradeID: tradeID, Round: 1, TermsHash: want}, *s1)
	tr, err := buyer.Trades().Propose(ctx, client.ProposeRequest{TradeID: tradeID, ListingID: listingID})
	proposed := committed(t, tr, err)
	require.Equal(t, model.TradeNegotiating, proposed.Status)
	assert.Equal(t, want, proposed.Offers[0].TermsHash)

	// Round 2: the seller's counter-offer, the same way; the buyer accepts.
	staged, err = holder.Trades().StageTerms(ctx, tradeID, 2, "", counter)
	committed(t, staged, err)
	tr, err = holder.Trades().Counter(ctx, tradeID)
	countered := committed(t, tr, err)
	assert.Equal(t, termsHash(t, tradeID, 2, sellerID, counter), countered.Offers[1].TermsHash)
	tr, err = buyer.Trades().AcceptOffer(ctx, tradeID)
	require.Equal(t, model.TradeAccepted, committed(t, tr, err).Status)

	for _, c := range []*client.Client{buyer, holder} {
		agreed, err := c.Trades().Terms(ctx, tradeID, 2)
		require.NoError(t, err)
		assert.Equal(t, int64(850000), agreed.PriceFen)
		h, err := canonical.Hash(agreed)
		require.NoError(t, err)
		assert.Equal(t, countered.Offers[1].TermsHash, h)
	}

	tr, err = buyer.Trades().Pay(ctx, tradeID, client.PaymentRequest{SettlementRef: "BANK-NEG-" + run, AmountFen: 850000})
	require.Equal(t, model.TradePaid, committed(t, tr, err).Status)
	tr, err = holder.Trades().Deliver(ctx, tradeID, client.SHA256([]byte("delivered "+run)))
	committed(t, tr, err)
	tr, err = buyer.Trades().Confirm(ctx, tradeID)
	done := committed(t, tr, err)
	assert.Equal(t, model.TradeCompleted, done.Status)
	assert.Empty(t, done.PriceFen, "a negotiated price is not public")
	assert.NotEmpty(t, done.RightID)
}

// termsHash is the public hash of one round of terms as the client rebuilds
// it: SHA-256 over the canonical JSON of the terms record.
func termsHash(t *testing.T, tradeID string, round int, by string, o client.OfferTerms) string {
	t.Helper()
	h, err := canonical.Hash(model.Terms{TradeID: tradeID, Round: round, By: by, PriceFen: o.PriceFen, Conditions: o.Conditions, Salt: o.Salt})
	require.NoError(t, err)
	return h
}
