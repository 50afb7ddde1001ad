package eventschema_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/eventschema"
	"github.com/deltaledger/deltaledger/model"
)

// event is a committed event with the payload as the chaincode encodes it.
func event(t *testing.T, name string, payload any) chaincodetest.Event {
	t.Helper()
	b, err := json.Marshal(payload)
	require.NoError(t, err)
	return chaincodetest.Event{Name: name, Payload: b}
}

// TestValidateHoldsEventsToTheirDeclaredValues: an event an emitter fills
// from the model's constants passes; a value outside the field's declared
// set, an empty string where a set is declared, a required field left out,
// and an event the catalogue lacks each fail.
func TestValidateHoldsEventsToTheirDeclaredValues(t *testing.T) {
	reviewed := model.AssetEvent{AssetID: "a1", Status: model.AssetPublicNotice, HolderID: "p1", Decision: model.DecisionApprove}
	assert.NoError(t, eventschema.Validate(event(t, model.EventAssetReviewed, reviewed)))
	// A field an event leaves unset is absent (omitempty), not "".
	assert.NoError(t, eventschema.Validate(event(t, model.EventAssetApplied, model.AssetEvent{AssetID: "a1", Status: model.AssetPendingReview, HolderID: "p1"})))
	sale := model.TradeEvent{TradeID: "t1", ListingID: "l1", AssetID: "a1", Status: model.TradeCompleted, BuyerID: "b", SellerID: "s",
		BuyerMSP: "Org1MSP", SellerMSP: "Org2MSP", RightType: model.RightUse, Pricing: model.PricingFixed, PriceFen: 100, Outcome: model.OutcomeComplete}
	assert.NoError(t, eventschema.Validate(event(t, model.EventTradeResolved, sale)))

	for name, bad := range map[string]chaincodetest.Event{
		"asset status outside AssetStatuses": event(t, model.EventAssetReviewed, func() model.AssetEvent { e := reviewed; e.Status = "APPROVED"; return e }()),
		"decision outside Decisions":         event(t, model.EventAssetReviewed, func() model.AssetEvent { e := reviewed; e.Decision = "MAYBE"; return e }()),
		"trade outcome outside Outcomes":     event(t, model.EventTradeResolved, func() model.TradeEvent { e := sale; e.Outcome = model.AnswerUphold; return e }()),
		"trade pricing outside Pricings":     event(t, model.EventTradeCompleted, func() model.TradeEvent { e := sale; e.Pricing = "free"; return e }()),
		"right type outside RightTypes": event(t, model.EventRightGranted, model.RightEvent{RightID: "r1", AssetID: "a1", Type: "LEASE",
			HolderID: "p1", Status: model.RightOffered}),
		"empty right status": event(t, model.EventRightGranted, model.RightEvent{RightID: "r1", AssetID: "a1", Type: model.RightUse, HolderID: "p1"}),
		"offer status outside HoldingOfferStatuses": event(t, model.EventHoldingOffered, model.HoldingOfferEvent{AssetID: "a1", FromID: "p1", ToID: "p2",
			Status: model.RightOffered + "_X", ExpiresAt: "2026-03-08T08:00:00Z"}),
		"credit outcome outside Answers": event(t, model.EventObjectionAnswered, model.CreditEvent{SubjectUSCC: "x", Outcome: model.OutcomeRefund}),
		"required status left out":       {Name: model.EventAssetApplied, Payload: []byte(`{"assetId":"a1","holderId":"p1"}`)},
		"event not in the catalogue":     event(t, "AssetVanished", reviewed),
	} {
		assert.Error(t, eventschema.Validate(bad), name)
	}
}
