package credit

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A subject objecting a second after the record was published, stamping
// its objection as far back as the peers accept, would start the agency's
// window to answer (model.ObjectionAnswerWindow) before the record it
// objects to, and bring its due time six minutes forward. Refused, naming
// the stamp, and nothing written.
func TestAnObjectionIsNotStampedBeforeTheRecordsLastChange(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	raise := chaincodetest.Call{Function: "credit:RaiseObjection", Args: []string{"O1", "R1", "paid on time"}, Timestamp: f.net.StampFarBehind()}
	f.mustRefuse(refusal{ledgererr.InvalidArgument, state.TimestampField, "last change of record"}, func() chaincodetest.Result {
		return f.net.Invoke(f.subject, raise)
	})
	f.submit(f.subject, "RaiseObjection", "O1", "R1", "paid on time").MustOK(t)
}

// A subject revoking its authorisation a second after the grantee's lookup
// under it committed, stamping the revocation as far back as the peers
// accept, would have the ledger show the lookup made after the revocation:
// false evidence against the querier. Refused, naming the stamp, and
// nothing written; revoked at its own time, the lookup stands before it.
func TestARevocationIsNotStampedBeforeALookupUnderIt(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", f.net.Now().Add(24*time.Hour).UTC().Format(time.RFC3339))
	trace := f.requestQuery(f.bank, "Q1", usccSubject, purposeLending, "A1")

	revoke := chaincodetest.Call{Function: "credit:RevokeAuthorization", Args: []string{"A1"}, Timestamp: f.net.StampFarBehind()}
	f.mustRefuse(refusal{ledgererr.InvalidArgument, state.TimestampField, "last lookup under authorization"}, func() chaincodetest.Result {
		return f.net.Invoke(f.subject, revoke)
	})
	revoked := decode[model.Authorization](t, f.submit(f.subject, "RevokeAuthorization", "A1"))
	assert.GreaterOrEqual(t, revoked.RevokedAt, trace.At, "the lookup stands before the revocation")
}

// A grantee may stamp its lookups as far ahead of the peers' clocks as they
// accept (model.MaxClockLead), one after another: the subject's revocation,
// stamped honestly meanwhile, is not refused for lying before them, which
// kept the subject from revoking for as long as the grantee went on looking
// up; it is dated at the last of them, so that the ledger still shows no
// lookup after it.
func TestALookupStampedAheadDoesNotHoldTheRevocationOff(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", f.net.Now().Add(24*time.Hour).UTC().Format(time.RFC3339))
	ahead := chaincodetest.Call{Function: "credit:RequestQuery", Args: []string{"Q1", usccSubject, purposeLending, "A1"}, Timestamp: f.net.Now().Add(model.MaxClockLead - 2*time.Second)}
	trace := decode[model.Trace](t, f.net.Invoke(f.bank, ahead))
	assert.Greater(t, trace.At, f.net.Now().UTC().Format(time.RFC3339), "the lookup lies ahead of the clocks")

	revoked := decode[model.Authorization](t, f.submit(f.subject, "RevokeAuthorization", "A1"))
	assert.Equal(t, model.AuthorizationRevoked, revoked.Status)
	assert.Equal(t, trace.At, revoked.RevokedAt, "dated at the lookup it follows")
	assert.False(t, f.submit(f.bank, "RequestQuery", "Q2", usccSubject, purposeLending, "A1").OK(), "no lookup under a revoked authorisation")
}

// The agency answering an objection a minute after it was raised, stamping
// its answer as far back as the peers accept, would have the ledger show the
// answer (and the record withdrawn, restored or corrected by it) before the
// objection it answers. Refused for every outcome, naming the stamp, and
// nothing written; answered at its own time, the answer follows the
// objection.
func TestAnAnswerIsNotStampedBeforeTheObjection(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.net.Advance(time.Hour)
	o := f.raise("O1", "R1")
	f.stage(f.agency, contentsJSON("A", "corrected"), "R2", usccSubject).MustOK(t)
	f.net.Advance(time.Minute)
	for _, answer := range [][]string{
		{"O1", model.AnswerUphold, "", ""},
		{"O1", model.AnswerDismiss, "stands", ""},
		{"O1", model.AnswerCorrect, "", "R2"},
	} {
		t.Run(answer[1], func(t *testing.T) {
			f.t = t
			backdated := chaincodetest.Call{Function: "credit:AnswerObjection", Args: answer, Timestamp: f.net.StampFarBehind()}
			f.mustRefuse(refusal{ledgererr.InvalidArgument, state.TimestampField, "last change of record"}, func() chaincodetest.Result {
				return f.net.Invoke(f.agency, backdated)
			})
		})
	}
	f.t = t
	answered := decode[model.ObjectionView](t, f.submit(f.agency, "AnswerObjection", "O1", model.AnswerCorrect, "", "R2"))
	assert.GreaterOrEqual(t, answered.AnsweredAt, o.RaisedAt, "the answer follows the objection")
}

// A lookup under an authorisation stamped before the authorisation was
// granted would stand on the subject's list of traces as a lookup made
// before its consent: false evidence against the querier, which the subject
// makes by stamping its grant ahead of the peers' clocks (as far as
// model.MaxClockLead) and the grantee by stamping its lookup behind them.
// Refused, naming the stamp, and nothing written; once the clocks reach the
// grant, the lookup is made and follows it.
func TestALookupIsNotStampedBeforeItsAuthorisation(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	until := f.net.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	grantedAhead := chaincodetest.Call{Function: "credit:Authorize", Args: []string{"A1", "bank1", purposeLending, until}, Timestamp: f.net.Now().Add(model.MaxClockLead - 2*time.Second)}
	a1 := decode[model.Authorization](t, f.net.Invoke(f.subject, grantedAhead))
	beforeTheGrant := refusal{ledgererr.InvalidArgument, state.TimestampField, "last change of authorization"}
	f.mustRefuse(beforeTheGrant, func() chaincodetest.Result {
		return f.submit(f.bank, "RequestQuery", "Q1", usccSubject, purposeLending, "A1")
	})
	f.net.Advance(model.MaxClockLead)
	trace := f.requestQuery(f.bank, "Q1", usccSubject, purposeLending, "A1")
	assert.GreaterOrEqual(t, trace.At, a1.GrantedAt, "the lookup follows the grant")

	f.net.Advance(time.Minute)
	f.authorize("A2", "bank2", until)
	backdated := chaincodetest.Call{Function: "credit:RequestQuery", Args: []string{"Q2", usccSubject, purposeLending, "A2"}, Timestamp: f.net.StampFarBehind()}
	f.mustRefuse(beforeTheGrant, func() chaincodetest.Result { return f.net.Invoke(f.otherBank, backdated) })
	f.requestQuery(f.otherBank, "Q2", usccSubject, purposeLending, "A2")
}

// A subject revoking its authorisation within minutes of granting it,
// stamping the revocation as far back as the peers accept, would have the
// ledger show the authorisation revoked before it was granted; so would an
// honest revocation of a grant the subject stamped ahead of the clocks (as
// far as model.MaxClockLead). Refused, naming the stamp, and nothing
// written; revoked at or after its grant, the revocation follows it.
func TestARevocationIsNotStampedBeforeTheGrant(t *testing.T) {
	f := newFixture(t)
	until := f.net.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	f.authorize("A1", "bank1", until)
	f.net.Advance(time.Minute)
	beforeTheGrant := refusal{ledgererr.InvalidArgument, state.TimestampField, "last change of authorization"}
	backdated := chaincodetest.Call{Function: "credit:RevokeAuthorization", Args: []string{"A1"}, Timestamp: f.net.StampFarBehind()}
	f.mustRefuse(beforeTheGrant, func() chaincodetest.Result { return f.net.Invoke(f.subject, backdated) })
	revoked := decode[model.Authorization](t, f.submit(f.subject, "RevokeAuthorization", "A1"))
	assert.GreaterOrEqual(t, revoked.RevokedAt, revoked.GrantedAt, "the revocation follows the grant")

	grantedAhead := chaincodetest.Call{Function: "credit:Authorize", Args: []string{"A2", "bank1", purposeLending, until}, Timestamp: f.net.Now().Add(model.MaxClockLead - 2*time.Second)}
	a2 := decode[model.Authorization](t, f.net.Invoke(f.subject, grantedAhead))
	f.mustRefuse(beforeTheGrant, func() chaincodetest.Result { return f.submit(f.subject, "RevokeAuthorization", "A2") })
	f.net.Advance(model.MaxClockLead)
	revoked = decode[model.Authorization](t, f.submit(f.subject, "RevokeAuthorization", "A2"))
	assert.GreaterOrEqual(t, revoked.RevokedAt, a2.GrantedAt, "the revocation follows the grant")
}
