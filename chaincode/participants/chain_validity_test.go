package participants_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The phrase of a refusal of a certificate whose chain is not in force.
const chainNotInForce = "a CA certificate of its chain is not in force"

// issuingCA is the common name of Shanghai's intermediate CAs in these
// tests: a CA renewed over a new key keeps its name, so a member re-enrolled
// under the new one keeps its identity (subject and issuer).
const issuingCA = "Shanghai Issuing CA"

// listIntermediates has a majority of the orgs (Shanghai and Anhui) put in
// force the next version of the rules, listing cas as Shanghai's
// intermediate certificates, as an org lists an intermediate CA in its MSP.
func (f *fixture) listIntermediates(t *testing.T, cas ...*chaincodetest.CA) {
	t.Helper()
	current := rulestest.Current(t, f.net, f.shAdmin)
	next := current.Rules
	next.Version++
	next.Orgs = append([]model.MarketOrg(nil), current.Orgs...)
	for i := range next.Orgs {
		if next.Orgs[i].MSPID == "ShanghaiMSP" {
			next.Orgs[i].IntermediateCerts = nil
			for _, ca := range cas {
				next.Orgs[i].IntermediateCerts = append(next.Orgs[i].IntermediateCerts, string(ca.CertificatePEM()))
			}
		}
	}
	rulestest.Change(t, f.net, []chaincodetest.Identity{f.shAdmin, f.ahAdmin}, &next)
}

// retiringAndRenewed lists two intermediate CAs of Shanghai of one name (issuingCA): one retiring at
// retiresAt, one renewed an hour before now that stays in force a day.
func (f *fixture) retiringAndRenewed(t *testing.T, now, retiresAt time.Time) (retiring, renewed *chaincodetest.CA) {
	t.Helper()
	retiring = f.shanghai.Intermediate(issuingCA, now.Add(-24*time.Hour), retiresAt)
	renewed = f.shanghai.Intermediate(issuingCA, now.Add(-time.Hour), now.Add(24*time.Hour))
	f.listIntermediates(t, retiring, renewed)
	return retiring, renewed
}

// memberOf issues a Shanghai member under the intermediate CA ca, as
// memberValidFor does under the root.
func memberOf(ca *chaincodetest.CA, commonName string, notBefore, notAfter time.Time) chaincodetest.Identity {
	return ca.IssueValidFor(commonName, "client", certifying(usccA, "holder,buyer"), notBefore, notAfter)
}

// reenrolledOf issues member's certificate again under the intermediate CA ca, over the same key (which its
// participant record binds), as memberOf does.
func reenrolledOf(ca *chaincodetest.CA, member chaincodetest.Identity, notBefore, notAfter time.Time) chaincodetest.Identity {
	return ca.ReissueValidFor(member, certifying(usccA, "holder,buyer"), notBefore, notAfter)
}

// requireChainRefused checks a refusal of a certificate whose own dates
// are in force for a CA certificate of its chain, which it must not name:
// neither its subject nor its dates.
func requireChainRefused(t *testing.T, f *fixture, r chaincodetest.Result, code ledgererr.Code, field string, ca *chaincodetest.CA) {
	t.Helper()
	requireRefused(t, f, r, code, field)
	assert.Contains(t, r.Message, chainNotInForce)
	assert.NotContains(t, r.Message, issuingCA)
	assert.NotContains(t, r.Message, model.FormatTime(ca.Certificate().NotAfter))
	assert.NotContains(t, r.Message, model.FormatTime(ca.Certificate().NotBefore))
}

// A retired intermediate CA the org still lists, whose key is less well
// guarded, issues a backdated certificate with a member's subject: Fabric's
// MSP verifies its chain as of its own NotBefore, when the intermediate
// was in force, and its identity (subject and issuer's name) is the
// member's. It acts for nobody, by its stamp or the peers' clocks, while
// the member's certificate under the renewed intermediate acts; so did the
// member's old certificate while the old intermediate was in force.
func TestACertificateUnderAnExpiredIntermediateActsForNoParticipant(t *testing.T) {
	f := newFixture(t)
	now := f.net.Now().Truncate(time.Second)
	retiring, renewed := f.retiringAndRenewed(t, now, now.Add(5*time.Minute))
	dan := memberOf(retiring, "dan", now.Add(-time.Hour), now.Add(24*time.Hour))
	f.register(f.shAdmin, "sh.dan", dan, "holder", usccA, "shanghai").MustOK(t)
	f.net.Evaluate(dan, "participants:WhoAmI").MustOK(t)

	f.net.Advance(6 * time.Minute) // the peers' clocks are a minute past the old intermediate's expiry
	stampedBehind := now.Add(4 * time.Minute)
	requireChainRefused(t, f, f.whoAmIAt(dan, stampedBehind), ledgererr.Forbidden, "", retiring)
	// Over dan's own public key, which the retired CA's holder can put in a certificate (it cannot sign with
	// it): the chain alone refuses it, whatever the key.
	backdated := reenrolledOf(retiring, dan, now.Add(-2*time.Hour), now.Add(365*24*time.Hour))
	r := f.net.Evaluate(backdated, "participants:WhoAmI")
	requireChainRefused(t, f, r, ledgererr.Forbidden, "", retiring)
	assert.Contains(t, r.Message, `participant "sh.dan" presents a certificate not in force`)
	requireChainRefused(t, f, f.net.Submit(backdated, "participants:WhoAmI"), ledgererr.Forbidden, "", retiring)

	reenrolled := reenrolledOf(renewed, dan, now.Add(-time.Minute), now.Add(12*time.Hour))
	var p model.Participant
	f.net.Evaluate(reenrolled, "participants:WhoAmI").Unmarshal(t, &p)
	assert.Equal(t, "sh.dan", p.ID)
}

// An intermediate CA is in force through the second of its NotAfter and not
// one past it, by the stamp and by the peer's clock alike, as the
// certificates it issued are; and not before the second of its NotBefore:
// a member re-enrolled under an intermediate that starts a second after its
// certificate does acts only from the intermediate's first second, whatever
// its stamp ahead.
func TestACertificateActsOnlyWithinItsIntermediatesSeconds(t *testing.T) {
	f := newFixture(t)
	now := f.net.Now().Truncate(time.Second)
	notAfter := now.Add(5 * time.Minute)
	first := f.shanghai.Intermediate(issuingCA, now.Add(-time.Hour), notAfter)
	start := notAfter.Add(time.Minute)
	second := f.shanghai.Intermediate(issuingCA, start, start.Add(24*time.Hour))
	f.listIntermediates(t, first, second)
	dan := memberOf(first, "dan", now.Add(-time.Hour), now.Add(24*time.Hour))
	f.register(f.shAdmin, "sh.dan", dan, "holder", usccA, "shanghai").MustOK(t)

	f.advanceTo(notAfter)
	f.whoAmIAt(dan, notAfter).MustOK(t)
	requireChainRefused(t, f, f.whoAmIAt(dan, notAfter.Add(time.Second)), ledgererr.Forbidden, "", first)
	f.net.Advance(time.Second)
	requireChainRefused(t, f, f.whoAmIAt(dan, notAfter), ledgererr.Forbidden, "", first)

	// The channel's MSP accepts it: the intermediate is in force a second
	// after the certificate's NotBefore.
	reenrolled := reenrolledOf(second, dan, start.Add(-time.Second), start.Add(time.Hour))
	f.advanceTo(start.Add(-time.Second))
	requireChainRefused(t, f, f.whoAmIAt(reenrolled, start), ledgererr.Forbidden, "", second)
	requireChainRefused(t, f, f.whoAmIAt(reenrolled, start.Add(-time.Second)), ledgererr.Forbidden, "", second)
	f.advanceTo(start)
	var p model.Participant
	f.whoAmIAt(reenrolled, start).Unmarshal(t, &p)
	assert.Equal(t, "sh.dan", p.ID)
}

// An admin certificate under an intermediate CA that expired changes
// nothing, whatever its stamp, though the peers, checking its chain as of
// its NotBefore, would endorse it; under one in force it does.
func TestAnAdminCertificateUnderAnExpiredIntermediateChangesNothing(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	now := f.net.Now().Truncate(time.Second)
	retiring, renewed := f.retiringAndRenewed(t, now, now.Add(5*time.Minute))
	admin := retiring.IssueValidFor("Admin2@shanghai", "admin", nil, now.Add(-time.Hour), now.Add(24*time.Hour))
	f.net.Advance(6 * time.Minute)
	stampedBehind := now.Add(4 * time.Minute)
	r := f.net.Invoke(admin, chaincodetest.Call{Function: "participants:Suspend", Args: []string{"sh.alice", "by an admin of a retired CA"}, Timestamp: stampedBehind})
	requireChainRefused(t, f, r, ledgererr.Forbidden, "", retiring)
	assert.Contains(t, r.Message, "presents a certificate not in force")
	requireChainRefused(t, f, f.net.Submit(admin, "participants:ReleaseEnterprise", usccA, "by an admin of a retired CA"), ledgererr.Forbidden, "", retiring)
	requireChainRefused(t, f, f.register(admin, "sh.bob", f.bob, "holder", usccA, "shanghai"), ledgererr.Forbidden, "", retiring)
	var alice model.Participant
	f.net.Evaluate(f.alice, "participants:WhoAmI").Unmarshal(t, &alice)
	assert.Equal(t, model.ParticipantActive, alice.Status)

	current := renewed.IssueValidFor("Admin3@shanghai", "admin", nil, now.Add(-time.Hour), now.Add(24*time.Hour))
	f.net.Submit(current, "participants:Suspend", "sh.alice", "by an admin in force").MustOK(t)
}

// A certificate is registered only with its chain in force by the stamp and
// the endorsing peer's clock: an admin stamping within model.MaxClockSkew
// behind registers no certificate whose intermediate CA the peers' clocks
// hold expired, nor, stamping within model.MaxClockLead ahead, one whose
// intermediate is not in force yet by their clocks, to the second. Either
// is refused naming certificatePem and writes nothing; a certificate whose
// chain is in force is registered.
func TestNoCertificateWhoseChainIsOutOfForceIsRegistered(t *testing.T) {
	f := newFixture(t)
	now := f.net.Now().Truncate(time.Second)
	retiring := f.shanghai.Intermediate(issuingCA, now.Add(-24*time.Hour), now.Add(5*time.Minute))
	start := now.Add(10 * time.Minute)
	coming := f.shanghai.Intermediate(issuingCA, start, start.Add(24*time.Hour))
	f.listIntermediates(t, retiring, coming)
	register := func(id string, member chaincodetest.Identity, at time.Time) chaincodetest.Result {
		return f.net.Invoke(f.shAdmin, chaincodetest.Call{Function: "participants:Register", Timestamp: at,
			Args: []string{id, string(member.CertPEM), "holder", usccA, "Test Enterprise Ltd", "shanghai"}})
	}

	dan := memberOf(retiring, "dan", now.Add(-time.Hour), now.Add(24*time.Hour))
	f.advanceTo(now.Add(6 * time.Minute)) // a minute past the old intermediate's expiry
	r := register("sh.dan", dan, now.Add(4*time.Minute))
	requireChainRefused(t, f, r, ledgererr.InvalidArgument, "certificatePem", retiring)
	assert.Contains(t, r.Message, "is not in force")
	f.net.Evaluate(f.shAdmin, "participants:Get", "sh.dan").MustFail(t, "NOT_FOUND")

	eve := memberOf(coming, "eve", start.Add(-time.Second), start.Add(time.Hour))
	f.advanceTo(start.Add(-time.Second)) // eve's certificate is in force, its intermediate a second later
	requireChainRefused(t, f, register("sh.eve", eve, start), ledgererr.InvalidArgument, "certificatePem", coming)
	f.net.Evaluate(f.shAdmin, "participants:Get", "sh.eve").MustFail(t, "NOT_FOUND")
	f.advanceTo(start)
	register("sh.eve", eve, start).MustOK(t)
}

// The chain that counts is the one the market rules in force list: a
// member whose intermediate CA a majority stops listing acts no more,
// though the channel's MSP still accepts it.
func TestACertificateActsOnlyThroughACAOfTheRulesInForce(t *testing.T) {
	f := newFixture(t)
	now := f.net.Now().Truncate(time.Second)
	inter := f.shanghai.Intermediate(issuingCA, now.Add(-time.Hour), now.Add(24*time.Hour))
	f.listIntermediates(t, inter)
	dan := memberOf(inter, "dan", now.Add(-time.Hour), now.Add(12*time.Hour))
	f.register(f.shAdmin, "sh.dan", dan, "holder", usccA, "shanghai").MustOK(t)
	f.net.Evaluate(dan, "participants:WhoAmI").MustOK(t)

	f.listIntermediates(t)
	r := f.net.Evaluate(dan, "participants:WhoAmI")
	requireRefused(t, f, r, ledgererr.Forbidden, "")
	assert.Contains(t, r.Message, "it chains to no CA certificate of ShanghaiMSP as the market rules hold them")
}
