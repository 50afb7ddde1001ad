package state

import (
	"bytes"
	"errors"
	"slices"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/statebased"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// PutOwned writes v at key and ties the key to the orgs that own the record
// (RequireOrgs). Writing the policy with every update re-sets it after the
// record changes hands.
func PutOwned(ctx Context, key string, v any, mspIDs ...string) error {
	if err := Put(ctx, key, v); err != nil {
		return err
	}
	return RequireOrgs(ctx, key, mspIDs...)
}

// PutUnderMajority writes v at key and puts the key under a majority of the
// given orgs (RequireMajority), as PutOwned ties it to its owners: no fewer
// than a majority of them change the record from then on.
func PutUnderMajority(ctx Context, key string, v any, mspIDs []string) error {
	if err := Put(ctx, key, v); err != nil {
		return err
	}
	return RequireMajority(ctx, key, mspIDs)
}

// RequireOrgs sets the key-level endorsement policy of key: from the next
// transaction on, a change to it must be endorsed by a peer of every one of
// the given orgs. This is how the ledger ties a record to the orgs that own
// it, while the chaincode-level policy stays cheap for everything else.
func RequireOrgs(ctx Context, key string, mspIDs ...string) error {
	policy, err := orgsPolicy(mspIDs)
	if err != nil {
		return err
	}
	return setPolicy(ctx, key, policy)
}

// setPolicy sets key's key-level endorsement policy to the encoded policy.
func setPolicy(ctx Context, key string, policy []byte) error {
	if err := ctx.GetStub().SetStateValidationParameter(key, policy); err != nil {
		return ledgererr.Internalf(err, "setting endorsement policy")
	}
	return nil
}

// RequiresOrgs reports whether the committed key-level endorsement policy
// of key is the one RequireOrgs sets for exactly these orgs. A key that is
// new needs only the chaincode-level policy, so orgs running chaincode of
// their own can create a record under a policy of their choosing; a
// function about to act on a record that must belong to certain orgs asks
// this first.
func RequiresOrgs(ctx Context, key string, mspIDs ...string) (bool, error) {
	want, err := orgsPolicy(mspIDs)
	if err != nil {
		return false, err
	}
	return requires(ctx, key, want)
}

// RequiresMajority reports whether the committed key-level endorsement
// policy of key is the one RequireMajority sets for these orgs (see
// RequiresOrgs for why a function asks).
func RequiresMajority(ctx Context, key string, mspIDs []string) (bool, error) {
	want, err := majorityPolicy(mspIDs)
	if err != nil {
		return false, err
	}
	return requires(ctx, key, want)
}

// requires reports whether key's committed key-level endorsement policy is
// exactly the encoded policy want.
func requires(ctx Context, key string, want []byte) (bool, error) {
	got, err := policyOf(ctx, key)
	if err != nil {
		return false, err
	}
	return bytes.Equal(got, want), nil
}

// policyOf reads the committed key-level endorsement policy of key, nil
// when it has none. Like every read, it sees the state before this
// transaction's own writes.
func policyOf(ctx Context, key string) ([]byte, error) {
	policy, err := ctx.GetStub().GetStateValidationParameter(key)
	if err != nil {
		return nil, ledgererr.Internalf(err, "reading the endorsement policy of a key")
	}
	return policy, nil
}

// MajorityOf returns the orgs of the committed key-level endorsement policy
// of key when it is one RequireMajority sets (MajorityOrgs), sorted; nil
// when the key has no policy or one of another form.
func MajorityOf(ctx Context, key string) ([]string, error) {
	policy, err := policyOf(ctx, key)
	if err != nil || policy == nil {
		return nil, err
	}
	return MajorityOrgs(policy), nil
}

// orgsPolicy encodes the key-level policy "a peer of every one of these
// orgs", the orgs sorted so that every endorser writes the same bytes.
func orgsPolicy(mspIDs []string) ([]byte, error) {
	orgs := slices.Clone(mspIDs)
	slices.Sort(orgs)
	orgs = slices.Compact(orgs)
	ep, err := statebased.NewStateEP(nil)
	if err != nil {
		return nil, ledgererr.Internalf(err, "creating endorsement policy")
	}
	if err := ep.AddOrgs(statebased.RoleTypePeer, orgs...); err != nil {
		return nil, ledgererr.Internalf(err, "adding orgs to endorsement policy")
	}
	policy, err := ep.Policy()
	if err != nil {
		return nil, ledgererr.Internalf(err, "encoding endorsement policy")
	}
	return policy, nil
}

// RequireMajority sets the key-level endorsement policy of key to a majority
// of the given orgs: from the next transaction on, a change to it must be
// endorsed by peers of more than half of them. Market-wide rules are kept
// under such keys so that no single region can change them alone.
//
// The policy is a SignaturePolicyEnvelope NOutOf(n/2+1) of SignedBy rules,
// one per org's peer role, with the orgs in sorted order so that every
// endorser writes the same bytes.
func RequireMajority(ctx Context, key string, mspIDs []string) error {
	policy, err := majorityPolicy(mspIDs)
	if err != nil {
		return err
	}
	return setPolicy(ctx, key, policy)
}

// majorityPolicy encodes MajorityPolicy(mspIDs), the bytes RequireMajority
// writes.
func majorityPolicy(mspIDs []string) ([]byte, error) {
	policy, err := MajorityPolicy(mspIDs)
	if err != nil {
		return nil, err
	}
	b, err := proto.Marshal(policy)
	if err != nil {
		return nil, ledgererr.Internalf(err, "encoding endorsement policy")
	}
	return b, nil
}

// MajorityPolicy builds the signature policy "peers of a majority of these
// orgs". Duplicates count once; an empty list is refused, since a policy
// nobody can satisfy would lock the key for good.
func MajorityPolicy(mspIDs []string) (*common.SignaturePolicyEnvelope, error) {
	orgs := slices.Clone(mspIDs)
	slices.Sort(orgs)
	orgs = slices.Compact(orgs)
	if len(orgs) == 0 || orgs[0] == "" {
		return nil, ledgererr.Internalf(errors.New("no orgs"), "a majority policy needs at least one named org")
	}
	identities, err := peerPrincipals(orgs)
	if err != nil {
		return nil, err
	}
	env := &common.SignaturePolicyEnvelope{Version: 0, Identities: identities}
	rules := make([]*common.SignaturePolicy, len(orgs))
	for i := range orgs {
		rules[i] = &common.SignaturePolicy{Type: &common.SignaturePolicy_SignedBy{SignedBy: int32(i)}}
	}
	env.Rule = &common.SignaturePolicy{Type: &common.SignaturePolicy_NOutOf_{
		NOutOf: &common.SignaturePolicy_NOutOf{N: int32(len(orgs)/2 + 1), Rules: rules},
	}}
	return env, nil
}

// MajorityOrgs decodes an encoded key-level endorsement policy and returns
// the orgs it names, sorted, when it is exactly a policy MajorityPolicy
// builds (peers of a majority of these orgs); nil for any other policy or
// bytes that are none. The orgs are read from its identities, and the
// policy MajorityPolicy builds for them must equal it, so that this and
// MajorityPolicy cannot disagree on the form.
func MajorityOrgs(policy []byte) []string {
	var env common.SignaturePolicyEnvelope
	if proto.Unmarshal(policy, &env) != nil {
		return nil
	}
	orgs := make([]string, 0, len(env.Identities))
	for _, id := range env.Identities {
		var role msp.MSPRole
		if id.GetPrincipalClassification() != msp.MSPPrincipal_ROLE || proto.Unmarshal(id.GetPrincipal(), &role) != nil {
			return nil
		}
		orgs = append(orgs, role.MspIdentifier)
	}
	want, err := MajorityPolicy(orgs)
	if err != nil || !proto.Equal(&env, want) {
		return nil
	}
	return orgs
}

// RequirePartiesOrMajority sets the key-level endorsement policy of key to
// "a peer of every one of the parties' orgs, or peers of a majority of
// these orgs" (PartiesOrMajorityPolicy): the parties' orgs together still
// change the record alone, the cheap normal path, and the majority that is
// the chaincode-level trust changes it without one of them, so that a
// party's org that is hostile, or was removed, never blocks for good a
// step the rules allow without it. No single org gains anything: one that
// is not every party's org satisfies neither branch alone, as long as the
// orgs are more than one.
func RequirePartiesOrMajority(ctx Context, key string, parties, mspIDs []string) error {
	return setEnvelope(ctx, key, PartiesOrMajorityPolicy, parties, mspIDs)
}

// RequireJointOrMajority sets the key-level endorsement policy of key to
// JointOrMajorityPolicy: RequirePartiesOrMajority's while the parties are
// of more than one org, a majority of the orgs alone when they are all of
// one, so that no single org ever changes the record alone.
func RequireJointOrMajority(ctx Context, key string, parties, mspIDs []string) error {
	return setEnvelope(ctx, key, JointOrMajorityPolicy, parties, mspIDs)
}

// setEnvelope sets key's key-level endorsement policy to the one build
// makes for these parties and orgs, encoded.
func setEnvelope(ctx Context, key string, build func(parties, mspIDs []string) (*common.SignaturePolicyEnvelope, error), parties, mspIDs []string) error {
	policy, err := build(parties, mspIDs)
	if err != nil {
		return err
	}
	b, err := proto.Marshal(policy)
	if err != nil {
		return ledgererr.Internalf(err, "encoding endorsement policy")
	}
	return setPolicy(ctx, key, b)
}

// JointOrMajorityPolicy builds PartiesOrMajorityPolicy(parties, mspIDs)
// when the parties are of more than one org, and MajorityPolicy(mspIDs)
// when they are all of one. "A peer of every one of the parties' orgs" is
// then that one org, which running chaincode of its own on its own peers
// would rewrite the record alone, its members' and anyone's who relies on
// it: the majority is left as the only way to change it. No party or no
// org is refused, as PartiesOrMajorityPolicy refuses them.
func JointOrMajorityPolicy(parties, mspIDs []string) (*common.SignaturePolicyEnvelope, error) {
	owners := slices.Compact(slices.Sorted(slices.Values(parties)))
	if len(owners) == 1 && owners[0] != "" {
		return MajorityPolicy(mspIDs)
	}
	return PartiesOrMajorityPolicy(parties, mspIDs)
}

// PartiesOrMajorityPolicy builds the signature policy RequirePartiesOrMajority
// sets: NOutOf(1) of two rules, NOutOf(all) of the parties' orgs and
// NOutOf(n/2+1) of the orgs, whose principals (every org's peer role) are
// listed once each, sorted, so that every endorser writes the same bytes.
// Duplicates count once; no party or no org is refused, as MajorityPolicy
// refuses no orgs.
func PartiesOrMajorityPolicy(parties, mspIDs []string) (*common.SignaturePolicyEnvelope, error) {
	owners := slices.Compact(slices.Sorted(slices.Values(parties)))
	orgs := slices.Compact(slices.Sorted(slices.Values(mspIDs)))
	if len(owners) == 0 || owners[0] == "" || len(orgs) == 0 || orgs[0] == "" {
		return nil, ledgererr.Internalf(errors.New("no orgs"), "a parties-or-majority policy needs at least one party's org and one org")
	}
	all := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(owners), orgs...))))
	identities, err := peerPrincipals(all)
	if err != nil {
		return nil, err
	}
	env := &common.SignaturePolicyEnvelope{Version: 0, Identities: identities}
	outOf := func(n int, of []string) *common.SignaturePolicy {
		rules := make([]*common.SignaturePolicy, len(of))
		for i, org := range of {
			idx, _ := slices.BinarySearch(all, org)
			rules[i] = &common.SignaturePolicy{Type: &common.SignaturePolicy_SignedBy{SignedBy: int32(idx)}}
		}
		return &common.SignaturePolicy{Type: &common.SignaturePolicy_NOutOf_{NOutOf: &common.SignaturePolicy_NOutOf{N: int32(n), Rules: rules}}}
	}
	env.Rule = &common.SignaturePolicy{Type: &common.SignaturePolicy_NOutOf_{NOutOf: &common.SignaturePolicy_NOutOf{
		N: 1, Rules: []*common.SignaturePolicy{outOf(len(owners), owners), outOf(len(orgs)/2+1, orgs)},
	}}}
	return env, nil
}

// peerPrincipals are the principals "a peer of org", one per org, in order.
func peerPrincipals(orgs []string) ([]*msp.MSPPrincipal, error) {
	principals := make([]*msp.MSPPrincipal, len(orgs))
	for i, org := range orgs {
		principal, err := proto.Marshal(&msp.MSPRole{MspIdentifier: org, Role: msp.MSPRole_PEER})
		if err != nil {
			return nil, ledgererr.Internalf(err, "encoding principal of %s", org)
		}
		principals[i] = &msp.MSPPrincipal{PrincipalClassification: msp.MSPPrincipal_ROLE, Principal: principal}
	}
	return principals, nil
}
