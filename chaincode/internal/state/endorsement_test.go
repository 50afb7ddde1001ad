package state

import (
	"slices"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// policyStub records the key-level endorsement policies a function sets;
// every other stub method panics through the nil embedded interface.
type policyStub struct {
	shim.ChaincodeStubInterface
	policies map[string][]byte
}

func (s *policyStub) SetStateValidationParameter(key string, ep []byte) error {
	s.policies[key] = ep
	return nil
}

func (s *policyStub) GetStateValidationParameter(key string) ([]byte, error) {
	return s.policies[key], nil
}

func newPolicyContext() (*contractapi.TransactionContext, *policyStub) {
	stub := &policyStub{policies: map[string][]byte{}}
	ctx := &contractapi.TransactionContext{}
	ctx.SetStub(stub)
	return ctx, stub
}

// decodeMajority returns the orgs a policy names, in its order, and how many
// of them must sign, checking that it has the shape RequireMajority writes.
func decodeMajority(t *testing.T, b []byte) ([]string, int32) {
	t.Helper()
	var env common.SignaturePolicyEnvelope
	require.NoError(t, proto.Unmarshal(b, &env))
	var orgs []string
	for _, id := range env.Identities {
		require.Equal(t, msp.MSPPrincipal_ROLE, id.PrincipalClassification)
		var role msp.MSPRole
		require.NoError(t, proto.Unmarshal(id.Principal, &role))
		assert.Equal(t, msp.MSPRole_PEER, role.Role, "only peers endorse")
		orgs = append(orgs, role.MspIdentifier)
	}
	n := env.Rule.GetNOutOf()
	require.NotNil(t, n, "rule must be NOutOf")
	require.Len(t, n.Rules, len(orgs))
	for i, r := range n.Rules {
		signedBy, ok := r.Type.(*common.SignaturePolicy_SignedBy)
		require.True(t, ok, "rule %d must be SignedBy", i)
		assert.Equal(t, int32(i), signedBy.SignedBy)
	}
	return orgs, n.N
}

func TestRequireMajority(t *testing.T) {
	cases := []struct {
		name  string
		orgs  []string
		want  []string
		quota int32
	}{
		{"one org", []string{"ShanghaiMSP"}, []string{"ShanghaiMSP"}, 1},
		{"two orgs need both", []string{"JiangsuMSP", "ShanghaiMSP"}, []string{"JiangsuMSP", "ShanghaiMSP"}, 2},
		{"three orgs need two", []string{"ZhejiangMSP", "ShanghaiMSP", "JiangsuMSP"}, []string{"JiangsuMSP", "ShanghaiMSP", "ZhejiangMSP"}, 2},
		{"four orgs need three", []string{"ShanghaiMSP", "AnhuiMSP", "ZhejiangMSP", "JiangsuMSP"}, []string{"AnhuiMSP", "JiangsuMSP", "ShanghaiMSP", "ZhejiangMSP"}, 3},
		{"five orgs need three", []string{"E", "D", "C", "B", "A"}, []string{"A", "B", "C", "D", "E"}, 3},
		{"duplicates count once", []string{"B", "A", "B", "A"}, []string{"A", "B"}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, stub := newPolicyContext()
			require.NoError(t, RequireMajority(ctx, "rules", tc.orgs))
			orgs, quota := decodeMajority(t, stub.policies["rules"])
			assert.Equal(t, tc.want, orgs)
			assert.Equal(t, tc.quota, quota)
		})
	}
}

func TestRequireMajorityIsDeterministic(t *testing.T) {
	ctx1, stub1 := newPolicyContext()
	ctx2, stub2 := newPolicyContext()
	require.NoError(t, RequireMajority(ctx1, "k", []string{"C", "A", "B"}))
	require.NoError(t, RequireMajority(ctx2, "k", []string{"B", "C", "A"}))
	assert.Equal(t, stub1.policies["k"], stub2.policies["k"], "endorsers must write identical policy bytes")
}

func TestRequireMajorityRefusesNoOrgs(t *testing.T) {
	for _, orgs := range [][]string{nil, {}, {""}} {
		ctx, stub := newPolicyContext()
		err := RequireMajority(ctx, "rules", orgs)
		require.Error(t, err)
		assert.Equal(t, ledgererr.Internal, ledgererr.CodeOf(err))
		assert.Empty(t, stub.policies, "no policy may be set")
	}
}

// MajorityOf reads back the orgs of the policy RequireMajority set, sorted
// and each once, whatever order they were given in.
func TestMajorityOfReadsWhatRequireMajoritySets(t *testing.T) {
	for _, orgs := range [][]string{{"ShanghaiMSP"}, {"ZhejiangMSP", "ShanghaiMSP", "JiangsuMSP", "AnhuiMSP"}, {"E", "D", "C", "B", "A", "B"}} {
		ctx, _ := newPolicyContext()
		require.NoError(t, RequireMajority(ctx, "k", orgs))
		got, err := MajorityOf(ctx, "k")
		require.NoError(t, err)
		want := slices.Compact(slices.Sorted(slices.Values(orgs)))
		assert.Equal(t, want, got)
		policy, err := MajorityPolicy(orgs)
		require.NoError(t, err)
		b, err := proto.Marshal(policy)
		require.NoError(t, err)
		assert.Equal(t, want, MajorityOrgs(b), "MajorityPolicy round-trips")
	}
	ctx, _ := newPolicyContext()
	got, err := MajorityOf(ctx, "none")
	require.NoError(t, err)
	assert.Nil(t, got, "a key without a policy")
}

// A policy of any other form than MajorityPolicy builds names no majority:
// not every one of the orgs (RequireOrgs), not another quota, order, role
// or rule, and no bytes that are not a policy.
func TestMajorityOrgsRefusesAnotherForm(t *testing.T) {
	orgs := []string{"A", "B", "C"}
	every, err := orgsPolicy(orgs)
	require.NoError(t, err)
	reshaped := func(change func(env *common.SignaturePolicyEnvelope)) []byte {
		env, err := MajorityPolicy(orgs)
		require.NoError(t, err)
		change(env)
		b, err := proto.Marshal(env)
		require.NoError(t, err)
		return b
	}
	for name, policy := range map[string][]byte{
		"none":          nil,
		"not a policy":  []byte("not a policy"),
		"every org":     every,
		"another quota": reshaped(func(env *common.SignaturePolicyEnvelope) { env.Rule.GetNOutOf().N = 1 }),
		"unsorted orgs": reshaped(func(env *common.SignaturePolicyEnvelope) {
			env.Identities[0], env.Identities[1] = env.Identities[1], env.Identities[0]
		}),
		"members": reshaped(func(env *common.SignaturePolicyEnvelope) {
			env.Identities[0].Principal, _ = proto.Marshal(&msp.MSPRole{MspIdentifier: "A", Role: msp.MSPRole_MEMBER})
		}),
		"another rule": reshaped(func(env *common.SignaturePolicyEnvelope) {
			env.Rule = &common.SignaturePolicy{Type: &common.SignaturePolicy_SignedBy{SignedBy: 0}}
		}),
		"another principal": reshaped(func(env *common.SignaturePolicyEnvelope) {
			env.Identities[2].PrincipalClassification = msp.MSPPrincipal_IDENTITY
		}),
		"no orgs": reshaped(func(env *common.SignaturePolicyEnvelope) {
			env.Identities, env.Rule = nil, &common.SignaturePolicy{Type: &common.SignaturePolicy_NOutOf_{NOutOf: &common.SignaturePolicy_NOutOf{N: 1}}}
		}),
	} {
		assert.Nil(t, MajorityOrgs(policy), name)
	}
}

// The policy RequirePartiesOrMajority sets lets the parties' orgs together,
// or a majority of the orgs without one of them, change the key, and no
// single org alone, evaluated as the peers evaluate it (cauthdsl's nested
// NOutOf); every endorser writes the same bytes, whatever the order of the
// orgs.
func TestRequirePartiesOrMajority(t *testing.T) {
	orgs := []string{"Z", "S", "J", "A"} // a majority is three
	ctx, stub := newPolicyContext()
	require.NoError(t, RequirePartiesOrMajority(ctx, "trade", []string{"J", "S"}, orgs))
	var env common.SignaturePolicyEnvelope
	require.NoError(t, proto.Unmarshal(stub.policies["trade"], &env))
	for _, tc := range []struct {
		endorsers []string
		want      bool
	}{
		{[]string{"S", "J"}, true},            // the parties' orgs: the normal path
		{[]string{"S", "A", "Z"}, true},       // a majority without the buyer's org
		{[]string{"J", "A", "Z"}, true},       // a majority without the seller's org
		{[]string{"S"}, false},                // one party's org alone
		{[]string{"S", "A"}, false},           // neither both parties nor a majority
		{[]string{"A", "Z"}, false},           // strangers short of a majority
		{[]string{"S", "S", "S"}, false},      // one org's peers count once
		{[]string{"A", "Z", "A", "Z"}, false}, // nor do two orgs' twice
	} {
		err := chaincodetest.EvaluatePolicy(&env, tc.endorsers)
		assert.Equal(t, tc.want, err == nil, "endorsed by %v: %v", tc.endorsers, err)
	}
	ctx2, stub2 := newPolicyContext()
	require.NoError(t, RequirePartiesOrMajority(ctx2, "trade", []string{"S", "J", "S"}, []string{"A", "J", "S", "Z", "A"}))
	assert.Equal(t, stub.policies["trade"], stub2.policies["trade"], "endorsers must write identical policy bytes")
	for _, bad := range [][2][]string{{nil, orgs}, {{"S"}, nil}, {{""}, orgs}, {{"S"}, {""}}} {
		ctx, stub := newPolicyContext()
		err := RequirePartiesOrMajority(ctx, "k", bad[0], bad[1])
		assert.Equal(t, ledgererr.Internal, ledgererr.CodeOf(err), "%v", bad)
		assert.Empty(t, stub.policies, "no policy may be set")
	}
}

// The policy RequireJointOrMajority sets is RequirePartiesOrMajority's for
// parties of two orgs, and for parties all of one org a majority of the
// orgs alone: that org, alone or with one other, changes nothing, and a
// majority without it changes the key; evaluated as the peers evaluate it.
func TestRequireJointOrMajority(t *testing.T) {
	orgs := []string{"Z", "S", "J", "A"} // a majority is three
	ctx, stub := newPolicyContext()
	require.NoError(t, RequireJointOrMajority(ctx, "two", []string{"J", "S"}, orgs))
	require.NoError(t, RequirePartiesOrMajority(ctx, "either", []string{"J", "S"}, orgs))
	assert.Equal(t, stub.policies["either"], stub.policies["two"], "two orgs: the parties' or a majority")

	require.NoError(t, RequireJointOrMajority(ctx, "one", []string{"S", "S"}, orgs))
	require.NoError(t, RequireMajority(ctx, "majority", orgs))
	assert.Equal(t, stub.policies["majority"], stub.policies["one"], "one org: a majority alone, the bytes RequireMajority writes")
	var env common.SignaturePolicyEnvelope
	require.NoError(t, proto.Unmarshal(stub.policies["one"], &env))
	for _, tc := range []struct {
		endorsers []string
		want      bool
	}{
		{[]string{"S"}, false},           // the parties' one org alone
		{[]string{"S", "S", "S"}, false}, // its peers count once
		{[]string{"S", "J"}, false},      // with one other: short of a majority
		{[]string{"J", "A", "Z"}, true},  // a majority without it
		{[]string{"S", "J", "A"}, true},  // a majority with it
	} {
		err := chaincodetest.EvaluatePolicy(&env, tc.endorsers)
		assert.Equal(t, tc.want, err == nil, "endorsed by %v: %v", tc.endorsers, err)
	}
	for _, bad := range [][2][]string{{nil, orgs}, {{"S"}, nil}, {{""}, orgs}, {{"S"}, {""}}} {
		ctx, stub := newPolicyContext()
		err := RequireJointOrMajority(ctx, "k", bad[0], bad[1])
		assert.Equal(t, ledgererr.Internal, ledgererr.CodeOf(err), "%v", bad)
		assert.Empty(t, stub.policies, "no policy may be set")
	}
}
