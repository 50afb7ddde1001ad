package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
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
// is read; step 2 EVALUATES credit:ReadRecords on a peer of each org that
// holds records (never submitted: a submitted response would be in the block
// every org receives). Contents are verified against the public hash here.
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
		member := caller(r).Member
		traceID, err := newTraceID()
		if err != nil {
			writeError(w, r, err)
			return
		}

		// Step 1: the trace, committed. Detached from the client so that a
		// trace that was written is also reported in the log.
		sub, err := s.ledger.Submit(context.WithoutCancel(r.Context()), member, "credit:RequestQuery",
			[]string{traceID, uscc, query["purpose"], query["authorization"]})
		if err != nil {
			writeError(w, r, err)
			return
		}
		setTransaction(r.Context(), sub.TransactionID)
		if sub.Committed {
			s.committedIn(w, sub.BlockNumber)
		}
		var ticket model.QueryTicket
		if err := json.Unmarshal(sub.Result, &ticket); err != nil || ticket.Trace == nil {
			writeError(w, r, newError(http.StatusBadGateway, CodeInternal, "credit:RequestQuery answered something other than a query ticket"))
			return
		}

		// Step 2: each holding org's peer, in parallel.
		reads := make([]*model.ReadResult, len(ticket.Holders))
		errs := make([]error, len(ticket.Holders))
		var wg sync.WaitGroup
		for i, msp := range ticket.Holders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				reads[i], errs[i] = s.readRecords(r.Context(), member, traceID, msp)
			}()
		}
		wg.Wait()
		body := mergeLookup(&ticket, reads, errs)
		body.TransactionID, body.BlockNumber = sub.TransactionID, sub.BlockNumber
		writeJSON(w, http.StatusOK, body)
	}
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
		if err := json.Unmarshal(payload, &res); err != nil {
			return nil, &chain.Error{Kind: chain.KindInternal, Message: "credit:ReadRecords answered something other than a read result"}
		}
		return &res, nil
	}
	return nil, lastErr
}

// mergeLookup joins the ticket's records with the contents each holding
// org's peer returned, keeping only contents that came from a peer of the
// record's holding org and checking their SHA-256 against the record.
func mergeLookup(ticket *model.QueryTicket, reads []*model.ReadResult, errs []error) wire.CreditLookupBody {
	body := wire.CreditLookupBody{Trace: *ticket.Trace, Records: []wire.CreditRecordRead{}, Holders: []wire.CreditHolder{}, Complete: true}
	contents := map[string]string{} // recordId -> contents from its holder
	for i, msp := range ticket.Holders {
		h := wire.CreditHolder{MSPID: msp, OK: errs[i] == nil}
		if errs[i] != nil {
			e := fromLedger(errs[i])
			h.Error = &e.body
			body.Complete = false
		} else if reads[i] != nil && reads[i].PeerMSP == msp {
			for _, rr := range reads[i].Records {
				if rr != nil && rr.Record != nil && rr.Record.AgencyMSP == msp && rr.Contents != "" {
					contents[rr.Record.RecordID] = rr.Contents
				}
			}
		}
		body.Holders = append(body.Holders, h)
	}
	for _, rec := range ticket.Records {
		if rec == nil {
			continue
		}
		read := wire.CreditRecordRead{Record: *rec, HeldBy: rec.AgencyMSP}
		if c, ok := contents[rec.RecordID]; ok {
			sum := sha256.Sum256([]byte(c))
			read.Verified = hex.EncodeToString(sum[:]) == rec.ContentHash
			if json.Valid([]byte(c)) {
				read.Contents = json.RawMessage(c)
			} else {
				read.Contents, _ = json.Marshal(c)
			}
		}
		if !read.Verified {
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
