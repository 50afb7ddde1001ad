package chaincodetest_test

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
)

// principal returns a ROLE principal.
func principal(mspID string, role msp.MSPRole_MSPRoleType) *msp.MSPPrincipal {
	b, err := proto.Marshal(&msp.MSPRole{MspIdentifier: mspID, Role: role})
	if err != nil {
		panic(err)
	}
	return &msp.MSPPrincipal{PrincipalClassification: msp.MSPPrincipal_ROLE, Principal: b}
}

func signedBy(i int32) *common.SignaturePolicy {
	return &common.SignaturePolicy{Type: &common.SignaturePolicy_SignedBy{SignedBy: i}}
}

func nOutOf(n int32, rules ...*common.SignaturePolicy) *common.SignaturePolicy {
	return &common.SignaturePolicy{Type: &common.SignaturePolicy_NOutOf_{NOutOf: &common.SignaturePolicy_NOutOf{N: n, Rules: rules}}}
}

func envelope(rule *common.SignaturePolicy, identities ...*msp.MSPPrincipal) *common.SignaturePolicyEnvelope {
	return &common.SignaturePolicyEnvelope{Rule: rule, Identities: identities}
}

// fromStatebased decodes a policy made by pkg/statebased.
func fromStatebased(mspIDs ...string) *common.SignaturePolicyEnvelope {
	policy := &common.SignaturePolicyEnvelope{}
	if err := proto.Unmarshal(chaincodetest.KeyPolicy(mspIDs...), policy); err != nil {
		panic(err)
	}
	return policy
}

func TestEvaluatePolicy(t *testing.T) {
	tests := []struct {
		name      string
		policy    *common.SignaturePolicyEnvelope
		endorsers []string
		want      bool
	}{
		{"AND of orgs: all endorse", chaincodetest.AllOf("A", "B"), []string{"B", "A"}, true},
		{"AND of orgs: one missing", chaincodetest.AllOf("A", "B"), []string{"A"}, false},
		{"AND of orgs: extra endorsers are fine", chaincodetest.AllOf("A", "B"), []string{"C", "A", "B"}, true},
		{"OR of orgs", chaincodetest.AnyOf("A", "B"), []string{"B"}, true},
		{"OR of orgs: none", chaincodetest.AnyOf("A", "B"), []string{"C", "D"}, false},
		{"2 of 4: two", chaincodetest.OutOf(2, "A", "B", "C", "D"), []string{"D", "B"}, true},
		{"2 of 4: one", chaincodetest.OutOf(2, "A", "B", "C", "D"), []string{"C"}, false},
		{"2 of 4: one org twice counts once per principal", chaincodetest.OutOf(2, "A", "B", "C", "D"), []string{"C", "C"}, false},
		{"2 of 4: three", chaincodetest.OutOf(2, "A", "B", "C", "D"), []string{"A", "B", "C"}, true},
		{"no endorsers", chaincodetest.AnyOf("A"), nil, false},
		{"statebased AND", fromStatebased("A", "B"), []string{"A", "B"}, true},
		{"statebased AND: one missing", fromStatebased("A", "B"), []string{"B"}, false},
		{"statebased with no orgs is always satisfied", fromStatebased(), nil, true},
		{"MEMBER role is satisfied by a peer", envelope(signedBy(0), principal("A", msp.MSPRole_MEMBER)), []string{"A"}, true},
		{"ADMIN role is not satisfied by a peer", envelope(signedBy(0), principal("A", msp.MSPRole_ADMIN)), []string{"A"}, false},
		{"CLIENT role is not satisfied by a peer", envelope(signedBy(0), principal("A", msp.MSPRole_CLIENT)), []string{"A"}, false},
		{
			"one endorsement cannot satisfy two principals",
			envelope(nOutOf(2, signedBy(0), signedBy(1)), principal("A", msp.MSPRole_PEER), principal("A", msp.MSPRole_MEMBER)),
			[]string{"A"}, false,
		},
		{
			"two peers of one org satisfy two principals",
			envelope(nOutOf(2, signedBy(0), signedBy(1)), principal("A", msp.MSPRole_PEER), principal("A", msp.MSPRole_MEMBER)),
			[]string{"A", "A"}, true,
		},
		{
			"nested: A and (B or C)",
			envelope(nOutOf(2, signedBy(0), nOutOf(1, signedBy(1), signedBy(2))),
				principal("A", msp.MSPRole_PEER), principal("B", msp.MSPRole_PEER), principal("C", msp.MSPRole_PEER)),
			[]string{"C", "A"}, true,
		},
		{
			"nested: A and (B or C), without A",
			envelope(nOutOf(2, signedBy(0), nOutOf(1, signedBy(1), signedBy(2))),
				principal("A", msp.MSPRole_PEER), principal("B", msp.MSPRole_PEER), principal("C", msp.MSPRole_PEER)),
			[]string{"B", "C"}, false,
		},
		{
			"a failed branch does not consume endorsements",
			envelope(nOutOf(1, nOutOf(2, signedBy(0), signedBy(1)), signedBy(0)),
				principal("A", msp.MSPRole_PEER), principal("B", msp.MSPRole_PEER)),
			[]string{"A"}, true,
		},
		{
			"unsupported principal is unsatisfied",
			envelope(signedBy(0), &msp.MSPPrincipal{PrincipalClassification: msp.MSPPrincipal_IDENTITY, Principal: []byte("x")}),
			[]string{"A"}, false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := chaincodetest.EvaluatePolicy(tt.policy, tt.endorsers)
			if tt.want {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, "signature set did not satisfy policy")
			}
		})
	}
}

func TestEvaluatePolicyRejectsMalformedPolicies(t *testing.T) {
	tests := []struct {
		name   string
		policy *common.SignaturePolicyEnvelope
		want   string
	}{
		{"nil", nil, "empty policy"},
		{"no rule", &common.SignaturePolicyEnvelope{}, "empty policy element"},
		{"identity index out of range", envelope(signedBy(1), principal("A", msp.MSPRole_PEER)), "identity index out of range"},
		{"negative identity index", envelope(signedBy(-1), principal("A", msp.MSPRole_PEER)), "identity index out of range"},
		{"unknown version", &common.SignaturePolicyEnvelope{Version: 1, Rule: signedBy(0)}, "version"},
		{"empty NOutOf", envelope(&common.SignaturePolicy{Type: &common.SignaturePolicy_NOutOf_{}}), "empty NOutOf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorContains(t, chaincodetest.EvaluatePolicy(tt.policy, []string{"A"}), tt.want)
		})
	}
}

func TestPolicyHelpersMatchStatebased(t *testing.T) {
	// AllOf builds the same policy as statebased for orgs in sorted order.
	want := fromStatebased("Org1MSP", "Org2MSP")
	require.True(t, proto.Equal(want, chaincodetest.AllOf("Org1MSP", "Org2MSP")))
}

func TestPolicyFailureDescribesThePolicy(t *testing.T) {
	err := chaincodetest.EvaluatePolicy(chaincodetest.OutOf(2, "Org1MSP", "Org2MSP", "Org3MSP"), []string{"Org1MSP"})
	assert.EqualError(t, err, "signature set did not satisfy policy OutOf(2, 'Org1MSP.peer', 'Org2MSP.peer', 'Org3MSP.peer'): endorsed by [Org1MSP]")
}
