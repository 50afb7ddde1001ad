package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/url"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/internal/signing"
	"github.com/deltaledger/deltaledger/gateway/wire"
)

// WithSigningStore keeps the calls of members who sign themselves in store (default: routes.SigningTTL,
// routes.SigningMaxPerMember and routes.SigningMaxBytes).
func WithSigningStore(store *signing.Store) Option { return func(s *Server) { s.signing = store } }

// propose starts a chaincode call for a member whose key the gateway does not hold: the unsigned proposal, as the
// member's certificate, is kept for the member to sign and answered 202.
func (s *Server) propose(w http.ResponseWriter, r *http.Request, rt routes.ChaincodeRoute, c *call) {
	cl := caller(r)
	selfSigning, ok := s.ledger.(chain.SelfSigning)
	if !ok {
		writeError(w, r, newError(http.StatusForbidden, CodeForbidden, "this gateway runs no calls for members whose keys it does not hold"))
		return
	}
	key := ""
	if rt.Submit {
		var err error
		if key, err = idempotencyKey(r); err != nil {
			writeError(w, r, err)
			return
		}
	}
	fingerprint := c.fingerprint()
	if key != "" {
		waiting, done, err := s.signing.Find(cl.Certificate, key, fingerprint)
		switch {
		case errors.Is(err, signing.ErrKeyReused):
			writeError(w, r, newError(http.StatusUnprocessableEntity, CodeKeyReused, "%v", err))
			return
		case err != nil:
			writeError(w, r, newError(http.StatusConflict, CodeConflict, "%v", err))
			return
		case done != nil:
			replayed(w.Header())
			writeRaw(w, done.Status, done.Body)
			return
		case waiting != nil:
			replayed(w.Header())
			setTransaction(r.Context(), waiting.TransactionID)
			s.writeStep(w, waiting, stepResult(waiting))
			return
		}
	}
	id := chain.Identity{MSPID: s.mspID, CertificatePEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cl.Certificate.Raw})}
	cc := callOf(r, rt, c)
	// A trade's orgs are the ones the member named (bind): the gateway
	// cannot read the listing or the trade as a member whose key it does
	// not hold.
	orgs, err := s.transactions.Endorsers(r.Context(), cc)
	if err != nil {
		writeError(w, r, err)
		return
	}
	p, err := selfSigning.Propose(id, rt.Function, c.args, cc.Options(orgs)...)
	if err != nil {
		writeError(w, r, err)
		return
	}
	sc := &signing.Call{TransactionID: p.TransactionID(), Owner: cl.Certificate, Step: signing.StepProposal, Submit: rt.Submit, Route: rt.ID,
		Key: key, Fingerprint: fingerprint, Proposal: p}
	if err := s.signing.Put(sc); err != nil {
		writeError(w, r, refusedCall(err))
		return
	}
	setTransaction(r.Context(), sc.TransactionID)
	s.writeStep(w, sc, nil)
}

// refusedCall answers a call the signing store does not take: 429, with Retry-After (signing.RetryAfter: the TTL,
// the same for everyone, when the store is full; when the member's own first waiting call expires, at its limit).
func refusedCall(err error) *apiError {
	e := newError(http.StatusTooManyRequests, CodeRateLimited, "%v", err)
	if wait, ok := signing.RetryAfter(err); ok {
		e.header = retryAfter(wait)
	}
	return e
}

// stepResult is the endorsed result a call's step shows, once endorsed.
func stepResult(sc *signing.Call) []byte {
	if sc.Transaction == nil {
		return nil
	}
	return sc.Transaction.Result()
}

// writeStep answers what a call waits to have signed.
func (s *Server) writeStep(w http.ResponseWriter, sc *signing.Call, result []byte) {
	signable := sc.Signable()
	body := wire.SigningStepBody{
		TransactionID: sc.TransactionID, Step: string(sc.Step),
		Bytes:   base64.StdEncoding.EncodeToString(signable.Bytes),
		Digest:  base64.StdEncoding.EncodeToString(signable.Digest),
		SignURL: signURL(sc.TransactionID, sc.Step), ExpiresAt: sc.Expires().UTC(),
	}
	if len(result) > 0 {
		body.Result = jsonOrNull(result)
	}
	w.Header().Set("Location", body.SignURL)
	writeJSON(w, http.StatusAccepted, body)
}

func signURL(txID string, step signing.Step) string {
	return routes.SigningPath + "/" + url.PathEscape(txID) + "/" + string(step)
}

// sign serves POST /v1/signing/{txid}/{step}: the member's signature of a step of its own call.
func (s *Server) sign(step signing.Step) func(routes.GatewayRoute) http.HandlerFunc {
	return func(rt routes.GatewayRoute) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			c, err := s.bind(w, r, rt)
			if err != nil {
				writeError(w, r, err)
				return
			}
			cl := caller(r)
			if !cl.SignsItself() {
				writeError(w, r, newError(http.StatusForbidden, CodeForbidden, "the gateway signs for %s: only members whose keys it does not hold sign steps", cl.Name()))
				return
			}
			txID, err := transactionID(r)
			if err != nil {
				writeError(w, r, err)
				return
			}
			signature, err := base64.StdEncoding.DecodeString(c.values["signature"])
			if err != nil {
				writeError(w, r, invalid("signature", "must be base64 (standard alphabet, padded)"))
				return
			}
			setTransaction(r.Context(), txID)
			sc, err := s.signing.Take(cl.Certificate, txID, step)
			if err != nil {
				writeError(w, r, newError(http.StatusNotFound, CodeNotFound, "no call %s of yours waits for a %s signature (unknown, another step, or forgotten %s after its last step)", txID, step.Message(), routes.SigningTTL))
				return
			}
			// A step that panics (answered 500 by observe) puts its call back at the step it is at, instead of
			// holding it and its member's place: a no-op once the step put it back, finished or dropped it.
			defer s.signing.Release(sc)
			if err := signing.Verify(cl.Certificate, sc.Signable().Digest, signature); err != nil {
				_ = s.signing.Put(sc) // it waits for a good signature
				writeError(w, r, invalid("signature", "refused: %v", err))
				return
			}
			s.continueCall(w, r, sc, signature)
		}
	}
}

// continueCall runs the signed step of a call and answers the next one, or the call's outcome.
func (s *Server) continueCall(w http.ResponseWriter, r *http.Request, sc *signing.Call, signature []byte) {
	rt := s.routeByID[sc.Route]
	ctx := r.Context()
	switch {
	case sc.Step == signing.StepProposal && !sc.Submit:
		payload, err := sc.Proposal.Evaluate(ctx, signature)
		s.signing.Drop(sc) // a read leaves nothing to answer again
		if err != nil {
			writeError(w, r, err)
			return
		}
		s.writeEvaluated(w, r, rt, payload)
	case sc.Step == signing.StepProposal:
		tx, err := sc.Proposal.Endorse(ctx, signature)
		if err != nil {
			if chain.AsError(err).Kind == chain.KindRejected {
				s.finish(w, r, sc, err) // the chaincode's refusal is the call's outcome
				return
			}
			s.signing.Drop(sc) // nothing was sent: a retry runs the request again
			writeError(w, r, err)
			return
		}
		sc.Step, sc.Transaction = signing.StepTransaction, tx
		s.next(w, r, sc, tx.Result())
	case sc.Step == signing.StepTransaction:
		// Once endorsed and signed, the transaction is followed through even if the member goes away.
		commit, err := sc.Transaction.Submit(context.WithoutCancel(ctx), signature)
		if err == nil || chain.AsError(err).Kind == chain.KindOutcomeUnknown {
			// Sent: its sender may follow it with GET /v1/transactions/{txid}, even when the answer is lost.
			s.transactions.SentBySigner(caller(r).Name(), caller(r).Share(), sc.TransactionID, sc.Transaction.Result())
		}
		if err != nil {
			if chain.AsError(err).Kind == chain.KindOutcomeUnknown {
				// It may have been ordered: the same signed transaction may be sent again (Fabric commits a
				// transaction ID once; a second copy is invalid and the first one's status stands).
				_ = s.signing.Put(sc)
			} else {
				s.signing.Drop(sc) // not ordered: a retry runs the request again
			}
			writeError(w, r, err)
			return
		}
		sc.Step, sc.Commit = signing.StepCommit, commit
		s.next(w, r, sc, sc.Transaction.Result())
	default:
		st, err := sc.Commit.Status(ctx, signature)
		if err != nil {
			_ = s.signing.Put(sc) // the transaction was sent: the same signature asks again
			writeError(w, r, err)
			return
		}
		st = s.transactions.OwnCopy(ctx, caller(r).Sender(), st)
		switch {
		case !st.Committed:
			_ = s.signing.Put(sc) // the same signature asks again
			e := newError(http.StatusGatewayTimeout, CodeTimeout, "transaction %s is not committed yet; send the same signature again", sc.TransactionID)
			e.body.TransactionID = sc.TransactionID
			writeError(w, r, e)
		case !st.Valid:
			s.finish(w, r, sc, chain.CommitFailed(sc.TransactionID, st.BlockNumber, st.Code))
		default:
			body := submitBody(sc.TransactionID, st.BlockNumber, sc.Transaction.Result())
			s.signing.Finish(sc, rt.SuccessStatus(), body)
			s.committedIn(w, st.BlockNumber)
			writeRaw(w, rt.SuccessStatus(), body)
		}
	}
}

// finish answers a call's final refusal, recorded for a retry with its idempotency key.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, sc *signing.Call, err error) {
	e := fromLedger(err)
	if body, merr := json.Marshal(e.body); merr == nil {
		s.signing.Finish(sc, e.status, body)
	}
	writeError(w, r, e)
}

// next keeps the call for its next step and answers it.
func (s *Server) next(w http.ResponseWriter, r *http.Request, sc *signing.Call, result []byte) {
	if err := s.signing.Put(sc); err != nil {
		writeError(w, r, refusedCall(err))
		return
	}
	s.writeStep(w, sc, result)
}

// selfSignedRoute reports whether a member who signs itself may use a route: the chaincode operations (it signs
// them), the signing steps and the commit status of its own transactions. The others act with a key the gateway
// holds or read the gateway's own state for a wallet member.
func selfSignedRoute(rt routes.Route) bool {
	switch r := rt.(type) {
	case routes.ChaincodeRoute:
		return true
	case routes.GatewayRoute:
		return r.ForSelfSigners || r.Public
	}
	return false
}

// refuseSelfSigned answers a route a member who signs itself cannot use.
func refuseSelfSigned(cl *auth.Caller, rt routes.Route) error {
	return newError(http.StatusForbidden, CodeForbidden, "%s %s needs a member whose key this gateway holds; %s signs its own calls and may use the chaincode operations only",
		rt.Op().Method, rt.Op().Path, cl.Certificate.Subject.String())
}
