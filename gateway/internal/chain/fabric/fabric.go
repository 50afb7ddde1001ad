// Package fabric implements chain.Ledger on Hyperledger Fabric's gateway
// service with fabric-gateway: one gRPC connection to the org's peer, over
// TLS, shared by one client.Gateway per wallet member so that each
// transaction is signed by the member who makes it.
//
// Submits run in explicit steps (NewProposal, Endorse, Submit, commit
// Status) so that each failure is classified by the step that failed. A
// Submit whose ordering step fails may still have been ordered (with BFT
// ordering under load the peer can report "insufficient number of orderers
// could successfully process transaction to satisfy quorum requirement" for a
// transaction that commits: Fabric issue 4415); such a submit is resolved
// through the transaction's commit status before anything is reported, and
// is never submitted again.
package fabric

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/hash"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	grpcstatus "google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/metrics"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
	"github.com/deltaledger/deltaledger/internal/commitstatus"
)

// Config says where the peer is and how long each step may take.
type Config struct {
	// PeerAddress is the peer's gRPC endpoint, host:port.
	PeerAddress string
	// TLSRootCAs are the CA certificates the peer's TLS certificate is
	// verified against.
	TLSRootCAs []*x509.Certificate
	// ServerName overrides the name the peer's TLS certificate is checked
	// for (e.g. peer0.shanghai.deltaledger.local when dialling 127.0.0.1).
	ServerName string
	// ClientCertificate, when set, is presented to a peer that requires
	// mutual TLS.
	ClientCertificate *tls.Certificate
	// Channel is the channel name.
	Channel string
	// Chaincode is the chaincode name.
	Chaincode string
	// Reader is the wallet member whose identity reads the channel itself:
	// its blocks, chaincode events and height, and transactions by ID. The
	// channel lets its orgs' admins, peers and orderers read them and no
	// member (network/config/configtx-org.yaml.tmpl), so it is the org's
	// admin or the like.
	Reader string

	// EvaluateTimeout bounds an evaluate (default 10 s).
	EvaluateTimeout time.Duration
	// EndorseTimeout bounds an endorsement (default 15 s).
	EndorseTimeout time.Duration
	// SubmitTimeout bounds sending to the ordering service (default 10 s).
	SubmitTimeout time.Duration
	// CommitTimeout bounds waiting for the commit (default 60 s).
	CommitTimeout time.Duration
	// ResolveTimeout bounds waiting for the commit status of a transaction
	// whose ordering outcome is unknown (default 30 s).
	ResolveTimeout time.Duration
}

func (c *Config) defaults() {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&c.EvaluateTimeout, 10*time.Second)
	set(&c.EndorseTimeout, 15*time.Second)
	set(&c.SubmitTimeout, 10*time.Second)
	set(&c.CommitTimeout, 60*time.Second)
	set(&c.ResolveTimeout, 30*time.Second)
}

// Ledger is the Fabric implementation of chain.Ledger.
type Ledger struct {
	cfg      Config
	conn     *grpc.ClientConn
	gateways map[string]*client.Gateway
	members  map[string]*wallet.Member
	probe    string          // the member whose identity readiness checks use
	reader   *client.Gateway // cfg.Reader's: reads blocks, events, transactions; nil without a Reader
	certHash []byte          // of the TLS client certificate, bound into every request
	log      *slog.Logger
	metrics  *metrics.Metrics
}

// Option configures a Ledger.
type Option func(*Ledger)

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(f *Ledger) { f.log = l } }

// WithMetrics records Fabric call latencies and commit failures.
func WithMetrics(m *metrics.Metrics) Option { return func(f *Ledger) { f.metrics = m } }

// Dial opens the connection to the peer and a gateway per member of w.
// gRPC connects lazily: an unreachable peer shows in Ready, not here.
func Dial(cfg Config, w *wallet.Wallet, options ...Option) (*Ledger, error) {
	cfg.defaults()
	if cfg.PeerAddress == "" || cfg.Channel == "" || cfg.Chaincode == "" {
		return nil, errors.New("peer address, channel and chaincode are required")
	}
	if len(cfg.TLSRootCAs) == 0 {
		return nil, errors.New("the peer's TLS CA certificate is required: the gateway never dials a peer without TLS")
	}
	pool := x509.NewCertPool()
	for _, c := range cfg.TLSRootCAs {
		pool.AddCert(c)
	}
	tlsConfig := &tls.Config{RootCAs: pool, ServerName: cfg.ServerName, MinVersion: tls.VersionTLS12}
	var certHash []byte
	if cfg.ClientCertificate != nil {
		tlsConfig.Certificates = []tls.Certificate{*cfg.ClientCertificate}
		sum := sha256.Sum256(cfg.ClientCertificate.Certificate[0])
		certHash = sum[:]
	}
	conn, err := grpc.NewClient(cfg.PeerAddress, grpc.WithTransportCredentials(credentials.NewTLS(tlsConfig)))
	if err != nil {
		return nil, fmt.Errorf("gRPC client for %s: %w", cfg.PeerAddress, err)
	}
	l := &Ledger{
		cfg: cfg, conn: conn, certHash: certHash,
		gateways: map[string]*client.Gateway{},
		members:  map[string]*wallet.Member{},
		log:      slog.New(slog.NewJSONHandler(io.Discard, nil)),
	}
	for _, apply := range options {
		apply(l)
	}
	for _, m := range w.Members() {
		gw, err := connect(m, conn, cfg, certHash)
		if err != nil {
			l.Close()
			return nil, fmt.Errorf("member %s: %w", m.Name, err)
		}
		l.gateways[m.Name] = gw
		l.members[m.Name] = m
		if l.probe == "" {
			l.probe = m.Name
		}
	}
	if cfg.Reader != "" {
		if l.reader = l.gateways[cfg.Reader]; l.reader == nil {
			l.Close()
			return nil, fmt.Errorf("the reader %q is not a member of the wallet", cfg.Reader)
		}
	}
	return l, nil
}

func connect(m *wallet.Member, conn *grpc.ClientConn, cfg Config, certHash []byte) (*client.Gateway, error) {
	id, err := identity.NewX509Identity(m.MSPID, m.Certificate)
	if err != nil {
		return nil, err
	}
	sign, err := identity.NewPrivateKeySign(m.PrivateKey)
	if err != nil {
		return nil, err
	}
	return connectAs(id, conn, cfg, certHash, client.WithSign(sign))
}

// connectAs returns a gateway client acting as id over conn.
func connectAs(id identity.Identity, conn *grpc.ClientConn, cfg Config, certHash []byte, extra ...client.ConnectOption) (*client.Gateway, error) {
	options := []client.ConnectOption{
		client.WithHash(hash.SHA256),
		client.WithClientConnection(conn),
		client.WithEvaluateTimeout(cfg.EvaluateTimeout),
		client.WithEndorseTimeout(cfg.EndorseTimeout),
		client.WithSubmitTimeout(cfg.SubmitTimeout),
		client.WithCommitStatusTimeout(cfg.CommitTimeout),
	}
	if certHash != nil {
		options = append(options, client.WithTLSClientCertificateHash(certHash))
	}
	return client.Connect(id, append(options, extra...)...)
}

// Close closes the gateways and the connection.
func (l *Ledger) Close() error {
	for _, gw := range l.gateways {
		_ = gw.Close()
	}
	return l.conn.Close()
}

func (l *Ledger) gateway(member string) (*client.Gateway, *wallet.Member, error) {
	gw, ok := l.gateways[member]
	if !ok {
		return nil, nil, &chain.Error{Kind: chain.KindUnknownMember, Message: fmt.Sprintf("the gateway holds no signing identity for member %q", member)}
	}
	return gw, l.members[member], nil
}

// channelReader is the gateway that reads the channel itself, as Reader.
func (l *Ledger) channelReader() (*client.Gateway, error) {
	if l.reader == nil {
		return nil, &chain.Error{Kind: chain.KindUnknownMember, Message: "the gateway has no member to read the channel's blocks and events with (peer.reader)"}
	}
	return l.reader, nil
}

func (l *Ledger) contract(gw *client.Gateway) *client.Contract {
	return gw.GetNetwork(l.cfg.Channel).GetContract(l.cfg.Chaincode)
}

func proposalOptions(args []string, o chain.CallOptions) []client.ProposalOption {
	options := []client.ProposalOption{client.WithArguments(args...)}
	if len(o.Transient) > 0 {
		options = append(options, client.WithTransient(o.Transient))
	}
	if len(o.EndorsingOrganizations) > 0 {
		options = append(options, client.WithEndorsingOrganizations(o.EndorsingOrganizations...))
	}
	return options
}

// Evaluate implements chain.Ledger.
func (l *Ledger) Evaluate(ctx context.Context, member, function string, args []string, options ...chain.CallOption) ([]byte, error) {
	gw, _, err := l.gateway(member)
	if err != nil {
		return nil, err
	}
	proposal, err := l.contract(gw).NewProposal(function, proposalOptions(args, chain.Options(options...))...)
	if err != nil {
		return nil, &chain.Error{Kind: chain.KindInternal, Message: err.Error(), Cause: err}
	}
	return l.evaluate(ctx, proposal, function)
}

// Submit implements chain.Ledger.
func (l *Ledger) Submit(ctx context.Context, member, function string, args []string, options ...chain.CallOption) (*chain.Submitted, error) {
	gw, _, err := l.gateway(member)
	if err != nil {
		return nil, err
	}
	o := chain.Options(options...)
	proposal, err := l.contract(gw).NewProposal(function, proposalOptions(args, o)...)
	if err != nil {
		return nil, &chain.Error{Kind: chain.KindInternal, Message: err.Error(), Cause: err}
	}
	txID := proposal.TransactionID()
	log := l.log.With(slog.String("transaction_id", txID), slog.String("function", function), slog.String("member", member))
	total := time.Now()

	// 1. Endorse. A failure here means nothing was sent for ordering.
	tx, err := l.endorse(ctx, proposal, function, log)
	if err != nil {
		return nil, err
	}
	result := tx.Result()
	if o.BeforeOrdering != nil {
		err := errors.New("the endorsed transaction does not serialise")
		if prepared, bytesErr := tx.Bytes(); bytesErr == nil {
			err = o.BeforeOrdering(chain.Prepared{TransactionID: txID, Result: result, Transaction: prepared})
		}
		if err != nil {
			return nil, &chain.Error{Kind: chain.KindInternal, TransactionID: txID, Cause: err,
				Message: fmt.Sprintf("transaction %s was not sent for ordering: %v", txID, err)}
		}
	}

	// 2. Send for ordering.
	commit, unknown, err := l.order(ctx, tx, function)
	if err != nil {
		return nil, err
	}
	if unknown != nil {
		log.Warn("ordering outcome unknown; resolving through the commit status", "error", unknown.Error())
		return l.resolve(ctx, gw, log, function, txID, result, unknown)
	}
	log.Debug("transaction sent for ordering")
	if o.NoCommitWait {
		return &chain.Submitted{TransactionID: txID, Result: result}, nil
	}

	// 3. Wait for the commit.
	start := time.Now()
	commitCtx, cancel := context.WithTimeout(ctx, l.cfg.CommitTimeout)
	status, err := commit.StatusWithContext(commitCtx)
	cancel()
	if err != nil {
		l.metrics.FabricCall("commit_status", function, "error", time.Since(start))
		l.metrics.CommitFailure("ERROR")
		log.Warn("commit status not read; outcome unknown", "error", err.Error())
		return nil, &chain.Error{Kind: chain.KindOutcomeUnknown, TransactionID: txID, Result: result, Cause: err,
			Message: fmt.Sprintf("transaction %s was sent for ordering but its commit could not be confirmed: %v; read GET /v1/transactions/%s", txID, err, txID)}
	}
	l.metrics.FabricCall("commit_status", function, "ok", time.Since(start))
	if !status.Successful {
		l.metrics.CommitFailure(status.Code.String())
		l.metrics.FabricCall("submit_total", function, string(chain.KindCommitFailed), time.Since(total))
		log.Warn("transaction committed invalid", "code", status.Code.String(), "block", status.BlockNumber)
		return nil, commitFailed(txID, status, result)
	}
	l.metrics.FabricCall("submit_total", function, "ok", time.Since(total))
	log.Info("transaction committed", "block", status.BlockNumber)
	return &chain.Submitted{TransactionID: txID, Result: result, Committed: true, BlockNumber: status.BlockNumber}, nil
}

// Resubmit implements chain.Resubmitter.
func (l *Ledger) Resubmit(ctx context.Context, member string, transaction []byte) error {
	gw, _, err := l.gateway(member)
	if err != nil {
		return err
	}
	tx, err := gw.NewTransaction(transaction)
	if err != nil {
		return &chain.Error{Kind: chain.KindInternal, Message: err.Error(), Cause: err}
	}
	ctx, cancel := context.WithTimeout(ctx, l.cfg.SubmitTimeout)
	defer cancel()
	if _, err := tx.SubmitWithContext(ctx); err != nil {
		return classify(err, tx.TransactionID(), chain.KindOrdering)
	}
	l.log.Info("transaction sent for ordering again", slog.String("transaction_id", tx.TransactionID()), slog.String("member", member))
	return nil
}

// commitFailed is the failure of a transaction the peer answers committed invalid, with its endorsed result: the
// peer answers an ID's first copy, and when that is another creator's, the sender's own valid copy's answer is that
// result (transactions.Manager.OwnCopy).
func commitFailed(txID string, status *client.Status, result []byte) *chain.Error {
	e := chain.CommitFailed(txID, status.BlockNumber, status.Code.String())
	e.Result = result
	return e
}

// resolve settles a submit whose ordering step failed without a definite
// answer: it waits for the transaction's commit status. A committed valid
// transaction is a success; one never seen committed is OUTCOME_UNKNOWN,
// with its ID, for the client to check later. It is never sent again.
func (l *Ledger) resolve(ctx context.Context, gw *client.Gateway, log *slog.Logger, function, txID string, result []byte, submitErr error) (*chain.Submitted, error) {
	ctx, cancel := context.WithTimeout(ctx, l.cfg.ResolveTimeout)
	defer cancel()
	status, err := l.status(ctx, gw, txID)
	if err != nil {
		l.metrics.UnknownOutcome("unresolved")
		log.Warn("ordering outcome still unknown", "error", err.Error())
		return nil, &chain.Error{Kind: chain.KindOutcomeUnknown, TransactionID: txID, Result: result, Cause: submitErr,
			Message: fmt.Sprintf("ordering of transaction %s failed with an unknown outcome (%v) and it was not seen committed within %s; it may still commit: read GET /v1/transactions/%s",
				txID, submitErr, l.cfg.ResolveTimeout, txID)}
	}
	if !status.Successful {
		l.metrics.UnknownOutcome("invalid")
		l.metrics.CommitFailure(status.Code.String())
		return nil, commitFailed(txID, status, result)
	}
	l.metrics.UnknownOutcome("committed")
	log.Info("transaction committed although its ordering step reported a failure", "block", status.BlockNumber)
	return &chain.Submitted{TransactionID: txID, Result: result, Committed: true, BlockNumber: status.BlockNumber}, nil
}

// status waits for the commit status of any transaction of the channel, as
// the gateway's member.
func (l *Ledger) status(ctx context.Context, gw *client.Gateway, txID string) (*client.Status, error) {
	return commitstatus.Wait(ctx, gw, l.cfg.Channel, txID)
}

// CommitStatus implements chain.Ledger.
func (l *Ledger) CommitStatus(ctx context.Context, member, txID string) (*chain.Status, error) {
	gw, _, err := l.gateway(member)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	status, err := l.status(ctx, gw, txID)
	if err != nil {
		if ctx.Err() != nil || grpcstatus.Code(err) == codes.DeadlineExceeded {
			// Not committed within the wait: not an error. (gRPC can report
			// the deadline a moment before the context marks it.)
			l.metrics.FabricCall("commit_status", "", "pending", time.Since(start))
			return &chain.Status{TransactionID: txID}, nil
		}
		e := classify(err, txID, chain.KindUnavailable)
		l.metrics.FabricCall("commit_status", "", string(e.Kind), time.Since(start))
		return nil, e
	}
	l.metrics.FabricCall("commit_status", "", "ok", time.Since(start))
	return &chain.Status{TransactionID: txID, Committed: true, Valid: status.Successful, Code: status.Code.String(), BlockNumber: status.BlockNumber}, nil
}

// Ready implements chain.Ledger: it evaluates the chaincode's metadata
// function, which answers only when the peer is reachable, has joined the
// channel and runs the chaincode.
func (l *Ledger) Ready(ctx context.Context) error {
	if l.probe == "" {
		return errors.New("the wallet holds no member")
	}
	_, err := l.Evaluate(ctx, l.probe, "org.hyperledger.fabric:GetMetadata", nil)
	return err
}

// Height implements chain.Ledger: the peer's answer to qscc GetChainInfo,
// asked as Reader.
func (l *Ledger) Height(ctx context.Context) (uint64, error) {
	gw, err := l.channelReader()
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, l.cfg.EvaluateTimeout)
	defer cancel()
	raw, err := gw.GetNetwork(l.cfg.Channel).GetContract("qscc").EvaluateWithContext(ctx, "GetChainInfo", client.WithArguments(l.cfg.Channel))
	if err != nil {
		return 0, classify(err, "", chain.KindUnavailable)
	}
	var info common.BlockchainInfo
	if err := proto.Unmarshal(raw, &info); err != nil {
		return 0, &chain.Error{Kind: chain.KindInternal, Message: "decoding the peer's chain information: " + err.Error(), Cause: err}
	}
	return info.GetHeight(), nil
}

// Find implements chain.Finder: the block that holds the transaction,
// asked of the gateway's peer as Reader (qscc GetBlockByTxID, which answers
// at once whether or not the peer has it), and the transaction's validation
// code in it. A peer that holds no such
// transaction answers an error, which is reported as not committed.
func (l *Ledger) Find(ctx context.Context, txID string) (*chain.Status, error) {
	gw, err := l.channelReader()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, l.cfg.EvaluateTimeout)
	defer cancel()
	start := time.Now()
	raw, err := gw.GetNetwork(l.cfg.Channel).GetContract("qscc").EvaluateWithContext(ctx, "GetBlockByTxID", client.WithArguments(l.cfg.Channel, txID))
	if err != nil {
		l.metrics.FabricCall("find", "", "not_found", time.Since(start))
		return &chain.Status{TransactionID: txID}, nil
	}
	var b common.Block
	if err := proto.Unmarshal(raw, &b); err != nil {
		return nil, &chain.Error{Kind: chain.KindInternal, Message: "decoding the block of transaction " + txID + ": " + err.Error(), Cause: err}
	}
	block, err := ParseBlock(&b, l.cfg.Chaincode)
	if err != nil {
		return nil, &chain.Error{Kind: chain.KindInternal, Message: "reading the block of transaction " + txID + ": " + err.Error(), Cause: err}
	}
	l.metrics.FabricCall("find", "", "ok", time.Since(start))
	for _, tx := range block.Transactions {
		if tx.ID == txID {
			return &chain.Status{TransactionID: txID, Committed: true, Valid: tx.Valid(), Code: tx.ValidationCode, BlockNumber: block.Number}, nil
		}
	}
	return &chain.Status{TransactionID: txID}, nil
}

var (
	_ chain.Finder      = (*Ledger)(nil)
	_ chain.Ledger      = (*Ledger)(nil)
	_ chain.Resubmitter = (*Ledger)(nil)
)
