package ledgererr

// lostRaceCodes are Fabric's validation codes of a transaction that was
// committed without effect because another one got there first:
//   - MVCC_READ_CONFLICT: a key it read was changed by an earlier
//     transaction;
//   - PHANTOM_READ_CONFLICT: a range it read gained or lost keys;
//   - ENDORSEMENT_POLICY_FAILURE: a key it writes got a new key-level
//     endorsement policy from an earlier transaction (a sale moves a
//     holding's policy to its new holder). Clients endorse with the plan
//     the policies in force at simulation call for, so a policy failure at
//     commit means they changed in between. Fabric checks policies before
//     read versions, so this is how such a race shows, although the
//     versions it read are stale too.
var lostRaceCodes = map[string]bool{
	"MVCC_READ_CONFLICT":         true,
	"PHANTOM_READ_CONFLICT":      true,
	"ENDORSEMENT_POLICY_FAILURE": true,
}

// LostRace reports whether a transaction committed as invalid with Fabric's
// validation code lost a race to a concurrent transaction: a CONFLICT for
// its caller, who reads the records again and repeats the request only if
// it still applies, never a failure of the gateway.
func LostRace(validationCode string) bool { return lostRaceCodes[validationCode] }
