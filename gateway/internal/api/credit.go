package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/internal/transactions"
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// How long a lookup keeps asking a holding org's peer that has not yet
// committed the block with the trace.
const (
	traceLagRetries = 12
	traceLagBackoff = 250 * time.Millisecond
)

// creditLookup serves GET /v1/credit/subjects/{uscc}/records: the
// chaincode's two steps in one call. Step 1 SUBMITS credit:RequestQuery, so
// the entitlement check and the query trace are committed before anything
// is read (it answers the trace alone: it reads no record, since a caller
// could evaluate it and never submit it). Step 2 EVALUATES
// credit:ReadRecords (never submitted: a submitted response would be in the
// block every org receives), first on a peer of the caller's own org, which
// lists the records in force and the org holding each, then on a peer of
// each other org that holds some. Contents are verified against the public
// hash here.
func (s *Server) creditLookup(rt routes.GatewayRoute) http.HandlerFunc {
	usccParam := routes.Param{Field: model.Field{Name: "uscc", Type: model.TypeString, Pattern: model.USCCPattern}, In: routes.InPath}
	return func(w http.ResponseWriter, r *http.Request) {
		uscc := r.PathValue("uscc")
		if e := checkString(usccParam, uscc); e != nil {
			writeError(w, r, e)
			return
		}
		query, err := s.bindQuery(r, rt, &call{})
		if err != nil {
			writeError(w, r, err)
			return
		}
		cl := caller(r)
		member := cl.Member
		traceID, err := newTraceID()
		if err != nil {
			writeError(w, r, err)
			return
		}

		// Step 1: the trace, committed, followed to its commit even if the
		// client goes away (the transaction manager). A retry with the same
		// Idempotency-Key is answered the first trace (Server.submitted),
		// and reads under it: no second trace is written.
		sub, err := s.submitted(r, transactions.Submission{
			Call: transactions.Call{Member: member, Function: "credit:RequestQuery", Args: []string{traceID, uscc, query["purpose"], query["authorization"]}},
			Wait: true, Fingerprint: fingerprint(r, nil), Sender: cl.Sender()})
		if err != nil {
			writeError(w, r, err)
			return
		}
		if sub.Replayed {
			replayed(w.Header())
		}
		s.committedIn(w, sub.BlockNumber)
		var trace model.Trace
		if err := json.Unmarshal(sub.Result, &trace); err != nil || trace.TraceID == "" || (trace.TraceID != traceID && !sub.Replayed) {
			writeError(w, r, newError(http.StatusBadGateway, CodeInternal, "credit:RequestQuery answered something other than a query trace"))
			return
		}
		traceID = trace.TraceID

		// Step 2: the caller's own org's peer lists the records and their
		// holders; then each other holding org's peer, in parallel.
		own := peerRead{msp: caller(r).MSPID}
		own.res, own.err = s.readRecords(r.Context(), member, traceID, own.msp)
		if readRefused(own.err) {
			writeError(w, r, own.err)
			return
		}
		var others []peerRead
		if own.err == nil {
			for _, msp := range heldBy(own.res) {
				if msp != own.msp {
					others = append(others, peerRead{msp: msp})
				}
			}
		}
		var wg sync.WaitGroup
		for i := range others {
			wg.Add(1)
			go func() {
				defer wg.Done()
				others[i].res, others[i].err = s.readRecords(r.Context(), member, traceID, others[i].msp)
			}()
		}
		wg.Wait()
		body := mergeLookup(trace, own, others)
		body.TransactionID, body.BlockNumber = sub.TransactionID, sub.BlockNumber
		writeJSON(w, http.StatusOK, body)
	}
}

// readRefused reports whether the chaincode refused the caller's read under
// its trace (FORBIDDEN): the trace's window is over, by the transaction time
// or the peer's clock, or the authorisation no longer entitles the caller
// (revoked, expired). A retry with the lookup's Idempotency-Key reads under
// the first trace (creditLookup), so this is how a retry after the trace's
// 15 minutes ends. That refusal, naming why, is the lookup's answer: a 200
// without records would read as a subject without records. It stays the
// chaincode's: the chaincode, not the gateway's clock, judges the window,
// and one code answers an expired trace and a revoked authorisation alike.
// Only the querier reads it: to anyone else the trace reads as a missing
// one, and an Idempotency-Key is its own caller's.
func readRefused(err error) bool {
	if err == nil {
		return false
	}
	e := chain.AsError(err)
	return e.Kind == chain.KindRejected && e.Code == ledgererr.Forbidden
}

// peerRead is one org's peer's answer to credit:ReadRecords.
type peerRead struct {
	msp string
	res *model.ReadResult
	err error
}

// heldBy lists the distinct orgs that hold the contents of the records of
// res, sorted.
func heldBy(res *model.ReadResult) []string {
	var msps []string
	for _, rr := range res.Records {
		if rr != nil && rr.Record != nil {
			msps = append(msps, rr.Record.AgencyMSP)
		}
	}
	slices.Sort(msps)
	return slices.Compact(msps)
}

// readRecords evaluates credit:ReadRecords on a peer of org msp. A peer
// that has not yet committed the trace's block answers NOT_FOUND; it is
// asked again for a few seconds.
func (s *Server) readRecords(ctx context.Context, member, traceID, msp string) (*model.ReadResult, error) {
	var lastErr error
	for attempt := range traceLagRetries {
		if attempt > 0 {
			select {
			case <-time.After(traceLagBackoff):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		payload, err := s.ledger.Evaluate(ctx, member, "credit:ReadRecords", []string{traceID}, chain.WithEndorsingOrganizations(msp))
		if err != nil {
			lastErr = err
			if e := chain.AsError(err); e.Kind == chain.KindRejected && e.Code == ledgererr.NotFound {
				continue
			}
			return nil, err
		}
		var res model.ReadResult
		if err := json.Unmarshal(payload, &res); err != nil || res.PeerMSP != msp {
			return nil, &chain.Error{Kind: chain.KindInternal, Message: "credit:ReadRecords answered something other than a read result"}
		}
		return &res, nil
	}
	return nil, lastErr
}

// mergeLookup joins the records the caller's own org's peer listed with the
// contents each holding org's peer returned, and its mark that the record
// has expired (model.RecordRead.Expired), keeping only those that came
// from a peer of the record's holding org (only it can read validUntil) and
// checking the contents' SHA-256 against the record. Holders reports each holding org, and the own org
// when its peer did not answer (then no record is known); a refusal of the
// read itself is answered before (readRefused).
func mergeLookup(trace model.Trace, own peerRead, others []peerRead) wire.CreditLookupBody {
	body := wire.CreditLookupBody{Trace: trace, Records: []wire.CreditRecordRead{}, Holders: []wire.CreditHolder{}, Complete: true}
	if own.err != nil {
		e := fromLedger(own.err)
		body.Holders = append(body.Holders, wire.CreditHolder{MSPID: own.msp, Error: &e.body})
		body.Complete = false
		return body
	}
	reads := others
	if slices.Contains(heldBy(own.res), own.msp) {
		reads = append([]peerRead{own}, others...)
	}
	held := map[string]*model.RecordRead{} // recordId -> its holder's entry
	for _, rd := range reads {
		h := wire.CreditHolder{MSPID: rd.msp, OK: rd.err == nil}
		if rd.err != nil {
			e := fromLedger(rd.err)
			h.Error = &e.body
			body.Complete = false
		} else {
			for _, rr := range rd.res.Records {
				if rr != nil && rr.Record != nil && rr.Record.AgencyMSP == rd.msp {
					held[rr.Record.RecordID] = rr
				}
			}
		}
		body.Holders = append(body.Holders, h)
	}
	slices.SortFunc(body.Holders, func(a, b wire.CreditHolder) int { return strings.Compare(a.MSPID, b.MSPID) })
	for _, rr := range own.res.Records {
		if rr == nil || rr.Record == nil {
			continue
		}
		rec := rr.Record
		read := wire.CreditRecordRead{Record: *rec, HeldBy: rec.AgencyMSP}
		holder := held[rec.RecordID]
		read.Expired = holder != nil && holder.Expired
		if holder != nil && holder.Contents != "" {
			c := holder.Contents
			sum := sha256.Sum256([]byte(c))
			read.Verified = hex.EncodeToString(sum[:]) == rec.ContentHash
			if json.Valid([]byte(c)) {
				read.Contents = json.RawMessage(c)
			} else {
				read.Contents, _ = json.Marshal(c)
			}
		}
		// A record its holder withheld as expired is answered in full: its
		// contents are not missing, they are not supplied.
		if read.Missing() {
			body.Complete = false
		}
		body.Records = append(body.Records, read)
	}
	return body
}

func newTraceID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "trace-" + hex.EncodeToString(b), nil
}
