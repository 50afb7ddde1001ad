package contracts_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
)

// The records README "Endorsement and private data" lists, which two orgs
// whose peers run chaincode of their own could plant while the chaincode's
// policy was any two orgs: on the production channel (a majority) their
// endorsement of such a write is refused at commit. A majority can still
// write it (as it can rewrite the market rules), which the contracts'
// defences against planted records stand against.
func TestTwoOrgsPlantNoRecord(t *testing.T) {
	m := markettest.NewProduction(t)
	later := m.Net.Now().Add(365 * 24 * time.Hour)
	planted := []struct {
		name string
		key  string
		// record is what the forgers write, as the contract's JSON.
		record map[string]any
		// stamp is the proposal's time; zero: the network's.
		stamp time.Time
	}{
		{"a licence whose parent was never granted", chaincodetest.Key("right", "R-PLANTED-1"),
			map[string]any{"id": "R-PLANTED-1", "assetId": "asset-1", "type": model.RightUse, "holderId": "js-buyer",
				"holderMsp": markettest.Jiangsu, "status": model.RightActive, "origin": model.OriginSublicense, "parentRightId": "R-NEVER-GRANTED"}, time.Time{}},
		{"a REGISTERED asset no exchange certified", chaincodetest.Key("asset", "asset-planted"),
			map[string]any{"id": "asset-planted", "holderId": "js-seller", "status": model.AssetRegistered}, time.Time{}},
		{"a right written ACTIVE at creation", chaincodetest.Key("right", "R-PLANTED-2"),
			map[string]any{"id": "R-PLANTED-2", "assetId": "asset-1", "type": model.RightUse, "holderId": "js-buyer",
				"holderMsp": markettest.Jiangsu, "status": model.RightActive}, time.Time{}},
		{"an authorisation its subject did not give", chaincodetest.Key("credit.auth", "A-PLANTED"),
			map[string]any{"authId": "A-PLANTED", "subjectUscc": markettest.USCC(2), "granteeId": "ah-bank", "status": model.AuthorizationActive}, time.Time{}},
		{"a licence trade a seller never made", chaincodetest.Key("trade", "T-PLANTED"),
			map[string]any{"id": "T-PLANTED", "rightType": model.RightUse, "sellerId": "sh-seller", "buyerId": "js-buyer",
				"status": model.TradeCompleted}, time.Time{}},
		{"the mark of a right written under a majority, on a right recorded before", chaincodetest.Key("right~sealed", "R-LEGACY"),
			map[string]any{}, time.Time{}},
		{"a transaction stamped far ahead", chaincodetest.Key("right", "R-PLANTED-3"),
			map[string]any{"id": "R-PLANTED-3", "assetId": "asset-1", "type": model.RightUse, "status": model.RightOffered}, later},
	}
	forgers := []string{markettest.Jiangsu, markettest.Anhui}
	majority := append(forgers, markettest.Zhejiang)
	require.Len(t, majority, model.ChaincodeEndorsers(len(markettest.ProductionOrgs)))
	for _, p := range planted {
		t.Run(p.name, func(t *testing.T) {
			b, err := json.Marshal(p.record)
			require.NoError(t, err)
			plant := func(endorsers []string) chaincodetest.Result {
				return m.Net.InvokeFunc(m.Admin(markettest.Jiangsu),
					chaincodetest.Call{PeerMSP: markettest.Jiangsu, Endorsers: endorsers, Timestamp: p.stamp},
					func(stub shim.ChaincodeStubInterface) ([]byte, error) { return nil, stub.PutState(p.key, b) })
			}
			r := plant(forgers)
			require.Error(t, r.Err, "two orgs planted it")
			assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
			assert.Nil(t, m.Net.Ledger().State(p.key), "nothing was written")
			plant(majority).MustOK(t) // a majority still can: the contracts' defences stay
		})
	}
}
