package chaincodetest

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/statebased"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// AnyOf returns the signature policy OR('<mspID>.peer', ...): the
// endorsement of a peer of any one of the orgs satisfies it.
func AnyOf(mspIDs ...string) *common.SignaturePolicyEnvelope {
	return OutOf(1, mspIDs...)
}

// AllOf returns the signature policy AND('<mspID>.peer', ...): it needs the
// endorsement of a peer of every one of the orgs, which is also what
// statebased.KeyEndorsementPolicy produces.
func AllOf(mspIDs ...string) *common.SignaturePolicyEnvelope {
	return OutOf(len(mspIDs), mspIDs...)
}

// OutOf returns the signature policy OutOf(n, '<mspID>.peer', ...): it needs
// the endorsements of peers of n of the orgs.
func OutOf(n int, mspIDs ...string) *common.SignaturePolicyEnvelope {
	identities := make([]*msp.MSPPrincipal, len(mspIDs))
	rules := make([]*common.SignaturePolicy, len(mspIDs))
	for i, mspID := range mspIDs {
		role, err := proto.Marshal(&msp.MSPRole{MspIdentifier: mspID, Role: msp.MSPRole_PEER})
		if err != nil {
			panic(fmt.Sprintf("chaincodetest: marshalling MSP role: %v", err))
		}
		identities[i] = &msp.MSPPrincipal{PrincipalClassification: msp.MSPPrincipal_ROLE, Principal: role}
		rules[i] = &common.SignaturePolicy{Type: &common.SignaturePolicy_SignedBy{SignedBy: int32(i)}}
	}
	return &common.SignaturePolicyEnvelope{
		Rule: &common.SignaturePolicy{Type: &common.SignaturePolicy_NOutOf_{
			NOutOf: &common.SignaturePolicy_NOutOf{N: int32(n), Rules: rules},
		}},
		Identities: identities,
	}
}

// EvaluatePolicy reports whether endorsements by the given peers satisfy the
// signature policy: nil if they do, otherwise an error saying why not. Each
// element of endorsers is the MSP ID of one endorsing peer; name an MSP twice
// for two peers of the same org.
//
// The evaluation is Fabric's (common/cauthdsl): NOutOf counts the rules that
// are satisfied, SignedBy consumes the first unused endorsement matching its
// principal, and an endorsement is never counted twice. A peer satisfies a
// ROLE principal of its own MSP with role MEMBER or PEER; it satisfies no
// other principal (ADMIN, CLIENT or ORDERER roles, OUs, identities), as a
// peer's identity would not.
func EvaluatePolicy(policy *common.SignaturePolicyEnvelope, endorsers []string) error {
	if policy == nil {
		return errors.New("empty policy")
	}
	if policy.Version != 0 {
		return fmt.Errorf("this evaluator only understands messages of version 0, but version was %d", policy.Version)
	}
	satisfied, err := compilePolicy(policy.Rule, policy.Identities)
	if err != nil {
		return err
	}
	if !satisfied(endorsers, make([]bool, len(endorsers))) {
		return fmt.Errorf("signature set did not satisfy policy %s: endorsed by %v",
			describeRule(policy.Rule, policy.Identities), endorsers)
	}
	return nil
}

// unmarshalPolicy decodes a key-level endorsement policy, which is a
// marshalled SignaturePolicyEnvelope (what statebased produces).
func unmarshalPolicy(b []byte) (*common.SignaturePolicyEnvelope, error) {
	policy := &common.SignaturePolicyEnvelope{}
	if err := proto.Unmarshal(b, policy); err != nil {
		return nil, fmt.Errorf("invalid endorsement policy: %w", err)
	}
	return policy, nil
}

// evaluator reports whether the endorsers not yet marked used satisfy a rule,
// marking those it relies on.
type evaluator func(endorsers []string, used []bool) bool

// compilePolicy is cauthdsl's compile, over MSP IDs instead of identities.
func compilePolicy(rule *common.SignaturePolicy, identities []*msp.MSPPrincipal) (evaluator, error) {
	if rule == nil {
		return nil, errors.New("empty policy element")
	}
	switch t := rule.Type.(type) {
	case *common.SignaturePolicy_NOutOf_:
		if t.NOutOf == nil {
			return nil, errors.New("empty NOutOf policy element")
		}
		rules := make([]evaluator, len(t.NOutOf.Rules))
		for i, r := range t.NOutOf.Rules {
			compiled, err := compilePolicy(r, identities)
			if err != nil {
				return nil, err
			}
			rules[i] = compiled
		}
		n := t.NOutOf.N
		return func(endorsers []string, used []bool) bool {
			verified := int32(0)
			tentative := make([]bool, len(used))
			for _, r := range rules {
				// A rule that fails must not consume endorsements.
				copy(tentative, used)
				if r(endorsers, tentative) {
					verified++
					copy(used, tentative)
				}
			}
			return verified >= n
		}, nil
	case *common.SignaturePolicy_SignedBy:
		if t.SignedBy < 0 || int(t.SignedBy) >= len(identities) {
			return nil, fmt.Errorf("identity index out of range, requested %v, but identities length is %d", t.SignedBy, len(identities))
		}
		principal := identities[t.SignedBy]
		return func(endorsers []string, used []bool) bool {
			for i, mspID := range endorsers {
				if !used[i] && peerSatisfies(mspID, principal) {
					used[i] = true
					return true
				}
			}
			return false
		}, nil
	default:
		return nil, fmt.Errorf("unknown policy element type %T", t)
	}
}

// peerSatisfies reports whether a peer of the MSP satisfies the principal.
// Like the MSP, it treats a principal it cannot decode as unsatisfied.
func peerSatisfies(mspID string, principal *msp.MSPPrincipal) bool {
	role, ok := decodeRole(principal)
	if !ok || role.MspIdentifier != mspID {
		return false
	}
	return role.Role == msp.MSPRole_MEMBER || role.Role == msp.MSPRole_PEER
}

func decodeRole(principal *msp.MSPPrincipal) (*msp.MSPRole, bool) {
	if principal.GetPrincipalClassification() != msp.MSPPrincipal_ROLE {
		return nil, false
	}
	role := &msp.MSPRole{}
	if err := proto.Unmarshal(principal.Principal, role); err != nil {
		return nil, false
	}
	return role, true
}

// describeRule renders a policy in Fabric's policy language, e.g.
// OutOf(2, 'Org1MSP.peer', 'Org2MSP.peer'), for error messages.
func describeRule(rule *common.SignaturePolicy, identities []*msp.MSPPrincipal) string {
	switch t := rule.GetType().(type) {
	case *common.SignaturePolicy_NOutOf_:
		parts := []string{fmt.Sprint(t.NOutOf.GetN())}
		for _, r := range t.NOutOf.GetRules() {
			parts = append(parts, describeRule(r, identities))
		}
		return "OutOf(" + strings.Join(parts, ", ") + ")"
	case *common.SignaturePolicy_SignedBy:
		if t.SignedBy < 0 || int(t.SignedBy) >= len(identities) {
			return "<bad identity index>"
		}
		principal := identities[t.SignedBy]
		if role, ok := decodeRole(principal); ok {
			return fmt.Sprintf("'%s.%s'", role.MspIdentifier, strings.ToLower(role.Role.String()))
		}
		return fmt.Sprintf("<%s principal>", principal.GetPrincipalClassification())
	default:
		return "<empty>"
	}
}

// KeyPolicy returns the key-level endorsement policy requiring a peer of each
// of the orgs, built with pkg/statebased as chaincode builds it, in the form
// SetStateValidationParameter takes.
func KeyPolicy(mspIDs ...string) []byte {
	ep, err := statebased.NewStateEP(nil)
	if err != nil {
		panic(fmt.Sprintf("chaincodetest: new state endorsement policy: %v", err))
	}
	if err := ep.AddOrgs(statebased.RoleTypePeer, mspIDs...); err != nil {
		panic(fmt.Sprintf("chaincodetest: adding orgs %v: %v", mspIDs, err))
	}
	policy, err := ep.Policy()
	if err != nil {
		panic(fmt.Sprintf("chaincodetest: marshalling state endorsement policy: %v", err))
	}
	return policy
}
