package participants_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
)

// Two steps that race in one block: the one ordered second is invalidated
// (MVCC_READ_CONFLICT) when it read a key the first wrote, since its read
// set names the version it read. So each step that the other must not pass
// reads the key the other writes, and these reads are what the rules of the
// race stand on: a call of a member reads its record (a suspension ordered
// first voids it), a registration reads its enterprise's binding (a release
// ordered first voids it, and the other way round), an Apply reads every
// org's approval slot (an approval changed first voids it).
func TestStepsRacingInOneBlockReadWhatTheOtherWrites(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)

	call := f.net.Evaluate(f.alice, "participants:WhoAmI").MustOK(t)
	assert.Contains(t, call.Reads, chaincodetest.Key("participant", "sh.alice"), "a suspension in the same block would not void the member's call")

	reg := f.register(f.shAdmin, "sh.bob", f.bob, "buyer", usccA, "shanghai").MustOK(t)
	assert.Contains(t, reg.Reads, chaincodetest.Key("enterprise", usccA), "a release of a binding written before 11.0.0 in the same block would not void the registration")
	assert.Contains(t, reg.Reads, chaincodetest.Key("enterprise~org", usccA, "ShanghaiMSP"), "a release in the same block would not void the registration")
	assert.Contains(t, reg.Reads, indexKey(t, "ShanghaiMSP", f.bob), "a registration of the same certificate in the same block would not void it")

	next := f.anhuiMovedTo("zhejiang")
	doc := rulestest.JSON(t, next)
	f.net.Submit(f.shAdmin, "market:Approve", doc).MustOK(t)
	f.net.Submit(f.ahAdmin, "market:Approve", doc).MustOK(t)
	apply := f.net.Submit(f.shAdmin, "market:Apply", doc).MustOK(t)
	for _, msp := range []string{"AnhuiMSP", "ShanghaiMSP"} {
		assert.Contains(t, apply.Reads, chaincodetest.Key("market~approval", msp), "an approval replaced in the same block would not void the Apply")
	}
	assert.Contains(t, apply.Reads, chaincodetest.Key("market~rules", "current"), "two Applies in one block would both pass")
}
