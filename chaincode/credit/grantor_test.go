package credit

import (
	"time"

	"github.com/stretchr/testify/assert"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// notGrantedWhereHeld is the refusal of a lookup under an authorisation that
// no participant of the org holding its subject granted.
var notGrantedWhereHeld = refusal{ledgererr.Forbidden, "", "was not granted by a participant of the org that holds"}

// An authorisation is the word of the subject's participant who granted it,
// which counts only while that participant's org holds the enterprise: its
// key needs that org to endorse a revocation (RevokeAuthorization), and only
// participants of the org holding the enterprise list the lookups made under
// it (ListTraces). Once Jiangsu released the subject, no lookup is made under
// Jiangsu's grant, nor read on a trace made under it, while nobody acts for
// the enterprise to see or revoke it; once Zhejiang holds the enterprise, the
// grant would stand as long as Jiangsu, an org that no longer speaks for the
// enterprise (removed by a majority, say), declined to endorse the
// revocation. Zhejiang's members authorise anew.
func TestAnAuthorisationCountsWhileItsGrantorsOrgHoldsTheSubject(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")

	f.asAdmin(f.subject, "ReleaseEnterprise", usccSubject, "moving to Zhejiang").MustOK(t)
	f.mustRefuse(notGrantedWhereHeld, func() chaincodetest.Result {
		return f.submit(f.bank, "RequestQuery", "T2", usccSubject, purposeLending, "A1")
	})
	f.mustRefuse(notGrantedWhereHeld, func() chaincodetest.Result { return f.read(f.bank, mspShanghai, "T1") })

	moved := rulestest.Member(f.cas[mspZhejiang], "subject.zj", usccSubject, "holder", "subject.zj")
	f.net.Submit(f.cas[mspZhejiang].Issue("admin.mover", "admin"), "participants:Register", "subject.zj", string(moved.CertPEM), "holder", usccSubject, "subject.zj", "zhejiang").MustOK(t)
	f.mustRefuse(notGrantedWhereHeld, func() chaincodetest.Result {
		return f.submit(f.bank, "RequestQuery", "T3", usccSubject, purposeLending, "A1")
	})

	f.submit(moved, "Authorize", "A2", "bank1", purposeLending, "2026-06-01T00:00:00Z").MustOK(t)
	f.lookUp(f.bank, "T4", usccSubject, purposeLending, "A2")
}

// Nor does an authorisation written under an earlier interface by a
// participant that acts for no enterprise its certificate certifies (staff,
// whose USCC is only its admin's word: an admin registered staff under the
// code of an enterprise no org holds and granted its own org's bank a
// lookup, before staff stopped acting for credit subjects) entitle anyone:
// it is not the subject's word.
func TestAnAuthorisationByStaffEntitlesNobody(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R3", usccNobody)
	staff := f.cas[mspZhejiang].Issue("clerk1", "client")
	f.net.Submit(f.cas[mspZhejiang].Issue("admin.clerk", "admin"), "participants:Register", "clerk1", string(staff.CertPEM), "operator", usccNobody, "Clerk", "zhejiang").MustOK(t)
	old := &model.Authorization{
		AuthID: "A-old", SubjectUSCC: usccNobody, GrantorID: "clerk1", GranteeID: "bank1", Purpose: purposeLending,
		ValidUntil: "2026-06-01T00:00:00Z", Status: model.AuthorizationActive,
	}
	f.net.Forge(f.cas[mspZhejiang].Issue("admin.old", "admin"), chaincodetest.Writes{
		"\x00" + idxAuthByGrantee + "\x00bank1\x00A-old\x00": {0},            // as Authorize filed it, for its grantee's list
		"\x00" + keyAuthSealed + "\x00A-old\x00":             []byte("true"), // as though marked: the grantor, not the mark, is what this test is about
		"\x00" + keyAuth + "\x00A-old\x00":                   chaincodetest.JSON(t, old),
	}, mspJiangsu, mspZhejiang, mspAnhui).MustOK(t)
	f.mustRefuse(notGrantedWhereHeld, func() chaincodetest.Result {
		return f.submit(f.bank, "RequestQuery", "T1", usccNobody, purposeLending, "A-old")
	})
}

// What the lists say of an authorisation is what a lookup under it would
// meet: one that no participant of the org holding its subject granted reads
// LAPSED, to the subject (its participants in the org holding it now, and the
// regulator) and to the grantee alike, where it read ACTIVE while RequestQuery
// refused it. A revoked or expired one reads as before, and a grantor's
// suspension lapses nothing.
func TestAnAuthorisationNoLongerTheSubjectsWordReadsLapsed(t *testing.T) {
	f := newFixture(t)
	soon := f.net.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	f.authorize("A2", "bank1", "2026-06-01T00:00:00Z")
	f.authorize("A3", "bank1", soon)
	f.submit(f.subjectColleague, "Authorize", "A4", "bank1", purposeLending, "2026-06-01T00:00:00Z").MustOK(t)
	f.submit(f.subject, "RevokeAuthorization", "A2").MustOK(t)
	statuses := func(id chaincodetest.Identity, fn string, args ...string) map[string]string {
		t.Helper()
		got := map[string]string{}
		for _, a := range decode[model.AuthorizationPage](t, f.evaluate(id, fn, append(args, "", "")...)).Items {
			got[a.AuthID] = a.Status
		}
		return got
	}
	f.suspend(f.subject)
	want := map[string]string{"A1": "ACTIVE", "A2": "REVOKED", "A3": "ACTIVE", "A4": "ACTIVE"}
	assert.Equal(t, want, statuses(f.regulator, "ListAuthorizations", usccSubject), "the grantor's suspension lapses nothing")
	f.requestQuery(f.bank, "T1", usccSubject, purposeLending, "A1")

	f.net.Advance(2 * time.Hour)
	f.asAdmin(f.subject, "ReleaseEnterprise", usccSubject, "moving to Zhejiang").MustOK(t)
	want = map[string]string{"A1": "LAPSED", "A2": "REVOKED", "A3": "EXPIRED", "A4": "LAPSED"}
	assert.Equal(t, want, statuses(f.regulator, "ListAuthorizations", usccSubject))
	assert.Equal(t, want, statuses(f.bank, "ListMyAuthorizations"), "the grantee sees what a lookup would meet")
	f.mustRefuse(notGrantedWhereHeld, func() chaincodetest.Result {
		return f.submit(f.bank, "RequestQuery", "T2", usccSubject, purposeLending, "A1")
	})

	moved := rulestest.Member(f.cas[mspZhejiang], "subject.zj", usccSubject, "holder", "subject.zj")
	f.net.Submit(f.cas[mspZhejiang].Issue("admin.mover", "admin"), "participants:Register", "subject.zj", string(moved.CertPEM), "holder", usccSubject, "subject.zj", "zhejiang").MustOK(t)
	f.submit(moved, "Authorize", "A5", "bank1", purposeLending, "2026-06-01T00:00:00Z").MustOK(t)
	want["A5"] = "ACTIVE"
	assert.Equal(t, want, statuses(moved, "ListAuthorizations", usccSubject), "the subject's participants where it is held now")
	assert.Equal(t, want, statuses(f.bank, "ListMyAuthorizations"))
}

// A participant released with its enterprise never acts again, and nor does
// its grant: when its org binds the enterprise anew (a new member
// registered there), the old grant stays lapsed, where it counted again,
// consent given before the enterprise left revived without its participants
// there having granted anything.
func TestAGrantByAReleasedParticipantStaysLapsed(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", "2026-06-01T00:00:00Z")
	f.asAdmin(f.subject, "ReleaseEnterprise", usccSubject, "leaving").MustOK(t)

	back := rulestest.Member(f.cas[mspJiangsu], "subject.back", usccSubject, "holder", "subject.back")
	f.net.Submit(f.cas[mspJiangsu].Issue("admin.back", "admin"), "participants:Register", "subject.back", string(back.CertPEM), "holder", usccSubject, "subject.back", "jiangsu").MustOK(t)
	f.mustRefuse(notGrantedWhereHeld, func() chaincodetest.Result {
		return f.submit(f.bank, "RequestQuery", "T1", usccSubject, purposeLending, "A1")
	})
	page := decode[model.AuthorizationPage](t, f.evaluate(back, "ListAuthorizations", usccSubject, "", ""))
	require.Len(t, page.Items, 1)
	assert.Equal(t, model.AuthorizationLapsed, page.Items[0].Status)

	f.submit(back, "Authorize", "A2", "bank1", purposeLending, "2026-06-01T00:00:00Z").MustOK(t)
	f.lookUp(f.bank, "T2", usccSubject, purposeLending, "A2")
}
