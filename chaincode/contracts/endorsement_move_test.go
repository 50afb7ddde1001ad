package contracts_test

import (
	"testing"

	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
)

// The declared endorsement of an objection's decision stays what the channel
// requires when a majority moves the org of the asset's exchange region: the
// operators of the org holding that region now decide (here Anhui's, once
// Jiangsu's and Anhui's orgs swap), and the records the decision writes need
// the holder's org and one more, whichever org reviewed the application:
// Jiangsu's before the move (the first, upheld) or Anhui's after it (the
// second, dismissed).
func TestDeclaredEndorsementOfADecisionHoldsAfterAMove(t *testing.T) {
	m := markettest.NewProduction(t)
	s := &endorsementScenario{t: t, m: m, seen: map[string]int{}}
	s.submitAs(m.Admin(markettest.Shanghai), "market:Init", nil, rulestest.JSON(t, m.FirstRules()))
	holder := s.join(markettest.Jiangsu, "js-holder", "holder", 1)
	jsOp := s.join(markettest.Jiangsu, "js-op", "operator", 100)
	ahOp := s.join(markettest.Anhui, "ah-op", "operator", 101)
	objector := s.join(markettest.Zhejiang, "zj-holder", "holder", 2)
	p := func(role model.Party, id string) party { return party{role, id} }
	held := []party{p(model.PartyHolder, holder)}
	hash := markettest.Hash

	s.submit(holder, "assets:Apply", nil, nil, "asset-1", "Dataset 1", "finance", "jiangsu", "Records", hash("asset-1"))
	s.submit(holder, "assets:Apply", nil, nil, "asset-2", "Dataset 2", "finance", "jiangsu", "Records", hash("asset-2"))
	s.submit(jsOp, "assets:Review", held, nil, "asset-1", model.DecisionApprove, "")
	s.submit(objector, "assets:Object", held, nil, "obj-1", "asset-1", "the sensors are ours")
	m.Move(t, map[string]string{markettest.Jiangsu: "anhui", markettest.Anhui: "jiangsu"})
	s.submit(ahOp, "assets:DecideObjection", held, nil, "asset-1", "obj-1", model.DecisionUphold, "the objector showed the contract")

	s.submit(ahOp, "assets:Review", held, nil, "asset-2", model.DecisionApprove, "")
	s.submit(objector, "assets:Object", held, nil, "obj-2", "asset-2", "the sensors are ours")
	s.submit(ahOp, "assets:DecideObjection", held, nil, "asset-2", "obj-2", model.DecisionDismiss, "the contract shows the holder owns the sensors")
}
