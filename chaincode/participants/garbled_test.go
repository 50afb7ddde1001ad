package participants_test

import (
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/participants"
)

// A participant's record is its org's alone to write. Bytes there that are no participant name none in a read of
// many (ByID, OrgsOf: the buyers of the trades a list steps, the parties of an asset's trades), which reads the
// others as before. They failed every such read with INTERNAL, for good: one org alone failed every list naming its
// member.
func TestOneOrgAloneFailsNoReadOfManyParticipantsWithItsMembersRecord(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	f.register(f.shAdmin, "sh.bob", f.bob, "buyer", usccA, "shanghai").MustOK(t)
	f.net.Forge(f.alice, chaincodetest.Writes{chaincodetest.Key("participant", "sh.alice"): []byte("garbage")}, "ShanghaiMSP").MustOK(t)

	f.within(f.bob, func(ctx contractapi.TransactionContextInterface) error {
		byID, err := participants.ByID(ctx, []string{"sh.alice", "sh.bob"})
		if err != nil {
			return err
		}
		assert.Nil(t, byID("sh.alice"))
		if assert.NotNil(t, byID("sh.bob")) {
			assert.Equal(t, "ShanghaiMSP", byID("sh.bob").MSPID)
		}
		return nil
	}).MustOK(t)
}
