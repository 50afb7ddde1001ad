package credit

import (
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// refusedAlike fails unless call refuses id, which names a record of keyType
// the caller may not touch, exactly as it refuses missing, which names none:
// the same code and words, the same requests to the peer and the same read set
// (each with the ID it names aside), which never holds the record's own key. A
// refused proposal's response carries its read set to a client that asks the
// peer itself, and a key read there comes with its version when it exists:
// that would tell a caller guessing IDs which exist and when each last changed.
func refusedAlike(t *testing.T, what string, keyType, id, missing string, call func(id string) chaincodetest.Result) {
	t.Helper()
	got, want := call(id), call(missing)
	require.Error(t, got.Err, "%s: %s was not refused", what, id)
	require.Error(t, want.Err, "%s: %s was not refused", what, missing)
	assert.Equal(t, strings.ReplaceAll(want.Err.Error(), `"`+missing+`"`, `"?"`), strings.ReplaceAll(got.Err.Error(), `"`+id+`"`, `"?"`), "%s: the refusal", what)
	assert.Equal(t, want.Requests, got.Requests, "%s: the requests to the peer", what)
	assert.Equal(t, guessedAside(want.Reads, missing), guessedAside(got.Reads, id), "%s: the read set", what)
	assert.NotContains(t, got.Reads, "\x00"+keyType+"\x00"+id+"\x00", "%s: the key of %s was read", what, id)
}

// guessedAside is the read set reads with the ID id written "?".
func guessedAside(reads []string, id string) []string {
	named := []string{}
	for _, key := range reads {
		named = append(named, strings.ReplaceAll(key, "\x00"+id+"\x00", "\x00?\x00"))
	}
	return named
}

// TestARefusedAuthorisationsReadSetIsAMissingOnes: who consented that whom
// may look up its credit records is the subject's and the grantee's to know.
// Refused, RevokeAuthorization, and RequestQuery and ReadRecords under an
// authorisation (authId), read the caller's own entry of the ID (its
// enterprise's as the subject, its own as the grantee) and never the
// authorisation's key, for an authorisation granted to another as for one that
// does not exist.
func TestARefusedAuthorisationsReadSetIsAMissingOnes(t *testing.T) {
	f := newFixture(t)
	validUntil := f.net.Now().AddDate(0, 1, 0).Format(time.RFC3339)
	f.publish(f.agency, "R1", usccSubject)
	f.authorize("A1", "bank1", validUntil)
	f.submit(f.stranger, "Authorize", "A2", "bank2", purposeLending, validUntil).MustOK(t)
	for _, caller := range []chaincodetest.Identity{f.stranger, f.bank, f.agency, f.regulator} {
		refusedAlike(t, "RevokeAuthorization as "+caller.Cert.Subject.CommonName, keyAuth, "A1", "A9", func(id string) chaincodetest.Result {
			return f.submit(caller, "RevokeAuthorization", id)
		})
	}
	for _, caller := range []chaincodetest.Identity{f.otherBank, f.stranger, f.agency} {
		refusedAlike(t, "RequestQuery as "+caller.Cert.Subject.CommonName, keyAuth, "A1", "A9", func(id string) chaincodetest.Result {
			return f.submit(caller, "RequestQuery", "T1", usccSubject, purposeLending, id)
		})
	}
	refusedAlike(t, "RequestQuery under another grantee's authorisation", keyAuth, "A2", "A9", func(id string) chaincodetest.Result {
		return f.submit(f.bank, "RequestQuery", "T1", usccStranger, purposeLending, id)
	})

	// The grantee and the subject still use theirs.
	assert.Len(t, f.lookUp(f.bank, "T1", usccSubject, purposeLending, "A1"), 1)
	f.submit(f.subject, "RevokeAuthorization", "A1").MustOK(t)
	f.submit(f.stranger, "RevokeAuthorization", "A2").MustOK(t)
}

// TestARefusedTracesReadSetIsAMissingOnes: whether a lookup of a given ID
// was made is its querier's, its subject's and the regulator's to know.
// ReadRecords, refused a trace that is not the caller's, reads the caller's
// own entry of the ID (credit.trace~asked) and never the trace's key.
func TestARefusedTracesReadSetIsAMissingOnes(t *testing.T) {
	f := newTracedFixture(t)
	for _, caller := range []chaincodetest.Identity{f.otherBank, f.subject, f.regulator, f.agency} {
		refusedAlike(t, "ReadRecords as "+caller.Cert.Subject.CommonName, keyTrace, "T1", "T9", func(id string) chaincodetest.Result {
			return f.read(caller, mspShanghai, id)
		})
	}
	assert.Len(t, decode[model.ReadResult](t, f.read(f.bank, mspShanghai, "T1")).Records, 1, "the querier reads on its trace")
}

// TestARefusedObjectionsReadSetIsAMissingOnes: who disputes whose record is
// for the subject, the regulator and the agency that must answer. Refused,
// GetObjection and AnswerObjection read the caller's own entries of the ID
// (its enterprise's among the subject's objections, or among those its agency
// must answer) and never the objection's key, open or answered.
func TestARefusedObjectionsReadSetIsAMissingOnes(t *testing.T) {
	f := newFixture(t)
	f.publish(f.agency, "R1", usccSubject)
	f.raise("O1", "R1")
	refused := func() {
		t.Helper()
		for _, caller := range []chaincodetest.Identity{f.rival, f.agency3, f.stranger, f.bank} {
			refusedAlike(t, "GetObjection as "+caller.Cert.Subject.CommonName, keyObjection, "O1", "O9", func(id string) chaincodetest.Result {
				return f.evaluate(caller, "GetObjection", id)
			})
		}
		for _, caller := range []chaincodetest.Identity{f.rival, f.agency3} {
			refusedAlike(t, "AnswerObjection as "+caller.Cert.Subject.CommonName, keyObjection, "O1", "O9", func(id string) chaincodetest.Result {
				return f.submit(caller, "AnswerObjection", id, model.AnswerDismiss, "stands", "")
			})
		}
	}
	readers := func(status string) {
		t.Helper()
		for _, caller := range []chaincodetest.Identity{f.subject, f.subjectColleague, f.regulator, f.agency, f.colleague} {
			assert.Equal(t, status, decode[model.ObjectionView](t, f.evaluate(caller, "GetObjection", "O1")).Status, "as %s", caller.Cert.Subject.CommonName)
		}
	}
	refused()
	readers(model.CreditObjectionOpen)
	f.submit(f.agency, "AnswerObjection", "O1", model.AnswerDismiss, "stands", "").MustOK(t)
	refused()
	readers(model.CreditObjectionDismissed)
	f.mustRefuse(refusal{ledgererr.Conflict, "", `objection "O1" is already answered`}, func() chaincodetest.Result {
		return f.submit(f.colleague, "AnswerObjection", "O1", model.AnswerDismiss, "stands", "")
	})
}

// TestAnObjectionRaisedBeforeTheAgencyEntryIsFiledOnAnswer: an objection
// raised before 13.0.0 has no entry among those its agency must answer, answered
// or not (credit.objection~agency): its agency reads and answers it while it is
// open (credit.objection~open), and reads it from the answer on, which files it.
// One answered before 13.0.0 its agency reads no more; the subject and the
// regulator do.
func TestAnObjectionRaisedBeforeTheAgencyEntryIsFiledOnAnswer(t *testing.T) {
	f := newFixture(t)
	f.twoObjections(f.agency)
	f.submit(f.agency, "AnswerObjection", "O2", model.AnswerDismiss, "stands", "").MustOK(t)
	f.net.SubmitFunc(f.agency, func(stub shim.ChaincodeStubInterface) error {
		for _, id := range []string{"O1", "O2"} {
			if err := stub.DelState("\x00" + idxObjectionByAgency + "\x00" + usccAgency + "\x00" + id + "\x00"); err != nil {
				return err
			}
		}
		return nil
	}).MustOK(t)

	assert.Equal(t, model.CreditObjectionOpen, decode[model.ObjectionView](t, f.evaluate(f.agency, "GetObjection", "O1")).Status)
	f.submit(f.colleague, "AnswerObjection", "O1", model.AnswerDismiss, "stands", "").MustOK(t)
	assert.Equal(t, model.CreditObjectionDismissed, decode[model.ObjectionView](t, f.evaluate(f.agency, "GetObjection", "O1")).Status)

	f.mustRefuse(refusal{ledgererr.Forbidden, "", `objection "O2" is not one that participant "agency1" may read`}, func() chaincodetest.Result {
		return f.evaluate(f.agency, "GetObjection", "O2")
	})
	for _, caller := range []chaincodetest.Identity{f.subject, f.regulator} {
		assert.Equal(t, model.CreditObjectionDismissed, decode[model.ObjectionView](t, f.evaluate(caller, "GetObjection", "O2")).Status)
	}
}
