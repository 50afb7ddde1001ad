package participants_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// suzhouFixture is a channel of Shanghai and Jiangsu whose rules do not yet
// name Suzhou, whose org is already a member of the channel: a region about
// to join (README "A region joins").
type suzhouFixture struct {
	*fixture
	jiangsu, suzhou  *chaincodetest.CA
	jsAdmin, szAdmin chaincodetest.Identity
}

func newSuzhouFixture(t *testing.T) *suzhouFixture {
	t.Helper()
	f := &suzhouFixture{fixture: &fixture{shanghai: chaincodetest.NewCA("ShanghaiMSP")},
		jiangsu: chaincodetest.NewCA("JiangsuMSP"), suzhou: chaincodetest.NewCA("SuzhouMSP")}
	f.net = chaincodetest.NewNetwork(newChaincode(t), chaincodetest.WithOrgs(f.shanghai, f.jiangsu, f.suzhou), chaincodetest.WithEndorsementPlanning())
	f.shAdmin = rulestest.Admin(f.shanghai)
	f.jsAdmin = rulestest.Admin(f.jiangsu)
	f.szAdmin = rulestest.Admin(f.suzhou)
	f.rules = rulestest.Rules([]rulestest.Org{{CA: f.shanghai, Region: "shanghai"}, {CA: f.jiangsu, Region: "jiangsu"}})
	rulestest.Init(t, f.net, f.shAdmin, f.rules)
	return f
}

// join puts in force the rules that add Suzhou holding 3205.
func (f *suzhouFixture) join(t *testing.T) {
	t.Helper()
	r := rulestest.Current(t, f.net, f.shAdmin).Rules
	r.Version++
	org := rulestest.Rules([]rulestest.Org{{CA: f.suzhou, Region: "suzhou"}}).Orgs[0]
	org.Divisions = []string{"3205"}
	r.Orgs = append(r.Orgs, org)
	rulestest.Change(t, f.net, []chaincodetest.Identity{f.shAdmin, f.jsAdmin}, &r)
}

func certifiedIn(ca *chaincodetest.CA, cn, uscc, division string) chaincodetest.Identity {
	return ca.IssueWithAttributes(cn, "client", map[string]string{model.AttrUSCC: uscc, model.AttrRoles: "holder", model.AttrDivision: division})
}

const (
	usccJiangsu = "91320000MA1FL0001X"
	usccSuzhou  = "91340000MA1FL0003C"
)

// Before the rules name Suzhou, 3205xx is Jiangsu's: a Jiangsu member is
// placed there, and Suzhou, not yet a region, places no one.
func TestBeforeSuzhouJoinsItsDivisionsAreJiangsus(t *testing.T) {
	f := newSuzhouFixture(t)
	var p model.Participant
	f.register(f.jsAdmin, "js.early", certifiedIn(f.jiangsu, "early", usccJiangsu, "320576"), "holder", usccJiangsu, "jiangsu").Unmarshal(t, &p)
	assert.Equal(t, "320576", p.Division)
	before := f.net.Ledger().StateKeys()
	r := f.register(f.szAdmin, "sz.early", certifiedIn(f.suzhou, "early", usccSuzhou, "320576"), "holder", usccSuzhou, "suzhou")
	require.Error(t, r.Err, "suzhou is not a region of the rules yet")
	assert.Equal(t, before, f.net.Ledger().StateKeys())
}

// Once Suzhou holds 3205 by the rules, the longest prefix wins: 3205xx is
// Suzhou's, no longer Jiangsu's, and the rest of Jiangsu stays Jiangsu's.
// Each region is refused the other's divisions, at registration and by
// SetDivision, naming the field and writing nothing.
func TestSuzhouHoldsItsDivisionsOnceTheRulesNameIt(t *testing.T) {
	f := newSuzhouFixture(t)
	var early model.Participant
	f.register(f.jsAdmin, "js.early", certifiedIn(f.jiangsu, "early", usccJiangsu, "320506"), "holder", usccJiangsu, "jiangsu").Unmarshal(t, &early)
	f.join(t)

	before := f.net.Ledger().StateKeys()
	for _, tc := range []struct{ name, division, phrase string }{
		{"a Shanghai district", "310115", "lies in shanghai, not suzhou"},
		{"a Jiangsu district outside Suzhou", "320106", "lies in jiangsu, not suzhou"},
		{"the province", "320000", "whole province"},
		{"a code not in the table", "320599", "not a division"},
	} {
		t.Run("suzhou member in "+tc.name, func(t *testing.T) {
			r := f.register(f.szAdmin, "sz.mallory", certifiedIn(f.suzhou, "mallory", usccSuzhou, tc.division), "holder", usccSuzhou, "suzhou")
			requireRefused(t, f.fixture, r, ledgererr.InvalidArgument, "certificatePem")
			assert.Contains(t, r.Message, tc.phrase)
		})
	}
	t.Run("jiangsu member in Suzhou after it joined", func(t *testing.T) {
		r := f.register(f.jsAdmin, "js.late", certifiedIn(f.jiangsu, "late", usccJiangsu, "320505"), "holder", usccJiangsu, "jiangsu")
		requireRefused(t, f.fixture, r, ledgererr.InvalidArgument, "certificatePem")
		assert.Contains(t, r.Message, "320505 虎丘区 lies in suzhou, not jiangsu")
		e, _ := ledgererr.Parse(r.Message)
		zh, ok := ledgererr.NewRefusals().Translate(e.Message, ledgererr.Chinese)
		require.True(t, ok, e.Message)
		assert.Contains(t, zh, "位于 suzhou，而非 jiangsu")
	})
	t.Run("jiangsu moves its member into Suzhou", func(t *testing.T) {
		r := f.net.Submit(f.jsAdmin, "participants:SetDivision", "js.early", "320576")
		requireRefused(t, f.fixture, r, ledgererr.InvalidArgument, "division")
		assert.Contains(t, r.Message, "lies in suzhou, not jiangsu")
	})
	assert.Equal(t, before, f.net.Ledger().StateKeys(), "refusals must write nothing")

	var p model.Participant
	f.register(f.szAdmin, "sz.dora", certifiedIn(f.suzhou, "dora", usccSuzhou, "320576"), "holder", usccSuzhou, "suzhou").Unmarshal(t, &p)
	assert.Equal(t, "320576", p.Division)
	assert.Equal(t, "suzhou", p.Region)
	f.net.Submit(f.szAdmin, "participants:SetDivision", "sz.dora", "320500").Unmarshal(t, &p)
	assert.Equal(t, "320500", p.Division, "the city itself is Suzhou's")
	f.net.Submit(f.jsAdmin, "participants:SetDivision", "js.early", "320106").Unmarshal(t, &p)
	assert.Equal(t, "320106", p.Division, "Nanjing stays Jiangsu's")
}
