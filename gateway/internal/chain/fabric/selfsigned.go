package fabric

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/identity"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/internal/fabricca"
)

// Propose implements chain.SelfSigning with fabric-gateway's offline signing: a gateway client of the member's
// certificate and no signing implementation, so that every message it sends is one the member signed
// (NewSignedProposal, NewSignedTransaction, NewSignedCommit). It shares the peer connection.
func (l *Ledger) Propose(id chain.Identity, function string, args []string, options ...chain.CallOption) (chain.Proposal, error) {
	cert, err := fabricca.ParseCertificate(id.CertificatePEM)
	if err != nil {
		return nil, &chain.Error{Kind: chain.KindInternal, Message: err.Error(), Cause: err}
	}
	fid, err := identity.NewX509Identity(id.MSPID, cert)
	if err != nil {
		return nil, &chain.Error{Kind: chain.KindInternal, Message: err.Error(), Cause: err}
	}
	gw, err := connectAs(fid, l.conn, l.cfg, l.certHash)
	if err != nil {
		return nil, &chain.Error{Kind: chain.KindInternal, Message: err.Error(), Cause: err}
	}
	proposal, err := l.contract(gw).NewProposal(function, proposalOptions(args, chain.Options(options...))...)
	if err != nil {
		return nil, &chain.Error{Kind: chain.KindInternal, Message: err.Error(), Cause: err}
	}
	b, err := proposal.Bytes()
	if err != nil {
		return nil, &chain.Error{Kind: chain.KindInternal, Message: err.Error(), Cause: err}
	}
	return &offlineProposal{offline: offline{l: l, gw: gw, function: function, txID: proposal.TransactionID()},
		signable: chain.Signable{Bytes: b, Digest: proposal.Digest()}}, nil
}

// offline is what the steps of one offline-signed call share.
type offline struct {
	l        *Ledger
	gw       *client.Gateway
	function string
	txID     string
}

func (o offline) log() *slog.Logger {
	return o.l.log.With(slog.String("transaction_id", o.txID), slog.String("function", o.function), slog.Bool("signed_by_member", true))
}

type offlineProposal struct {
	offline
	signable chain.Signable
}

func (p *offlineProposal) TransactionID() string    { return p.txID }
func (p *offlineProposal) Signable() chain.Signable { return p.signable }

func (p *offlineProposal) signed(signature []byte) (*client.Proposal, error) {
	signed, err := p.gw.NewSignedProposal(p.signable.Bytes, signature)
	if err != nil {
		return nil, &chain.Error{Kind: chain.KindInternal, TransactionID: p.txID, Message: err.Error(), Cause: err}
	}
	return signed, nil
}

func (p *offlineProposal) Evaluate(ctx context.Context, signature []byte) ([]byte, error) {
	signed, err := p.signed(signature)
	if err != nil {
		return nil, err
	}
	return p.l.evaluate(ctx, signed, p.function)
}

func (p *offlineProposal) Endorse(ctx context.Context, signature []byte) (chain.EndorsedTransaction, error) {
	signed, err := p.signed(signature)
	if err != nil {
		return nil, err
	}
	tx, err := p.l.endorse(ctx, signed, p.function, p.log())
	if err != nil {
		return nil, err
	}
	b, err := tx.Bytes()
	if err != nil {
		return nil, &chain.Error{Kind: chain.KindInternal, TransactionID: p.txID, Message: err.Error(), Cause: err}
	}
	return &offlineTransaction{offline: p.offline, signable: chain.Signable{Bytes: b, Digest: tx.Digest()}, result: tx.Result()}, nil
}

type offlineTransaction struct {
	offline
	signable chain.Signable
	result   []byte
}

func (t *offlineTransaction) Signable() chain.Signable { return t.signable }
func (t *offlineTransaction) Result() []byte           { return t.result }

func (t *offlineTransaction) Submit(ctx context.Context, signature []byte) (chain.Commit, error) {
	signed, err := t.gw.NewSignedTransaction(t.signable.Bytes, signature)
	if err != nil {
		return nil, &chain.Error{Kind: chain.KindInternal, TransactionID: t.txID, Message: err.Error(), Cause: err}
	}
	commit, unknown, err := t.l.order(ctx, signed, t.function)
	if err != nil {
		return nil, err
	}
	if unknown != nil {
		// Ordered or not, the member's commit-status request settles it: the commit step follows.
		t.log().Warn("ordering outcome unknown; the member's commit-status request resolves it", "error", unknown.Error())
		return nil, &chain.Error{Kind: chain.KindOutcomeUnknown, TransactionID: t.txID, Result: t.result, Cause: unknown,
			Message: fmt.Sprintf("transaction %s was sent for ordering but the orderer's answer was lost (%v); send the same transaction signature again: a transaction commits once", t.txID, unknown)}
	}
	b, err := commit.Bytes()
	if err != nil {
		return nil, &chain.Error{Kind: chain.KindInternal, TransactionID: t.txID, Message: err.Error(), Cause: err}
	}
	return &offlineCommit{offline: t.offline, signable: chain.Signable{Bytes: b, Digest: commit.Digest()}}, nil
}

type offlineCommit struct {
	offline
	signable chain.Signable
}

func (c *offlineCommit) Signable() chain.Signable { return c.signable }

func (c *offlineCommit) Status(ctx context.Context, signature []byte) (*chain.Status, error) {
	signed, err := c.gw.NewSignedCommit(c.signable.Bytes, signature)
	if err != nil {
		return nil, &chain.Error{Kind: chain.KindInternal, TransactionID: c.txID, Message: err.Error(), Cause: err}
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, c.l.cfg.CommitTimeout)
	defer cancel()
	status, err := signed.StatusWithContext(ctx)
	if err != nil {
		c.l.metrics.FabricCall("commit_status", c.function, "error", time.Since(start))
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return &chain.Status{TransactionID: c.txID}, nil
		}
		return nil, classify(err, c.txID, chain.KindUnavailable)
	}
	c.l.metrics.FabricCall("commit_status", c.function, "ok", time.Since(start))
	if !status.Successful {
		c.l.metrics.CommitFailure(status.Code.String())
	}
	return &chain.Status{TransactionID: c.txID, Committed: true, Valid: status.Successful, Code: status.Code.String(), BlockNumber: status.BlockNumber}, nil
}

var _ chain.SelfSigning = (*Ledger)(nil)
