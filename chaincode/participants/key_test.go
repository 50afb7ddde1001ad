package participants_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// record reads participant id as stored.
func (f *fixture) record(t *testing.T, id string) model.Participant {
	t.Helper()
	var p model.Participant
	f.net.Evaluate(f.shAdmin, "participants:Get", id).Unmarshal(t, &p)
	return p
}

// whoIs is the participant id acts for (WhoAmI).
func (f *fixture) whoIs(t *testing.T, id chaincodetest.Identity) model.Participant {
	t.Helper()
	var me model.Participant
	f.net.Evaluate(id, "participants:WhoAmI").Unmarshal(t, &me)
	return me
}

// requireKeyRefused checks that id acts for no participant: its certificate is of the participant's identity
// but not of the key the record binds.
func requireKeyRefused(t *testing.T, f *fixture, id chaincodetest.Identity, participant string) {
	t.Helper()
	r := f.net.Evaluate(id, "participants:WhoAmI")
	requireRefused(t, f, r, ledgererr.Forbidden, "")
	assert.Contains(t, r.Message, `participant "`+participant+`" is bound to another key`)
	assert.Contains(t, r.Message, "participants:RotateKey")
	assert.Contains(t, r.Message, "participants:RebindKey")
}

// requireLastEvent checks the name and payload of the last event on the ledger: about participant of Shanghai's
// org, acting for usccA.
func requireLastEvent(t *testing.T, f *fixture, name, participant string) {
	t.Helper()
	events := f.net.Ledger().Events()
	require.NotEmpty(t, events)
	last := events[len(events)-1]
	assert.Equal(t, name, last.Name)
	assert.JSONEq(t, `{"participantId":"`+participant+`","mspId":"ShanghaiMSP","uscc":"`+usccA+`"}`, string(last.Payload))
}

// The registrar's attack: whoever holds the registrar power of Shanghai's CA has a certificate issued with
// alice's subject, hence alice's identity, over a key of its own. It acts for nobody, not even to rotate alice's
// key to its own. A certificate renewed over alice's own key acts for her.
func TestACertificateOfTheIdentityWithAnotherKeyActsForNobody(t *testing.T) {
	f := newFixture(t)
	var p model.Participant
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").Unmarshal(t, &p)
	assert.Equal(t, model.KeyDigest(f.alice.Cert), p.KeySHA256)
	assert.Equal(t, p.RegisteredAt, p.KeyBoundAt)
	assert.Empty(t, p.KeyRebindReason)

	forged := member(f.shanghai, "alice", usccA)
	require.Equal(t, f.alice.ID(), forged.ID(), "the same identity: subject and issuer")
	requireKeyRefused(t, f, forged, "sh.alice")
	r := f.net.Submit(forged, "participants:RotateKey", string(forged.CertPEM))
	requireRefused(t, f, r, ledgererr.Forbidden, "")
	assert.Equal(t, p, f.record(t, "sh.alice"))

	renewed := f.shanghai.Reissue(f.alice, certifying(usccA, "holder"))
	assert.Equal(t, "sh.alice", f.whoIs(t, renewed).ID)
}

// The member binds the key of its new certificate itself, signing with its bound key: from then on the new key
// acts for it and the old one does not. The key it signs with here is one its admin bound (RebindKey), which the
// admin may hold as well as the member: the rotation proves nothing of who signed it, so the reason of the
// rebinding stays on the record.
func TestAMemberRotatesItsKey(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "buyer,holder", usccA, "shanghai").MustOK(t)
	// Its certificate certifies fewer roles than its record holds: it acts as a holder only, which the
	// rotation does not write into the record.
	rebound := f.shanghai.IssueWithAttributes("alice", "client", certifying(usccA, "holder"))
	f.net.Submit(f.shAdmin, "participants:RebindKey", "sh.alice", string(rebound.CertPEM), "lost her key").MustOK(t)

	f.net.Advance(time.Minute)
	rotated := member(f.shanghai, "alice", usccA)
	var p model.Participant
	f.net.Submit(rebound, "participants:RotateKey", string(rotated.CertPEM)).Unmarshal(t, &p)
	assert.Equal(t, model.KeyDigest(rotated.Cert), p.KeySHA256)
	assert.Equal(t, p.UpdatedAt, p.KeyBoundAt, "bound at the transaction time")
	assert.Greater(t, p.KeyBoundAt, p.RegisteredAt)
	assert.Equal(t, "lost her key", p.KeyRebindReason)
	assert.Equal(t, []string{"buyer", "holder"}, p.Roles)
	assert.Equal(t, p, f.record(t, "sh.alice"))
	requireLastEvent(t, f, model.EventParticipantKeyRotated, "sh.alice")

	requireKeyRefused(t, f, rebound, "sh.alice")
	requireKeyRefused(t, f, f.alice, "sh.alice")
	assert.Equal(t, "sh.alice", f.whoIs(t, rotated).ID)
}

// RotateKey binds only a certificate the member could have registered with: of its identity, issued by its
// org's CA as the rules hold them, in force, not an admin's, certifying its enterprise; and a key not bound
// already. Each refusal names the certificate and writes nothing.
func TestRotateKeyRefusesACertificateItMayNotBind(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	now := f.net.Now().Truncate(time.Second)
	cases := []struct {
		name   string
		cert   chaincodetest.Identity
		code   ledgererr.Code
		phrase string
	}{
		{"another identity", member(f.shanghai, "bob", usccA), ledgererr.InvalidArgument, "is not of participant"},
		{"another org's CA", member(f.anhui, "alice", usccA), ledgererr.InvalidArgument, "is not issued by a CA of ShanghaiMSP"},
		{"an expired certificate", f.shanghai.IssueValidFor("alice", "client", certifying(usccA, "holder"), now.Add(-2*time.Hour), now.Add(-time.Hour)), ledgererr.InvalidArgument, "is not in force"},
		{"an admin's certificate", f.shanghai.IssueWithAttributes("alice", model.AdminOU, certifying(usccA, "holder")), ledgererr.InvalidArgument, "is an admin's certificate"},
		{"another enterprise", member(f.shanghai, "alice", usccB), ledgererr.InvalidArgument, "must certify enterprise " + usccA},
		{"no enterprise", f.shanghai.Issue("alice", "client"), ledgererr.InvalidArgument, "must certify enterprise " + usccA},
		{"the key bound", f.shanghai.Reissue(f.alice, certifying(usccA, "holder")), ledgererr.Conflict, "already bound to this certificate's key"},
	}
	before := f.record(t, "sh.alice")
	events := len(f.net.Ledger().Events())
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := f.net.Submit(f.alice, "participants:RotateKey", string(c.cert.CertPEM))
			field := "certificatePem"
			if c.code == ledgererr.Conflict {
				field = ""
			}
			requireRefused(t, f, r, c.code, field)
			assert.Contains(t, r.Message, c.phrase)
		})
	}
	assert.Equal(t, before, f.record(t, "sh.alice"))
	assert.Len(t, f.net.Ledger().Events(), events)
	f.net.Evaluate(f.alice, "participants:WhoAmI").MustOK(t)
}

// An admin of the member's org rebinds the key of a member that lost its own, an ACTIVE or a SUSPENDED one, for
// a reason the member reads on its record; no other org's admin, no member and not the member itself may. A
// RELEASED participant is rebound no more.
func TestOnlyTheMembersOrgsAdminRebindsItsKey(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	f.register(f.shAdmin, "sh.bob", f.bob, "holder", usccA, "shanghai").MustOK(t)
	reenrolled := member(f.shanghai, "alice", usccA)
	before := f.record(t, "sh.alice")
	for name, who := range map[string]chaincodetest.Identity{"another org's admin": f.ahAdmin, "a member": f.bob, "the member itself": f.alice} {
		t.Run(name, func(t *testing.T) {
			r := f.net.Submit(who, "participants:RebindKey", "sh.alice", string(reenrolled.CertPEM), "lost her key")
			requireRefused(t, f, r, ledgererr.Forbidden, "")
		})
	}
	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:RebindKey", "sh.alice", string(reenrolled.CertPEM), ""), ledgererr.InvalidArgument, "reason")
	requireRefused(t, f, f.net.Submit(f.shAdmin, "participants:RebindKey", "sh.alice", string(member(f.shanghai, "bob", usccA).CertPEM), "lost her key"), ledgererr.InvalidArgument, "certificatePem")
	assert.Equal(t, before, f.record(t, "sh.alice"))

	f.net.Submit(f.shAdmin, "participants:Suspend", "sh.alice", "re-enrolled after a revocation").MustOK(t)
	var p model.Participant
	f.net.Submit(f.shAdmin, "participants:RebindKey", "sh.alice", string(reenrolled.CertPEM), "lost her key").Unmarshal(t, &p)
	assert.Equal(t, model.KeyDigest(reenrolled.Cert), p.KeySHA256)
	assert.Equal(t, "lost her key", p.KeyRebindReason)
	assert.Equal(t, model.ParticipantSuspended, p.Status)
	requireLastEvent(t, f, model.EventParticipantKeyRebound, "sh.alice")
	f.net.Submit(f.shAdmin, "participants:Reinstate", "sh.alice").MustOK(t)
	assert.Equal(t, "lost her key", f.whoIs(t, reenrolled).KeyRebindReason)
	requireKeyRefused(t, f, f.alice, "sh.alice")

	f.net.Submit(f.shAdmin, "participants:ReleaseEnterprise", usccA, "moving to Hefei").MustOK(t)
	r := f.net.Submit(f.shAdmin, "participants:RebindKey", "sh.alice", string(member(f.shanghai, "alice", usccA).CertPEM), "after the release")
	requireRefused(t, f, r, ledgererr.Conflict, "")
}

// An admin cannot erase the trace of its rebinding: it rebinds the member to a key of its own, then, signing as
// the member with that key, rotates it to another key of its own. The record still says the admin bound its key,
// and why; the member reads it with the key it gets back (RebindKey again, visibly).
func TestARotationDoesNotEraseTheTraceOfAnAdminsRebinding(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	adminsKey := member(f.shanghai, "alice", usccA)
	f.net.Submit(f.shAdmin, "participants:RebindKey", "sh.alice", string(adminsKey.CertPEM), "lost her key").MustOK(t)
	var p model.Participant
	f.net.Submit(adminsKey, "participants:RotateKey", string(member(f.shanghai, "alice", usccA).CertPEM)).Unmarshal(t, &p)
	assert.Equal(t, "lost her key", p.KeyRebindReason)
	assert.Equal(t, p, f.record(t, "sh.alice"))
}

// A record registered before interface 8.0.0 binds no key: any certificate of its identity acts for it until its
// org's admin binds one (RebindKey); from then on only that key does.
func TestARecordWithoutAKeyAcceptsAnyKeyUntilBound(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	f.unbindKey(t, "sh.alice")

	another := member(f.shanghai, "alice", usccA)
	f.net.Evaluate(another, "participants:WhoAmI").MustOK(t)
	f.net.Evaluate(f.alice, "participants:WhoAmI").MustOK(t)

	var p model.Participant
	f.net.Submit(f.shAdmin, "participants:RebindKey", "sh.alice", string(f.alice.CertPEM), "binding the key she registered with").Unmarshal(t, &p)
	assert.Equal(t, model.KeyDigest(f.alice.Cert), p.KeySHA256)
	requireKeyRefused(t, f, another, "sh.alice")
	f.net.Evaluate(f.alice, "participants:WhoAmI").MustOK(t)
}

// The first key of a record without one is bound by its org's admin, not by the member: any certificate of the
// identity acts for such a record, so one the registrar had issued over a key of its own would otherwise bind
// that key and lock the member out. Refused, it writes nothing, and the member still acts.
func TestTheFirstKeyOfARecordWithoutOneIsTheAdminsToBind(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	f.unbindKey(t, "sh.alice")
	before := f.record(t, "sh.alice")
	events := len(f.net.Ledger().Events())

	forged := member(f.shanghai, "alice", usccA)
	for name, c := range map[string]chaincodetest.Identity{"the registrar's certificate": forged, "the member's own": f.alice} {
		t.Run(name, func(t *testing.T) {
			r := f.net.Submit(c, "participants:RotateKey", string(c.CertPEM))
			requireRefused(t, f, r, ledgererr.Forbidden, "")
			assert.Contains(t, r.Message, "participants:RebindKey")
		})
	}
	r := f.net.Submit(forged, "participants:RotateKey", string(member(f.shanghai, "alice", usccA).CertPEM))
	requireRefused(t, f, r, ledgererr.Forbidden, "")
	assert.Equal(t, before, f.record(t, "sh.alice"))
	assert.Len(t, f.net.Ledger().Events(), events)
	f.net.Evaluate(f.alice, "participants:WhoAmI").MustOK(t)
}

// unbindKey makes participant id's record one registered before interface 8.0.0: it binds no key.
func (f *fixture) unbindKey(t *testing.T, id string) {
	t.Helper()
	old := f.record(t, id)
	old.KeySHA256, old.KeyBoundAt = "", ""
	f.net.Forge(f.shAdmin, chaincodetest.Writes{participantKey(t, f, id): chaincodetest.JSON(t, old)}).MustOK(t)
}

// A key is bound only from a certificate issued through a CA the market rules in force list, and in force by the
// transaction's stamp and by the endorsing peer's clock: a retired intermediate CA (same name, so a certificate of
// the member's identity) that the rules no longer list binds nothing, nor does a certificate not valid yet by the
// peers' clocks, stamped within model.MaxClockLead ahead. Neither the member's rotation nor its admin's rebinding
// takes them; nothing is written and the member acts with its key.
func TestAKeyIsBoundOnlyFromACertificateInForceThroughACAOfTheRules(t *testing.T) {
	f := newFixture(t)
	now := f.net.Now().Truncate(time.Second)
	later := now.Add(30 * time.Second)
	retiring, renewed := f.retiringAndRenewed(t, now, now.Add(24*time.Hour))
	dan := memberOf(renewed, "dan", now.Add(-time.Hour), now.Add(12*time.Hour))
	f.register(f.shAdmin, "sh.dan", dan, "holder", usccA, "shanghai").MustOK(t)
	f.listIntermediates(t, renewed)
	before := f.record(t, "sh.dan")

	delisted := memberOf(retiring, "dan", now.Add(-time.Hour), now.Add(12*time.Hour))
	require.Equal(t, dan.ID(), delisted.ID(), "the same identity: subject and issuer's name")
	early := memberOf(renewed, "dan", later, later.Add(time.Hour))
	bind := map[string]func(c chaincodetest.Identity) chaincodetest.Result{
		"RotateKey": func(c chaincodetest.Identity) chaincodetest.Result {
			return f.net.Invoke(dan, chaincodetest.Call{Function: "participants:RotateKey", Args: []string{string(c.CertPEM)}, Timestamp: later})
		},
		"RebindKey": func(c chaincodetest.Identity) chaincodetest.Result {
			return f.net.Invoke(f.shAdmin, chaincodetest.Call{Function: "participants:RebindKey", Args: []string{"sh.dan", string(c.CertPEM), "lost his key"}, Timestamp: later})
		},
	}
	for name, call := range bind {
		t.Run(name, func(t *testing.T) {
			r := call(delisted)
			requireRefused(t, f, r, ledgererr.InvalidArgument, "certificatePem")
			assert.Contains(t, r.Message, "is not issued by a CA of ShanghaiMSP")
			r = call(early)
			requireRefused(t, f, r, ledgererr.InvalidArgument, "certificatePem")
			assert.Contains(t, r.Message, "not valid before")
		})
	}
	assert.Equal(t, before, f.record(t, "sh.dan"))
	f.net.Evaluate(dan, "participants:WhoAmI").MustOK(t)
}

// Nobody binds a key through a member's own rotation but the member, ACTIVE, with its bound key: a suspended
// member binds nothing (its admin rebinds it, TestOnlyTheMembersOrgsAdminRebindsItsKey), an old key replaying a
// rotation after the member rotated away from it is refused, and another member of the org rotating with a
// certificate of the member's identity binds nothing on either record.
func TestOnlyTheActiveMemberWithItsBoundKeyRotatesIt(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	f.register(f.shAdmin, "sh.bob", f.bob, "holder", usccA, "shanghai").MustOK(t)
	alice, bob := f.record(t, "sh.alice"), f.record(t, "sh.bob")
	next := member(f.shanghai, "alice", usccA)

	r := f.net.Submit(f.bob, "participants:RotateKey", string(next.CertPEM))
	requireRefused(t, f, r, ledgererr.InvalidArgument, "certificatePem")
	assert.Contains(t, r.Message, `is not of participant "sh.bob"'s identity`)

	f.net.Submit(f.shAdmin, "participants:Suspend", "sh.alice", "under review").MustOK(t)
	requireRefused(t, f, f.net.Submit(f.alice, "participants:RotateKey", string(next.CertPEM)), ledgererr.Forbidden, "")
	f.net.Submit(f.shAdmin, "participants:Reinstate", "sh.alice").MustOK(t)
	alice = f.record(t, "sh.alice")
	assert.Equal(t, model.KeyDigest(f.alice.Cert), alice.KeySHA256)
	assert.True(t, alice.KeyWithdrawn)
	assert.Equal(t, bob, f.record(t, "sh.bob"))
	// Reinstated, she acts with a key her admin binds (TestAReinstatedMembersKeyFromBeforeItsSuspensionActsForNobody).
	rebound := f.shanghai.Reenroll(f.alice)
	f.net.Submit(f.shAdmin, "participants:RebindKey", "sh.alice", string(rebound.CertPEM), "enrolled again").MustOK(t)

	f.net.Submit(rebound, "participants:RotateKey", string(next.CertPEM)).MustOK(t)
	rotated := f.record(t, "sh.alice")
	renewedOld := f.shanghai.Reissue(rebound, certifying(usccA, "holder"))
	for _, old := range []chaincodetest.Identity{f.alice, rebound, renewedOld} {
		requireRefused(t, f, f.net.Submit(old, "participants:RotateKey", string(renewedOld.CertPEM)), ledgererr.Forbidden, "")
	}
	assert.Equal(t, rotated, f.record(t, "sh.alice"))
	assert.Equal(t, "sh.alice", f.whoIs(t, next).ID)
}

// The revoked certificate of a reinstated member: suspending alice revokes her certificates at Shanghai's CA (the
// gateway's revocation), but the peers accept them until Shanghai publishes the CRL in the channel. Reinstated,
// she acts with none of them, nor rotates away from them, nor may her admin bind the withdrawn key again: she acts
// with a new certificate her admin binds. Staff, whose certificates the gateway does not revoke, keep their key.
func TestAReinstatedMembersKeyFromBeforeItsSuspensionActsForNobody(t *testing.T) {
	f := newFixture(t)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	staff := f.shanghai.Issue("dora", "client")
	f.register(f.shAdmin, "sh.dora", staff, "operator", usccB, "shanghai").MustOK(t)
	for _, id := range []string{"sh.alice", "sh.dora"} {
		f.net.Submit(f.shAdmin, "participants:Suspend", id, "key reported stolen").MustOK(t)
		f.net.Submit(f.shAdmin, "participants:Reinstate", id).MustOK(t)
	}
	assert.Equal(t, "sh.dora", f.whoIs(t, staff).ID)

	next := member(f.shanghai, "alice", usccA)
	for _, revoked := range []chaincodetest.Identity{f.alice, f.shanghai.Reissue(f.alice, certifying(usccA, "holder"))} {
		r := f.net.Evaluate(revoked, "participants:WhoAmI")
		requireRefused(t, f, r, ledgererr.Forbidden, "")
		assert.Contains(t, r.Message, "withdrawn")
		requireRefused(t, f, f.net.Submit(revoked, "participants:RotateKey", string(next.CertPEM)), ledgererr.Forbidden, "")
	}
	before := f.record(t, "sh.alice")
	assert.True(t, before.KeyWithdrawn)
	r := f.net.Submit(f.shAdmin, "participants:RebindKey", "sh.alice", string(f.alice.CertPEM), "back")
	requireRefused(t, f, r, ledgererr.Conflict, "")
	assert.Contains(t, r.Message, "withdrawn")
	assert.Equal(t, before, f.record(t, "sh.alice"))

	var p model.Participant
	f.net.Submit(f.shAdmin, "participants:RebindKey", "sh.alice", string(next.CertPEM), "enrolled again after reinstatement").Unmarshal(t, &p)
	assert.False(t, p.KeyWithdrawn)
	assert.Equal(t, "sh.alice", f.whoIs(t, next).ID)
	requireKeyRefused(t, f, f.alice, "sh.alice")
}
