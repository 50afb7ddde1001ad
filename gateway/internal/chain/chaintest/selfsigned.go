package chaintest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/internal/fabricca"
)

// Propose implements chain.SelfSigning. The fake's messages are text ("proposal <txid> <function> <args>",
// "transaction <txid>", "commit <txid>"); their digests are SHA-256 as Fabric's. Calls are recorded with Member the
// identity of the member's certificate ("x509::<subject>::<issuer>"), as the chaincode names a submitter. The fake
// checks no signature: the layer above it must.
func (f *Fake) Propose(id chain.Identity, function string, args []string, options ...chain.CallOption) (chain.Proposal, error) {
	cert, err := fabricca.ParseCertificate(id.CertificatePEM)
	if err != nil {
		return nil, err
	}
	tx := f.newTxID()
	member := "x509::" + cert.Subject.String() + "::" + cert.Issuer.String()
	c := Call{Member: member, Function: function, Args: args, Options: chain.Options(options...)}
	return &fakeProposal{f: f, tx: tx, call: c, msg: signable(fmt.Sprintf("proposal %s %s %s", tx, function, strings.Join(args, ",")))}, nil
}

// SignedSteps returns how many steps of self-signed calls were run with a signature, by step.
func (f *Fake) SignedSteps() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for k, v := range f.signed {
		out[k] = v
	}
	return out
}

func (f *Fake) countSigned(step string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.signed == nil {
		f.signed = map[string]int{}
	}
	f.signed[step]++
}

func signable(text string) chain.Signable {
	sum := sha256.Sum256([]byte(text))
	return chain.Signable{Bytes: []byte(text), Digest: sum[:]}
}

type fakeProposal struct {
	f    *Fake
	tx   string
	call Call
	msg  chain.Signable
}

func (p *fakeProposal) TransactionID() string    { return p.tx }
func (p *fakeProposal) Signable() chain.Signable { return p.msg }

func (p *fakeProposal) Evaluate(ctx context.Context, signature []byte) ([]byte, error) {
	p.f.countSigned("proposal")
	resp, err := p.f.call(p.call)
	if err != nil {
		return nil, err
	}
	return resp.Result, nil
}

func (p *fakeProposal) Endorse(ctx context.Context, signature []byte) (chain.EndorsedTransaction, error) {
	p.f.countSigned("proposal")
	c := p.call
	c.Submit = true
	resp, err := p.f.call(c)
	if err != nil {
		return nil, err
	}
	return &fakeTransaction{f: p.f, tx: p.tx, result: resp.Result, msg: signable("transaction " + p.tx)}, nil
}

type fakeTransaction struct {
	f      *Fake
	tx     string
	result []byte
	msg    chain.Signable
}

func (t *fakeTransaction) Signable() chain.Signable { return t.msg }
func (t *fakeTransaction) Result() []byte           { return t.result }

// FailNextSelfSignedSubmit makes the next Submit of a self-signed transaction fail with err.
func (f *Fake) FailNextSelfSignedSubmit(err error) { f.failNext(&f.selfSubmitErr, err) }

// PanicNextSelfSignedSubmit makes the next Submit of a self-signed transaction panic once the transaction is sent
// (and committed): a step that fails after its transaction left.
func (f *Fake) PanicNextSelfSignedSubmit() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.selfSubmitPanics = true
}

func (t *fakeTransaction) Submit(ctx context.Context, signature []byte) (chain.Commit, error) {
	t.f.countSigned("transaction")
	t.f.mu.Lock()
	if err := takeFailure(&t.f.selfSubmitErr); err != nil {
		t.f.mu.Unlock()
		return nil, err
	}
	t.f.block++
	t.f.statuses[t.tx] = &chain.Status{TransactionID: t.tx, Committed: true, Valid: true, Code: "VALID", BlockNumber: t.f.block}
	t.f.results[t.tx] = t.result
	panics := t.f.selfSubmitPanics
	t.f.selfSubmitPanics = false
	t.f.mu.Unlock()
	if panics {
		panic("the fake panics after sending transaction " + t.tx)
	}
	return &fakeCommit{f: t.f, tx: t.tx, msg: signable("commit " + t.tx)}, nil
}

type fakeCommit struct {
	f   *Fake
	tx  string
	msg chain.Signable
}

func (c *fakeCommit) Signable() chain.Signable { return c.msg }

// FailNextSelfSignedStatus makes the next commit-status request of a self-signed transaction fail with err.
func (f *Fake) FailNextSelfSignedStatus(err error) { f.failNext(&f.selfStatusErr, err) }

// failNext makes err the failure of the next call of a step, which next
// holds until that call takes it (takeFailure).
func (f *Fake) failNext(next *error, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	*next = err
}

// takeFailure answers the failure set for this call of a step, if any, and
// clears it, so that the call after succeeds again. The caller holds f.mu.
func takeFailure(next *error) error {
	err := *next
	*next = nil
	return err
}

func (c *fakeCommit) Status(ctx context.Context, signature []byte) (*chain.Status, error) {
	c.f.countSigned("commit")
	c.f.mu.Lock()
	err := takeFailure(&c.f.selfStatusErr)
	c.f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return c.f.CommitStatus(ctx, "", c.tx)
}

// Finder is the Fake that also looks transactions up on the channel (chain.Finder), as the gateway's reading
// identity does: the status the Fake holds.
type Finder struct{ *Fake }

// Find implements chain.Finder.
func (f Finder) Find(ctx context.Context, transactionID string) (*chain.Status, error) {
	return f.CommitStatus(ctx, "", transactionID)
}

var (
	_ chain.SelfSigning = (*Fake)(nil)
	_ chain.Finder      = Finder{}
)
