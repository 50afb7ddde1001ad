package chaincodetest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// proposal is a transaction proposal as the endorsing peers receive it. All
// endorsers of a transaction simulate the same proposal.
type proposal struct {
	txID      string
	channel   string
	chaincode string
	timestamp time.Time
	creator   Identity
	args      [][]byte
	transient map[string][]byte
	isInit    bool

	signed  *peer.SignedProposal
	binding []byte
}

// txIDFor returns the ID of the n-th transaction: the lowercase hex SHA-256
// of n in decimal. Real transaction IDs are hex SHA-256 digests too (of a
// nonce and the creator), so they have the same shape, but these are
// deterministic so that test output is stable.
func txIDFor(n uint64) string {
	sum := sha256.Sum256([]byte(strconv.FormatUint(n, 10)))
	return hex.EncodeToString(sum[:])
}

func newProposal(p proposal) *proposal {
	p.args = cloneArgs(p.args)
	if len(p.transient) > 0 {
		p.transient = maps.Clone(p.transient)
	} else {
		// A proposal carries no map when there is no transient data, and
		// the shim then returns nil.
		p.transient = nil
	}
	p.signed, p.binding = signedProposal(&p)
	return &p
}

// signedProposal builds the SignedProposal a client would send, with every
// field the shim or chaincode reads: channel header (type, channel, TxID,
// timestamp, chaincode), signature header (creator, nonce) and payload
// (chaincode input, transient map). The signature is left empty: nothing in
// chaincode can verify it, and the harness checks the creator directly. The
// nonce is derived from the TxID to stay deterministic. The binding is
// computed from it the way the shim does.
func signedProposal(p *proposal) (*peer.SignedProposal, []byte) {
	nonce := sha256.Sum256([]byte("nonce:" + p.txID))
	creator := p.creator.Serialized()
	chaincodeID := &peer.ChaincodeID{Name: p.chaincode}

	channelHeader := &common.ChannelHeader{
		Type:      int32(common.HeaderType_ENDORSER_TRANSACTION),
		ChannelId: p.channel,
		TxId:      p.txID,
		Timestamp: timestamppb.New(p.timestamp),
		Extension: mustMarshal(&peer.ChaincodeHeaderExtension{ChaincodeId: chaincodeID}),
	}
	signatureHeader := &common.SignatureHeader{Creator: creator, Nonce: nonce[:]}
	header := &common.Header{
		ChannelHeader:   mustMarshal(channelHeader),
		SignatureHeader: mustMarshal(signatureHeader),
	}
	invocation := &peer.ChaincodeInvocationSpec{ChaincodeSpec: &peer.ChaincodeSpec{
		Type:        peer.ChaincodeSpec_GOLANG,
		ChaincodeId: chaincodeID,
		Input:       &peer.ChaincodeInput{Args: p.args, IsInit: p.isInit},
	}}
	payload := &peer.ChaincodeProposalPayload{Input: mustMarshal(invocation), TransientMap: p.transient}
	prop := &peer.Proposal{Header: mustMarshal(header), Payload: mustMarshal(payload)}

	epoch := make([]byte, 8)
	binary.LittleEndian.PutUint64(epoch, channelHeader.Epoch)
	binding := sha256.Sum256(slices.Concat(nonce[:], creator, epoch))

	return &peer.SignedProposal{ProposalBytes: mustMarshal(prop)}, binding[:]
}

// mustMarshal marshals deterministically (map order included), so that a
// proposal's bytes are the same on every run.
func mustMarshal(m proto.Message) []byte {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("chaincodetest: marshalling %T: %v", m, err))
	}
	return b
}

func cloneArgs(args [][]byte) [][]byte {
	cloned := make([][]byte, len(args))
	for i, arg := range args {
		cloned[i] = slices.Clone(arg)
	}
	return cloned
}
