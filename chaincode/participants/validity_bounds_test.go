package participants_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// advanceTo moves the peers' clocks to exactly at.
func (f *fixture) advanceTo(at time.Time) { f.net.Advance(at.Sub(f.net.Now())) }

// whoAmIAt evaluates WhoAmI as id, stamped at.
func (f *fixture) whoAmIAt(id chaincodetest.Identity, at time.Time) chaincodetest.Result {
	return f.net.Invoke(id, chaincodetest.Call{Function: "participants:WhoAmI", Timestamp: at, Evaluate: true})
}

// A certificate is in force through the second of its NotAfter, as X.509
// holds it (RFC 5280: inclusive), by the stamp and by the peer's clock
// alike, and not a second longer by either: stamped at its NotAfter once the
// peers' clocks are a second past, it is refused.
func TestACertificateActsThroughItsLastSecondAndNoLonger(t *testing.T) {
	f := newFixture(t)
	now := f.net.Now().Truncate(time.Second)
	notAfter := now.Add(5 * time.Minute)
	dan := f.memberValidFor("dan", now.Add(-time.Hour), notAfter)
	f.register(f.shAdmin, "sh.dan", dan, "holder", usccA, "shanghai").MustOK(t)

	f.advanceTo(notAfter)
	f.whoAmIAt(dan, notAfter).MustOK(t)
	r := f.whoAmIAt(dan, notAfter.Add(time.Second))
	requireRefused(t, f, r, ledgererr.Forbidden, "")
	assert.Contains(t, r.Message, "expired at")

	f.net.Advance(time.Second)
	r = f.whoAmIAt(dan, notAfter)
	requireRefused(t, f, r, ledgererr.Forbidden, "")
	assert.Contains(t, r.Message, "expired at")
}

// A member re-enrolled over its key keeps its identity (subject and issuer, as
// Fabric's own identity is): its new certificate acts for the same participant, but
// not before it is valid by the peers' clocks, whatever the caller's stamp
// ahead (within model.MaxClockLead); its old certificate acts too until it
// expires (Fabric CA's reenroll revokes nothing; the org revokes a
// compromised certificate in its MSP's CRL, which the peers check).
func TestAReenrolledCertificateActsOnlyOnceInForceBesideTheOldOne(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	now := f.net.Now().Truncate(time.Second)
	start := now.Add(30 * time.Second)
	renewed := f.shanghai.ReissueValidFor(f.alice, certifying(usccA, strings.Join(model.Roles, ",")), start, start.Add(time.Hour))

	r := f.whoAmIAt(renewed, start)
	requireRefused(t, f, r, ledgererr.Forbidden, "")
	assert.Contains(t, r.Message, "not valid before")
	requireRefused(t, f, f.net.Invoke(renewed, chaincodetest.Call{Function: "participants:WhoAmI", Timestamp: start.Add(model.MaxClockLead - 30*time.Second)}), ledgererr.Forbidden, "")

	f.advanceTo(start)
	var p model.Participant
	f.net.Evaluate(renewed, "participants:WhoAmI").Unmarshal(t, &p)
	assert.Equal(t, "sh.alice", p.ID)
	f.net.Evaluate(f.alice, "participants:WhoAmI").Unmarshal(t, &p)
	assert.Equal(t, "sh.alice", p.ID)
}

// An admin certificate not valid yet by the peers' clocks changes nothing,
// stamped ahead within model.MaxClockLead to its start; nor does a
// certificate valid in every date but without the admin OU.
func TestAnAdminCertificateNotYetInForceChangesNothing(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	now := f.net.Now().Truncate(time.Second)
	start := now.Add(40 * time.Second)
	early := f.shanghai.IssueValidFor("Admin2@shanghai", "admin", nil, start, start.Add(time.Hour))
	r := f.net.Invoke(early, chaincodetest.Call{Function: "participants:Suspend", Args: []string{"sh.alice", "too early"}, Timestamp: start})
	requireRefused(t, f, r, ledgererr.Forbidden, "")
	assert.Contains(t, r.Message, "not valid before")
	staff := f.shanghai.IssueValidFor("Staff@shanghai", "client", nil, now.Add(-time.Hour), now.Add(time.Hour))
	r = f.net.Submit(staff, "participants:Suspend", "sh.alice", "not an admin")
	requireRefused(t, f, r, ledgererr.Forbidden, "")
	assert.Contains(t, r.Message, "only an admin")

	var alice model.Participant
	f.net.Evaluate(f.alice, "participants:WhoAmI").Unmarshal(t, &alice)
	assert.Equal(t, model.ParticipantActive, alice.Status)
	f.advanceTo(start)
	f.net.Submit(early, "participants:Suspend", "sh.alice", "in force now").MustOK(t)
}
