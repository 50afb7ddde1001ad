package trades_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The cast of the rebinding tests: Anhui's member for the enterprise a majority later frees (usccRebound) and its
// member for one that stays Anhui's, Anhui's operator who reviews their assets, and the member Jiangsu registers
// for the freed enterprise meanwhile.
const (
	oldMember = "ah-old"
	ownMember = "ah-own"
	anhuiOp   = "ah-op"
	newMember = "js-new"
)

// withRules has Shanghai's and Jiangsu's admins, a majority of the three orgs and all of the two, apply the next
// version of the market rules, changed by edit.
func (m *market) withRules(t *testing.T, edit func(r *model.Rules)) {
	t.Helper()
	next := rulestest.Current(t, m.Net, m.Admin(markettest.Shanghai)).Rules
	next.Orgs, next.Released = slices.Clone(next.Orgs), slices.Clone(next.Released)
	next.Version++
	edit(&next)
	rulestest.Change(t, m.Net, []chaincodetest.Identity{m.Admin(markettest.Shanghai), m.Admin(markettest.Jiangsu)}, &next)
}

// An org a majority removed and named again, or whose release of an enterprise it dropped, keeps its binding of
// the enterprise, but the binding Jiangsu made while Anhui's was void is the one in force (participants:
// GetEnterprise): Anhui's old member for it may no longer sell, buy, license, accept a licence or offer the holding
// as that enterprise, each refused (FORBIDDEN, naming the org the rules bind it to) with nothing written, while
// Jiangsu's member for it, and Anhui's member for an enterprise still Anhui's, go on.
func TestAnOldOrgsMemberDoesNotActForAnEnterpriseBoundElsewhere(t *testing.T) {
	rebound := markettest.USCC(20)
	for name, void := range map[string][2]func(first model.Rules, r *model.Rules){
		"removed and named again": {
			func(_ model.Rules, r *model.Rules) {
				r.Orgs = slices.DeleteFunc(r.Orgs, func(o model.MarketOrg) bool { return o.MSPID == markettest.Anhui })
				r.Regulators = slices.DeleteFunc(slices.Clone(r.Regulators), func(g model.Regulator) bool { return g.MSPID == markettest.Anhui })
			},
			func(first model.Rules, r *model.Rules) { r.Orgs, r.Regulators = first.Orgs, first.Regulators },
		},
		"released and no more": {
			func(_ model.Rules, r *model.Rules) {
				r.Released = []model.ReleasedEnterprise{{USCC: rebound, MSPID: markettest.Anhui}}
			},
			func(_ model.Rules, r *model.Rules) { r.Released = nil },
		},
	} {
		t.Run(name, func(t *testing.T) {
			m := newMarket(t)
			m.Join(t, markettest.Anhui, oldMember, "holder,buyer", rebound)
			m.Join(t, markettest.Anhui, ownMember, "holder,buyer", markettest.USCC(21))
			m.Join(t, markettest.Anhui, anhuiOp, "operator", markettest.USCC(103))
			m.RegisterAsset(t, oldMember, anhuiOp, "asset-old", "finance", "anhui")
			m.RegisterAsset(t, ownMember, anhuiOp, "asset-own", "finance", "anhui")
			var offered model.Right
			m.Submit(seller, "rights:Grant", "asset-2", oldMember, model.RightUse, useScope).Unmarshal(t, &offered)
			first := rulestest.Current(t, m.Net, m.Admin(markettest.Shanghai)).Rules

			m.withRules(t, func(r *model.Rules) { void[0](first, r) })
			m.Join(t, markettest.Jiangsu, newMember, "holder,buyer", rebound)
			m.withRules(t, func(r *model.Rules) { void[1](first, r) })

			var e model.Enterprise
			m.Evaluate(newMember, "participants:GetEnterprise", rebound).Unmarshal(t, &e)
			require.Equal(t, markettest.Jiangsu, e.MSPID, "the binding made while Anhui's was void")
			h := markettest.Hash("terms document")
			for _, call := range [][]string{
				{"participants:WhoAmI"},
				{"listings:Create", "L-old", "asset-old", "HOLDING", "", "FIXED", "1000000", h},
				{"trades:Order", "T-old", holdingListing},
				{"rights:Grant", "asset-old", buyer, model.RightUse, useScope},
				{"rights:Accept", offered.ID},
				{"rights:TransferHolding", "asset-old", newMember, "moving to Jiangsu"},
			} {
				t.Run(call[0], func(t *testing.T) {
					m.Refuse(t, ledgererr.Forbidden, "", func() chaincodetest.Result {
						r := m.Submit(oldMember, call[0], call[1:]...)
						assert.Contains(t, r.Message, "which the market rules in force bind to JiangsuMSP (region jiangsu)")
						return r
					})
				})
			}

			m.do(t, newMember, "Order", "T-new", holdingListing)
			m.Submit(ownMember, "listings:Create", "L-own", "asset-own", "HOLDING", "", "FIXED", "1000000", h).MustOK(t)
			m.Submit(ownMember, "rights:Grant", "asset-own", buyer, model.RightUse, useScope).MustOK(t)
			m.do(t, ownMember, "Order", "T-own", useListing)
		})
	}
}
