package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/model"
)

const offlineTx = "4f5a0c8e1b2d3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2"

// selfSigned makes a key and a certificate of it.
func selfSigned(t *testing.T, cn string) (*ecdsa.PrivateKey, []byte) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}, &x509.Certificate{Subject: pkix.Name{CommonName: cn}}, &key.PublicKey, key)
	require.NoError(t, err)
	return key, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// channelHeaderOf is a channel header as fabric-gateway builds it: of a transaction of a kind on channel, its
// extension naming chaincode cc.
func channelHeaderOf(txID string, kind common.HeaderType, channel, cc string) []byte {
	ext, _ := proto.Marshal(&peer.ChaincodeHeaderExtension{ChaincodeId: &peer.ChaincodeID{Name: cc}})
	ch, _ := proto.Marshal(&common.ChannelHeader{Type: int32(kind), TxId: txID, ChannelId: channel, Extension: ext})
	return ch
}

// proposalOf is a gateway.ProposedTransaction as fabric-gateway builds it, of creator and txID.
func proposalOf(t *testing.T, creatorPEM []byte, txID string, kind common.HeaderType) []byte {
	creator, _ := proto.Marshal(&msp.SerializedIdentity{Mspid: "JiangsuMSP", IdBytes: creatorPEM})
	ch := channelHeaderOf(txID, kind, "yrd-market", "deltaledger")
	sh, _ := proto.Marshal(&common.SignatureHeader{Creator: creator, Nonce: []byte("nonce")})
	header, _ := proto.Marshal(&common.Header{ChannelHeader: ch, SignatureHeader: sh})
	cis, _ := proto.Marshal(&peer.ChaincodeInvocationSpec{ChaincodeSpec: &peer.ChaincodeSpec{
		ChaincodeId: &peer.ChaincodeID{Name: "deltaledger"}, Input: &peer.ChaincodeInput{Args: [][]byte{[]byte("participants:WhoAmI")}}}})
	payload, _ := proto.Marshal(&peer.ChaincodeProposalPayload{Input: cis})
	p, _ := proto.Marshal(&peer.Proposal{Header: header, Payload: payload})
	b, err := proto.Marshal(&gateway.ProposedTransaction{TransactionId: txID, Proposal: &peer.SignedProposal{ProposalBytes: p}})
	require.NoError(t, err)
	return b
}

func stepAnswer(msg, signed []byte) map[string]any {
	sum := sha256.Sum256(signed)
	return map[string]any{"transaction_id": offlineTx, "step": "proposal", "bytes": base64.StdEncoding.EncodeToString(msg),
		"digest": base64.StdEncoding.EncodeToString(sum[:]), "sign_url": "/v1/signing/" + offlineTx + "/proposal"}
}

func TestWithSignerSignsOnlyWhatItChecked(t *testing.T) {
	key, certPEM := selfSigned(t, "91320500MA1FL1700R")
	_, otherPEM := selfSigned(t, "91320500MA1FL1800X")
	innerOf := func(msg []byte) []byte {
		var pt gateway.ProposedTransaction
		require.NoError(t, proto.Unmarshal(msg, &pt))
		return pt.GetProposal().GetProposalBytes()
	}
	honest := proposalOf(t, certPEM, offlineTx, common.HeaderType_ENDORSER_TRANSACTION)
	cases := map[string]struct {
		step   map[string]any
		refuse string
	}{
		"honest": {step: stepAnswer(honest, innerOf(honest))},
		"a digest of other bytes": {step: stepAnswer(honest, []byte("transfer everything")),
			refuse: "the digest is not the SHA-256 of the message shown"},
		"another member's proposal": {step: func() map[string]any {
			m := proposalOf(t, otherPEM, offlineTx, common.HeaderType_ENDORSER_TRANSACTION)
			return stepAnswer(m, innerOf(m))
		}(), refuse: "not of this member's certificate"},
		"another transaction": {step: func() map[string]any {
			m := proposalOf(t, certPEM, "00"+offlineTx[2:], common.HeaderType_ENDORSER_TRANSACTION)
			return stepAnswer(m, innerOf(m))
		}(), refuse: "is of transaction 00"},
		"a channel configuration update": {step: func() map[string]any {
			m := proposalOf(t, certPEM, offlineTx, common.HeaderType_CONFIG_UPDATE)
			return stepAnswer(m, innerOf(m))
		}(), refuse: "not a chaincode transaction"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var signature []byte
			g := newGW(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
				if r.URL.Path == "/v1/participants/me" {
					reply(w, http.StatusAccepted, c.step)
					return
				}
				var b map[string]string
				require.NoError(t, json.Unmarshal(body, &b))
				signature, _ = base64.StdEncoding.DecodeString(b["signature"])
				reply(w, http.StatusOK, map[string]any{"id": "jiangsu.e1"})
			}, WithSigner(certPEM, key))
			g.c.apiKey = ""
			me, err := g.c.Participants().Me(context.Background())
			if c.refuse != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), c.refuse)
				assert.Contains(t, err.Error(), "refusing to sign")
				assert.Len(t, g.requests(), 1, "nothing signed is sent")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "jiangsu.e1", me.ID)
			digest, _ := base64.StdEncoding.DecodeString(c.step["digest"].(string))
			assert.True(t, ecdsa.VerifyASN1(&key.PublicKey, digest, signature), "signed with the member's key")
		})
	}

	_, err := New("https://127.0.0.1:1", WithSigner(certPEM, mustKey(t)))
	assert.ErrorContains(t, err, "not the certificate's")
}

func mustKey(t *testing.T) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return k
}

// stepOf is a signing step of txID whose message is msg and whose digest is of signed.
func stepOf(step, txID string, msg, signed []byte) map[string]any {
	sum := sha256.Sum256(signed)
	return map[string]any{"transaction_id": txID, "step": step, "bytes": base64.StdEncoding.EncodeToString(msg),
		"digest": base64.StdEncoding.EncodeToString(sum[:]), "sign_url": "/v1/signing/" + txID + "/" + step}
}

// commitOf is a gateway.SignedCommitStatusRequest of creator and txID, and the request it signs.
func commitOf(t *testing.T, creatorPEM []byte, txID string) (msg, signed []byte) {
	return commitOn(t, creatorPEM, txID, "yrd-market")
}

// commitOn is commitOf on channel.
func commitOn(t *testing.T, creatorPEM []byte, txID, channel string) (msg, signed []byte) {
	creator, _ := proto.Marshal(&msp.SerializedIdentity{Mspid: "JiangsuMSP", IdBytes: creatorPEM})
	signed, _ = proto.Marshal(&gateway.CommitStatusRequest{ChannelId: channel, TransactionId: txID, Identity: creator})
	msg, err := proto.Marshal(&gateway.SignedCommitStatusRequest{Request: signed})
	require.NoError(t, err)
	return msg, signed
}

// signedSteps runs a submit (a suspension) through a fake gateway that answers each signature with the next of
// steps (the first starts the call) and the call's outcome after the last, and returns the call's error and how
// many signatures reached the gateway.
func signedSteps(t *testing.T, certPEM []byte, key *ecdsa.PrivateKey, steps ...map[string]any) (error, int) {
	t.Helper()
	return signedCall(t, certPEM, key, func(c *Client) error {
		_, err := c.Participants().Suspend(context.Background(), "jiangsu.e1", "audit")
		return err
	}, steps...)
}

// signedCall is signedSteps for the call that call makes.
func signedCall(t *testing.T, certPEM []byte, key *ecdsa.PrivateKey, call func(*Client) error, steps ...map[string]any) (error, int) {
	t.Helper()
	return signedCallWith(t, []Option{WithSigner(certPEM, key)}, call, steps...)
}

// signedCallWith is signedCall for a client of opts.
func signedCallWith(t *testing.T, opts []Option, call func(*Client) error, steps ...map[string]any) (error, int) {
	t.Helper()
	next, signatures := 0, 0
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		if strings.HasPrefix(r.URL.Path, "/v1/signing/") {
			signatures++
		}
		if next < len(steps) {
			next++
			reply(w, http.StatusAccepted, steps[next-1])
			return
		}
		reply(w, http.StatusOK, map[string]any{"transaction_id": offlineTx, "committed": true, "id": "jiangsu.e1"})
	}, opts...)
	g.c.apiKey = ""
	return call(g.c), signatures
}

// A request that runs no chaincode function of the API has no proposal to sign.
func TestWithSignerSignsNoProposalOfARequestWithoutAChaincodeCall(t *testing.T) {
	key, certPEM := selfSigned(t, "91320500MA1FL1700R")
	m, p := suspensionOf(t, certPEM, offlineTx)
	err, n := signedCall(t, certPEM, key, func(c *Client) error { return c.Health(context.Background()) }, stepOf("proposal", offlineTx, m, p))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "does not know the chaincode call of GET /healthz")
	assert.Equal(t, 0, n)
}

// A read is evaluated, never ordered: its call signs a proposal and nothing after it, so that a gateway cannot
// turn a read into a transaction of the member.
func TestWithSignerSignsAReadsProposalOnly(t *testing.T) {
	key, certPEM := selfSigned(t, "91320500MA1FL1700R")
	asked, proposal := chaincodeProposalOf(t, certPEM, offlineTx, "deltaledger", nil, "participants:WhoAmI")
	me := func(c *Client) error {
		_, err := c.Participants().Me(context.Background())
		return err
	}
	err, n := signedCall(t, certPEM, key, me, stepOf("proposal", offlineTx, asked, proposal))
	require.NoError(t, err)
	assert.Equal(t, 1, n)

	msg, payload := endorsedOf(t, proposal, proposal, "deltaledger", nil)
	err, n = signedCall(t, certPEM, key, me, stepOf("proposal", offlineTx, asked, proposal), stepOf("transaction", offlineTx, msg, payload))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the call is a read")
	assert.Equal(t, 1, n, "only the proposal is signed")
}

func TestWithSignerHoldsEveryStepToTheCallsTransaction(t *testing.T) {
	key, certPEM := selfSigned(t, "91320500MA1FL1700R")
	other := "00" + offlineTx[2:]
	proposal := func(txID string) map[string]any {
		m, p := suspensionOf(t, certPEM, txID)
		return stepOf("proposal", txID, m, p)
	}
	commit := func(txID string) map[string]any {
		m, s := commitOf(t, certPEM, txID)
		return stepOf("commit", txID, m, s)
	}

	err, n := signedSteps(t, certPEM, key, proposal(offlineTx), commit(offlineTx))
	require.NoError(t, err, "a proposal, then its commit-status request")
	assert.Equal(t, 2, n)

	cases := map[string][]map[string]any{
		"a second proposal, of another transaction":           {proposal(offlineTx), proposal(other)},
		"the commit-status request of another transaction":    {proposal(offlineTx), commit(other)},
		"the proposal again, after its commit-status request": {commit(offlineTx), proposal(offlineTx)},
	}
	for name, steps := range cases {
		t.Run(name, func(t *testing.T) {
			err, n := signedSteps(t, certPEM, key, steps...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "refusing to sign")
			assert.Equal(t, 1, n, "only the first step is signed")
		})
	}
}

// chaincodeProposalOf is a gateway.ProposedTransaction of creator and txID that calls fn of chaincode cc with args
// (and transient data), and its proposal bytes.
func chaincodeProposalOf(t *testing.T, creatorPEM []byte, txID, cc string, transient map[string][]byte, args ...string) (msg, proposal []byte) {
	return proposalOn(t, creatorPEM, txID, "yrd-market", cc, cc, transient, args...)
}

// proposalOn is chaincodeProposalOf on channel, with a header whose extension names chaincode headerCC and an
// invocation of chaincode cc.
func proposalOn(t *testing.T, creatorPEM []byte, txID, channel, headerCC, cc string, transient map[string][]byte, args ...string) (msg, proposal []byte) {
	creator, _ := proto.Marshal(&msp.SerializedIdentity{Mspid: "JiangsuMSP", IdBytes: creatorPEM})
	ch := channelHeaderOf(txID, common.HeaderType_ENDORSER_TRANSACTION, channel, headerCC)
	sh, _ := proto.Marshal(&common.SignatureHeader{Creator: creator, Nonce: []byte("nonce")})
	header, _ := proto.Marshal(&common.Header{ChannelHeader: ch, SignatureHeader: sh})
	var input [][]byte
	for _, a := range args {
		input = append(input, []byte(a))
	}
	cis, _ := proto.Marshal(&peer.ChaincodeInvocationSpec{ChaincodeSpec: &peer.ChaincodeSpec{
		ChaincodeId: &peer.ChaincodeID{Name: cc}, Input: &peer.ChaincodeInput{Args: input}}})
	payload, _ := proto.Marshal(&peer.ChaincodeProposalPayload{Input: cis, TransientMap: transient})
	proposal, _ = proto.Marshal(&peer.Proposal{Header: header, Payload: payload})
	msg, err := proto.Marshal(&gateway.ProposedTransaction{TransactionId: txID, Proposal: &peer.SignedProposal{ProposalBytes: proposal}})
	require.NoError(t, err)
	return msg, proposal
}

// suspensionOf is chaincodeProposalOf for the call signedSteps makes: participants:Suspend of jiangsu.e1.
func suspensionOf(t *testing.T, creatorPEM []byte, txID string) (msg, proposal []byte) {
	return chaincodeProposalOf(t, creatorPEM, txID, "deltaledger", nil, "participants:Suspend", "jiangsu.e1", "audit")
}

// A proposal is of the call the member's request runs, bound as the gateway binds it (package calls): not another
// function, nor other arguments, nor other transient data.
func TestWithSignerSignsOnlyAProposalOfItsRequest(t *testing.T) {
	key, certPEM := selfSigned(t, "91320500MA1FL1700R")
	propose := func(transient map[string][]byte, args ...string) map[string]any {
		m, p := chaincodeProposalOf(t, certPEM, offlineTx, "deltaledger", transient, args...)
		return stepOf("proposal", offlineTx, m, p)
	}
	err, n := signedSteps(t, certPEM, key, propose(nil, "participants:Suspend", "jiangsu.e1", "audit"))
	require.NoError(t, err)
	assert.Equal(t, 1, n)

	for name, c := range map[string]struct {
		step   map[string]any
		refuse string
	}{
		"another function":       {propose(nil, "rights:TransferHolding", "jiangsu.e1", "audit"), "does not call participants:Suspend"},
		"another participant":    {propose(nil, "participants:Suspend", "jiangsu.e2", "audit"), "arguments are not those of the request"},
		"an argument more":       {propose(nil, "participants:Suspend", "jiangsu.e1", "audit", "x"), "arguments are not those of the request"},
		"transient data besides": {propose(map[string][]byte{"terms": []byte("{}")}, "participants:Suspend", "jiangsu.e1", "audit"), "transient data"},
		"no function":            {propose(nil), "does not call"},
	} {
		t.Run(name, func(t *testing.T) {
			err, n := signedSteps(t, certPEM, key, c.step)
			assertRefusedToSign(t, err, n, "proposal", c.refuse, 0)
		})
	}
}

// assertRefusedToSign checks that a call's signing stopped at step for the reason refuse (err names both), n of
// its steps signed where signed were to be: those before the refused one.
func assertRefusedToSign(t *testing.T, err error, n int, step, refuse string, signed int) {
	t.Helper()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "refusing to sign the "+step)
	assert.Contains(t, err.Error(), refuse)
	assert.Equal(t, signed, n, "only the steps before the refused one are signed")
}

// endorsedOf is a gateway.PreparedTransaction as Fabric builds it from a proposal and the endorsed result of
// another proposal (of the same one, when endorsed is proposal), and the envelope's payload. change alters the
// transaction's chaincode proposal payload before it is hashed into the endorsed result and put in the envelope.
func endorsedOf(t *testing.T, proposal, endorsed []byte, cc string, change func(*peer.ChaincodeProposalPayload)) (msg, payload []byte) {
	var p, e peer.Proposal
	require.NoError(t, proto.Unmarshal(proposal, &p))
	require.NoError(t, proto.Unmarshal(endorsed, &e))
	var h common.Header
	require.NoError(t, proto.Unmarshal(p.GetHeader(), &h))
	var cpp peer.ChaincodeProposalPayload
	require.NoError(t, proto.Unmarshal(e.GetPayload(), &cpp))
	cpp.TransientMap = nil
	if change != nil {
		change(&cpp)
	}
	cppBytes, _ := proto.Marshal(&cpp)
	sum := sha256.New()
	sum.Write(h.GetChannelHeader())
	sum.Write(h.GetSignatureHeader())
	sum.Write(cppBytes)
	ext, _ := proto.Marshal(&peer.ChaincodeAction{ChaincodeId: &peer.ChaincodeID{Name: cc}, Results: []byte("rwset"),
		Response: &peer.Response{Status: 200}})
	prp, _ := proto.Marshal(&peer.ProposalResponsePayload{ProposalHash: sum.Sum(nil), Extension: ext})
	cap, _ := proto.Marshal(&peer.ChaincodeActionPayload{ChaincodeProposalPayload: cppBytes, Action: &peer.ChaincodeEndorsedAction{
		ProposalResponsePayload: prp, Endorsements: []*peer.Endorsement{{Endorser: []byte("JiangsuMSP peer"), Signature: []byte("sig")}}}})
	tx, _ := proto.Marshal(&peer.Transaction{Actions: []*peer.TransactionAction{{Header: h.GetSignatureHeader(), Payload: cap}}})
	payload, _ = proto.Marshal(&common.Payload{Header: &h, Data: tx})
	msg, err := proto.Marshal(&gateway.PreparedTransaction{TransactionId: offlineTx, Envelope: &common.Envelope{Payload: payload}})
	require.NoError(t, err)
	return msg, payload
}

func TestWithSignerSignsOnlyTheTransactionOfTheProposalItSigned(t *testing.T) {
	key, certPEM := selfSigned(t, "91320500MA1FL1700R")
	asked, proposal := suspensionOf(t, certPEM, offlineTx)
	_, transfer := chaincodeProposalOf(t, certPEM, offlineTx, "deltaledger", nil, "rights:Transfer", `{"id":"right-1","to":"mallory"}`)
	_, otherCC := chaincodeProposalOf(t, certPEM, offlineTx, "lscc", nil, "assets:Apply", `{"id":"power-1"}`)
	commitMsg, commitReq := commitOf(t, certPEM, offlineTx)
	run := func(msg, payload []byte) (error, int) {
		return signedSteps(t, certPEM, key, stepOf("proposal", offlineTx, asked, proposal),
			stepOf("transaction", offlineTx, msg, payload), stepOf("commit", offlineTx, commitMsg, commitReq))
	}

	err, n := run(endorsedOf(t, proposal, proposal, "deltaledger", nil))
	require.NoError(t, err, "the endorsement of the proposal signed")
	assert.Equal(t, 3, n)

	cases := map[string]struct {
		msg, payload []byte
		refuse       string
	}{}
	add := func(name, refuse string, msg, payload []byte) {
		cases[name] = struct {
			msg, payload []byte
			refuse       string
		}{msg, payload, refuse}
	}
	m, p := endorsedOf(t, proposal, transfer, "deltaledger", nil)
	add("another function and arguments, endorsed", "chaincode input", m, p)
	m, p = endorsedOf(t, proposal, otherCC, "lscc", nil)
	add("another chaincode, endorsed", `of chaincode "lscc", not the market's "deltaledger"`, m, p)
	m, p = endorsedOf(t, proposal, proposal, "lscc", nil)
	add("the proposal's input, the result of another chaincode", "chaincode", m, p)
	m, p = endorsedOf(t, proposal, proposal, "deltaledger", func(c *peer.ChaincodeProposalPayload) {
		c.TransientMap = map[string][]byte{"contents": []byte("private")}
	})
	add("the proposal's transient data in the block", "transient", m, p)
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			err, n := run(c.msg, c.payload)
			assertRefusedToSign(t, err, n, "transaction", c.refuse, 1)
		})
	}
}

// A call resumed with its Idempotency-Key may start at its transaction step, with no proposal signed in this call
// to hold the transaction to: the transaction is then held to the request's call itself, so that a gateway cannot
// skip the proposal and have the member sign a transaction of another function, or of other arguments, endorsed by
// peers of its own.
func TestWithSignerSignsAResumedTransactionOfItsRequestOnly(t *testing.T) {
	key, certPEM := selfSigned(t, "91320500MA1FL1700R")
	_, suspension := suspensionOf(t, certPEM, offlineTx)
	_, transfer := chaincodeProposalOf(t, certPEM, offlineTx, "deltaledger", nil, "rights:Transfer", `{"id":"right-1","to":"mallory"}`)
	_, otherTarget := chaincodeProposalOf(t, certPEM, offlineTx, "deltaledger", nil, "participants:Suspend", "jiangsu.e2", "audit")
	commitMsg, commitReq := commitOf(t, certPEM, offlineTx)
	resume := func(msg, payload []byte) (error, int) {
		return signedSteps(t, certPEM, key, stepOf("transaction", offlineTx, msg, payload), stepOf("commit", offlineTx, commitMsg, commitReq))
	}

	err, n := resume(endorsedOf(t, suspension, suspension, "deltaledger", nil))
	require.NoError(t, err, "the endorsement of the request's call, resumed at its transaction")
	assert.Equal(t, 2, n)

	for name, c := range map[string]struct {
		proposal []byte
		cc       string
		refuse   string
	}{
		"another function and arguments":  {transfer, "deltaledger", "does not call participants:Suspend"},
		"other arguments":                 {otherTarget, "deltaledger", "arguments are not those of the request"},
		"the result of another chaincode": {suspension, "lscc", "chaincode"},
	} {
		t.Run(name, func(t *testing.T) {
			msg, payload := endorsedOf(t, c.proposal, c.proposal, c.cc, nil)
			err, n := resume(msg, payload)
			assertRefusedToSign(t, err, n, "transaction", c.refuse, 0)
		})
	}
}

// Every step is of the market's channel and chaincode (model.DefaultChannel and model.DefaultChaincode unless
// WithChaincode names others): a gateway cannot have the member sign the very call it asked for on another channel,
// or of another chaincode whose function of that name does something else.
func TestWithSignerSignsOnlyForTheMarketsChannelAndChaincode(t *testing.T) {
	key, certPEM := selfSigned(t, "91320500MA1FL1700R")
	suspend := []string{"participants:Suspend", "jiangsu.e1", "audit"}
	propose := func(channel, headerCC, cc string) (msg, proposal []byte) {
		return proposalOn(t, certPEM, offlineTx, channel, headerCC, cc, nil, suspend...)
	}
	submit := func(opts []Option, steps ...map[string]any) (error, int) {
		return signedCallWith(t, append([]Option{WithSigner(certPEM, key)}, opts...), func(c *Client) error {
			_, err := c.Participants().Suspend(context.Background(), "jiangsu.e1", "audit")
			return err
		}, steps...)
	}
	// whole is a call's three steps, its proposal, transaction and commit-status request on channel (of chaincode
	// cc) as Fabric builds them.
	whole := func(channel, cc string) []map[string]any {
		m, p := propose(channel, cc, cc)
		tm, tp := endorsedOf(t, p, p, cc, nil)
		cm, cp := commitOn(t, certPEM, offlineTx, channel)
		return []map[string]any{stepOf("proposal", offlineTx, m, p), stepOf("transaction", offlineTx, tm, tp), stepOf("commit", offlineTx, cm, cp)}
	}

	err, n := submit(nil, whole(model.DefaultChannel, model.DefaultChaincode)...)
	require.NoError(t, err, "the market's channel and chaincode by default")
	assert.Equal(t, 3, n)
	err, n = submit([]Option{WithChaincode("trial", "market2")}, whole("trial", "market2")...)
	require.NoError(t, err, "the channel and chaincode WithChaincode names")
	assert.Equal(t, 3, n)
	err, n = submit([]Option{WithChaincode("trial", "market2")}, whole(model.DefaultChannel, model.DefaultChaincode)...)
	assert.ErrorContains(t, err, `of channel "yrd-market", not the market's "trial"`, "WithChaincode replaces the defaults")
	assert.Equal(t, 0, n)

	market := whole(model.DefaultChannel, model.DefaultChaincode)
	proposalStep := func(channel, headerCC, cc string) map[string]any {
		m, p := propose(channel, headerCC, cc)
		return stepOf("proposal", offlineTx, m, p)
	}
	// resumed is a call resumed at its transaction step: a transaction of the call endorsed on channel by cc.
	resumed := func(channel, headerCC, cc string) map[string]any {
		_, p := propose(channel, headerCC, cc)
		m, tp := endorsedOf(t, p, p, cc, nil)
		return stepOf("transaction", offlineTx, m, tp)
	}
	otherCommit := func() map[string]any {
		m, p := commitOn(t, certPEM, offlineTx, "shadow")
		return stepOf("commit", offlineTx, m, p)
	}()
	for name, c := range map[string]struct {
		steps  []map[string]any
		signed int
		refuse string
	}{
		"a proposal on another channel": {[]map[string]any{proposalStep("shadow", "deltaledger", "deltaledger")}, 0,
			`refusing to sign the proposal of transaction ` + offlineTx + `: the message is of channel "shadow", not the market's "yrd-market"`},
		"a proposal of another chaincode": {[]map[string]any{proposalStep("yrd-market", "shadowcc", "shadowcc")}, 0,
			`the message is of chaincode "shadowcc", not the market's "deltaledger"`},
		"a header of another chaincode, the market's invoked": {[]map[string]any{proposalStep("yrd-market", "shadowcc", "deltaledger")}, 0,
			`the message is of chaincode "shadowcc"`},
		"the market's header, another chaincode invoked": {[]map[string]any{proposalStep("yrd-market", "deltaledger", "shadowcc")}, 0,
			`the message is of chaincode "shadowcc"`},
		"a resumed transaction on another channel": {[]map[string]any{resumed("shadow", "deltaledger", "deltaledger")}, 0,
			`refusing to sign the transaction of transaction ` + offlineTx + `: the message is of channel "shadow"`},
		"a resumed transaction of another chaincode": {[]map[string]any{resumed("yrd-market", "shadowcc", "shadowcc")}, 0,
			`the message is of chaincode "shadowcc"`},
		"a resumed transaction whose header names another chaincode": {[]map[string]any{resumed("yrd-market", "shadowcc", "deltaledger")}, 0,
			`the message is of chaincode "shadowcc"`},
		"a resumed transaction invoking another chaincode": {[]map[string]any{resumed("yrd-market", "deltaledger", "shadowcc")}, 0,
			`the message is of chaincode "shadowcc"`},
		"a commit-status request on another channel": {[]map[string]any{market[0], market[1], otherCommit}, 2,
			`refusing to sign the commit of transaction ` + offlineTx + `: the message is of channel "shadow"`},
	} {
		t.Run(name, func(t *testing.T) {
			err, n := submit(nil, c.steps...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.refuse)
			assert.Equal(t, c.signed, n, "nothing of the other channel or chaincode is signed")
		})
	}

	for _, names := range [][2]string{{"", "deltaledger"}, {"yrd-market", ""}} {
		_, err := New("https://127.0.0.1:1", WithChaincode(names[0], names[1]))
		assert.ErrorContains(t, err, "WithChaincode: the channel and the chaincode must be named")
	}
}
