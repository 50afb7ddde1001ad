package participants_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
)

// A new index entry carries no key-level policy until the chaincode sets
// one, so orgs that run chaincode of their own can plant one (Anhui alone on
// this test channel; a majority in production: the chaincode-level policy).
// An enterprise's release counts a participant the USCC index names only if
// the participant acts for that enterprise: a planted entry releases no
// member of another.
func TestAPlantedUSCCEntryReleasesNoOtherEnterprisesMember(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	other := member(f.shanghai, "other", usccB)
	f.register(f.shAdmin, "sh.other", other, "buyer", usccB, "shanghai").MustOK(t)

	f.net.Forge(f.ahAdmin, chaincodetest.Writes{chaincodetest.Key("participant~uscc", usccA, "sh.other"): {0}}).MustOK(t)

	var rel model.Release
	f.net.Submit(f.shAdmin, "participants:ReleaseEnterprise", usccA, "moving to Hefei").Unmarshal(t, &rel)
	assert.Equal(t, []string{"sh.alice"}, rel.ParticipantIDs)
	f.net.Evaluate(other, "participants:WhoAmI").MustOK(t)
}
