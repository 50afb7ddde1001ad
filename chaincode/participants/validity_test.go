package participants_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// memberValidFor issues a Shanghai member certifying usccA as holder and
// buyer, valid from notBefore to notAfter only.
func (f *fixture) memberValidFor(commonName string, notBefore, notAfter time.Time) chaincodetest.Identity {
	return f.shanghai.IssueValidFor(commonName, "client", certifying(usccA, "holder,buyer"), notBefore, notAfter)
}

// certifying is the Fabric CA attributes of a certificate certifying enterprise uscc in roles (and no legal
// name), as rulestest.Member issues them: for a certificate issued again (chaincodetest.CA.Reissue).
func certifying(uscc, roles string) map[string]string {
	return map[string]string{model.AttrUSCC: uscc, model.AttrRoles: roles, model.AttrLegalName: ""}
}

// A certificate's validity is judged by the transaction's stamp and the
// endorsing peer's clock together: an admin stamping its registration
// within model.MaxClockSkew behind cannot register a certificate the peers'
// clocks hold expired, nor, stamping within model.MaxClockLead ahead, one
// not valid yet. Either is refused naming certificatePem and writes nothing.
func TestNoCertificateOutOfForceByThePeersClockIsRegisteredWhateverItsStamp(t *testing.T) {
	f := newFixture(t)
	now := f.net.Now().Truncate(time.Second)
	expiring := f.memberValidFor("dan", now.Add(-time.Hour), now.Add(2*time.Minute))
	f.net.Advance(3 * time.Minute) // the peers' clocks are a minute past its expiry
	stampedBehind := now.Add(time.Minute)
	r := f.net.Invoke(f.shAdmin, chaincodetest.Call{Function: "participants:Register", Timestamp: stampedBehind,
		Args: []string{"sh.dan", string(expiring.CertPEM), "holder", usccA, "Test Enterprise Ltd", "shanghai"}})
	requireRefused(t, f, r, ledgererr.InvalidArgument, "certificatePem")
	assert.Contains(t, r.Message, "expired at")
	f.net.Evaluate(f.shAdmin, "participants:Get", "sh.dan").MustFail(t, "NOT_FOUND")

	later := f.net.Now().Truncate(time.Second).Add(30 * time.Second)
	early := f.memberValidFor("eve", later, later.Add(time.Hour))
	r = f.net.Invoke(f.shAdmin, chaincodetest.Call{Function: "participants:Register", Timestamp: later,
		Args: []string{"sh.eve", string(early.CertPEM), "holder", usccA, "Test Enterprise Ltd", "shanghai"}})
	requireRefused(t, f, r, ledgererr.InvalidArgument, "certificatePem")
	assert.Contains(t, r.Message, "not valid before")
	f.net.Evaluate(f.shAdmin, "participants:Get", "sh.eve").MustFail(t, "NOT_FOUND")
}

// A participant acts only with a certificate in force, by its stamp and by
// the endorsing peer's clock: once the peers' clocks have passed its
// certificate's expiry, a call stamped within model.MaxClockSkew behind it
// is refused, an evaluation (which no ordering service sees) as well as a
// submission. Fabric's MSP does not hold a creator to its validity period.
func TestAnExpiredCertificateActsForNoParticipantWhateverItsStamp(t *testing.T) {
	f := newFixture(t)
	now := f.net.Now().Truncate(time.Second)
	dan := f.memberValidFor("dan", now.Add(-time.Hour), now.Add(5*time.Minute))
	f.register(f.shAdmin, "sh.dan", dan, "holder", usccA, "shanghai").MustOK(t)
	f.net.Evaluate(dan, "participants:WhoAmI").MustOK(t)

	f.net.Advance(6 * time.Minute) // the peers' clocks are a minute past its expiry
	stampedBehind := now.Add(4 * time.Minute)
	r := f.net.Invoke(dan, chaincodetest.Call{Function: "participants:WhoAmI", Timestamp: stampedBehind, Evaluate: true})
	requireRefused(t, f, r, ledgererr.Forbidden, "")
	assert.Contains(t, r.Message, "expired at")

	// The peers answer an expired creator (their MSP checks its chain only):
	// the chaincode refuses it, a day on as a minute on.
	f.net.Advance(24 * time.Hour)
	r = f.net.Evaluate(dan, "participants:WhoAmI")
	requireRefused(t, f, r, ledgererr.Forbidden, "")
	assert.Contains(t, r.Message, "presents a certificate not in force")
	requireRefused(t, f, f.net.Submit(dan, "participants:WhoAmI"), ledgererr.Forbidden, "")
}

// An org's admin acts only with a certificate in force too: one the peers'
// clocks hold expired neither registers, suspends nor releases, whatever
// its stamp, and the peers, checking its chain only, would endorse it.
func TestAnExpiredAdminCertificateChangesNothing(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	now := f.net.Now().Truncate(time.Second)
	admin := f.shanghai.IssueValidFor("Admin2@shanghai", "admin", nil, now.Add(-time.Hour), now.Add(time.Minute))
	f.net.Advance(2 * time.Minute)
	stampedBehind := now
	r := f.net.Invoke(admin, chaincodetest.Call{Function: "participants:Suspend", Args: []string{"sh.alice", "by an expired admin"}, Timestamp: stampedBehind})
	requireRefused(t, f, r, ledgererr.Forbidden, "")
	assert.Contains(t, r.Message, "presents a certificate not in force")
	requireRefused(t, f, f.net.Submit(admin, "participants:ReleaseEnterprise", usccA, "by an expired admin"), ledgererr.Forbidden, "")
	requireRefused(t, f, f.register(admin, "sh.bob", f.bob, "holder", usccA, "shanghai"), ledgererr.Forbidden, "")
	var alice model.Participant
	f.net.Evaluate(f.alice, "participants:WhoAmI").Unmarshal(t, &alice)
	assert.Equal(t, model.ParticipantActive, alice.Status)
}
