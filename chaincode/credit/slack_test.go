package credit

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model/ledgererr"

	"github.com/deltaledger/deltaledger/model"
)

// The agency answers after the due time by the endorsers' clocks, stamping
// its answer within model.MaxClockSkew behind, before the due time: the
// slack alone would decide whether the answer shows late. It is refused;
// stamped honestly, it is taken and shows late.
func TestAnAnswerAfterItsDueTimeShowsLateWhateverItsStamp(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	o := f.raise("O1", "R1")
	due, err := time.Parse(time.RFC3339, o.DueAt)
	assert.NoError(t, err)

	f.net.Advance(due.Add(-time.Minute).Sub(f.net.Now()))
	f.wallOffset = 3 * time.Minute // the peers' clocks are two minutes past the due time
	f.mustRefuse(refusal{ledgererr.Conflict, "", "clock has passed"}, func() chaincodetest.Result {
		return f.submit(f.agency, "AnswerObjection", "O1", model.AnswerDismiss, "answered in time", "")
	})
	// Stamped honestly, the answer is taken and shows late.
	f.net.Advance(3 * time.Minute)
	answered := decode[model.ObjectionView](t, f.submit(f.agency, "AnswerObjection", "O1", model.AnswerDismiss, "stands", ""))
	assert.True(t, answered.AnsweredLate)
	f.wallOffset = 0
}

// A grantee whose authorisation expired by the endorsers' clocks stamps its
// RequestQuery within model.MaxClockSkew behind, before the expiry: the
// slack alone would decide whether it still leaves a trace of a lookup it
// was no longer entitled to, and so reads (ReadRecords judges its own
// stamp by the peer's clock too). The expiry is judged by
// the later of the two clocks, as ReadRecords judges it, and the request is
// refused, writing nothing.
func TestAnExpiredAuthorisationOpensNoLookupWhateverItsStamp(t *testing.T) {
	f := newFixture(t)
	f.authorizeUntilAMinuteAway()
	f.wallOffset = 2 * time.Minute // the peers' clocks are a minute past the expiry
	f.mustRefuse(refusal{ledgererr.Forbidden, "", "expired at"}, func() chaincodetest.Result {
		return f.submit(f.bank, "RequestQuery", "T1", usccSubject, purposeLending, "A1")
	})
	f.wallOffset = 0
	// By both clocks before the expiry, the lookup is made.
	assert.Len(t, f.lookUp(f.bank, "T2", usccSubject, purposeLending, "A1"), 1)
}
