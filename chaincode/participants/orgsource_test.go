package participants_test

import (
	"strings"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// registeredBefore18 rewrites participant id's registration (participant~cert) as Register wrote it before 18.0.0:
// its enterprise, no org.
func registeredBefore18(t *testing.T, net *chaincodetest.Network, admin chaincodetest.Identity, id, uscc string) {
	t.Helper()
	net.SubmitFunc(admin, func(stub shim.ChaincodeStubInterface) error {
		return stub.PutState(chaincodetest.Key("participant~cert", id), []byte(`{"uscc":"`+uscc+`"}`))
	}).MustOK(t)
}

// Register records the registering org in the registration (from 18.0.0), under the chaincode-level policy.
func TestTheRegistrationRecordsTheOrg(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	assert.JSONEq(t, `{"uscc":"`+usccA+`","mspId":"ShanghaiMSP"}`, string(f.net.Ledger().State(chaincodetest.Key("participant~cert", "sh.alice"))))
	assert.Empty(t, f.net.Ledger().ValidationParameter(chaincodetest.Key("participant~cert", "sh.alice")), "no org's alone")
}

// A party of a case that names no org of it (an asset's holder) is of the org its registration names (from 18.0.0),
// or, registered before, of its record's only where that org's identity index vouches for it: Shanghai's peers alone
// rewrite their member's record to name Anhui, where its enterprise is not bound, and Shanghai's operator acting for
// that enterprise is still partial (FORBIDDEN), and no case opens that no other operator could decide (CONFLICT),
// where before it judged its enterprise's case. The record its org restores makes the judge partial as before.
func TestAPartysOrgNamingAnotherOrgMakesNoOperatorOfItsEnterpriseImpartial(t *testing.T) {
	for name, before18 := range map[string]bool{"registered from 18.0.0": false, "registered before 18.0.0": true} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			op := member(f.shanghai, "op", usccA)
			f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
			f.register(f.shAdmin, "sh.op", op, "operator", usccA, "shanghai").MustOK(t)
			if before18 {
				registeredBefore18(t, f.net, f.shAdmin, "sh.alice", usccA)
			}
			err := f.judges(t, op, "sh.alice")
			require.Equal(t, ledgererr.Forbidden, ledgererr.CodeOf(err), "control: %v", err)

			rewriteRecord(t, f.net, f.shAdmin, "ShanghaiMSP", "sh.alice", func(p *model.Participant) { p.MSPID = "AnhuiMSP" })
			err = f.judges(t, op, "sh.alice")
			assert.Equal(t, ledgererr.Forbidden, ledgererr.CodeOf(err), "%v", err)
			err = f.anyJudge(t, "sh.alice")
			assert.Equal(t, ledgererr.Conflict, ledgererr.CodeOf(err), "%v", err)
		})
	}
}

// The identity index entry of a participant registered before 18.0.0 is its org's alone to write: bytes there that
// name no ID vouch for no org, as no entry does, and fail no judge. Shanghai's peers alone write such bytes into
// their holder's entry, and an impartial operator still judges a case naming that holder, and a case still finds a
// judge, where every check failed INTERNAL for good.
func TestAGarbledIdentityEntryFailsNoJudge(t *testing.T) {
	for _, garbled := range []string{`{`, `["sh.alice"]`, `42`} {
		t.Run(garbled, func(t *testing.T) {
			f := newFixture(t)
			f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
			op := member(f.shanghai, "op", usccB) // an operator of another enterprise
			f.register(f.shAdmin, "sh.op", op, "operator", usccB, "shanghai").MustOK(t)
			registeredBefore18(t, f.net, f.shAdmin, "sh.alice", usccA)

			var entry string
			for _, k := range f.net.Ledger().StateKeys() {
				if strings.Contains(k, "participant~identity") && string(f.net.Ledger().State(k)) == `"sh.alice"` {
					entry = k
				}
			}
			require.NotEmpty(t, entry, "sh.alice's identity index entry")
			f.net.Forge(f.shAdmin, chaincodetest.Writes{entry: []byte(garbled)}).MustOK(t) // Shanghai's alone

			assert.NoError(t, f.judges(t, op, "sh.alice"))
			assert.NoError(t, f.anyJudge(t, "sh.alice"))
		})
	}
}
