package ledger

import (
	"slices"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/statebased"

	"github.com/deltaledger/deltaledger/chaincode/ledgererr"
)

// RequireOrgs sets the key-level endorsement policy of key: from the next
// transaction on, a change to it must be endorsed by a peer of every one of
// the given orgs. This is how the ledger ties a record to the orgs that own
// it, while the chaincode-level policy stays cheap for everything else.
func RequireOrgs(ctx Context, key string, mspIDs ...string) error {
	orgs := slices.Clone(mspIDs)
	slices.Sort(orgs) // a fixed order keeps the policy bytes deterministic
	orgs = slices.Compact(orgs)
	ep, err := statebased.NewStateEP(nil)
	if err != nil {
		return ledgererr.Internalf(err, "creating endorsement policy")
	}
	if err := ep.AddOrgs(statebased.RoleTypePeer, orgs...); err != nil {
		return ledgererr.Internalf(err, "adding orgs to endorsement policy")
	}
	policy, err := ep.Policy()
	if err != nil {
		return ledgererr.Internalf(err, "encoding endorsement policy")
	}
	if err := ctx.GetStub().SetStateValidationParameter(key, policy); err != nil {
		return ledgererr.Internalf(err, "setting endorsement policy")
	}
	return nil
}
