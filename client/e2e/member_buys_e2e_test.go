//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/client/pkcs11"
	"github.com/deltaledger/deltaledger/client/pkcs11/softhsm"
	"github.com/deltaledger/deltaledger/model"
)

// An enterprise that signs for itself (the gateway holds no key of it) buys another region's listing end to end,
// once with its key file, made at enrollment, and once with its key in a PKCS#11 token (SoftHSM2): a Jiangsu buyer
// orders a Shanghai holder's listing, the holder accepts, the buyer pays, the holder delivers, the buyer confirms,
// and the ledger records the right as the buyer's, with the buyer as the signer of its own steps.
func TestAMemberWhoSignsForItselfBuysAnotherRegionsListing(t *testing.T) {
	bin := buildCLI(t)
	t.Run("key file", func(t *testing.T) {
		enterprise := onboardAs(t, bin, model.RoleBuyer)
		signer, err := client.LoadKeyFile(filepath.Join(enterprise.home, "msp", "keystore", "priv_sk"))
		require.NoError(t, err)
		buyFromAnotherRegion(t, enterprise, signer, "file")
	})
	t.Run("SoftHSM", func(t *testing.T) {
		token := softhsm.NewToken(t, "buyer")
		t.Setenv("DELTALEDGER_PKCS11_PIN", token.PIN)
		enterprise := onboardAs(t, bin, model.RoleBuyer, "--pkcs11-lib", token.Library, "--pkcs11-label", token.Label)
		assert.NoDirExists(t, filepath.Join(enterprise.home, "msp", "keystore"), "the token's key is never written out")
		hsm, err := pkcs11.Open(token.Library, token.Label, token.PIN)
		require.NoError(t, err)
		t.Cleanup(func() { hsm.Close() })
		signer, err := hsm.Key(enterprise.cert.PublicKey)
		require.NoError(t, err)
		buyFromAnotherRegion(t, enterprise, signer, "hsm")
	})
}

// buyFromAnotherRegion is the purchase of TestAMemberWhoSignsForItselfBuysAnotherRegionsListing, signed by signer.
func buyFromAnotherRegion(t *testing.T, enterprise enterprise, signer client.Signer, kind string) {
	keys := demoKeys(t)
	ctx := callCtx(t)
	certPEM, err := os.ReadFile(filepath.Join(enterprise.home, "msp", "signcerts", "cert.pem"))
	require.NoError(t, err)
	buyer, err := client.New(keys["JIANGSU_GW"], client.WithCAFile(keys["JIANGSU_CA"]), client.WithSigner(certPEM, signer))
	require.NoError(t, err)
	me, err := buyer.Participants().Me(ctx)
	require.NoError(t, err)
	require.Equal(t, enterprise.participant, me.ID)

	// Shanghai's holder registers an asset and lists a use right over it (custodial, as the demo members are).
	holder, operator := member(t, "shanghai", "holder"), member(t, "shanghai", "operator")
	assetID, listingID, tradeID := id("self-bought-asset-"+kind), id("self-bought-listing-"+kind), id("self-bought-trade-"+kind)
	hash := client.SHA256([]byte("berth,moves\n" + assetID + ",1\n"))
	sub, err := holder.Assets().Apply(ctx, client.ApplyRequest{ID: assetID, Name: "Yangshan berth moves " + run, Category: "transport",
		SourceRegion: "shanghai", Description: "Container moves per berth and hour", ContentHash: hash})
	committed(t, sub, err)
	sub, err = operator.Assets().Review(ctx, assetID, client.ReviewRequest{Decision: model.DecisionApprove})
	reviewed := committed(t, sub, err)
	afterNotice(t, reviewed)
	sub, err = holder.Assets().Certify(ctx, assetID)
	require.Equal(t, model.AssetRegistered, committed(t, sub, err).Status)
	scope := client.Scope{Purpose: "berth planning", Regions: []string{"shanghai", "jiangsu"}, ValidUntil: time.Now().AddDate(1, 0, 0)}
	listed, err := holder.Listings().Create(ctx, client.CreateListingRequest{ID: listingID, AssetID: assetID, RightType: model.RightUse,
		Scope: &scope, Pricing: model.PricingFixed, PriceFen: 230000, TermsHash: client.SHA256([]byte("terms " + kind + " " + run))})
	committed(t, listed, err)

	// The buyer's steps are signed by its own key; the holder's by the Shanghai gateway's wallet.
	trade, err := buyer.Trades().Order(ctx, client.OrderRequest{TradeID: tradeID, ListingID: listingID})
	ordered := committed(t, trade, err)
	require.Equal(t, model.TradeOrdered, ordered.Status)
	assert.Equal(t, enterprise.participant, ordered.BuyerID)
	trade, err = holder.Trades().Accept(ctx, tradeID)
	require.Equal(t, model.TradeAccepted, committed(t, trade, err).Status)
	trade, err = buyer.Trades().Pay(ctx, tradeID, client.PaymentRequest{SettlementRef: "BANK-SELF-" + kind + "-" + run, AmountFen: 230000})
	require.Equal(t, model.TradePaid, committed(t, trade, err).Status)
	trade, err = holder.Trades().Deliver(ctx, tradeID, hash)
	require.Equal(t, model.TradeDelivered, committed(t, trade, err).Status)
	trade, err = buyer.Trades().Confirm(ctx, tradeID)
	done := committed(t, trade, err)
	require.Equal(t, model.TradeCompleted, done.Status)
	require.NotEmpty(t, done.RightID)

	right, err := buyer.Rights().Get(ctx, done.RightID)
	require.NoError(t, err)
	assert.Equal(t, enterprise.participant, right.HolderID, "the right is the self-signing member's")
	assert.Equal(t, model.RightUse, right.Type)
	assert.Equal(t, model.OriginTrade, right.Origin)
}
