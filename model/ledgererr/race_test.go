package ledgererr

import "testing"

func TestLostRace(t *testing.T) {
	for _, code := range []string{"MVCC_READ_CONFLICT", "PHANTOM_READ_CONFLICT", "ENDORSEMENT_POLICY_FAILURE"} {
		if !LostRace(code) {
			t.Errorf("%s is a lost race", code)
		}
	}
	for _, code := range []string{"", "VALID", "BAD_CREATOR_SIGNATURE", "DUPLICATE_TXID", "mvcc_read_conflict"} {
		if LostRace(code) {
			t.Errorf("%s is not a lost race", code)
		}
	}
}
