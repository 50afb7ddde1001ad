package assets_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The exchange certifying an application gives its applicant the holding, as a sale gives its buyer the right: an
// applicant whose org's binding of its enterprise went out of force during the public notice (its org removed by a
// majority and named again, another org having registered the enterprise meanwhile) receives nothing, with nothing
// written, and the application stays in notice. Otherwise the operator gave the holding to the old org's record of an
// enterprise another org now holds, which neither org's members could list, license or move as that enterprise.
func TestCertifyGivesNoHoldingToAnApplicantWhoseBindingIsNotInForce(t *testing.T) {
	m := markettest.New(t)
	moved := markettest.USCC(20)
	m.Join(t, markettest.Jiangsu, "js.applicant", "holder", moved)
	m.Join(t, markettest.Jiangsu, "js.op", "operator", markettest.USCC(120))
	m.Submit("js.applicant", "assets:Apply", "asset-moved", "Dataset", "finance", "jiangsu", "Records", markettest.Hash("asset-moved")).MustOK(t)
	var a model.Asset
	m.Submit("js.op", "assets:Review", "asset-moved", model.DecisionApprove, "").Unmarshal(t, &a)

	majority := []chaincodetest.Identity{m.Admin(markettest.Shanghai), m.Admin(markettest.Anhui)}
	before := rulestest.Current(t, m.Net, majority[0]).Rules
	without := before
	without.Version++
	without.Orgs = slices.DeleteFunc(slices.Clone(before.Orgs), func(o model.MarketOrg) bool { return o.MSPID == markettest.Jiangsu })
	rulestest.Change(t, m.Net, majority, &without)
	m.Join(t, markettest.Shanghai, "sh.applicant", "holder", moved)
	back := before
	back.Version = without.Version + 1
	rulestest.Change(t, m.Net, majority, &back)

	noticeEnds, err := time.Parse(time.RFC3339, a.NoticeEndsAt)
	require.NoError(t, err)
	m.Net.Advance(noticeEnds.Sub(m.Net.Now()) + time.Second)
	m.Refuse(t, ledgererr.Forbidden, "", func() chaincodetest.Result {
		r := m.Submit("js.op", "assets:Certify", "asset-moved")
		assert.Contains(t, r.Message, "which the market rules in force bind to ShanghaiMSP (region shanghai), not to JiangsuMSP")
		return r
	})
	assert.Equal(t, model.AssetPublicNotice, m.GetAsset(t, "js.op", "asset-moved").Status)
}
