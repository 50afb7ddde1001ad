package participants_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/cid"
	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/eventschema"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

const (
	usccA = "9144030071526726XG"
	usccB = "91330100799655058B"
)

type fixture struct {
	net              *chaincodetest.Network
	shanghai, anhui  *chaincodetest.CA
	shAdmin, ahAdmin chaincodetest.Identity
	alice, bob       chaincodetest.Identity // Shanghai clients
	carol            chaincodetest.Identity // Anhui client
	rules            *model.Rules           // the rules set at the start
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	cc := newChaincode(t)
	f := &fixture{shanghai: chaincodetest.NewCA("ShanghaiMSP"), anhui: chaincodetest.NewCA("AnhuiMSP")}
	f.net = chaincodetest.NewNetwork(cc, chaincodetest.WithOrgs(f.shanghai, f.anhui), chaincodetest.WithEndorsementPlanning())
	eventschema.Watch(t, f.net)
	f.shAdmin = f.shanghai.Issue("Admin@shanghai", "admin")
	f.rules = rulestest.Rules([]rulestest.Org{{CA: f.shanghai, Region: "shanghai"}, {CA: f.anhui, Region: "anhui"}},
		model.Regulator{MSPID: "AnhuiMSP", ParticipantID: "ah.regulator"})
	rulestest.Init(t, f.net, f.shAdmin, f.rules)
	f.ahAdmin = f.anhui.Issue("Admin@anhui", "admin")
	f.alice = member(f.shanghai, "alice", usccA)
	f.bob = member(f.shanghai, "bob", usccA)
	f.carol = member(f.anhui, "carol", usccB)
	return f
}

// member issues a client identity of ca's org whose certificate certifies
// the enterprise uscc in every role (and no legal name), so that the tests of
// other rules may register it in any roles.
func member(ca *chaincodetest.CA, commonName, uscc string) chaincodetest.Identity {
	return rulestest.Member(ca, commonName, uscc, strings.Join(model.Roles, ","), "")
}

// newChaincode is the registry with the market rules it reads.
func newChaincode(t *testing.T) *contractapi.ContractChaincode {
	t.Helper()
	cc, err := contractapi.NewChaincode(participants.New(), market.New())
	require.NoError(t, err)
	return cc
}

func (f *fixture) register(admin chaincodetest.Identity, id string, member chaincodetest.Identity, roles, uscc, region string) chaincodetest.Result {
	return f.net.Submit(admin, "participants:Register", id, string(member.CertPEM), roles, uscc, "Test Enterprise Ltd", region)
}

// within submits a transaction by id that runs fn with the contract API's
// context of the transaction, for the package's functions that contract
// functions call rather than the contract functions themselves.
func (f *fixture) within(id chaincodetest.Identity, fn func(ctx contractapi.TransactionContextInterface) error) chaincodetest.Result {
	return inContext(f.net, id, chaincodetest.Call{}, fn)
}

// inContext invokes call on net as id, running fn in place of the chaincode
// with the contract API's context of the transaction: its stub and the
// caller's client identity, as a contract function has them.
func inContext(net *chaincodetest.Network, id chaincodetest.Identity, call chaincodetest.Call, fn func(ctx contractapi.TransactionContextInterface) error) chaincodetest.Result {
	return net.InvokeFunc(id, call, func(stub shim.ChaincodeStubInterface) ([]byte, error) {
		ctx := new(contractapi.TransactionContext)
		ctx.SetStub(stub)
		caller, err := cid.New(stub)
		if err != nil {
			return nil, err
		}
		ctx.SetClientIdentity(caller)
		return nil, fn(ctx)
	})
}

// requireRefused checks the error code (and field) of a refusal and that the
// refused transaction changed nothing on the ledger.
func requireRefused(t *testing.T, f *fixture, r chaincodetest.Result, code ledgererr.Code, field string) {
	t.Helper()
	registertest.RequireCode(t, r, code, field)
	assert.Empty(t, r.ValidationCode, "a refused proposal must never reach the ledger")
}

func TestRegisterAndResolveCaller(t *testing.T) {
	f := newFixture(t)
	var p model.Participant
	registeredAt := f.net.Now()
	f.register(f.shAdmin, "sh.alice", f.alice, "holder,buyer,holder", usccA, "shanghai").Unmarshal(t, &p)
	assert.Equal(t, []string{"buyer", "holder"}, p.Roles)
	assert.Equal(t, "ShanghaiMSP", p.MSPID)
	assert.Equal(t, model.ParticipantActive, p.Status)
	assert.Equal(t, registeredAt.UTC().Format(time.RFC3339), p.RegisteredAt)

	var me model.Participant
	f.net.Evaluate(f.alice, "participants:WhoAmI").Unmarshal(t, &me)
	assert.Equal(t, "sh.alice", me.ID)

	events := f.net.Ledger().Events()
	require.Len(t, events, 2, "the rules set, then the registration")
	assert.Equal(t, model.EventParticipantRegistered, events[1].Name)
	assert.JSONEq(t, `{"participantId":"sh.alice","mspId":"ShanghaiMSP","uscc":"`+usccA+`"}`, string(events[1].Payload))

	// The record belongs to its org: a key-level policy names Shanghai.
	key := participantKey(t, f, "sh.alice")
	assert.NotNil(t, f.net.Ledger().ValidationParameter(key))
}

func participantKey(t *testing.T, f *fixture, id string) string {
	t.Helper()
	for _, k := range f.net.Ledger().StateKeys() {
		if k == "\x00participant\x00"+id+"\x00" {
			return k
		}
	}
	t.Fatalf("no key for participant %s", id)
	return ""
}

func TestRegisterRefusals(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	before := f.net.Ledger().StateKeys()

	cases := []struct {
		name    string
		caller  chaincodetest.Identity
		args    []string
		code    ledgererr.Code
		field   string
		comment string
	}{
		{"client is not admin", f.bob, []string{"sh.bob", string(f.bob.CertPEM), "buyer", usccA, "Bob", "shanghai"}, ledgererr.Forbidden, "", ""},
		{"bad id", f.shAdmin, []string{"bad id", string(f.bob.CertPEM), "buyer", usccA, "Bob", "shanghai"}, ledgererr.InvalidArgument, "id", ""},
		{"not a certificate", f.shAdmin, []string{"sh.bob", "hello", "buyer", usccA, "Bob", "shanghai"}, ledgererr.InvalidArgument, "certificatePem", ""},
		{"unknown role", f.shAdmin, []string{"sh.bob", string(f.bob.CertPEM), "buyer,king", usccA, "Bob", "shanghai"}, ledgererr.InvalidArgument, "roles", ""},
		{"bad check character", f.shAdmin, []string{"sh.bob", string(f.bob.CertPEM), "buyer", "9144030071526726XA", "Bob", "shanghai"}, ledgererr.InvalidArgument, "uscc", ""},
		{"empty name", f.shAdmin, []string{"sh.bob", string(f.bob.CertPEM), "buyer", usccA, " ", "shanghai"}, ledgererr.InvalidArgument, "name", ""},
		{"unknown region", f.shAdmin, []string{"sh.bob", string(f.bob.CertPEM), "buyer", usccA, "Bob", "beijing"}, ledgererr.InvalidArgument, "region", ""},
		{"region differs from org's", f.shAdmin, []string{"sh.bob", string(f.bob.CertPEM), "buyer", usccA, "Bob", "anhui"}, ledgererr.InvalidArgument, "region", ""},
		{"duplicate id", f.shAdmin, []string{"sh.alice", string(f.bob.CertPEM), "buyer", usccA, "Bob", "shanghai"}, ledgererr.Conflict, "", ""},
		{"identity registered twice", f.shAdmin, []string{"sh.alice2", string(f.alice.CertPEM), "buyer", usccA, "Alice", "shanghai"}, ledgererr.Conflict, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := f.net.Submit(tc.caller, "participants:Register", tc.args...)
			requireRefused(t, f, r, tc.code, tc.field)
		})
	}
	assert.Equal(t, before, f.net.Ledger().StateKeys(), "refusals must write nothing")
}

func TestAdminOfAnotherOrgCannotChangeMember(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	requireRefused(t, f, f.net.Submit(f.ahAdmin, "participants:Suspend", "sh.alice", "fraud"), ledgererr.Forbidden, "")
	requireRefused(t, f, f.net.Submit(f.ahAdmin, "participants:SetRoles", "sh.alice", "buyer"), ledgererr.Forbidden, "")
	requireRefused(t, f, f.net.Submit(f.ahAdmin, "participants:ReleaseEnterprise", usccA, "moving"), ledgererr.Forbidden, "")

	// Once its own admin suspended it, neither another org's admin nor the member itself brings it back.
	f.net.Submit(f.shAdmin, "participants:Suspend", "sh.alice", "fraud").MustOK(t)
	requireRefused(t, f, f.net.Submit(f.ahAdmin, "participants:Reinstate", "sh.alice"), ledgererr.Forbidden, "")
	requireRefused(t, f, f.net.Submit(f.alice, "participants:Reinstate", "sh.alice"), ledgererr.Forbidden, "")
	var p model.Participant
	f.net.Evaluate(f.carol, "participants:Get", "sh.alice").Unmarshal(t, &p)
	assert.Equal(t, model.ParticipantSuspended, p.Status)
}

func TestSuspendReinstateAndRoles(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)

	var p model.Participant
	f.net.Submit(f.shAdmin, "participants:Suspend", "sh.alice", "licence under review").Unmarshal(t, &p)
	assert.Equal(t, model.ParticipantSuspended, p.Status)
	assert.Equal(t, "licence under review", p.StatusReason)
	requireRefused(t, f, f.net.Evaluate(f.alice, "participants:WhoAmI"), ledgererr.Forbidden, "")
	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:Suspend", "sh.alice", "again"), ledgererr.Conflict, "")
	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:Suspend", "sh.alice", ""), ledgererr.InvalidArgument, "reason")

	p = model.Participant{}
	f.net.Submit(f.shAdmin, "participants:Reinstate", "sh.alice").Unmarshal(t, &p)
	assert.Equal(t, model.ParticipantActive, p.Status)
	assert.Empty(t, p.StatusReason)
	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:Reinstate", "sh.alice"), ledgererr.Conflict, "")
	// Her suspension withdrew her key (TestAReinstatedMembersKeyFromBeforeItsSuspensionActsForNobody).
	alice := f.shanghai.Reenroll(f.alice)
	f.net.Submit(f.shAdmin, "participants:RebindKey", "sh.alice", string(alice.CertPEM), "enrolled again").MustOK(t)
	f.net.Evaluate(alice, "participants:WhoAmI").MustOK(t)

	f.net.Submit(f.shAdmin, "participants:SetRoles", "sh.alice", "buyer,operator").Unmarshal(t, &p)
	assert.Equal(t, []string{"buyer", "operator"}, p.Roles)
	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:SetRoles", "sh.alice", "operator,buyer"), ledgererr.Conflict, "")
	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:SetRoles", "sh.nobody", "buyer"), ledgererr.NotFound, "")

	// The role index follows the change.
	assert.Empty(t, listIDs(t, f, alice, "ShanghaiMSP", "holder"))
	assert.Equal(t, []string{"sh.alice"}, listIDs(t, f, alice, "ShanghaiMSP", "operator"))
}

func listIDs(t *testing.T, f *fixture, caller chaincodetest.Identity, msp, role string) []string {
	t.Helper()
	var ids []string
	chaincodetest.EachPage(func(bookmark string) string {
		var page model.ParticipantPage
		f.net.Evaluate(caller, "participants:List", msp, role, "2", bookmark).Unmarshal(t, &page)
		assert.LessOrEqual(t, len(page.Items), 2)
		for _, p := range page.Items {
			ids = append(ids, p.ID)
		}
		return page.Bookmark
	})
	return ids
}

func TestListPaginatesByOrgAndRole(t *testing.T) {
	f := newFixture(t)
	names := []string{"sh.u1", "sh.u2", "sh.u3", "sh.u4", "sh.u5"}
	for i, id := range names {
		roles := "buyer"
		if i%2 == 0 {
			roles = "buyer,holder"
		}
		f.register(f.shAdmin, id, member(f.shanghai, id, usccA), roles, usccA, "shanghai").MustOK(t)
	}
	f.register(f.ahAdmin, "ah.carol", f.carol, "holder", usccB, "anhui").MustOK(t)

	assert.Equal(t, names, listIDs(t, f, f.carol, "ShanghaiMSP", ""))
	assert.Equal(t, []string{"sh.u1", "sh.u3", "sh.u5"}, listIDs(t, f, f.carol, "ShanghaiMSP", "holder"))
	assert.Equal(t, []string{"ah.carol"}, listIDs(t, f, f.carol, "AnhuiMSP", ""))

	requireRefused(t, f, f.net.Evaluate(f.carol, "participants:List", "ShanghaiMSP", "king", "", ""), ledgererr.InvalidArgument, "role")
	requireRefused(t, f, f.net.Evaluate(f.carol, "participants:List", "ShanghaiMSP", "", "1000", ""), ledgererr.InvalidArgument, "pageSize")
}

func TestGet(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	var p model.Participant
	f.net.Evaluate(f.carol, "participants:Get", "sh.alice").Unmarshal(t, &p)
	assert.Equal(t, usccA, p.USCC)
	requireRefused(t, f, f.net.Evaluate(f.carol, "participants:Get", "sh.nobody"), ledgererr.NotFound, "")
	requireRefused(t, f, f.net.Evaluate(f.carol, "participants:Get", "no/slash"), ledgererr.InvalidArgument, "id")
}

func TestChangeNeedsOwnOrgEndorsement(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	// A Shanghai admin's transaction endorsed only by an Anhui peer must not
	// commit: the participant's key-level policy requires Shanghai.
	r := f.net.Invoke(f.shAdmin, chaincodetest.Call{
		Function: "participants:Suspend", Args: []string{"sh.alice", "x"}, Endorsers: []string{"AnhuiMSP"},
	})
	require.Error(t, r.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
	var p model.Participant
	require.NoError(t, json.Unmarshal(f.net.Ledger().State(participantKey(t, f, "sh.alice")), &p))
	assert.Equal(t, model.ParticipantActive, p.Status)
}

// Actor refuses a regulator-only participant (the regulator changes nothing)
// and accepts one that holds another role too.
func TestActorRefusesTheRegulator(t *testing.T) {
	f := newFixture(t)
	next := *f.rules
	next.Version = 2
	next.Regulators = append(next.Regulators, model.Regulator{MSPID: "ShanghaiMSP", ParticipantID: "sh.regulator"},
		model.Regulator{MSPID: "ShanghaiMSP", ParticipantID: "sh.bob"})
	rulestest.Change(t, f.net, []chaincodetest.Identity{f.shAdmin, f.ahAdmin}, &next)
	f.register(f.shAdmin, "sh.regulator", f.alice, "regulator", usccA, "shanghai").MustOK(t)
	f.register(f.shAdmin, "sh.bob", f.bob, "regulator,buyer", usccA, "shanghai").MustOK(t)

	actor := func(id chaincodetest.Identity) error {
		return f.within(id, func(ctx contractapi.TransactionContextInterface) error {
			_, err := participants.Actor(ctx)
			return err
		}).Err
	}
	err := actor(f.alice)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "FORBIDDEN: participant \"sh.regulator\" is a regulator")
	assert.NoError(t, actor(f.bob))
}

// CallerWithPageSize refuses a bad page size before it resolves the caller,
// so that the refusal is the same whoever asks, and resolves the caller of
// a good one as Caller does, unregistered callers refused.
func TestCallerWithPageSize(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	callerWithPageSize := func(id chaincodetest.Identity, pageSize string) (string, int32, chaincodetest.Result) {
		var who string
		var size int32
		r := f.within(id, func(ctx contractapi.TransactionContextInterface) error {
			p, n, err := participants.CallerWithPageSize(ctx, pageSize)
			if p != nil {
				who, size = p.ID, n
			}
			return err
		})
		return who, size, r
	}

	who, size, r := callerWithPageSize(f.alice, "")
	require.NoError(t, r.Err)
	assert.Equal(t, "sh.alice", who)
	assert.Equal(t, int32(model.DefaultPageSize), size)
	who, size, r = callerWithPageSize(f.alice, "7")
	require.NoError(t, r.Err)
	assert.Equal(t, "sh.alice", who)
	assert.Equal(t, int32(7), size)

	for _, bad := range []string{"0", "101", "x"} {
		for _, id := range []chaincodetest.Identity{f.alice, f.carol} { // carol is not registered
			_, _, r := callerWithPageSize(id, bad)
			requireRefused(t, f, r, ledgererr.InvalidArgument, "pageSize")
		}
	}
	_, _, r = callerWithPageSize(f.carol, "7")
	require.Error(t, r.Err)
	e, ok := ledgererr.Parse(r.Message)
	require.True(t, ok, r.Message)
	assert.NotEqual(t, ledgererr.InvalidArgument, e.Code, "a good page size is no refusal: the unregistered caller is")
}

func TestSetDivision(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	f.register(f.ahAdmin, "ah.carol", f.carol, "holder", usccB, "anhui").MustOK(t)

	var p model.Participant
	f.net.Submit(f.shAdmin, "participants:SetDivision", "sh.alice", "310115").Unmarshal(t, &p)
	assert.Equal(t, "310115", p.Division, "Pudong New Area")
	events := f.net.Ledger().Events()
	assert.Equal(t, model.EventParticipantDivisionSet, events[len(events)-1].Name)
	f.net.Submit(f.ahAdmin, "participants:SetDivision", "ah.carol", "340100").MustOK(t) // the city of Hefei
	f.net.Submit(f.ahAdmin, "participants:SetDivision", "ah.carol", "340176").MustOK(t) // its high-tech zone

	before := f.net.Ledger().StateKeys()
	cases := []struct {
		name          string
		caller        chaincodetest.Identity
		id, division  string
		code          ledgererr.Code
		field, phrase string
	}{
		{"not a code", f.shAdmin, "sh.alice", "pudong", ledgererr.InvalidArgument, "division", "not a division"},
		{"not in the table", f.shAdmin, "sh.alice", "310199", ledgererr.InvalidArgument, "division", "not a division"},
		{"outside the delta", f.shAdmin, "sh.alice", "110101", ledgererr.InvalidArgument, "division", "not a division"},
		{"a whole province", f.shAdmin, "sh.alice", "310000", ledgererr.InvalidArgument, "division", "whole province"},
		{"another region's district", f.shAdmin, "sh.alice", "320576", ledgererr.InvalidArgument, "division", "lies in jiangsu"},
		{"the same division again", f.shAdmin, "sh.alice", "310115", ledgererr.Conflict, "", "already"},
		{"the member itself", f.alice, "sh.alice", "310101", ledgererr.Forbidden, "", "admin"},
		{"another org's admin", f.ahAdmin, "sh.alice", "310101", ledgererr.Forbidden, "", ""},
		{"unknown participant", f.shAdmin, "sh.nobody", "310101", ledgererr.NotFound, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := f.net.Submit(tc.caller, "participants:SetDivision", tc.id, tc.division)
			requireRefused(t, f, r, tc.code, tc.field)
			assert.Contains(t, r.Message, tc.phrase)
		})
	}
	assert.Equal(t, before, f.net.Ledger().StateKeys(), "refusals must write nothing")
	f.net.Evaluate(f.carol, "participants:Get", "sh.alice").Unmarshal(t, &p)
	assert.Equal(t, "310115", p.Division, "the division is public market information")
}

// An org admin's certificate is no participant's: an admin that were also a
// participant would keep its admin's powers while suspended (it registers,
// suspends and releases all the same) and would reinstate itself, deciding
// its own case. Register refuses it, naming the certificate, and writes
// nothing.
func TestAnAdminsCertificateIsNoParticipant(t *testing.T) {
	f := newFixture(t)
	before := f.net.Ledger().StateKeys()
	r := f.net.Submit(f.shAdmin, "participants:Register", "sh.admin", string(f.shAdmin.CertPEM), "operator", usccA, "Shanghai Data Exchange", "shanghai")
	requireRefused(t, f, r, ledgererr.InvalidArgument, "certificatePem")
	assert.Contains(t, r.Message, "admin")
	// Nor another admin of the org, who would reinstate the first.
	other := f.shanghai.Issue("Admin2@shanghai", "admin")
	requireRefused(t, f, f.register(f.shAdmin, "sh.admin2", other, "operator", usccA, "shanghai"), ledgererr.InvalidArgument, "certificatePem")
	assert.Equal(t, before, f.net.Ledger().StateKeys(), "refusals must write nothing")
}
