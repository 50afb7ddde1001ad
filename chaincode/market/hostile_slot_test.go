package market_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
)

// An org's approval slot is under its own policy, so its peers alone write
// anything into it, even bytes that are no approval. Such a slot is no
// approval; Apply and ListApprovals go on without it. Read strictly, a
// hostile org's slot of bad JSON failed every Apply while the org was
// named, its own removal included: it blocked every change of the rules
// for good.
func TestOneOrgAloneBlocksNoRuleChangeWithABadApprovalSlot(t *testing.T) {
	for name, slot := range map[string]string{
		"not JSON":         `not an approval`,
		"a field mistyped": `{"mspId":"ZhejiangMSP","version":"2"}`,
		"another shape":    `["ZhejiangMSP"]`,
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			f.init(t)
			f.net.PutAlone(f.admins["ZhejiangMSP"], chaincodetest.Key("market~approval", "ZhejiangMSP"), []byte(slot)).MustOK(t)

			var list model.RulesApprovalList
			f.net.Evaluate(f.admins["ShanghaiMSP"], "market:ListApprovals").Unmarshal(t, &list)
			require.Len(t, list.Items, 4)
			assert.Equal(t, model.RulesApproval{MSPID: "ZhejiangMSP"}, *list.Items[3], "a slot that is no approval reads as none")

			// The majority removes the hostile org without it.
			removal := f.next(t, func(r *model.Rules) { r.Orgs = r.Orgs[:3] }) // ZhejiangMSP sorts last
			f.changeEndorsedBy(t, []string{"AnhuiMSP", "JiangsuMSP", "ShanghaiMSP"}, removal)
			inForce := rulestest.Current(t, f.net, f.admins["AnhuiMSP"])
			assert.Equal(t, 2, inForce.Version)
			_, named := inForce.Org("ZhejiangMSP")
			assert.False(t, named)
		})
	}
}
