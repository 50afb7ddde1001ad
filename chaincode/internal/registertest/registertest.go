// Package registertest is the test fixture of the register of assets and
// rights (packages assets and rights): a four-org channel running the
// participants, market, assets and rights contracts through the real
// contract-api chaincode on the chaincodetest harness, with a cast of
// registered participants and helpers to register assets, grant rights and
// check that a refused call changed nothing.
package registertest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/domain"
	"github.com/deltaledger/deltaledger/chaincode/internal/eventschema"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/chaincode/trades"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// MSP IDs of the four regional exchanges' orgs.
const (
	ShanghaiMSP = "ShanghaiMSP"
	JiangsuMSP  = "JiangsuMSP"
	ZhejiangMSP = "ZhejiangMSP"
	AnhuiMSP    = "AnhuiMSP"
)

// Fixture is a four-org channel running the participants, assets and rights
// contracts, with a cast of registered participants. The network plans
// endorsements as the Fabric Gateway does, so a transaction is endorsed by
// the orgs its key-level policies name; tests that check those policies
// name the endorsers themselves.
type Fixture struct {
	Net *chaincodetest.Network

	Holder   chaincodetest.Identity // sh.holder: Shanghai data holder
	Holder2  chaincodetest.Identity // sh.holder2: another Shanghai holder
	ShOp     chaincodetest.Identity // sh.op: Shanghai exchange operator
	ShOpHold chaincodetest.Identity // sh.ophold: Shanghai operator who is also a holder
	ShOpTwin chaincodetest.Identity // sh.optwin: Shanghai operator acting for sh.ophold's enterprise
	ShBuyer  chaincodetest.Identity // sh.buyer: Shanghai buyer, not a holder
	JsOp     chaincodetest.Identity // js.op: Jiangsu exchange operator
	JsUser   chaincodetest.Identity // js.user: Jiangsu holder and buyer
	ZjUser   chaincodetest.Identity // zj.user: Zhejiang holder and buyer
	AhUser   chaincodetest.Identity // ah.user: Anhui buyer
	Outsider chaincodetest.Identity // a Shanghai identity never registered
	ShAdmin  chaincodetest.Identity

	members map[string]chaincodetest.Identity // the cast by participant ID
	cas     map[string]*chaincodetest.CA      // the CA of each cast participant by participant ID
	admins  map[string]chaincodetest.Identity // each org's admin by MSP ID
}

// New starts the channel and registers the cast.
func New(t *testing.T) *Fixture {
	t.Helper()
	cc, err := contractapi.NewChaincode(participants.New(), market.New(), assets.New(rights.Register{}, trades.Readers{}), rights.New(trades.Readers{}))
	require.NoError(t, err)
	sh, js, zj, ah := chaincodetest.NewCA(ShanghaiMSP), chaincodetest.NewCA(JiangsuMSP), chaincodetest.NewCA(ZhejiangMSP), chaincodetest.NewCA(AnhuiMSP)
	f := &Fixture{Net: chaincodetest.NewNetwork(cc, chaincodetest.WithOrgs(sh, js, zj, ah), chaincodetest.WithEndorsementPlanning())}
	eventschema.Watch(t, f.Net)
	f.ShAdmin = sh.Issue("Admin@shanghai", "admin")
	rulestest.Init(t, f.Net, f.ShAdmin, rulestest.Rules([]rulestest.Org{{CA: sh, Region: "shanghai"}, {CA: js, Region: "jiangsu"}, {CA: zj, Region: "zhejiang"}, {CA: ah, Region: "anhui"}}))
	admins := map[string]chaincodetest.Identity{
		ShanghaiMSP: f.ShAdmin, JiangsuMSP: js.Issue("Admin@jiangsu", "admin"),
		ZhejiangMSP: zj.Issue("Admin@zhejiang", "admin"), AnhuiMSP: ah.Issue("Admin@anhui", "admin"),
	}
	f.admins = admins
	members := []struct {
		id     *chaincodetest.Identity
		ca     *chaincodetest.CA
		pid    string
		roles  string
		region string
		uscc   int // the enterprise the Participant acts for (markettest.USCC)
	}{
		{&f.Holder, sh, "sh.holder", "holder", "shanghai", 1},
		{&f.Holder2, sh, "sh.holder2", "holder", "shanghai", 2},
		{&f.ShOp, sh, "sh.op", "operator", "shanghai", 100},
		{&f.ShOpHold, sh, "sh.ophold", "operator,holder", "shanghai", 3},
		{&f.ShOpTwin, sh, "sh.optwin", "operator", "shanghai", 3},
		{&f.ShBuyer, sh, "sh.buyer", "buyer", "shanghai", 4},
		{&f.JsOp, js, "js.op", "operator", "jiangsu", 101},
		{&f.JsUser, js, "js.user", "holder,buyer", "jiangsu", 5},
		{&f.ZjUser, zj, "zj.user", "holder,buyer", "zhejiang", 6},
		{&f.AhUser, ah, "ah.user", "buyer", "anhui", 7},
	}
	f.members, f.cas = map[string]chaincodetest.Identity{}, map[string]*chaincodetest.CA{}
	for _, m := range members {
		*m.id = rulestest.Member(m.ca, m.pid, markettest.USCC(m.uscc), m.roles, "Enterprise "+m.pid)
		f.members[m.pid], f.cas[m.pid] = *m.id, m.ca
		f.Net.Submit(admins[m.ca.MSPID()], "participants:Register", m.pid, string(m.id.CertPEM), m.roles,
			markettest.USCC(m.uscc), "Enterprise "+m.pid, m.region).MustOK(t)
	}
	f.Outsider = sh.Issue("mallory", "client")
	return f
}

// Move has a majority of the orgs (Shanghai's, Jiangsu's and Zhejiang's
// admins) approve and apply new market rules that bind each org of moves
// (MSP ID -> region) to its region instead, as markettest.Move does: two
// orgs may swap. Records keep the regions they were written with.
func (f *Fixture) Move(t *testing.T, moves map[string]string) {
	t.Helper()
	next := rulestest.Current(t, f.Net, f.ShAdmin).Rules
	next.Version++
	next.Orgs = slices.Clone(next.Orgs)
	for i := range next.Orgs {
		if region, ok := moves[next.Orgs[i].MSPID]; ok {
			next.Orgs[i].Region = region
		}
	}
	rulestest.Change(t, f.Net, []chaincodetest.Identity{f.admins[ShanghaiMSP], f.admins[JiangsuMSP], f.admins[ZhejiangMSP]}, &next)
}

// HashOf is the content hash of a test data set.
func HashOf(data string) string {
	sum := sha256.Sum256([]byte(data))
	return hex.EncodeToString(sum[:])
}

// Apply files an application for asset id as sh.holder.
func (f *Fixture) Apply(t *testing.T, who chaincodetest.Identity, id string) {
	t.Helper()
	f.Net.Submit(who, "assets:Apply", id, "Traffic flow "+id, "transport", "shanghai", "Hourly traffic counts", HashOf(id)).MustOK(t)
}

// RegisterAsset runs the whole procedure for an asset held by who, a
// Shanghai holder, and returns the registered asset.
func (f *Fixture) RegisterAsset(t *testing.T, who chaincodetest.Identity, id string) *model.Asset {
	t.Helper()
	f.Apply(t, who, id)
	return f.Certify(t, who, id)
}

// Certify approves a pending Shanghai application, lets the notice period
// pass and certifies it.
func (f *Fixture) Certify(t *testing.T, who chaincodetest.Identity, id string) *model.Asset {
	t.Helper()
	f.Net.Submit(f.ShOp, "assets:Review", id, "APPROVE", "").MustOK(t)
	f.Net.Advance(model.DefaultNoticePeriodSeconds * time.Second)
	var a model.Asset
	f.Net.Submit(who, "assets:Certify", id).Unmarshal(t, &a)
	require.Equal(t, model.AssetRegistered, a.Status)
	return &a
}

// Asset reads an asset's record as the ledger holds it: the lock of a
// holding names the trade the tests of the register lock it to, which this
// fixture, running no trades contract, never opens (assets:Get shows the
// lock only to who may read that trade).
func (f *Fixture) Asset(t *testing.T, id string) *model.Asset {
	t.Helper()
	var a model.Asset
	f.stored(t, "asset", id, &a)
	return &a
}

// StoredRight reads a right's record as the ledger holds it: a right sold
// in a trade names the trade the tests of the register sell it in, which
// this fixture, running no trades contract, never opens (rights:Get shows
// it only to who may read that trade).
func (f *Fixture) StoredRight(t *testing.T, id string) *model.Right {
	t.Helper()
	var r model.Right
	f.stored(t, "right", id, &r)
	return &r
}

// stored decodes the record of kind and id the ledger holds into v.
func (f *Fixture) stored(t *testing.T, kind, id string, v any) {
	t.Helper()
	value := f.Net.Ledger().State(chaincodetest.Key(kind, id))
	require.NotNil(t, value, "%s %q", kind, id)
	require.NoError(t, json.Unmarshal(value, v))
}

// Right reads a right.
func (f *Fixture) Right(t *testing.T, id string) *model.Right {
	t.Helper()
	var r model.Right
	f.Net.Evaluate(f.Holder, "rights:Get", id).Unmarshal(t, &r)
	return &r
}

// Grant has the caller grant a right, has the grantee accept it, and
// returns the ACTIVE right.
func (f *Fixture) Grant(t *testing.T, who chaincodetest.Identity, assetID, grantee, rightType, scope string) *model.Right {
	t.Helper()
	return f.Accept(t, f.Offer(t, who, assetID, grantee, rightType, scope).ID)
}

// Offer has the caller grant a right and returns it, OFFERED: its grantee
// has not accepted it.
func (f *Fixture) Offer(t *testing.T, who chaincodetest.Identity, assetID, grantee, rightType, scope string) *model.Right {
	t.Helper()
	var r model.Right
	f.Net.Submit(who, "rights:Grant", assetID, grantee, rightType, scope).Unmarshal(t, &r)
	require.Equal(t, model.RightOffered, r.Status)
	return &r
}

// Accept has the holder of the OFFERED right rightID (one of the cast)
// accept it, and returns the ACTIVE right.
func (f *Fixture) Accept(t *testing.T, rightID string) *model.Right {
	t.Helper()
	var r model.Right
	f.Net.Submit(f.Member(t, f.Right(t, rightID).HolderID), "rights:Accept", rightID).Unmarshal(t, &r)
	require.Equal(t, model.RightActive, r.Status)
	return &r
}

// Reinstate has its org's admin reinstate the cast's suspended participant id (markettest.ReinstateOn) and
// returns the identity it acts with from then on, which Member returns too.
func (f *Fixture) Reinstate(t *testing.T, id string) chaincodetest.Identity {
	t.Helper()
	ca := f.cas[id]
	f.members[id] = markettest.ReinstateOn(t, f.Net, f.admins[ca.MSPID()], ca, f.Member(t, id), id)
	return f.members[id]
}

// Member is the identity of the cast's participant id.
func (f *Fixture) Member(t *testing.T, id string) chaincodetest.Identity {
	t.Helper()
	who, ok := f.members[id]
	require.True(t, ok, "participant %q is not of the cast", id)
	return who
}

// ScopeJSON writes a scope argument.
func ScopeJSON(purpose string, regions []string, validFrom, validUntil string, maySublicense bool) string {
	s := map[string]any{"purpose": purpose, "regions": regions, "validUntil": validUntil, "maySublicense": maySublicense}
	if validFrom != "" {
		s["validFrom"] = validFrom
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// A typical licence: credit modelling in Shanghai and Jiangsu for a year.
const (
	Purpose   = "credit risk model"
	YearEnd   = "2027-03-01T00:00:00Z"
	YearStart = "2026-03-01T00:00:00Z"
)

// Scopes of the typical licence: wide (three regions, may be sublicensed),
// narrow (Shanghai, half a year), without sublicensing, and Jiangsu only.
var (
	ScopeWide    = ScopeJSON(Purpose, []string{"shanghai", "jiangsu", "zhejiang"}, "", YearEnd, true)
	ScopeNarrow  = ScopeJSON(Purpose, []string{"shanghai"}, "", "2026-09-01T00:00:00Z", false)
	ScopeNoSub   = ScopeJSON(Purpose, []string{"shanghai", "jiangsu"}, "", YearEnd, false)
	ScopeJiangsu = ScopeJSON(Purpose, []string{"jiangsu"}, "", YearEnd, false)
)

// Snapshot is everything committed: every public key with its value and its
// key-level policy, and the number of committed transactions' events.
type Snapshot struct {
	State  map[string]string
	Events int
}

// Snapshot reads everything committed.
func (f *Fixture) Snapshot() Snapshot {
	l := f.Net.Ledger()
	s := Snapshot{State: map[string]string{}, Events: len(l.Events())}
	for _, k := range l.StateKeys() {
		s.State[k] = string(l.State(k)) + "|policy=" + hex.EncodeToString(l.ValidationParameter(k))
	}
	return s
}

// Refused submits a call that must be refused with the code (and, for
// INVALID_ARGUMENT, the field), checks that it wrote nothing, and returns
// the refusal for a test that checks more of it (its message).
func (f *Fixture) Refused(t *testing.T, code ledgererr.Code, field string, who chaincodetest.Identity, function string, args ...string) chaincodetest.Result {
	t.Helper()
	return f.RefusedCall(t, code, field, who, chaincodetest.Call{Function: function, Args: args})
}

// RefusedCall is Refused for a call that sets more than its function and
// arguments (a timestamp the client chose).
func (f *Fixture) RefusedCall(t *testing.T, code ledgererr.Code, field string, who chaincodetest.Identity, call chaincodetest.Call) chaincodetest.Result {
	t.Helper()
	before := f.Snapshot()
	r := f.Net.Invoke(who, call)
	RequireCode(t, r, code, field)
	assert.Empty(t, r.ValidationCode, "a refused proposal must never reach the ledger")
	assert.Equal(t, before, f.Snapshot(), "a refused call must write nothing")
	return r
}

// RequireCode checks the error code and field of a failed invocation (an
// empty field: the refusal names none), and returns the refusal for a test
// that checks more of it.
func RequireCode(t *testing.T, r chaincodetest.Result, code ledgererr.Code, field string) *ledgererr.Error {
	t.Helper()
	require.Error(t, r.Err, "call must be refused")
	e, ok := ledgererr.Parse(r.Message)
	require.True(t, ok, "no error code in %q", r.Message)
	assert.Equal(t, code, e.Code, r.Message)
	assert.Equal(t, field, e.Field, r.Message)
	return e
}

// RequireErrCode checks the code of an error returned by a package function.
func RequireErrCode(t *testing.T, err error, code ledgererr.Code, field string) {
	t.Helper()
	require.Error(t, err)
	var e *ledgererr.Error
	require.ErrorAs(t, err, &e, err.Error())
	assert.Equal(t, code, e.Code, err.Error())
	assert.Equal(t, field, e.Field, err.Error())
}

// LastEvent returns the last committed event.
func (f *Fixture) LastEvent(t *testing.T) chaincodetest.Event {
	t.Helper()
	events := f.Net.Ledger().Events()
	require.NotEmpty(t, events)
	return events[len(events)-1]
}

// KeyPolicy describes the key-level policy of a key: "" when it has none,
// otherwise the orgs it names and how many must endorse.
func (f *Fixture) KeyPolicy(t *testing.T, k string) string {
	t.Helper()
	b := f.Net.Ledger().ValidationParameter(k)
	if b == nil {
		return ""
	}
	var orgs []string
	for _, msp := range []string{AnhuiMSP, JiangsuMSP, ShanghaiMSP, ZhejiangMSP} {
		if chaincodetest.EvaluatePolicy(MustPolicy(t, b), []string{msp}) == nil {
			orgs = append(orgs, msp)
		}
	}
	if len(orgs) > 0 {
		return "any of " + strings.Join(orgs, ",")
	}
	// No single org suffices: find the smallest number of orgs that does.
	all := []string{AnhuiMSP, JiangsuMSP, ShanghaiMSP, ZhejiangMSP}
	for n := 2; n <= len(all); n++ {
		if chaincodetest.EvaluatePolicy(MustPolicy(t, b), all[:n]) == nil {
			return fmt.Sprintf("%d of 4", n)
		}
	}
	return "unsatisfiable"
}

// InTx runs fn as one submitted transaction by who, with a contract-api
// transaction context around the stub, as another contract of this
// chaincode would call the package's Go API.
func (f *Fixture) InTx(who chaincodetest.Identity, fn func(ctx *contractapi.TransactionContext) error) chaincodetest.Result {
	return f.Net.SubmitFunc(who, func(stub shim.ChaincodeStubInterface) error {
		ctx := &contractapi.TransactionContext{}
		ctx.SetStub(stub)
		return fn(ctx)
	})
}

// Participant reads a participant record inside a transaction.
func Participant(t *testing.T, ctx *contractapi.TransactionContext, id string) *model.Participant {
	t.Helper()
	p, err := participants.Get(ctx, id)
	require.NoError(t, err)
	return p
}

// MustPolicy decodes a key-level policy.
func MustPolicy(t *testing.T, b []byte) *common.SignaturePolicyEnvelope {
	t.Helper()
	var env common.SignaturePolicyEnvelope
	require.NoError(t, proto.Unmarshal(b, &env))
	return &env
}

// CallAt is a submitted call endorsed by one peer of the given org alone.
func CallAt(mspID, function string, args ...string) chaincodetest.Call {
	return chaincodetest.Call{Function: function, Args: args, PeerMSP: mspID, Endorsers: []string{mspID}}
}

// TxNow is the running transaction's time. Code inside a transaction must
// not call back into the Network, so it reads the clock from the stub.
func TxNow(t *testing.T, ctx *contractapi.TransactionContext) time.Time {
	t.Helper()
	now, err := state.Now(ctx)
	require.NoError(t, err)
	return now
}

// ParseScope parses a scope as the listings contract does, under rules of
// the four founding regions (those of this package's channel).
func ParseScope(t *testing.T, raw string, now time.Time) model.Scope {
	t.Helper()
	rules := &model.Rules{Version: 1}
	for _, r := range model.FoundingRegions {
		rules.Orgs = append(rules.Orgs, model.MarketOrg{MSPID: r, Region: r})
	}
	s, err := domain.ParseScope("scope", raw, now, rules)
	require.NoError(t, err)
	return s
}
