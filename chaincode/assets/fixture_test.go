package assets_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// MSP IDs of the four regional exchanges' orgs.
const (
	shanghaiMSP = "ShanghaiMSP"
	jiangsuMSP  = "JiangsuMSP"
	zhejiangMSP = "ZhejiangMSP"
	anhuiMSP    = "AnhuiMSP"
)

// fixture is a four-org channel running the participants, assets and rights
// contracts, with a cast of registered participants. The network plans
// endorsements as the Fabric Gateway does, so a transaction is endorsed by
// the orgs its key-level policies name; tests that check those policies
// name the endorsers themselves.
type fixture struct {
	net *chaincodetest.Network

	holder   chaincodetest.Identity // sh.holder: Shanghai data holder
	holder2  chaincodetest.Identity // sh.holder2: another Shanghai holder
	shOp     chaincodetest.Identity // sh.op: Shanghai exchange operator
	shOpHold chaincodetest.Identity // sh.ophold: Shanghai operator who is also a holder
	shOpTwin chaincodetest.Identity // sh.optwin: Shanghai operator acting for sh.ophold's enterprise
	shBuyer  chaincodetest.Identity // sh.buyer: Shanghai buyer, not a holder
	jsOp     chaincodetest.Identity // js.op: Jiangsu exchange operator
	jsUser   chaincodetest.Identity // js.user: Jiangsu holder and buyer
	zjUser   chaincodetest.Identity // zj.user: Zhejiang holder and buyer
	ahUser   chaincodetest.Identity // ah.user: Anhui buyer
	outsider chaincodetest.Identity // a Shanghai identity never registered
	shAdmin  chaincodetest.Identity
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	cc, err := contractapi.NewChaincode(participants.New(), market.New(), assets.New(), assets.NewRights())
	require.NoError(t, err)
	sh, js, zj, ah := chaincodetest.NewCA(shanghaiMSP), chaincodetest.NewCA(jiangsuMSP), chaincodetest.NewCA(zhejiangMSP), chaincodetest.NewCA(anhuiMSP)
	f := &fixture{net: chaincodetest.NewNetwork(cc, chaincodetest.WithOrgs(sh, js, zj, ah), chaincodetest.WithEndorsementPlanning())}
	markettest.FollowNetworkClock(t, f.net)
	f.shAdmin = sh.Issue("Admin@shanghai", "admin")
	rulestest.Init(t, f.net, f.shAdmin, rulestest.Rules([]rulestest.Org{{CA: sh, Region: "shanghai"}, {CA: js, Region: "jiangsu"}, {CA: zj, Region: "zhejiang"}, {CA: ah, Region: "anhui"}}))
	admins := map[string]chaincodetest.Identity{
		shanghaiMSP: f.shAdmin, jiangsuMSP: js.Issue("Admin@jiangsu", "admin"),
		zhejiangMSP: zj.Issue("Admin@zhejiang", "admin"), anhuiMSP: ah.Issue("Admin@anhui", "admin"),
	}
	members := []struct {
		id     *chaincodetest.Identity
		ca     *chaincodetest.CA
		pid    string
		roles  string
		region string
		uscc   int // the enterprise the participant acts for (markettest.USCC)
	}{
		{&f.holder, sh, "sh.holder", "holder", "shanghai", 1},
		{&f.holder2, sh, "sh.holder2", "holder", "shanghai", 2},
		{&f.shOp, sh, "sh.op", "operator", "shanghai", 100},
		{&f.shOpHold, sh, "sh.ophold", "operator,holder", "shanghai", 3},
		{&f.shOpTwin, sh, "sh.optwin", "operator", "shanghai", 3},
		{&f.shBuyer, sh, "sh.buyer", "buyer", "shanghai", 4},
		{&f.jsOp, js, "js.op", "operator", "jiangsu", 101},
		{&f.jsUser, js, "js.user", "holder,buyer", "jiangsu", 5},
		{&f.zjUser, zj, "zj.user", "holder,buyer", "zhejiang", 6},
		{&f.ahUser, ah, "ah.user", "buyer", "anhui", 7},
	}
	for _, m := range members {
		*m.id = rulestest.Member(m.ca, m.pid, markettest.USCC(m.uscc), m.roles, "Enterprise "+m.pid)
		f.net.Submit(admins[m.ca.MSPID()], "participants:Register", m.pid, string(m.id.CertPEM), m.roles,
			markettest.USCC(m.uscc), "Enterprise "+m.pid, m.region).MustOK(t)
	}
	f.outsider = sh.Issue("mallory", "client")
	return f
}

// hashOf is the content hash of a test data set.
func hashOf(data string) string {
	sum := sha256.Sum256([]byte(data))
	return hex.EncodeToString(sum[:])
}

// apply files an application for asset id as sh.holder.
func (f *fixture) apply(t *testing.T, who chaincodetest.Identity, id string) {
	t.Helper()
	f.net.Submit(who, "assets:Apply", id, "Traffic flow "+id, "transport", "shanghai", "Hourly traffic counts", hashOf(id)).MustOK(t)
}

// registerAsset runs the whole procedure for an asset held by who, a
// Shanghai holder, and returns the registered asset.
func (f *fixture) registerAsset(t *testing.T, who chaincodetest.Identity, id string) *model.Asset {
	t.Helper()
	f.apply(t, who, id)
	return f.certify(t, who, id)
}

// certify approves a pending Shanghai application, lets the notice period
// pass and certifies it.
func (f *fixture) certify(t *testing.T, who chaincodetest.Identity, id string) *model.Asset {
	t.Helper()
	f.net.Submit(f.shOp, "assets:Review", id, "APPROVE", "").MustOK(t)
	f.net.Advance(model.DefaultNoticePeriodSeconds * time.Second)
	var a model.Asset
	f.net.Submit(who, "assets:Certify", id).Unmarshal(t, &a)
	require.Equal(t, model.AssetRegistered, a.Status)
	return &a
}

func (f *fixture) asset(t *testing.T, id string) *model.Asset {
	t.Helper()
	var a model.Asset
	f.net.Evaluate(f.holder, "assets:Get", id).Unmarshal(t, &a)
	return &a
}

func (f *fixture) right(t *testing.T, id string) *model.Right {
	t.Helper()
	var r model.Right
	f.net.Evaluate(f.holder, "rights:Get", id).Unmarshal(t, &r)
	return &r
}

// grant has the caller grant a right and returns it.
func (f *fixture) grant(t *testing.T, who chaincodetest.Identity, assetID, grantee, rightType, scope string) *model.Right {
	t.Helper()
	var r model.Right
	f.net.Submit(who, "rights:Grant", assetID, grantee, rightType, scope).Unmarshal(t, &r)
	return &r
}

// scopeJSON writes a scope argument.
func scopeJSON(purpose string, regions []string, validFrom, validUntil string, maySublicense bool) string {
	s := map[string]any{"purpose": purpose, "regions": regions, "validUntil": validUntil, "maySublicense": maySublicense}
	if validFrom != "" {
		s["validFrom"] = validFrom
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// A typical licence: credit modelling in Shanghai and Jiangsu for a year.
const (
	purpose   = "credit risk model"
	yearEnd   = "2027-03-01T00:00:00Z"
	yearStart = "2026-03-01T00:00:00Z"
)

var (
	scopeWide    = scopeJSON(purpose, []string{"shanghai", "jiangsu", "zhejiang"}, "", yearEnd, true)
	scopeNarrow  = scopeJSON(purpose, []string{"shanghai"}, "", "2026-09-01T00:00:00Z", false)
	scopeNoSub   = scopeJSON(purpose, []string{"shanghai", "jiangsu"}, "", yearEnd, false)
	scopeJiangsu = scopeJSON(purpose, []string{"jiangsu"}, "", yearEnd, false)
)

// snapshot is everything committed: every public key with its value and its
// key-level policy, and the number of committed transactions' events.
type snapshot struct {
	state  map[string]string
	events int
}

func (f *fixture) snapshot() snapshot {
	l := f.net.Ledger()
	s := snapshot{state: map[string]string{}, events: len(l.Events())}
	for _, k := range l.StateKeys() {
		s.state[k] = string(l.State(k)) + "|policy=" + hex.EncodeToString(l.ValidationParameter(k))
	}
	return s
}

// refused submits a call that must be refused with the code (and, for
// INVALID_ARGUMENT, the field), and checks that it wrote nothing.
func (f *fixture) refused(t *testing.T, code ledgererr.Code, field string, who chaincodetest.Identity, function string, args ...string) {
	t.Helper()
	before := f.snapshot()
	r := f.net.Submit(who, function, args...)
	requireCode(t, r, code, field)
	assert.Empty(t, r.ValidationCode, "a refused proposal must never reach the ledger")
	assert.Equal(t, before, f.snapshot(), "a refused call must write nothing")
}

// requireCode checks the error code and field of a failed invocation.
func requireCode(t *testing.T, r chaincodetest.Result, code ledgererr.Code, field string) {
	t.Helper()
	require.Error(t, r.Err, "call must be refused")
	e, ok := ledgererr.Parse(r.Message)
	require.True(t, ok, "no error code in %q", r.Message)
	assert.Equal(t, code, e.Code, r.Message)
	assert.Equal(t, field, e.Field, r.Message)
}

// requireErrCode checks the code of an error returned by a package function.
func requireErrCode(t *testing.T, err error, code ledgererr.Code, field string) {
	t.Helper()
	require.Error(t, err)
	var e *ledgererr.Error
	require.ErrorAs(t, err, &e, err.Error())
	assert.Equal(t, code, e.Code, err.Error())
	assert.Equal(t, field, e.Field, err.Error())
}

// lastEvent returns the last committed event.
func (f *fixture) lastEvent(t *testing.T) chaincodetest.Event {
	t.Helper()
	events := f.net.Ledger().Events()
	require.NotEmpty(t, events)
	return events[len(events)-1]
}

// key builds a composite key as the chaincode does.
func key(objectType string, attrs ...string) string {
	k, err := shim.CreateCompositeKey(objectType, attrs)
	if err != nil {
		panic(err)
	}
	return k
}

// keyPolicy describes the key-level policy of a key: "" when it has none,
// otherwise the orgs it names and how many must endorse.
func (f *fixture) keyPolicy(t *testing.T, k string) string {
	t.Helper()
	b := f.net.Ledger().ValidationParameter(k)
	if b == nil {
		return ""
	}
	var orgs []string
	for _, msp := range []string{anhuiMSP, jiangsuMSP, shanghaiMSP, zhejiangMSP} {
		if chaincodetest.EvaluatePolicy(mustPolicy(t, b), []string{msp}) == nil {
			orgs = append(orgs, msp)
		}
	}
	if len(orgs) > 0 {
		return "any of " + strings.Join(orgs, ",")
	}
	// No single org suffices: find the smallest number of orgs that does.
	all := []string{anhuiMSP, jiangsuMSP, shanghaiMSP, zhejiangMSP}
	for n := 2; n <= len(all); n++ {
		if chaincodetest.EvaluatePolicy(mustPolicy(t, b), all[:n]) == nil {
			return fmt.Sprintf("%d of 4", n)
		}
	}
	return "unsatisfiable"
}

// inTx runs fn as one submitted transaction by who, with a contract-api
// transaction context around the stub, as another contract of this
// chaincode would call the package's Go API.
func (f *fixture) inTx(who chaincodetest.Identity, fn func(ctx *contractapi.TransactionContext) error) chaincodetest.Result {
	return f.net.SubmitFunc(who, func(stub shim.ChaincodeStubInterface) error {
		ctx := &contractapi.TransactionContext{}
		ctx.SetStub(stub)
		return fn(ctx)
	})
}

// participant reads a participant record inside a transaction.
func participant(t *testing.T, ctx *contractapi.TransactionContext, id string) *model.Participant {
	t.Helper()
	p, err := participants.Get(ctx, id)
	require.NoError(t, err)
	return p
}

func mustPolicy(t *testing.T, b []byte) *common.SignaturePolicyEnvelope {
	t.Helper()
	var env common.SignaturePolicyEnvelope
	require.NoError(t, proto.Unmarshal(b, &env))
	return &env
}

// callAt is a submitted call endorsed by one peer of the given org alone.
func callAt(mspID, function string, args ...string) chaincodetest.Call {
	return chaincodetest.Call{Function: function, Args: args, PeerMSP: mspID, Endorsers: []string{mspID}}
}

// txNow is the running transaction's time. Code inside a transaction must
// not call back into the Network, so it reads the clock from the stub.
func txNow(t *testing.T, ctx *contractapi.TransactionContext) time.Time {
	t.Helper()
	now, err := state.Now(ctx)
	require.NoError(t, err)
	return now
}
