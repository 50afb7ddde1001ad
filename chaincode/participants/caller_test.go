package participants_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/eventschema"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Caller resolution trusts the identity index only as far as it matches the
// caller: two colluding orgs of three, whose peers together satisfy the
// chaincode's endorsement policy (a majority), write (with chaincode of their own) an index entry
// binding their member's identity to a third org's participant. The entry
// commits, but resolves nobody: the record it names is of another MSP and
// another certificate. And the real entries carry the participant org's
// key-level policy, so the colluders cannot rewrite them.
func TestCallerResolutionTrustsNoForgedIndexEntry(t *testing.T) {
	sh, js, ah := chaincodetest.NewCA("ShanghaiMSP"), chaincodetest.NewCA("JiangsuMSP"), chaincodetest.NewCA("AnhuiMSP")
	net := chaincodetest.NewNetwork(newChaincode(t), chaincodetest.WithOrgs(sh, js, ah),
		chaincodetest.WithEndorsementPolicy(chaincodetest.OutOf(model.ChaincodeEndorsers(3), "ShanghaiMSP", "JiangsuMSP", "AnhuiMSP")),
		chaincodetest.WithEndorsementPlanning())
	eventschema.Watch(t, net)
	shAdmin := sh.Issue("Admin@shanghai", "admin")
	rulestest.Init(t, net, shAdmin, rulestest.Rules([]rulestest.Org{{CA: sh, Region: "shanghai"}, {CA: js, Region: "jiangsu"}, {CA: ah, Region: "anhui"}}))
	alice, mallory := rulestest.Member(sh, "alice", usccA, "holder", "Alice Ltd"), ah.Issue("mallory", "client")
	net.Submit(shAdmin, "participants:Register", "sh.alice", string(alice.CertPEM), "holder", usccA, "Alice Ltd", "shanghai").MustOK(t)

	// The colluders' transaction: Anhui's member, endorsed by Jiangsu and
	// Anhui, writes the index entry of its own identity to sh.alice.
	forged := indexKey(t, "AnhuiMSP", mallory)
	net.Forge(mallory, chaincodetest.Writes{forged: chaincodetest.JSON(t, "sh.alice")}, "AnhuiMSP", "JiangsuMSP").MustOK(t)
	r := net.Evaluate(mallory, "participants:WhoAmI")
	require.Error(t, r.Err, "the forged entry made the caller sh.alice")
	e, ok := ledgererr.Parse(r.Message)
	require.True(t, ok)
	assert.Equal(t, ledgererr.Forbidden, e.Code)

	// Alice's real entry belongs to Shanghai: the colluders cannot rewrite it.
	real := indexKey(t, "ShanghaiMSP", alice)
	require.NotNil(t, net.Ledger().ValidationParameter(real))
	r = net.Forge(mallory, chaincodetest.Writes{real: chaincodetest.JSON(t, "sh.someone-else")}, "AnhuiMSP", "JiangsuMSP")
	require.Error(t, r.Err)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
	var me model.Participant
	net.Evaluate(alice, "participants:WhoAmI").Unmarshal(t, &me)
	assert.Equal(t, "sh.alice", me.ID)
}

// indexKey is the identity index key of an identity of an MSP.
func indexKey(t *testing.T, msp string, id chaincodetest.Identity) string {
	t.Helper()
	sum := sha256.Sum256([]byte(participants.IdentityOf(id.Cert)))
	return chaincodetest.Key("participant~identity", msp, hex.EncodeToString(sum[:]))
}
