package participants

import (
	"slices"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// putBinding writes the binding of an enterprise to its org e.MSPID under the key-level policy "a peer of that
// org, or peers of a majority of the orgs of the rules in force" (bindingPolicy). The org alone may change or
// delete it (participants:ReleaseEnterprise), as before; a majority may too, because the binding is void once the
// rules no longer name the org (bindingIn), and then another org's Register must be able to write it without the
// endorsement of the org a majority removed. A majority can rewrite the market rules anyway: the policy gives it
// no power it lacked, and takes from a single org the power to keep an enterprise out of the market for good.
func putBinding(ctx state.Context, rules *model.Rules, key string, e *model.Enterprise) error {
	if err := state.Put(ctx, key, e); err != nil {
		return err
	}
	policy, err := bindingPolicy(e.MSPID, rules.MSPIDs())
	if err != nil {
		return err
	}
	if err := ctx.GetStub().SetStateValidationParameter(key, policy); err != nil {
		return ledgererr.Internalf(err, "setting the endorsement policy of enterprise %s", e.USCC)
	}
	return nil
}

// bindingPolicy encodes OR('<owner>.peer', OutOf(majority, '<org>.peer', ...)) over orgs, the majority
// state.MajorityPolicy builds.
func bindingPolicy(owner string, orgs []string) ([]byte, error) {
	orgs = slices.Concat(orgs, []string{owner})
	majority, err := state.MajorityPolicy(orgs)
	if err != nil {
		return nil, err
	}
	// MajorityPolicy signs rule i by the i-th of the orgs sorted, each once.
	slices.Sort(orgs)
	ownerAt := slices.Index(slices.Compact(orgs), owner)
	env := &common.SignaturePolicyEnvelope{Identities: majority.Identities, Rule: &common.SignaturePolicy{
		Type: &common.SignaturePolicy_NOutOf_{NOutOf: &common.SignaturePolicy_NOutOf{N: 1, Rules: []*common.SignaturePolicy{
			{Type: &common.SignaturePolicy_SignedBy{SignedBy: int32(ownerAt)}},
			majority.Rule,
		}}},
	}}
	b, err := proto.Marshal(env)
	if err != nil {
		return nil, ledgererr.Internalf(err, "encoding endorsement policy")
	}
	return b, nil
}
