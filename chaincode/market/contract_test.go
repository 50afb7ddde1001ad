package market_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/eventschema"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/chaincode/trades"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

var msps = []string{"AnhuiMSP", "JiangsuMSP", "ShanghaiMSP", "ZhejiangMSP"}

// fixture is a four-org channel whose chaincode-level policy is a majority
// of the orgs, as on the network, with the registry, the rules and the asset
// register.
type fixture struct {
	net    *chaincodetest.Network
	cas    map[string]*chaincodetest.CA
	admins map[string]chaincodetest.Identity
	rules  *model.Rules
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	cc, err := contractapi.NewChaincode(participants.New(), market.New(), assets.New(rights.Register{}, trades.Readers{}))
	require.NoError(t, err)
	f := &fixture{cas: map[string]*chaincodetest.CA{}, admins: map[string]chaincodetest.Identity{}}
	regions := map[string]string{"AnhuiMSP": "anhui", "JiangsuMSP": "jiangsu", "ShanghaiMSP": "shanghai", "ZhejiangMSP": "zhejiang"}
	var cas []*chaincodetest.CA
	var orgs []rulestest.Org
	for _, msp := range msps {
		f.cas[msp] = chaincodetest.NewCA(msp)
		f.admins[msp] = rulestest.Admin(f.cas[msp])
		cas = append(cas, f.cas[msp])
		orgs = append(orgs, rulestest.Org{CA: f.cas[msp], Region: regions[msp]})
	}
	f.net = chaincodetest.NewNetwork(cc, chaincodetest.WithOrgs(cas...),
		chaincodetest.WithEndorsementPolicy(chaincodetest.OutOf(model.ChaincodeEndorsers(len(msps)), msps...)), chaincodetest.WithEndorsementPlanning())
	eventschema.Watch(t, f.net)
	f.rules = rulestest.Rules(orgs, model.Regulator{MSPID: "AnhuiMSP", ParticipantID: "ah.regulator"})
	return f
}

func (f *fixture) init(t *testing.T) {
	t.Helper()
	rulestest.Init(t, f.net, f.admins["ShanghaiMSP"], f.rules)
}

// next returns the rules after the ones in force, changed by edit.
func (f *fixture) next(t *testing.T, edit func(r *model.Rules)) *model.Rules {
	t.Helper()
	current := rulestest.Current(t, f.net, f.admins["AnhuiMSP"]).Rules
	r := current
	r.Version++
	r.Orgs = append([]model.MarketOrg(nil), current.Orgs...)
	r.Regulators = append([]model.Regulator{}, current.Regulators...)
	edit(&r)
	return &r
}

// refused checks a refusal that wrote nothing.
func (f *fixture) refused(t *testing.T, code ledgererr.Code, field string, who chaincodetest.Identity, fn string, args ...string) *ledgererr.Error {
	t.Helper()
	before := len(f.net.Ledger().Transactions())
	e := registertest.RequireCode(t, f.net.Submit(who, fn, args...), code, field)
	assert.Equal(t, before, len(f.net.Ledger().Transactions()), "a refused call reached the ledger")
	return e
}

func TestInitSetsTheFirstRulesOnce(t *testing.T) {
	f := newFixture(t)
	client := f.cas["ShanghaiMSP"].Issue("op", "client")
	doc := rulestest.JSON(t, f.rules)
	registertest.RequireCode(t, f.net.Evaluate(client, "market:GetRules"), ledgererr.Conflict, "")
	f.refused(t, ledgererr.Forbidden, "", client, "market:Init", doc)
	v2 := *f.rules
	v2.Version = 2
	f.refused(t, ledgererr.InvalidArgument, "rules.version", f.admins["ShanghaiMSP"], "market:Init", rulestest.JSON(t, &v2))

	var set model.MarketRules
	r := f.net.Submit(f.admins["JiangsuMSP"], "market:Init", doc)
	r.Unmarshal(t, &set)
	assert.Equal(t, 1, set.Version)
	assert.Equal(t, f.rules.Hash(), set.Hash)
	assert.Equal(t, model.EventMarketRulesSet, r.Event.Name)
	assert.JSONEq(t, `{"version":1,"hash":"`+set.Hash+`"}`, string(r.Event.Payload))
	f.refused(t, ledgererr.Conflict, "", f.admins["ShanghaiMSP"], "market:Init", doc)

	// Anyone reads them, unregistered clients too, certificates included.
	got := rulestest.Current(t, f.net, client)
	assert.Equal(t, *f.rules, got.Rules)
	assert.Equal(t, f.rules.Hash(), got.Hash)
	require.Len(t, got.Orgs[0].RootCerts, 1)
	assert.Equal(t, string(f.cas["AnhuiMSP"].CertificatePEM()), got.Orgs[0].RootCerts[0])

	// Every record of the rules needs a majority (three of four) from now on;
	// each approval slot its own org.
	l := f.net.Ledger()
	for _, key := range append([]string{chaincodetest.Key("market~rules", "current")}, keys(t, "market~ca")...) {
		assertPolicy(t, l.ValidationParameter(key), [][]string{msps[:3], msps[1:]}, [][]string{msps[:2], {"ShanghaiMSP"}})
	}
	for _, msp := range msps {
		assertPolicy(t, l.ValidationParameter(chaincodetest.Key("market~approval", msp)), [][]string{{msp}}, [][]string{without(msps, msp)})
	}
}

func TestInitRefusesRulesThatDoNotNameTheCaller(t *testing.T) {
	f := newFixture(t)
	r := *f.rules
	r.Orgs = r.Orgs[1:] // no Anhui
	r.Regulators = nil
	e := f.refused(t, ledgererr.Forbidden, "", f.admins["AnhuiMSP"], "market:Init", rulestest.JSON(t, &r))
	assert.Contains(t, e.Message, "AnhuiMSP")
}

func TestParseRefusesBadRules(t *testing.T) {
	f := newFixture(t)
	admin := f.admins["ShanghaiMSP"]
	edit := func(fn func(r *model.Rules)) string {
		r := *f.rules
		r.Orgs = append([]model.MarketOrg(nil), f.rules.Orgs...)
		for i := range r.Orgs {
			r.Orgs[i].RootCerts = append([]string(nil), r.Orgs[i].RootCerts...)
		}
		fn(&r)
		return rulestest.JSON(t, &r)
	}
	leaf := string(f.cas["AnhuiMSP"].Issue("not-a-ca", "client").CertPEM)
	for _, tc := range []struct {
		name, doc, field string
	}{
		{"not JSON", "{", "rules"},
		{"unknown field", `{"version":1,"noticePeriodSeconds":60,"orgs":[],"regulators":[],"extra":1}`, "rules"},
		{"no orgs", edit(func(r *model.Rules) { r.Orgs = nil; r.Regulators = nil }), "rules.orgs"},
		{"version 0", edit(func(r *model.Rules) { r.Version = 0 }), "rules.version"},
		{"notice too short", edit(func(r *model.Rules) { r.NoticePeriodSeconds = 0 }), "rules.noticePeriodSeconds"},
		{"notice too long", edit(func(r *model.Rules) { r.NoticePeriodSeconds = 30*24*3600 + 1 }), "rules.noticePeriodSeconds"},
		{"region twice", edit(func(r *model.Rules) { r.Orgs[1].Region = r.Orgs[0].Region }), "rules.orgs[1].region"},
		{"malformed region", edit(func(r *model.Rules) { r.Orgs[0].Region = "Bei Jing" }), "rules.orgs[0].region"},
		{"no region", edit(func(r *model.Rules) { r.Orgs[3].Region = "" }), "rules.orgs[3].region"},
		{"org twice", edit(func(r *model.Rules) { r.Orgs[1].MSPID = r.Orgs[0].MSPID }), "rules.orgs[1].mspId"},
		{"no root", edit(func(r *model.Rules) { r.Orgs[2].RootCerts = nil }), "rules.orgs[2].rootCerts"},
		{"root not PEM", edit(func(r *model.Rules) { r.Orgs[0].RootCerts[0] = "certificate" }), "rules.orgs[0].rootCerts[0]"},
		{"root not a CA", edit(func(r *model.Rules) { r.Orgs[0].RootCerts[0] = leaf }), "rules.orgs[0].rootCerts[0]"},
		{"two PEM blocks in one", edit(func(r *model.Rules) { r.Orgs[0].RootCerts[0] += r.Orgs[1].RootCerts[0] }), "rules.orgs[0].rootCerts[0]"},
		{"intermediate not a CA", edit(func(r *model.Rules) { r.Orgs[0].IntermediateCerts = []string{leaf} }), "rules.orgs[0].intermediateCerts[0]"},
		{"regulator of no org", edit(func(r *model.Rules) { r.Regulators = []model.Regulator{{MSPID: "BeijingMSP", ParticipantID: "x"}} }), "rules.regulators[0].mspId"},
		{"regulator bad ID", edit(func(r *model.Rules) { r.Regulators = []model.Regulator{{MSPID: "AnhuiMSP", ParticipantID: "a b"}} }), "rules.regulators[0].participantId"},
		{"regulator twice", edit(func(r *model.Rules) {
			r.Regulators = []model.Regulator{{MSPID: "AnhuiMSP", ParticipantID: "x"}, {MSPID: "AnhuiMSP", ParticipantID: "x"}}
		}), "rules.regulators[1]"},
		{"division prefix not in the table", edit(func(r *model.Rules) { r.Orgs[1].Divisions = []string{"3299"} }), "rules.orgs[1].divisions[0]"},
		{"division prefix of a district", edit(func(r *model.Rules) { r.Orgs[1].Divisions = []string{"32", "320576"} }), "rules.orgs[1].divisions[1]"},
		{"division prefix outside the delta", edit(func(r *model.Rules) { r.Orgs[2].Divisions = []string{"11"} }), "rules.orgs[2].divisions[0]"},
		{"division prefix of another region", edit(func(r *model.Rules) { r.Orgs[0].Divisions = []string{"32"} }), "rules.orgs[0].divisions"},
		{"division prefix twice", edit(func(r *model.Rules) { r.Orgs[0].Divisions = []string{"34", "34"} }), "rules.orgs[0].divisions"},
		{"too many division prefixes", edit(func(r *model.Rules) {
			r.Orgs[0].Divisions = []string{"34", "3401", "3402", "3403", "3404", "3405", "3406", "3407", "3408"}
		}), "rules.orgs[0].divisions"},
		{"too large", strings.Repeat(" ", model.MaxRulesBytes+1), "rules"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.refused(t, ledgererr.InvalidArgument, tc.field, admin, "market:Init", tc.doc)
		})
	}
}

// A refusal names the field where the caller sent it: the rules are put in
// canonical order (by MSP ID) only once every field is checked, so an admin
// sending the orgs and regulators in another order is told which of its own
// entries is wrong, and the rules it sends in any order are the same rules.
func TestARefusalNamesTheFieldWhereTheCallerSentIt(t *testing.T) {
	f := newFixture(t)
	f.init(t)
	reversed := func(edit func(r *model.Rules)) string {
		r := f.next(t, func(r *model.Rules) {
			slices.Reverse(r.Orgs) // Zhejiang, Shanghai, Jiangsu, Anhui
			r.Regulators = []model.Regulator{{MSPID: "ZhejiangMSP", ParticipantID: "zj.regulator"}, {MSPID: "AnhuiMSP", ParticipantID: "ah.regulator"}}
		})
		r.Orgs[0].RootCerts = append([]string(nil), r.Orgs[0].RootCerts...)
		edit(r)
		return rulestest.JSON(t, r)
	}
	admin := f.admins["AnhuiMSP"]
	for _, tc := range []struct {
		name, doc, field string
	}{
		{"Zhejiang's division, sent first", reversed(func(r *model.Rules) { r.Orgs[0].Divisions = []string{"3299"} }), "rules.orgs[0].divisions[0]"},
		{"Zhejiang's root, sent first", reversed(func(r *model.Rules) { r.Orgs[0].RootCerts[0] = "certificate" }), "rules.orgs[0].rootCerts[0]"},
		{"Anhui's region, sent last", reversed(func(r *model.Rules) { r.Orgs[3].Region = "Bei Jing" }), "rules.orgs[3].region"},
		{"Anhui again, sent last", reversed(func(r *model.Rules) { r.Orgs[3].MSPID = "ZhejiangMSP" }), "rules.orgs[3].mspId"},
		{"Anhui's regulator, sent second", reversed(func(r *model.Rules) { r.Regulators[1].ParticipantID = "a b" }), "rules.regulators[1].participantId"},
		{"a regulator of no org, sent second", reversed(func(r *model.Rules) { r.Regulators[1].MSPID = "BeijingMSP" }), "rules.regulators[1].mspId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.refused(t, ledgererr.InvalidArgument, tc.field, admin, "market:Approve", tc.doc)
		})
	}

	// In any order, the same rules: one approval, one hash.
	var a model.RulesApproval
	f.net.Submit(admin, "market:Approve", reversed(func(*model.Rules) {})).Unmarshal(t, &a)
	sorted := f.next(t, func(r *model.Rules) {
		r.Regulators = []model.Regulator{{MSPID: "AnhuiMSP", ParticipantID: "ah.regulator"}, {MSPID: "ZhejiangMSP", ParticipantID: "zj.regulator"}}
	})
	assert.Equal(t, sorted.Hash(), a.Hash)
}

// A change needs the approval of a majority of the orgs in force, each by
// its own admin for the exact rules; approvals of other rules or of an
// earlier version do not count.
func TestChangeNeedsAMajorityOfTheOrgs(t *testing.T) {
	f := newFixture(t)
	f.init(t)
	next := f.next(t, func(r *model.Rules) { r.NoticePeriodSeconds = 86400 })
	doc := rulestest.JSON(t, next)
	other := rulestest.JSON(t, f.next(t, func(r *model.Rules) { r.NoticePeriodSeconds = 60 }))

	client := f.cas["AnhuiMSP"].Issue("op", "client")
	f.refused(t, ledgererr.Forbidden, "", client, "market:Approve", doc)
	f.refused(t, ledgererr.Forbidden, "", client, "market:Apply", doc)
	f.refused(t, ledgererr.InvalidArgument, "rules.version", f.admins["AnhuiMSP"], "market:Approve", rulestest.JSON(t, f.rules))

	var a model.RulesApproval
	r := f.net.Submit(f.admins["AnhuiMSP"], "market:Approve", doc)
	r.Unmarshal(t, &a)
	assert.Equal(t, model.RulesApproval{MSPID: "AnhuiMSP", Version: 2, Hash: next.Hash(), ApprovedBy: a.ApprovedBy, ApprovedAt: a.ApprovedAt, TxID: r.TxID}, a)
	assert.Equal(t, model.EventMarketRulesApproved, r.Event.Name)
	f.net.Submit(f.admins["JiangsuMSP"], "market:Approve", doc).MustOK(t)
	f.net.Submit(f.admins["ZhejiangMSP"], "market:Approve", other).MustOK(t) // approves other rules
	e := f.refused(t, ledgererr.Conflict, "", f.admins["ShanghaiMSP"], "market:Apply", doc)
	assert.Contains(t, e.Message, "approved by 2 of the 4 orgs (AnhuiMSP, JiangsuMSP); a change needs 3")

	var list model.RulesApprovalList
	f.net.Evaluate(client, "market:ListApprovals").Unmarshal(t, &list)
	assert.Equal(t, 1, list.Version)
	assert.Equal(t, 3, list.Majority)
	require.Len(t, list.Items, 4)

	f.net.Submit(f.admins["ZhejiangMSP"], "market:Approve", doc).MustOK(t) // changes its mind
	var applied model.MarketRules
	r = f.net.Submit(f.admins["ShanghaiMSP"], "market:Apply", doc)
	r.Unmarshal(t, &applied)
	assert.Equal(t, 2, applied.Version)
	assert.Equal(t, 86400, applied.NoticePeriodSeconds)
	assert.Equal(t, model.EventMarketRulesChanged, r.Event.Name)
	assert.JSONEq(t, `{"version":2,"hash":"`+next.Hash()+`","approvedBy":["AnhuiMSP","JiangsuMSP","ZhejiangMSP"]}`, string(r.Event.Payload))

	// The approvals were for version 2: version 3 starts from nothing.
	v3 := rulestest.JSON(t, f.next(t, func(r *model.Rules) { r.NoticePeriodSeconds = 60 }))
	f.refused(t, ledgererr.Conflict, "", f.admins["ShanghaiMSP"], "market:Apply", v3)
	f.refused(t, ledgererr.InvalidArgument, "rules.version", f.admins["ShanghaiMSP"], "market:Apply", doc)
}

// No minority of orgs writes the rules or approves in another org's name,
// even by running chaincode of their own: the records' key-level policies
// stop the transactions at validation.
func TestMinorityCannotForgeRulesOrApprovals(t *testing.T) {
	f := newFixture(t)
	f.init(t)
	colluders := []string{"AnhuiMSP", "JiangsuMSP"}
	forge := func(key string, value any) chaincodetest.Result {
		return f.net.Forge(f.admins["AnhuiMSP"], chaincodetest.Writes{key: chaincodetest.JSON(t, value)}, colluders...)
	}
	next := f.next(t, func(r *model.Rules) { r.NoticePeriodSeconds = 1 })
	before := rulestest.Current(t, f.net, f.admins["AnhuiMSP"])
	for name, r := range map[string]chaincodetest.Result{
		"rules":               forge(chaincodetest.Key("market~rules", "current"), next),
		"Shanghai's CA":       forge(chaincodetest.Key("market~ca", "ShanghaiMSP"), map[string]any{"mspId": "ShanghaiMSP", "rootCerts": before.Orgs[0].RootCerts}),
		"Shanghai's approval": forge(chaincodetest.Key("market~approval", "ShanghaiMSP"), model.RulesApproval{MSPID: "ShanghaiMSP", Version: 2, Hash: next.Hash()}),
		"Zhejiang's approval": forge(chaincodetest.Key("market~approval", "ZhejiangMSP"), model.RulesApproval{MSPID: "ZhejiangMSP", Version: 2, Hash: next.Hash()}),
	} {
		require.Error(t, r.Err, name)
		assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode, name)
	}
	assert.Equal(t, before, rulestest.Current(t, f.net, f.admins["AnhuiMSP"]))
	// Their own two approvals are not a majority.
	for _, msp := range colluders {
		f.net.Submit(f.admins[msp], "market:Approve", rulestest.JSON(t, next)).MustOK(t)
	}
	f.refused(t, ledgererr.Conflict, "", f.admins["AnhuiMSP"], "market:Apply", rulestest.JSON(t, next))
}

// An org's own peers can write anything into its approval slot, even an
// approval naming another org; such a slot is no approval: it counts for
// no org, and no org is named twice among those who approved.
func TestAnApprovalSlotNamingAnotherOrgCountsForNone(t *testing.T) {
	f := newFixture(t)
	f.init(t)
	next := f.next(t, func(r *model.Rules) { r.NoticePeriodSeconds = 1 })
	doc := rulestest.JSON(t, next)
	for _, msp := range []string{"AnhuiMSP", "ZhejiangMSP"} {
		f.net.Submit(f.admins[msp], "market:Approve", doc).MustOK(t)
	}
	approval := model.RulesApproval{MSPID: "ZhejiangMSP", Version: next.Version, Hash: next.Hash()}
	f.net.Forge(f.admins["JiangsuMSP"], chaincodetest.Writes{chaincodetest.Key("market~approval", "JiangsuMSP"): chaincodetest.JSON(t, approval)},
		"JiangsuMSP", "AnhuiMSP").MustOK(t)

	e := f.refused(t, ledgererr.Conflict, "", f.admins["ShanghaiMSP"], "market:Apply", doc)
	assert.Contains(t, e.Message, "approved by 2 of the 4 orgs (AnhuiMSP, ZhejiangMSP)")
	var list model.RulesApprovalList
	f.net.Evaluate(f.admins["ShanghaiMSP"], "market:ListApprovals").Unmarshal(t, &list)
	require.Len(t, list.Items, 4)
	assert.Equal(t, model.RulesApproval{MSPID: "JiangsuMSP"}, *list.Items[1])
}

// The public-notice period is a market rule: applications approved after a
// change get the new period.
func TestNoticePeriodIsAMarketRule(t *testing.T) {
	f := newFixture(t)
	f.init(t)
	sh := f.cas["ShanghaiMSP"]
	holder, op := rulestest.Member(sh, "holder", "9144030071526726XG", "holder", "Holder"), sh.Issue("op", "client")
	admin := f.admins["ShanghaiMSP"]
	f.net.Submit(admin, "participants:Register", "sh.holder", string(holder.CertPEM), "holder", "9144030071526726XG", "Holder", "shanghai").MustOK(t)
	f.net.Submit(admin, "participants:Register", "sh.op", string(op.CertPEM), "operator", "91330100799655058B", "Exchange", "shanghai").MustOK(t)

	hash := strings.Repeat("ab", 32)
	f.net.Submit(holder, "assets:Apply", "a1", "Data", "finance", "shanghai", "d", hash).MustOK(t)
	reviewAt := f.net.Now()
	var a model.Asset
	f.net.Submit(op, "assets:Review", "a1", "APPROVE", "").Unmarshal(t, &a)
	assert.Equal(t, reviewAt.Add(model.DefaultNoticePeriodSeconds*time.Second).Format(time.RFC3339), a.NoticeEndsAt)

	next := f.next(t, func(r *model.Rules) { r.NoticePeriodSeconds = 43200 })
	rulestest.Change(t, f.net, []chaincodetest.Identity{f.admins["AnhuiMSP"], f.admins["JiangsuMSP"], f.admins["ZhejiangMSP"]}, next)
	f.net.Submit(holder, "assets:Apply", "a2", "Data 2", "finance", "shanghai", "d", strings.Repeat("cd", 32)).MustOK(t)
	reviewAt = f.net.Now()
	f.net.Submit(op, "assets:Review", "a2", "APPROVE", "").Unmarshal(t, &a)
	assert.Equal(t, reviewAt.Add(12*time.Hour).Format(time.RFC3339), a.NoticeEndsAt)
}

// An org the majority removes loses its records and its members' standing;
// the majority is then counted among the orgs that remain.
func TestRemovedOrgNoLongerActs(t *testing.T) {
	f := newFixture(t)
	f.init(t)
	ah := f.cas["AnhuiMSP"]
	member := rulestest.Member(ah, "buyer", "9144030071526726XG", "buyer", "Buyer")
	f.net.Submit(f.admins["AnhuiMSP"], "participants:Register", "ah.buyer", string(member.CertPEM), "buyer", "9144030071526726XG", "Buyer", "anhui").MustOK(t)
	f.net.Evaluate(member, "participants:WhoAmI").MustOK(t)

	next := f.next(t, func(r *model.Rules) {
		r.Orgs = r.Orgs[1:] // AnhuiMSP sorts first
		r.Regulators = []model.Regulator{}
	})
	remaining := []string{"JiangsuMSP", "ShanghaiMSP", "ZhejiangMSP"}
	f.changeEndorsedBy(t, remaining, next)
	registertest.RequireCode(t, f.net.Evaluate(member, "participants:WhoAmI"), ledgererr.Forbidden, "")
	assert.Nil(t, f.net.Ledger().State(chaincodetest.Key("market~ca", "AnhuiMSP")))
	f.refused(t, ledgererr.Forbidden, "", f.admins["AnhuiMSP"], "market:Approve", rulestest.JSON(t, f.next(t, func(*model.Rules) {})))
	var list model.RulesApprovalList
	f.net.Evaluate(member, "market:ListApprovals").Unmarshal(t, &list)
	assert.Equal(t, 2, list.Majority, "two of the three orgs left")
}

// changeEndorsedBy puts r in force as the admins of the orgs approve it,
// each approval endorsed by its org's peers and the Apply by the peers of
// those orgs alone.
func (f *fixture) changeEndorsedBy(t *testing.T, orgs []string, r *model.Rules) {
	t.Helper()
	doc := rulestest.JSON(t, r)
	for _, msp := range orgs {
		f.net.Submit(f.admins[msp], "market:Approve", doc).MustOK(t)
	}
	f.net.Invoke(f.admins[orgs[0]], chaincodetest.Call{Function: "market:Apply", Args: []string{doc}, Endorsers: orgs}).MustOK(t)
}

// The majority removes an org without its endorsement: the org's approval
// slot, which only its own peers may change, is not deleted, so the org has
// no veto over its removal. Named again (with its peers' endorsement, as its
// emptied slot needs), what it approved before counts for no later version.
func TestAMajorityRemovesAnOrgWithoutIt(t *testing.T) {
	f := newFixture(t)
	f.init(t)
	remaining := []string{"JiangsuMSP", "ShanghaiMSP", "ZhejiangMSP"}
	anhui := f.rules.Orgs[0]
	removal := f.next(t, func(r *model.Rules) { r.Orgs = r.Orgs[1:]; r.Regulators = []model.Regulator{} })
	f.net.Submit(f.admins["AnhuiMSP"], "market:Approve", rulestest.JSON(t, removal)).MustOK(t)
	f.changeEndorsedBy(t, remaining, removal)
	assert.Equal(t, 2, rulestest.Current(t, f.net, f.admins["JiangsuMSP"]).Version)

	readded := f.next(t, func(r *model.Rules) { r.Orgs = append([]model.MarketOrg{anhui}, r.Orgs...) })
	doc := rulestest.JSON(t, readded)
	for _, msp := range remaining[:2] {
		f.net.Submit(f.admins[msp], "market:Approve", doc).MustOK(t)
	}
	f.net.Invoke(f.admins["JiangsuMSP"], chaincodetest.Call{Function: "market:Apply", Args: []string{doc}, Endorsers: append(remaining[:2:2], "AnhuiMSP")}).MustOK(t)
	inForce := rulestest.Current(t, f.net, f.admins["AnhuiMSP"])
	assert.Equal(t, 3, inForce.Version)
	assert.Equal(t, "anhui", inForce.OrgRegion("AnhuiMSP"))
	assertPolicy(t, f.net.Ledger().ValidationParameter(chaincodetest.Key("market~approval", "AnhuiMSP")),
		[][]string{{"AnhuiMSP"}}, [][]string{remaining})

	// Anhui's approval of version 2 counts for nothing now; it approves again.
	next := rulestest.JSON(t, f.next(t, func(r *model.Rules) { r.NoticePeriodSeconds = 60 }))
	for _, msp := range remaining[:2] {
		f.net.Submit(f.admins[msp], "market:Approve", next).MustOK(t)
	}
	e := f.refused(t, ledgererr.Conflict, "", f.admins["JiangsuMSP"], "market:Apply", next)
	assert.Contains(t, e.Message, "approved by 2 of the 4 orgs (JiangsuMSP, ShanghaiMSP)")
	f.net.Submit(f.admins["AnhuiMSP"], "market:Approve", next).MustOK(t)
	f.net.Submit(f.admins["JiangsuMSP"], "market:Apply", next).MustOK(t)
}

func keys(t *testing.T, objectType string) []string {
	var ks []string
	for _, msp := range msps {
		ks = append(ks, chaincodetest.Key(objectType, msp))
	}
	return ks
}

func without(list []string, s string) []string {
	var out []string
	for _, v := range list {
		if v != s {
			out = append(out, v)
		}
	}
	return out
}

// assertPolicy checks that a key-level policy is satisfied by each of the
// endorser sets in pass and by none of those in fail.
func assertPolicy(t *testing.T, policy []byte, pass, fail [][]string) {
	t.Helper()
	require.NotNil(t, policy, "the key has no key-level policy")
	env := mustEnvelope(t, policy)
	for _, orgs := range pass {
		assert.NoError(t, chaincodetest.EvaluatePolicy(env, orgs), "%v must satisfy the policy", orgs)
	}
	for _, orgs := range fail {
		assert.Error(t, chaincodetest.EvaluatePolicy(env, orgs), "%v must not satisfy the policy", orgs)
	}
}

func mustEnvelope(t *testing.T, b []byte) *common.SignaturePolicyEnvelope {
	t.Helper()
	var env common.SignaturePolicyEnvelope
	require.NoError(t, proto.Unmarshal(b, &env))
	return &env
}

// A region that joins names the divisions it holds; two regions never hold
// the same prefix. Suzhou's 3205 is carved out of Jiangsu's 32 (the longest
// prefix wins), and a later region claiming 3205 is refused on chain.
func TestRulesGiveEachDivisionOneRegion(t *testing.T) {
	f := newFixture(t)
	f.init(t)
	suzhou := chaincodetest.NewCA("SuzhouMSP")
	orgSuzhou := rulestest.Rules([]rulestest.Org{{CA: suzhou, Region: "suzhou"}}).Orgs[0]
	orgSuzhou.Divisions = []string{"3205"}
	v2 := f.next(t, func(r *model.Rules) { r.Orgs = append(r.Orgs, orgSuzhou) })
	rulestest.Change(t, f.net, []chaincodetest.Identity{f.admins["AnhuiMSP"], f.admins["JiangsuMSP"], f.admins["ShanghaiMSP"]}, v2)
	inForce := rulestest.Current(t, f.net, f.admins["AnhuiMSP"])
	assert.Equal(t, "suzhou", inForce.RegionOf("320576"))
	assert.Equal(t, "jiangsu", inForce.RegionOf("320106"))
	org, ok := inForce.Org("SuzhouMSP")
	require.True(t, ok)
	assert.Equal(t, []string{"3205"}, org.Divisions, "the rules in force keep the divisions")

	wuxi := chaincodetest.NewCA("WuxiMSP")
	orgWuxi := rulestest.Rules([]rulestest.Org{{CA: wuxi, Region: "wuxi"}}).Orgs[0]
	for _, claim := range [][]string{{"3205"}, {"32"}, {"3202", "3205"}} {
		orgWuxi.Divisions = claim
		v3 := f.next(t, func(r *model.Rules) { r.Orgs = append(r.Orgs, orgWuxi) })
		// Named where it was sent (appended: Anhui, Jiangsu, Shanghai, Suzhou, Zhejiang, Wuxi), not where the
		// canonical order puts it.
		e := f.refused(t, ledgererr.InvalidArgument, "rules.orgs[5].divisions", f.admins["AnhuiMSP"], "market:Approve", rulestest.JSON(t, v3))
		assert.Contains(t, e.Message, "a division belongs to one region", claim)
		zh, ok := ledgererr.NewRefusals().Translate(e.Message, ledgererr.Chinese)
		assert.True(t, ok, "the refusal has its Chinese text: %s", e.Message)
		assert.Contains(t, zh, "每个行政区划只属于一个区域")
	}
	// Jiangsu cannot take Suzhou's prefix back by naming it either.
	v3 := f.next(t, func(r *model.Rules) { r.Orgs[1].Divisions = []string{"32", "3205"} })
	e := f.refused(t, ledgererr.InvalidArgument, "rules.orgs[3].divisions", f.admins["JiangsuMSP"], "market:Approve", rulestest.JSON(t, v3))
	assert.Contains(t, e.Message, "3205 is already a division prefix of jiangsu")
}
