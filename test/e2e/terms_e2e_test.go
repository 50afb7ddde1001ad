//go:build e2e

package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/network/demo"
)

// Terms between two orgs enter their pair's collection only with both
// orgs' peers endorsing (the collection's endorsement policy, from
// trades.TermsCollections): a Zhejiang buyer's terms on a Shanghai listing,
// staged with Zhejiang's and Anhui's peers endorsing, break the
// collection's policy, and the peers' validation refuses them. An order
// without terms, which writes no collection, needs a majority of the orgs
// (the chaincode-level policy): two are refused at commit, three without
// the seller's commit it; and terms staged with exactly the two parties'
// orgs as endorsers are recorded by the public step, and the seller reads
// them on its own peer.
func TestTermsNeedBothPartiesPeers(t *testing.T) {
	assetID := id("asset-terms")
	_, holder := registerAsset(t, assetID)
	buyer := member(t, "zhejiang", "buyer")
	scope := fmt.Sprintf(`{"purpose":"route planning","regions":["shanghai","zhejiang"],"validUntil":"%s","maySublicense":false}`,
		time.Now().Add(365*24*time.Hour).UTC().Format(time.RFC3339))
	negotiable, fixed := id("listing-terms-neg"), id("listing-terms-fixed")
	submit(t, holder, nil, "listings:Create", []string{negotiable, assetID, "USE", scope, "NEGOTIABLE", "300000", sha256Hex(negotiable)})
	submit(t, holder, nil, "listings:Create", []string{fixed, assetID, "USE", scope, "FIXED", "200000", sha256Hex(fixed)})
	withoutSeller := demo.EndorsingOrgs("ZhejiangMSP", "AnhuiMSP")

	// Staged terms written without the seller's peer break the pair's
	// collection policy: the staging is invalid and the proposal that
	// would record its hash finds none.
	refusedID := id("trade-terms-refused")
	_, st, err := buyer.SubmitStatus(callCtx(t), "trades:StageTerms", []string{refusedID, "1", negotiable},
		demo.Transient(model.TransientTermsKey, termsJSON(t, 250000, "weekly refresh")), withoutSeller)
	require.NoError(t, err)
	assert.False(t, st.Successful, "terms committed without the seller's peer")
	assert.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, st.Code)
	_, err = buyer.Evaluate(callCtx(t), "trades:Get", []string{refusedID})
	refused(t, ledgererr.NotFound, err)

	// A new record needs a majority of the orgs (the chaincode-level policy,
	// interface 7.0.0): an order two orgs endorse is refused at commit, and
	// three, none of them the seller's, commit it.
	twoOrgsID := id("trade-terms-two-orgs")
	_, st, err = buyer.SubmitStatus(callCtx(t), "trades:Order", []string{twoOrgsID, fixed}, withoutSeller)
	require.NoError(t, err)
	assert.False(t, st.Successful, "an order committed with two orgs' endorsement")
	assert.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, st.Code)
	_, err = buyer.Evaluate(callCtx(t), "trades:Get", []string{twoOrgsID})
	refused(t, ledgererr.NotFound, err)
	var ordered trade
	submit(t, buyer, &ordered, "trades:Order", []string{id("trade-terms-order"), fixed}, demo.EndorsingOrgs("ZhejiangMSP", "AnhuiMSP", "JiangsuMSP"))
	assert.Equal(t, "ORDERED", ordered.Status)

	tradeID := id("trade-terms")
	var tr trade
	submit(t, buyer, nil, "trades:StageTerms", []string{tradeID, "1", negotiable},
		demo.Transient(model.TransientTermsKey, termsJSON(t, 250000, "weekly refresh")), demo.EndorsingOrgs("ZhejiangMSP", "ShanghaiMSP"))
	submit(t, buyer, &tr, "trades:Propose", []string{tradeID, negotiable})
	require.Len(t, tr.Offers, 1)
	var seen model.Terms
	evaluate(t, holder, &seen, "trades:Terms", []string{tradeID, "1"})
	assert.EqualValues(t, 250000, seen.PriceFen)
}
