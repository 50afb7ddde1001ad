package participants_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The registry's texts are taken at their limit, counted in characters
// (a member's name at model.MaxParticipantNameLength, the reason of a
// suspension or a release at model.MaxSuspendReasonLength), and refused one
// past it naming the field, changing nothing: no participant registered, the
// member still ACTIVE, the enterprise still bound to its org.
func TestTheRegistrysTextsStopAtTheirLimit(t *testing.T) {
	f := newFixture(t)
	name := strings.Repeat("名", model.MaxParticipantNameLength)
	register := func(name string) chaincodetest.Result {
		return f.net.Submit(f.shAdmin, "participants:Register", "sh.alice", string(f.alice.CertPEM), "holder", usccA, name, "shanghai")
	}
	requireRefused(t, f, register(name+"名"), ledgererr.InvalidArgument, "name")
	f.net.Evaluate(f.shAdmin, "participants:Get", "sh.alice").MustFail(t, "NOT_FOUND")
	register(name).MustOK(t)
	f.register(f.shAdmin, "sh.bob", f.bob, "holder", usccA, "shanghai").MustOK(t)

	reason := strings.Repeat("理", model.MaxSuspendReasonLength)
	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:Suspend", "sh.bob", reason+"理"), ledgererr.InvalidArgument, "reason")
	var bob model.Participant
	f.net.Evaluate(f.shAdmin, "participants:Get", "sh.bob").Unmarshal(t, &bob)
	assert.Equal(t, model.ParticipantActive, bob.Status)
	f.net.Submit(f.shAdmin, "participants:Suspend", "sh.bob", reason).Unmarshal(t, &bob)
	assert.Equal(t, reason, bob.StatusReason)

	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:ReleaseEnterprise", usccA, reason+"理"), ledgererr.InvalidArgument, "reason")
	f.net.Evaluate(f.shAdmin, "participants:GetEnterprise", usccA).MustOK(t)
	var rel model.Release
	f.net.Submit(f.shAdmin, "participants:ReleaseEnterprise", usccA, reason).Unmarshal(t, &rel)
	assert.Equal(t, reason, rel.Reason)
}
