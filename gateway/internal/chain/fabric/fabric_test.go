package fabric_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/orderer"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/fabric"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// mockPeer is a Fabric Gateway service that answers as a test programs it.
type mockPeer struct {
	gateway.UnimplementedGatewayServer

	mu        sync.Mutex
	result    []byte
	endorseFn func(*gateway.EndorseRequest) error
	submitFn  func(*gateway.SubmitRequest) error
	evalFn    func(*gateway.EvaluateRequest) ([]byte, error)
	statuses  map[string]*gateway.CommitStatusResponse
	events    []*gateway.ChaincodeEventsResponse

	endorsed     []*gateway.EndorseRequest
	submitted    []string
	statusAsked  []string
	statusIDs    []string // MSP IDs that signed status requests
	evaluated    []*gateway.EvaluateRequest
	eventsAsked  []*gateway.ChaincodeEventsRequest
	lastFunction string
	lastArgs     []string
	lastTrans    map[string][]byte
}

func (p *mockPeer) setStatus(txID string, code peer.TxValidationCode, block uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.statuses[txID] = &gateway.CommitStatusResponse{Result: code, BlockNumber: block}
}

// proposalInput decodes a proposal's function, arguments and transient map.
func proposalInput(t *testing.T, sp *peer.SignedProposal) (string, []string, map[string][]byte) {
	prop := &peer.Proposal{}
	require.NoError(t, proto.Unmarshal(sp.GetProposalBytes(), prop))
	payload := &peer.ChaincodeProposalPayload{}
	require.NoError(t, proto.Unmarshal(prop.GetPayload(), payload))
	spec := &peer.ChaincodeInvocationSpec{}
	require.NoError(t, proto.Unmarshal(payload.GetInput(), spec))
	var args []string
	for _, a := range spec.GetChaincodeSpec().GetInput().GetArgs()[1:] {
		args = append(args, string(a))
	}
	return string(spec.GetChaincodeSpec().GetInput().GetArgs()[0]), args, payload.GetTransientMap()
}

var testT *testing.T

func (p *mockPeer) Endorse(_ context.Context, req *gateway.EndorseRequest) (*gateway.EndorseResponse, error) {
	p.mu.Lock()
	p.endorsed = append(p.endorsed, req)
	p.lastFunction, p.lastArgs, p.lastTrans = proposalInput(testT, req.GetProposedTransaction())
	fn, result := p.endorseFn, p.result
	p.mu.Unlock()
	if fn != nil {
		if err := fn(req); err != nil {
			return nil, err
		}
	}
	chHeader, _ := proto.Marshal(&common.ChannelHeader{ChannelId: req.GetChannelId(), TxId: req.GetTransactionId()})
	action, _ := proto.Marshal(&peer.ChaincodeAction{Response: &peer.Response{Status: 200, Payload: result}})
	prp, _ := proto.Marshal(&peer.ProposalResponsePayload{Extension: action})
	cap, _ := proto.Marshal(&peer.ChaincodeActionPayload{Action: &peer.ChaincodeEndorsedAction{ProposalResponsePayload: prp}})
	tx, _ := proto.Marshal(&peer.Transaction{Actions: []*peer.TransactionAction{{Payload: cap}}})
	payload, _ := proto.Marshal(&common.Payload{Header: &common.Header{ChannelHeader: chHeader}, Data: tx})
	return &gateway.EndorseResponse{PreparedTransaction: &common.Envelope{Payload: payload}}, nil
}

func (p *mockPeer) Submit(_ context.Context, req *gateway.SubmitRequest) (*gateway.SubmitResponse, error) {
	p.mu.Lock()
	p.submitted = append(p.submitted, req.GetTransactionId())
	fn := p.submitFn
	p.mu.Unlock()
	if req.GetPreparedTransaction().GetSignature() == nil {
		return nil, status.Error(codes.InvalidArgument, "prepared transaction must be signed")
	}
	if fn != nil {
		if err := fn(req); err != nil {
			return nil, err
		}
	}
	return &gateway.SubmitResponse{}, nil
}

func (p *mockPeer) CommitStatus(ctx context.Context, req *gateway.SignedCommitStatusRequest) (*gateway.CommitStatusResponse, error) {
	r := &gateway.CommitStatusRequest{}
	if err := proto.Unmarshal(req.GetRequest(), r); err != nil || len(req.GetSignature()) == 0 {
		return nil, status.Error(codes.InvalidArgument, "bad or unsigned commit status request")
	}
	id := &msp.SerializedIdentity{}
	_ = proto.Unmarshal(r.GetIdentity(), id)
	p.mu.Lock()
	p.statusAsked = append(p.statusAsked, r.GetTransactionId())
	p.statusIDs = append(p.statusIDs, id.GetMspid())
	p.mu.Unlock()
	for {
		p.mu.Lock()
		s, ok := p.statuses[r.GetTransactionId()]
		p.mu.Unlock()
		if ok {
			return s, nil
		}
		select {
		case <-ctx.Done():
			return nil, status.FromContextError(ctx.Err()).Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func (p *mockPeer) Evaluate(_ context.Context, req *gateway.EvaluateRequest) (*gateway.EvaluateResponse, error) {
	p.mu.Lock()
	p.evaluated = append(p.evaluated, req)
	p.lastFunction, p.lastArgs, p.lastTrans = proposalInput(testT, req.GetProposedTransaction())
	fn := p.evalFn
	p.mu.Unlock()
	payload := []byte(`{"ok":true}`)
	if fn != nil {
		var err error
		if payload, err = fn(req); err != nil {
			return nil, err
		}
	}
	return &gateway.EvaluateResponse{Result: &peer.Response{Status: 200, Payload: payload}}, nil
}

func (p *mockPeer) ChaincodeEvents(req *gateway.SignedChaincodeEventsRequest, stream grpc.ServerStreamingServer[gateway.ChaincodeEventsResponse]) error {
	r := &gateway.ChaincodeEventsRequest{}
	if err := proto.Unmarshal(req.GetRequest(), r); err != nil {
		return err
	}
	p.mu.Lock()
	p.eventsAsked = append(p.eventsAsked, r)
	events := p.events
	p.mu.Unlock()
	for _, e := range events {
		if err := stream.Send(e); err != nil {
			return err
		}
	}
	<-stream.Context().Done()
	return nil
}

// rig is a Fabric ledger dialled to a mock peer over TLS, with a wallet of
// two members: alice (a client) and admin (the org's admin, its Reader).
type rig struct {
	peer   *mockPeer
	ledger *fabric.Ledger
	admin  []byte // the admin's certificate, PEM
}

func newRig(t *testing.T, cfg fabric.Config) *rig {
	t.Helper()
	testT = t
	ca := wallettest.NewCA(t, "ShanghaiMSP")
	server := ca.Issue(t, "peer0.shanghai.deltaledger.local", "peer", "peer0.shanghai.deltaledger.local")
	p := &mockPeer{statuses: map[string]*gateway.CommitStatusResponse{}, result: []byte(`{"id":"a1"}`)}
	srv := grpc.NewServer(grpc.Creds(credentials.NewServerTLSFromCert(&tls.Certificate{
		Certificate: [][]byte{server.Certificate.Raw}, PrivateKey: server.Key,
	})))
	gateway.RegisterGatewayServer(srv, p)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Stop)

	alice, _ := ca.Member(t, "alice")
	admin, adminIssued := ca.MemberOU(t, "admin", "admin")
	cfg.PeerAddress = ln.Addr().String()
	cfg.TLSRootCAs = []*x509.Certificate{ca.Certificate}
	cfg.ServerName = "peer0.shanghai.deltaledger.local"
	cfg.Channel, cfg.Chaincode, cfg.Reader = "yrd-market", "deltaledger", "admin"
	l, err := fabric.Dial(cfg, wallet.New(alice, admin))
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return &rig{peer: p, ledger: l, admin: adminIssued.CertPEM()}
}

// The channel lets no member read its blocks and events: the ledger reads
// them as its Reader, and without one it reads nothing.
func TestTheChannelIsReadAsTheReaderOnly(t *testing.T) {
	ca := wallettest.NewCA(t, "ShanghaiMSP")
	alice, _ := ca.Member(t, "alice")
	cfg := fabric.Config{PeerAddress: "127.0.0.1:1", TLSRootCAs: []*x509.Certificate{ca.Certificate},
		Channel: "yrd-market", Chaincode: "deltaledger", Reader: "nobody"}
	_, err := fabric.Dial(cfg, wallet.New(alice))
	assert.ErrorContains(t, err, `the reader "nobody" is not a member of the wallet`)

	cfg.Reader = ""
	l, err := fabric.Dial(cfg, wallet.New(alice))
	require.NoError(t, err)
	defer l.Close()
	_, err = l.Events(t.Context(), chain.FromBlock(0))
	assert.ErrorContains(t, err, "peer.reader", "no member's identity stands in for the reader")
	_, err = l.Blocks(t.Context(), 0)
	assert.ErrorContains(t, err, "peer.reader")
	_, err = l.Find(t.Context(), "t1")
	assert.ErrorContains(t, err, "peer.reader")
	_, err = l.Height(t.Context())
	assert.ErrorContains(t, err, "peer.reader")
}

func chaincodeError(code codes.Code, msg, detail string) error {
	st, _ := status.New(code, msg).WithDetails(&gateway.ErrorDetail{Address: "peer0:7051", MspId: "JiangsuMSP", Message: detail})
	return st.Err()
}

func TestSubmitCommits(t *testing.T) {
	r := newRig(t, fabric.Config{})
	r.peer.submitFn = func(req *gateway.SubmitRequest) error {
		r.peer.setStatus(req.GetTransactionId(), peer.TxValidationCode_VALID, 17)
		return nil
	}
	res, err := r.ledger.Submit(context.Background(), "alice", "trades:Propose", []string{"t1", "l1"},
		chain.WithTransient(map[string][]byte{"terms": []byte(`{"priceFen":"100"}`)}),
		chain.WithEndorsingOrganizations("ShanghaiMSP", "JiangsuMSP"))
	require.NoError(t, err)
	assert.True(t, res.Committed)
	assert.Equal(t, uint64(17), res.BlockNumber)
	assert.JSONEq(t, `{"id":"a1"}`, string(res.Result))
	assert.Len(t, res.TransactionID, 64)
	assert.Equal(t, "trades:Propose", r.peer.lastFunction)
	assert.Equal(t, []string{"t1", "l1"}, r.peer.lastArgs, "transient data is not among the arguments")
	assert.Equal(t, `{"priceFen":"100"}`, string(r.peer.lastTrans["terms"]))
	assert.Equal(t, []string{"ShanghaiMSP", "JiangsuMSP"}, r.peer.endorsed[0].GetEndorsingOrganizations())
	assert.Equal(t, []string{res.TransactionID}, r.peer.submitted)
}

func TestSubmitWithoutCommitWait(t *testing.T) {
	r := newRig(t, fabric.Config{})
	res, err := r.ledger.Submit(context.Background(), "alice", "assets:Certify", []string{"a1"}, chain.WithoutCommitWait())
	require.NoError(t, err)
	assert.False(t, res.Committed)
	assert.Len(t, r.peer.submitted, 1)
	assert.Empty(t, r.peer.statusAsked)
}

func TestEndorsementFailures(t *testing.T) {
	cases := []struct {
		name  string
		err   error
		kind  chain.Kind
		code  ledgererr.Code
		field string
	}{
		{"chaincode invalid argument", chaincodeError(codes.Aborted, "failed to endorse transaction, see attached details for more info",
			`chaincode response 500, INVALID_ARGUMENT: scope.regions[1]: must be one of shanghai`), chain.KindRejected, ledgererr.InvalidArgument, "scope.regions[1]"},
		{"chaincode forbidden", chaincodeError(codes.Aborted, "failed to endorse transaction", `chaincode response 500, FORBIDDEN: only the seller may`),
			chain.KindRejected, ledgererr.Forbidden, ""},
		{"policy", chaincodeError(codes.Aborted, "failed to collect enough transaction endorsements", "no combination of peers can be derived which satisfy the endorsement policy"),
			chain.KindEndorsement, "", ""},
		{"unavailable", status.Error(codes.Unavailable, "connection refused"), chain.KindUnavailable, "", ""},
		{"timeout", status.Error(codes.DeadlineExceeded, "endorsement timeout expired"), chain.KindTimeout, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, fabric.Config{})
			r.peer.endorseFn = func(*gateway.EndorseRequest) error { return c.err }
			_, err := r.ledger.Submit(context.Background(), "alice", "listings:Create", []string{"x"})
			require.Error(t, err)
			e := chain.AsError(err)
			assert.Equal(t, c.kind, e.Kind)
			assert.Equal(t, c.code, e.Code)
			assert.Equal(t, c.field, e.Field)
			assert.NotEmpty(t, e.TransactionID)
			if c.kind == chain.KindEndorsement {
				assert.Contains(t, e.Message, "no combination of peers", "the peer's detail is kept")
				assert.Contains(t, e.Message, "JiangsuMSP")
			}
			assert.Empty(t, r.peer.submitted, "nothing is sent for ordering")
		})
	}
}

// A refusal by several peers is the chaincode's message once, without the
// peers' addresses or MSP IDs (issue 9: "ZhejiangMSP 127.0.0.1:27351:
// chaincode response 500, NOT_FOUND: ..." reached the user).
func TestRefusalByManyPeersIsTheChaincodeMessageOnce(t *testing.T) {
	const refusal = `chaincode response 500, NOT_FOUND: asset "a-1" does not exist`
	st, _ := status.New(codes.Aborted, "failed to endorse transaction, see attached details for more info").WithDetails(
		&gateway.ErrorDetail{Address: "127.0.0.1:27151", MspId: "ShanghaiMSP", Message: refusal},
		&gateway.ErrorDetail{Address: "127.0.0.1:27351", MspId: "ZhejiangMSP", Message: refusal})
	r := newRig(t, fabric.Config{})
	r.peer.endorseFn = func(*gateway.EndorseRequest) error { return st.Err() }
	_, err := r.ledger.Submit(context.Background(), "alice", "assets:Transfer", []string{"a-1"})
	e := chain.AsError(err)
	assert.Equal(t, chain.KindRejected, e.Kind)
	assert.Equal(t, ledgererr.NotFound, e.Code)
	assert.Equal(t, `asset "a-1" does not exist`, e.Message)

	r.peer.evalFn = func(*gateway.EvaluateRequest) ([]byte, error) { return nil, st.Err() }
	_, err = r.ledger.Evaluate(context.Background(), "alice", "assets:Get", []string{"a-1"})
	assert.Equal(t, `asset "a-1" does not exist`, chain.AsError(err).Message)
}

// The BFT case of Fabric issue 4415: the submit reports a quorum failure
// although the transaction was ordered and commits.
func TestUnknownOrderingOutcomeThatCommittedIsASuccess(t *testing.T) {
	r := newRig(t, fabric.Config{ResolveTimeout: 2 * time.Second})
	r.peer.submitFn = func(req *gateway.SubmitRequest) error {
		go func() {
			time.Sleep(100 * time.Millisecond)
			r.peer.setStatus(req.GetTransactionId(), peer.TxValidationCode_VALID, 9)
		}()
		return status.Error(codes.Unavailable, "insufficient number of orderers could successfully process transaction to satisfy quorum requirement")
	}
	res, err := r.ledger.Submit(context.Background(), "alice", "trades:Order", []string{"t1", "l1"})
	require.NoError(t, err, "a committed transaction is never reported as failed")
	assert.True(t, res.Committed)
	assert.Equal(t, uint64(9), res.BlockNumber)
	assert.JSONEq(t, `{"id":"a1"}`, string(res.Result))
	assert.Len(t, r.peer.submitted, 1, "never submitted twice")
	assert.Equal(t, []string{"ShanghaiMSP"}, r.peer.statusIDs[:1], "status read as the member")
}

func TestUnknownOrderingOutcomeNeverSeenIsReportedUnknown(t *testing.T) {
	r := newRig(t, fabric.Config{ResolveTimeout: 200 * time.Millisecond})
	r.peer.submitFn = func(*gateway.SubmitRequest) error {
		return status.Error(codes.Unavailable, "insufficient number of orderers could successfully process transaction to satisfy quorum requirement")
	}
	_, err := r.ledger.Submit(context.Background(), "alice", "trades:Order", []string{"t1", "l1"})
	e := chain.AsError(err)
	assert.Equal(t, chain.KindOutcomeUnknown, e.Kind)
	assert.Equal(t, r.peer.submitted[0], e.TransactionID)
	assert.JSONEq(t, `{"id":"a1"}`, string(e.Result), "the endorsed result is kept for a later answer")
	assert.Contains(t, e.Message, "insufficient number of orderers")
	assert.Len(t, r.peer.submitted, 1)
}

func TestUnknownOrderingOutcomeCommittedInvalid(t *testing.T) {
	r := newRig(t, fabric.Config{ResolveTimeout: time.Second})
	r.peer.submitFn = func(req *gateway.SubmitRequest) error {
		r.peer.setStatus(req.GetTransactionId(), peer.TxValidationCode_MVCC_READ_CONFLICT, 5)
		return status.Error(codes.DeadlineExceeded, "submit timeout expired while broadcasting to ordering service")
	}
	_, err := r.ledger.Submit(context.Background(), "alice", "trades:Order", []string{"t1", "l1"})
	e := chain.AsError(err)
	assert.Equal(t, chain.KindCommitFailed, e.Kind)
	assert.Equal(t, "MVCC_READ_CONFLICT", e.ValidationCode)
}

func TestDefiniteOrderingRefusalIsNotWaitedFor(t *testing.T) {
	r := newRig(t, fabric.Config{ResolveTimeout: 10 * time.Second})
	r.peer.submitFn = func(*gateway.SubmitRequest) error {
		return status.Error(codes.FailedPrecondition, "channel yrd-market not found")
	}
	start := time.Now()
	_, err := r.ledger.Submit(context.Background(), "alice", "trades:Order", []string{"t1", "l1"})
	assert.Equal(t, chain.KindOrdering, chain.AsError(err).Kind)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Empty(t, r.peer.statusAsked)
}

func TestCommittedInvalid(t *testing.T) {
	r := newRig(t, fabric.Config{})
	r.peer.submitFn = func(req *gateway.SubmitRequest) error {
		r.peer.setStatus(req.GetTransactionId(), peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, 3)
		return nil
	}
	_, err := r.ledger.Submit(context.Background(), "alice", "assets:Certify", []string{"a1"})
	e := chain.AsError(err)
	assert.Equal(t, chain.KindCommitFailed, e.Kind)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", e.ValidationCode)
}

func TestCommitStatusOfAnyTransaction(t *testing.T) {
	r := newRig(t, fabric.Config{})
	r.peer.setStatus("aaaa", peer.TxValidationCode_VALID, 12)
	s, err := r.ledger.CommitStatus(context.Background(), "alice", "aaaa")
	require.NoError(t, err)
	assert.Equal(t, chain.Status{TransactionID: "aaaa", Committed: true, Valid: true, Code: "VALID", BlockNumber: 12}, *s)

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	s, err = r.ledger.CommitStatus(ctx, "alice", "bbbb")
	require.NoError(t, err, "not committed yet is not an error")
	assert.False(t, s.Committed)
}

func TestEvaluate(t *testing.T) {
	r := newRig(t, fabric.Config{})
	r.peer.evalFn = func(*gateway.EvaluateRequest) ([]byte, error) { return []byte(`{"items":[]}`), nil }
	got, err := r.ledger.Evaluate(context.Background(), "alice", "credit:ReadRecords", []string{"tr1"}, chain.WithEndorsingOrganizations("JiangsuMSP"))
	require.NoError(t, err)
	assert.JSONEq(t, `{"items":[]}`, string(got))
	assert.Equal(t, []string{"JiangsuMSP"}, r.peer.evaluated[0].GetTargetOrganizations())
	assert.Equal(t, "credit:ReadRecords", r.peer.lastFunction)

	r.peer.evalFn = func(*gateway.EvaluateRequest) ([]byte, error) {
		return nil, status.Error(codes.Unknown, `evaluate call to endorser returned error: chaincode response 500, NOT_FOUND: participant "x" does not exist`)
	}
	_, err = r.ledger.Evaluate(context.Background(), "alice", "participants:Get", []string{"x"})
	e := chain.AsError(err)
	assert.Equal(t, chain.KindRejected, e.Kind)
	assert.Equal(t, ledgererr.NotFound, e.Code)

	_, err = r.ledger.Evaluate(context.Background(), "mallory", "participants:Get", []string{"x"})
	assert.Equal(t, chain.KindUnknownMember, chain.AsError(err).Kind)
}

func TestReadyEvaluatesTheMetadata(t *testing.T) {
	r := newRig(t, fabric.Config{})
	require.NoError(t, r.ledger.Ready(context.Background()))
	assert.Equal(t, "org.hyperledger.fabric:GetMetadata", r.peer.lastFunction)
	r.peer.evalFn = func(*gateway.EvaluateRequest) ([]byte, error) {
		return nil, status.Error(codes.Unavailable, "no peers available to evaluate chaincode deltaledger")
	}
	assert.Error(t, r.ledger.Ready(context.Background()))
}

func TestEventsResumeFromACheckpoint(t *testing.T) {
	r := newRig(t, fabric.Config{})
	r.peer.events = []*gateway.ChaincodeEventsResponse{{
		BlockNumber: 7,
		Events:      []*peer.ChaincodeEvent{{TxId: "t2", EventName: "TradeOrdered", Payload: []byte(`{}`), ChaincodeId: "deltaledger"}},
	}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := r.ledger.Events(ctx, chain.Position{Block: 7, AfterTransactionID: "t1", Set: true})
	require.NoError(t, err)
	e := <-ch
	assert.Equal(t, &chain.Event{BlockNumber: 7, TransactionID: "t2", Name: "TradeOrdered", Payload: []byte(`{}`)}, e)
	req := r.peer.eventsAsked[0]
	assert.Equal(t, "deltaledger", req.GetChaincodeId())
	assert.Equal(t, uint64(7), req.GetStartPosition().GetSpecified().GetNumber())
	assert.Equal(t, "t1", req.GetAfterTransactionId())
	var asker msp.SerializedIdentity
	require.NoError(t, proto.Unmarshal(req.GetIdentity(), &asker))
	assert.Equal(t, r.admin, asker.GetIdBytes(), "events are read as the reader")

	ch2, err := r.ledger.Events(ctx, chain.FromBlock(0))
	require.NoError(t, err)
	<-ch2
	assert.IsType(t, &orderer.SeekPosition_Specified{}, r.peer.eventsAsked[1].GetStartPosition().GetType())
	cancel()
	for range ch {
	}
}
