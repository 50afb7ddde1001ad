package participants_test

import (
	"encoding/json"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// bindElsewhere voids Anhui's binding of usccA (void), has Shanghai bind it meanwhile (alice), and undoes the
// voiding (unvoid): Anhui's binding is stored again where the rules let it hold, behind Shanghai's.
func (m *threeRegions) bindElsewhere(t *testing.T, void, unvoid func(m *threeRegions, r *model.Rules)) {
	t.Helper()
	majority := []chaincodetest.Identity{m.shAdmin, m.zjAdmin}
	m.withRules(t, majority, func(r *model.Rules) { void(m, r) })
	m.register(m.shAdmin, "sh.alice", m.alice, "shanghai", "ShanghaiMSP", "ZhejiangMSP").MustOK(t)
	m.withRules(t, majority, func(r *model.Rules) { unvoid(m, r) })
	m.requireHeldBy(t, "ShanghaiMSP")
}

// voidings are the two ways a majority voids Anhui's binding of usccA and then stops voiding it.
var voidings = map[string][2]func(m *threeRegions, r *model.Rules){
	"removed and named again": {
		func(_ *threeRegions, r *model.Rules) { withoutOrgs("AnhuiMSP")(r) },
		func(m *threeRegions, r *model.Rules) { r.Orgs = m.rules.Orgs },
	},
	"released and no more": {
		func(_ *threeRegions, r *model.Rules) {
			r.Released = []model.ReleasedEnterprise{{USCC: usccA, MSPID: "AnhuiMSP"}}
		},
		func(_ *threeRegions, r *model.Rules) { r.Released = nil },
	},
}

// readRaw reads key as stored.
func readRaw(t *testing.T, net *chaincodetest.Network, who chaincodetest.Identity, key string) map[string]any {
	t.Helper()
	var stored map[string]any
	net.InvokeFunc(who, chaincodetest.Call{Evaluate: true}, func(stub shim.ChaincodeStubInterface) ([]byte, error) {
		b, err := stub.GetState(key)
		if err == nil {
			err = json.Unmarshal(b, &stored)
		}
		return nil, err
	}).MustOK(t)
	return stored
}

// An org's binding is its own to rewrite, generation and stamp included, so they no longer decide which binding
// is in force: the enterprise's generation key, which no org writes alone, names the org of its last binding.
// Anhui, whose binding Shanghai's superseded while Anhui was void, writes the last generation and a later stamp
// into its own key; the write is valid, and takes nothing back: Shanghai holds the enterprise, alice acts, Anhui's
// old member does not.
func TestAnOrgRewritingItsOwnBindingDoesNotTakeBackAnEnterprise(t *testing.T) {
	for name, void := range voidings {
		t.Run(name, func(t *testing.T) {
			m := newThreeRegions(t)
			m.bindElsewhere(t, void[0], void[1])
			assert.Equal(t, map[string]any{"generation": 2.0, "mspId": "ShanghaiMSP"}, readRaw(t, m.net, m.alice, chaincodetest.Key("enterprise~gen", usccA)))

			key := chaincodetest.Key("enterprise~org", usccA, "AnhuiMSP")
			forged := readRaw(t, m.net, m.alice, key)
			forged["generation"], forged["registeredAt"] = 2, "2099-01-01T00:00:00Z"
			r := m.net.Forge(m.ahAdmin, chaincodetest.Writes{key: chaincodetest.JSON(t, forged)})
			r.MustOK(t)
			require.Equal(t, "VALID", r.ValidationCode, "Anhui's binding is Anhui's alone")

			m.requireHeldBy(t, "ShanghaiMSP")
			m.net.Evaluate(m.alice, "participants:WhoAmI").MustOK(t)
			w := m.net.Evaluate(m.squatter, "participants:WhoAmI")
			registertest.RequireCode(t, w, ledgererr.Forbidden, "")
			assert.Contains(t, w.Message, "which the market rules in force bind to ShanghaiMSP")
			registertest.RequireCode(t, m.register(m.ahAdmin, "ah.squatter2", member(m.anhui, "squatter2", usccA), "anhui"), ledgererr.Conflict, "")
		})
	}
}

// asBefore16 rewrites the bindings of uscc as interface 13.0.0 to 15.0.0 wrote them: each binding of an org of
// admins its own generation (generations), the enterprise's generation key the last one, naming no org.
func (m *threeRegions) asBefore16(t *testing.T, uscc string, last int, generations map[string]int) {
	t.Helper()
	m.net.SubmitFunc(m.shAdmin, func(stub shim.ChaincodeStubInterface) error {
		b, err := json.Marshal(map[string]any{"generation": last})
		if err != nil {
			return err
		}
		return stub.PutState(chaincodetest.Key("enterprise~gen", uscc), b)
	}).MustOK(t)
	admins := map[string]chaincodetest.Identity{"AnhuiMSP": m.ahAdmin, "ShanghaiMSP": m.shAdmin, "ZhejiangMSP": m.zjAdmin}
	for msp, gen := range generations {
		key := chaincodetest.Key("enterprise~org", uscc, msp)
		b := readRaw(t, m.net, m.alice, key)
		b["generation"] = gen
		m.net.Forge(admins[msp], chaincodetest.Writes{key: chaincodetest.JSON(t, b)}).MustOK(t)
	}
}

// A generation key written before 16.0.0 names no org: the binding whose own generation is the last is in force,
// as it was then, and the others are not, until the enterprise is next bound, when the key names the org.
func TestAGenerationKeyBefore16KeepsTheOldRuleUntilTheNextBinding(t *testing.T) {
	m := newThreeRegions(t)
	m.bindElsewhere(t, voidings["removed and named again"][0], voidings["removed and named again"][1])
	m.asBefore16(t, usccA, 2, map[string]int{"AnhuiMSP": 1, "ShanghaiMSP": 2})
	m.requireHeldBy(t, "ShanghaiMSP")
	m.net.Evaluate(m.alice, "participants:WhoAmI").MustOK(t)
	registertest.RequireCode(t, m.net.Evaluate(m.squatter, "participants:WhoAmI"), ledgererr.Forbidden, "")

	// Shanghai releases it, Zhejiang binds it: the key names Zhejiang, whatever the stored bindings say.
	m.net.Submit(m.shAdmin, "participants:ReleaseEnterprise", usccA, "moves to Zhejiang").MustOK(t)
	m.register(m.zjAdmin, "zj.bob", member(m.zhejiang, "bob", usccA), "zhejiang").MustOK(t)
	assert.Equal(t, map[string]any{"generation": 3.0, "mspId": "ZhejiangMSP"}, readRaw(t, m.net, m.alice, chaincodetest.Key("enterprise~gen", usccA)))
	m.requireHeldBy(t, "ZhejiangMSP")
}

// The key of a ledger older than 11.0.0 (enterprise/<uscc>) is its writer's to rewrite alone, its policy being
// its org's or a majority's: it counts only while no org has bound the enterprise since (the generation key is 0),
// and what generation it says is ignored. Anhui's legacy binding, released by the majority's rules and superseded by
// Zhejiang's (on a ledger before 16.0.0, whose generation key names no org), rewritten by Anhui alone to name
// Shanghai (which never bound it) or a generation of 1000, moves the enterprise nowhere: Zhejiang holds it and its
// member acts.
func TestALegacyBindingRewrittenByItsOrgMovesNothing(t *testing.T) {
	for name, generation := range map[string]int{"naming another org": 1, "of a generation far ahead": 1000} {
		t.Run(name, func(t *testing.T) {
			m := newThreeRegions(t)
			legacy := chaincodetest.Key("enterprise", usccB)
			inContext(m.net, m.ahAdmin, chaincodetest.Call{}, func(ctx contractapi.TransactionContextInterface) error {
				return state.PutOwned(ctx, legacy, &model.Enterprise{USCC: usccB, MSPID: "AnhuiMSP", Region: "anhui", RegisteredAt: state0, Certified: true}, "AnhuiMSP")
			}).MustOK(t)
			var e model.Enterprise
			m.net.Evaluate(m.alice, "participants:GetEnterprise", usccB).Unmarshal(t, &e)
			require.Equal(t, "AnhuiMSP", e.MSPID, "the legacy binding counts while no org has bound the enterprise since")

			m.withRules(t, []chaincodetest.Identity{m.shAdmin, m.zjAdmin}, func(r *model.Rules) {
				r.Released = []model.ReleasedEnterprise{{USCC: usccB, MSPID: "AnhuiMSP"}}
			})
			dan := member(m.zhejiang, "dan", usccB)
			m.net.Invoke(m.zjAdmin, chaincodetest.Call{Function: "participants:Register", Endorsers: []string{"ZhejiangMSP", "ShanghaiMSP"},
				Args: []string{"zj.dan", string(dan.CertPEM), "holder", usccB, "Test Enterprise Ltd", "zhejiang"}}).MustOK(t)
			m.asBefore16(t, usccB, 1, map[string]int{"ZhejiangMSP": 1})

			r := m.net.Forge(m.ahAdmin, chaincodetest.Writes{legacy: chaincodetest.JSON(t, map[string]any{"uscc": usccB, "mspId": "ShanghaiMSP", "region": "shanghai",
				"registeredAt": "2099-01-01T00:00:00Z", "certified": true, "generation": generation})})
			r.MustOK(t)
			require.Equal(t, "VALID", r.ValidationCode, "the legacy key is Anhui's alone")

			e = model.Enterprise{}
			m.net.Evaluate(m.alice, "participants:GetEnterprise", usccB).Unmarshal(t, &e)
			assert.Equal(t, "ZhejiangMSP", e.MSPID)
			m.net.Evaluate(dan, "participants:WhoAmI").MustOK(t)
		})
	}
}
