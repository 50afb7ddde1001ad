package participants_test

import (
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/eventschema"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Who a member is comes from its certificate, not from its org's admin: the
// certificate of a member onboarded through its region's gateway certifies
// its enterprise, roles and legal name (Fabric CA attributes), and the admin
// who registers it can neither name another enterprise nor give it a role
// the certificate does not certify, nor another name. Each refusal names
// the field and writes nothing.
func TestRegisterTakesTheEnterpriseFromTheCertificate(t *testing.T) {
	f := newFixture(t)
	const legalName = "苏州数据科技有限公司"
	dora := rulestest.Member(f.shanghai, usccA, usccA, "buyer,holder", legalName)
	before := f.net.Ledger().StateKeys()

	cases := []struct {
		name, roles, uscc, legalName, field string
	}{
		{"another enterprise", "holder", usccB, legalName, "uscc"},
		{"another name", "holder", usccA, "Other Ltd", "name"},
		{"a role not certified", "holder,agency", usccA, legalName, "roles"},
		{"a staff role", "operator", usccA, legalName, "roles"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := f.net.Submit(f.shAdmin, "participants:Register", "sh.dora", string(dora.CertPEM), tc.roles, tc.uscc, tc.legalName, "shanghai")
			requireRefused(t, f, r, ledgererr.InvalidArgument, tc.field)
		})
	}
	assert.Equal(t, before, f.net.Ledger().StateKeys(), "refusals must write nothing")

	var p model.Participant
	f.net.Submit(f.shAdmin, "participants:Register", "sh.dora", string(dora.CertPEM), "holder", usccA, legalName, "shanghai").Unmarshal(t, &p)
	assert.Equal(t, []string{"holder"}, p.Roles, "a subset of the certified roles")
	assert.Equal(t, []string{"buyer", "holder"}, p.CertifiedRoles)
	var e model.Enterprise
	f.net.Evaluate(dora, "participants:GetEnterprise", usccA).Unmarshal(t, &e)
	assert.True(t, e.Certified)

	// Nor can the admin give it an uncertified role later.
	r := f.net.Submit(f.shAdmin, "participants:SetRoles", "sh.dora", "holder,operator")
	requireRefused(t, f, r, ledgererr.InvalidArgument, "roles")
	assert.Contains(t, r.Message, "may hold only buyer, holder, the roles the member's certificate certifies")
	f.net.Submit(f.shAdmin, "participants:SetRoles", "sh.dora", "buyer,holder").MustOK(t)
}

// Where a member is comes from its certificate too, when the operator who
// onboarded it said (model.AttrDivision): the participant is there from its
// registration on. The ledger holds each region to its own divisions all
// the same: a certificate of a region's CA that certifies another
// province's district, a whole province or no division of the table is
// refused, naming the certificate, and writes nothing; so neither the
// member, nor its admin, nor its region's CA places it elsewhere.
func TestRegisterPlacesTheMemberInTheDivisionItsCertificateCertifies(t *testing.T) {
	f := newFixture(t)
	certify := func(ca *chaincodetest.CA, cn, uscc, division string) chaincodetest.Identity {
		return ca.IssueWithAttributes(cn, "client", map[string]string{
			model.AttrUSCC: uscc, model.AttrRoles: "holder", model.AttrDivision: division})
	}
	before := f.net.Ledger().StateKeys()
	for _, tc := range []struct{ name, division, phrase string }{
		{"another province's district", "320576", "lies in jiangsu, not shanghai"},
		{"another province's city", "330100", "lies in zhejiang, not shanghai"},
		{"a whole province", "310000", "whole province"},
		{"its own province's code for the whole delta", "000000", "not a division"},
		{"a code not in the table", "310199", "not a division"},
		{"not a code", "浦东", "not a division"},
		{"an empty division", "", "not a division"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			who := certify(f.shanghai, "mallory", usccA, tc.division)
			r := f.register(f.shAdmin, "sh.mallory", who, "holder", usccA, "shanghai")
			requireRefused(t, f, r, ledgererr.InvalidArgument, "certificatePem")
			assert.Contains(t, r.Message, model.AttrDivision)
			assert.Contains(t, r.Message, tc.phrase)
		})
	}
	// An Anhui certificate certifying a Shanghai district is refused in Anhui.
	r := f.register(f.ahAdmin, "ah.mallory", certify(f.anhui, "mallory", usccB, "310115"), "holder", usccB, "anhui")
	requireRefused(t, f, r, ledgererr.InvalidArgument, "certificatePem")
	assert.Contains(t, r.Message, "lies in shanghai, not anhui")
	assert.Equal(t, before, f.net.Ledger().StateKeys(), "refusals must write nothing")

	dora := certify(f.shanghai, "dora", usccA, "310115")
	var p model.Participant
	f.register(f.shAdmin, "sh.dora", dora, "holder", usccA, "shanghai").Unmarshal(t, &p)
	assert.Equal(t, "310115", p.Division, "placed where its certificate says, from the registration on")
	f.net.Evaluate(f.carol, "participants:Get", "sh.dora").Unmarshal(t, &p)
	assert.Equal(t, "310115", p.Division, "public, as every division")

	// The member cannot move itself; its admin moves it only within the region.
	requireRefused(t, f, f.net.Submit(dora, "participants:SetDivision", "sh.dora", "310101"), ledgererr.Forbidden, "")
	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:SetDivision", "sh.dora", "320576"), ledgererr.InvalidArgument, "division")
	f.net.Submit(f.shAdmin, "participants:SetDivision", "sh.dora", "310101").MustOK(t)

	// A certificate that certifies no division places nobody: the admin does, later.
	var carol model.Participant
	f.register(f.ahAdmin, "ah.carol", f.carol, "holder", usccB, "anhui").Unmarshal(t, &carol)
	assert.Equal(t, "ah.carol", carol.ID)
	assert.Empty(t, carol.Division)
}

// An enterprise role (holder, buyer, agency) needs a certificate that
// certifies the enterprise: an admin cannot make one of its staff, whose
// certificate certifies none, act for an enterprise, neither at
// registration nor later. Staff hold the staff roles.
func TestEnterpriseRolesNeedACertifiedEnterprise(t *testing.T) {
	f := newFixture(t)
	staff := f.shanghai.Issue("staff", "client")
	before := f.net.Ledger().StateKeys()
	for _, role := range model.EnterpriseRoles {
		r := f.register(f.shAdmin, "sh.staff", staff, role, usccA, "shanghai")
		requireRefused(t, f, r, ledgererr.InvalidArgument, "roles")
		assert.Contains(t, r.Message, role+" is an enterprise role")
	}
	assert.Equal(t, before, f.net.Ledger().StateKeys())

	var p model.Participant
	f.register(f.shAdmin, "sh.staff", staff, "operator", usccA, "shanghai").Unmarshal(t, &p)
	assert.Empty(t, p.CertifiedRoles)
	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:SetRoles", "sh.staff", "operator,holder"), ledgererr.InvalidArgument, "roles")
}

// A staff member (whose certificate certifies nothing) never acts for an
// enterprise whose members' certificates certify it: registering one under a
// certified enterprise's USCC is a CONFLICT and writes nothing.
func TestStaffNeverActForACertifiedEnterprise(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	before := f.net.Ledger().StateKeys()
	r := f.register(f.shAdmin, "sh.staff", f.shanghai.Issue("staff", "client"), "operator", usccA, "shanghai")
	requireRefused(t, f, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Message, "enterprise "+usccA+" is certified in its members' certificates")
	assert.Equal(t, before, f.net.Ledger().StateKeys())
}

// Staff's USCC is what their own org declares (their employer), which no
// certificate vouches for: it binds no enterprise to the org. Otherwise an
// org admin could register one of its staff under another region's
// enterprise and so keep that enterprise from ever registering where it is
// (the squatting this test tries). Only a certificate that certifies the
// enterprise binds its USCC to an org.
func TestStaffDoNotBindAnEnterprise(t *testing.T) {
	f := newFixture(t)
	// Anhui's admin registers staff under Shanghai's enterprise before it joins, and staff of its own under the
	// same USCC as well: neither binds it.
	f.register(f.ahAdmin, "ah.squatter", f.anhui.Issue("squatter", "client"), "operator", usccA, "anhui").MustOK(t)
	f.register(f.shAdmin, "sh.staff", f.shanghai.Issue("staff", "client"), "operator", usccA, "shanghai").MustOK(t)
	requireRefused(t, f, f.net.Evaluate(f.carol, "participants:GetEnterprise", usccA), ledgererr.NotFound, "")

	// The enterprise's certified member registers in its own region, which binds it there.
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	var e model.Enterprise
	f.net.Evaluate(f.carol, "participants:GetEnterprise", usccA).Unmarshal(t, &e)
	assert.Equal(t, "ShanghaiMSP", e.MSPID)
	assert.True(t, e.Certified)

	// From then on the USCC is Shanghai's: Anhui registers no more staff under it.
	r := f.register(f.ahAdmin, "ah.squatter2", f.anhui.Issue("squatter2", "client"), "operator", usccA, "anhui")
	requireRefused(t, f, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Message, "enterprise "+usccA+" is registered in ShanghaiMSP")
}

// A binding that staff made while staff still bound their USCC (a ledger
// older than this rule) stands in the way of its own org's certified members
// until that org releases it, as before, and in no other staff's way.
func TestABindingStaffMadeBeforeStillNeedsItsRelease(t *testing.T) {
	f := newFixture(t)
	f.within(f.ahAdmin, func(ctx contractapi.TransactionContextInterface) error {
		key, err := state.Key(ctx, "enterprise", usccB)
		if err != nil {
			return err
		}
		return state.PutOwned(ctx, key, &model.Enterprise{USCC: usccB, MSPID: "AnhuiMSP", Region: "anhui", RegisteredAt: "2026-01-01T00:00:00Z"}, "AnhuiMSP")
	}).MustOK(t)

	r := f.register(f.ahAdmin, "ah.carol", f.carol, "holder", usccB, "anhui")
	requireRefused(t, f, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Message, "enterprise "+usccB+" is registered for staff")
	r = f.register(f.shAdmin, "sh.carol", member(f.shanghai, "carol", usccB), "holder", usccB, "shanghai")
	requireRefused(t, f, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Message, "enterprise "+usccB+" is registered in AnhuiMSP")
	f.register(f.shAdmin, "sh.staff", f.shanghai.Issue("staff", "client"), "operator", usccB, "shanghai").MustOK(t)

	f.net.Submit(f.ahAdmin, "participants:ReleaseEnterprise", usccB, "its members are certified now").MustOK(t)
	f.register(f.ahAdmin, "ah.carol", f.carol, "holder", usccB, "anhui").MustOK(t)
}

// The certified attributes are all or nothing and must make sense: roles or
// a name without a USCC, an invalid USCC or an unknown role in the
// certificate are refused, naming the certificate.
func TestMalformedCertifiedAttributesAreRefused(t *testing.T) {
	f := newFixture(t)
	cases := map[string]map[string]string{
		"roles without a USCC":      {model.AttrRoles: "holder"},
		"a name without a USCC":     {model.AttrLegalName: "Acme"},
		"a division without a USCC": {model.AttrDivision: "310115"},
		"an invalid USCC":           {model.AttrUSCC: "9144030071526726XA", model.AttrRoles: "holder"},
		"an unknown role":           {model.AttrUSCC: usccA, model.AttrRoles: "holder,king"},
		"no roles":                  {model.AttrUSCC: usccA},
	}
	before := f.net.Ledger().StateKeys()
	for name, attrs := range cases {
		t.Run(name, func(t *testing.T) {
			who := f.shanghai.IssueWithAttributes("mallory", "client", attrs)
			r := f.register(f.shAdmin, "sh.mallory", who, "operator", usccA, "shanghai")
			requireRefused(t, f, r, ledgererr.InvalidArgument, "certificatePem")
		})
	}
	assert.Equal(t, before, f.net.Ledger().StateKeys())
}

// A certified participant is held to the certificate it presents at every
// call: a re-enrolled certificate (same subject, same CA, so the same
// identity; here over the same key, which the record binds) acts only in the
// roles it certifies, and one that no longer certifies the participant's
// enterprise does not act at all.
func TestCallerIsHeldToTheCertificateItPresents(t *testing.T) {
	f := newFixture(t)
	dora := rulestest.Member(f.shanghai, "dora", usccA, "buyer,holder", "")
	f.register(f.shAdmin, "sh.dora", dora, "buyer,holder", usccA, "shanghai").MustOK(t)

	var me model.Participant
	f.net.Evaluate(dora, "participants:WhoAmI").Unmarshal(t, &me)
	assert.Equal(t, []string{"buyer", "holder"}, me.Roles)

	narrower := f.shanghai.Reissue(dora, certifying(usccA, "holder"))
	f.net.Evaluate(narrower, "participants:WhoAmI").Unmarshal(t, &me)
	assert.Equal(t, "sh.dora", me.ID)
	assert.Equal(t, []string{"holder"}, me.Roles)

	for _, other := range []chaincodetest.Identity{
		f.shanghai.Reissue(dora, certifying(usccB, "buyer,holder")),
		f.shanghai.Reissue(dora, nil),
	} {
		r := f.net.Evaluate(other, "participants:WhoAmI")
		require.Error(t, r.Err)
		e, ok := ledgererr.Parse(r.Message)
		require.True(t, ok, r.Message)
		assert.Equal(t, ledgererr.Forbidden, e.Code)
		assert.Contains(t, r.Message, "which the caller's certificate does not certify")
	}
}

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
	eventschema.Watch(t, f.net)
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
	// A Suzhou member certified in each division Suzhou does not hold, and the words of the refusal.
	for division, phrase := range map[string]string{
		"310115": "lies in shanghai, not suzhou", "320106": "lies in jiangsu, not suzhou",
		"320000": "whole province", "320599": "not a division",
	} {
		r := f.register(f.szAdmin, "sz.mallory", certifiedIn(f.suzhou, "mallory", usccSuzhou, division), "holder", usccSuzhou, "suzhou")
		requireRefused(t, f.fixture, r, ledgererr.InvalidArgument, "certificatePem")
		assert.Contains(t, r.Message, phrase, division)
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
