package credit

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
)

// requireReadsNoneOf fails unless step read no key with a segment among
// others: a member who signs its own transaction receives its read set, so
// a key read there is one told to it, whatever the queries would answer it.
func requireReadsNoneOf(t *testing.T, step string, r chaincodetest.Result, others ...string) {
	t.Helper()
	r.MustOK(t)
	for _, key := range r.Reads {
		for _, segment := range strings.Split(key, "\x00") {
			for _, other := range others {
				assert.NotEqual(t, other, segment, "%s read %q", step, strings.ReplaceAll(key, "\x00", "|"))
			}
		}
	}
}

// TestAMembersCreditStepsReadNoOneElses: what a subject and a grantee
// submit reads no other enterprise's record, objection or trace, and no
// authorisation but the one the step is about (the subject's own
// authorisations of others included, for the grantee). A member signing for
// itself receives what its transaction read. A lookup reads every record
// filed about its subject, withdrawn and superseded ones too (its range read
// of the subject's index), so none is retired here.
func TestAMembersCreditStepsReadNoOneElses(t *testing.T) {
	f := newFixture(t)
	validUntil := f.net.Now().AddDate(0, 1, 0).Format(time.RFC3339)
	// Another enterprise's record, objection and lookup; another grantee's
	// authorisation of the same subject.
	f.publish(f.agency, "R-stranger", usccStranger)
	f.submit(f.stranger, "RaiseObjection", "O-stranger", "R-stranger", "not ours").MustOK(t)
	f.submit(f.stranger, "RequestQuery", "T-stranger", usccStranger, purposeLending, "").MustOK(t)
	f.submit(f.subject, "Authorize", "A-other", "bank2", purposeLending, validUntil).MustOK(t)
	others := []string{"R-stranger", "O-stranger", "T-stranger", "A-other", usccStranger, "bank2"}

	f.publish(f.agency, "R1", usccSubject)
	requireReadsNoneOf(t, "Authorize", f.submit(f.subject, "Authorize", "A1", "bank1", purposeLending, validUntil), others...)
	requireReadsNoneOf(t, "RequestQuery (grantee)", f.submit(f.bank, "RequestQuery", "T1", usccSubject, purposeLending, "A1"), others...)
	requireReadsNoneOf(t, "RequestQuery (subject)", f.submit(f.subject, "RequestQuery", "T2", usccSubject, purposeLending, ""), others...)
	requireReadsNoneOf(t, "RaiseObjection", f.submit(f.subject, "RaiseObjection", "O1", "R1", "paid on time"), others...)
	requireReadsNoneOf(t, "RevokeAuthorization", f.submit(f.subject, "RevokeAuthorization", "A1"), others...)
}
