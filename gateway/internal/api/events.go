package api

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/events"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// events serves GET /v1/events: chaincode events as Server-Sent Events,
// filtered to what the caller may see, resuming after Last-Event-ID.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	from, err := eventStart(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	// A stream takes its place among the member's streams before it waits
	// for its peer or reads the ledger: a resume position past the peer's
	// height holds the request up to the wait, and no member may hold more
	// than its streams' worth of them.
	member, msp := caller(r).Member, caller(r).MSPID
	release, ok := s.streams.open(member)
	if !ok {
		writeError(w, r, newError(http.StatusTooManyRequests, CodeRateLimited,
			"%s has %d event streams open on this gateway, the most a member may; close one and retry", member, routes.EventStreamsMaxPerMember))
		return
	}
	defer release()
	// A stream resumed at a position judges what follows it by the rules
	// and the standing in force there: read them only from a peer that has
	// committed the blocks before it (every change the client has passed),
	// as an X-Min-Block request waits for its block. A peer behind them (a
	// client that last read another region's gateway) would answer with
	// rules older than the position, whose change the stream never meets:
	// 503 after the wait, and the client retries.
	if block, asker, ok := resumedAfter(from, r); ok {
		if err := s.height.waitFor(r.Context(), block, s.minBlockWait, asker); err != nil {
			writeError(w, r, err)
			return
		}
	}
	// The standing of now, as the chaincode reads it at each call: a stream
	// opened just after a suspension replays nothing restricted.
	st, err := s.memberStanding(r.Context(), member)
	if err != nil {
		writeError(w, r, err)
		return
	}
	// The market rules in force place the viewer (its region, its regulator
	// role: standing.under) and decide a trade's buyer's side (the region its
	// org is bound to now): read with the standing, never from the cache,
	// which another request may have filled before a change this stream
	// starts after (its event unseen), and again with every re-read of the
	// standing. The viewer's region is taken from this read, not from
	// WhoAmI's answer, which carries no version of the rules to check: a
	// peer behind a move of the viewer's org would give it the region it
	// left, beside the table of the rules that moved it.
	rules, err := s.rulesInForce(r.Context(), member)
	if err != nil {
		writeError(w, r, err)
		return
	}
	viewer := st.under(rules, msp)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	stream, err := s.ledger.Events(ctx, from)
	if err != nil {
		writeError(w, r, err)
		return
	}
	defer s.metrics.EventStreamOpened()()

	rc := http.NewResponseController(w)
	// Streams outlive any server write timeout.
	_ = rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	sse := events.NewWriter(w)
	_ = sse.Retry(2000)
	if sse.Flush() != nil || rc.Flush() != nil {
		return
	}
	heartbeat := time.NewTicker(s.heartbeat)
	defer heartbeat.Stop()
	// A stream without a position starts at the block after those its peer has committed when it subscribes, after
	// the standing and the rules were read: a change committed in between is in no event it meets. Its first event
	// reads them again, from a peer that has committed that event's block, so that none of the blocks before is
	// left unjudged (a stream with a position meets every block after the one its reads waited for).
	unjudged := !from.Set
	// authenticated checks the credentials the stream was opened with again, as every request's are: an API key or a
	// certificate revoked since ends the stream. It reads the gateway's own key file and CRL, never the ledger, and
	// verifies a certificate's chain again only once something its verdict depends on has changed (auth.Recheck).
	authenticated := s.auth.Recheck(r, member).Authenticated
	for {
		select {
		case e, ok := <-stream:
			if !ok {
				return // the peer ended the stream: the client resumes from its last ID
			}
			// Every event is for credentials that authenticate now: a key revoked or expired, or a certificate the
			// CRL lists, gets nothing more, not even up to the next heartbeat. The check reads the gateway's
			// in-memory key store and CRL, before any read of the ledger for the event.
			if !authenticated() {
				return
			}
			// Restricted events go only to a member whose standing allows
			// them now: read again when the registry or the market rules
			// change it, and at least every rolesTTL, so that a regulator
			// suspended (or no longer named) with the stream open gets
			// nothing restricted after that change.
			if unjudged || st.changedBy(e) || time.Since(st.at) >= s.rolesTTL {
				unjudged = false
				// Read again from a peer that has committed e's block, as at a
				// resume: one behind it would answer WhoAmI, which carries no
				// version to check, with the standing the event changed (a
				// suspended regulator still ACTIVE).
				if s.height.waitFor(ctx, e.BlockNumber, s.minBlockWait, events.ID(e)) != nil {
					return // the client resumes from its last ID
				}
				known := st
				if st, err = s.memberStanding(ctx, member); err != nil {
					return // the client resumes from its last ID
				}
				if st.id == "" {
					// Refused now (suspended, or its org's binding of its enterprise out of force): still recognise
					// its reinstatement, and a change of who acts for its enterprise.
					st.id, st.uscc = known.id, known.uscc
				}
				if rules, err = s.rulesInForce(ctx, member); err != nil {
					return // the client resumes from its last ID
				}
				viewer = st.under(rules, msp)
				// The event is its endorsers' claim: one org alone, endorsing a write under its own key-level
				// policy with code of its own, commits any event. A change to rules the peer, which has committed
				// the event's block, does not have is forged, and ending the stream would end it for good: the
				// client resumes from its last ID and meets it again. It is skipped; the rules read judge on.
				if claimed := rulesChangedTo(e); rules.Version < claimed {
					s.metrics.ForgedEventSkipped()
					s.log.Warn("event stream: skipping a forged event: the rules at its block are older than it claims",
						"event", e.Name, "block", e.BlockNumber, "transaction", e.TransactionID,
						"claimed_version", claimed, "rules_version", rules.Version)
					continue
				}
			}
			if !s.visibility.Allows(viewer, e.Name, e.Payload) {
				continue
			}
			payload, err := s.closedTradesFor(ctx, member, viewer, e)
			if err != nil {
				return // the client resumes from its last ID
			}
			data, _ := json.Marshal(wire.EventBody{Name: e.Name, BlockNumber: e.BlockNumber, TransactionID: e.TransactionID, Payload: jsonOrNull(payload)})
			if sse.Event(events.ID(e), e.Name, data) != nil || sse.Flush() != nil || rc.Flush() != nil {
				return
			}
		case <-heartbeat.C:
			// A quiet stream is checked too, at every heartbeat: with no event to deliver, a stream whose key was
			// revoked held its place among the member's streams and its delivery stream of the peer for as long
			// as the client kept it open.
			if !authenticated() {
				return
			}
			if sse.Comment("keep-alive") != nil || sse.Flush() != nil || rc.Flush() != nil {
				return
			}
		case <-s.done:
			return
		case <-ctx.Done():
			return
		}
	}
}

// rulesChangedTo is the version of the market rules that event e claims to
// have put in force (0 unless it is model.EventMarketRulesChanged): a stream
// reads the rules again on meeting it, from a peer that has committed its
// block, and skips it as forged when they are older.
func rulesChangedTo(e *chain.Event) int {
	var p model.RulesEvent
	if e.Name != model.EventMarketRulesChanged || json.Unmarshal(e.Payload, &p) != nil {
		return 0
	}
	return p.Version
}

// closedTradesFor returns the payload of event e as viewer sees it. The
// event of trades:CloseOthers (model.EventTradesClosed) is the sale's, and
// names the other buyers' trades the sale left waiting that it closed, and
// those buyers (each of whom sees the event, to learn why its trades ended).
// Who else ordered the listing is theirs and the seller's to know, and the
// sale (its ID, its buyer and the buyer's org) is for those who may read it,
// as every trade's ID is: a viewer that may not read every one of those
// trades (events.ReadsEveryClosedTrade, who reads the sale too) is shown only
// the closed trades trades:Get answers it, with their buyers, the sale's
// tradeId, buyerId and buyerMsp only when trades:Get answers it the sale (blank
// otherwise: a losing buyer learns that the holding was sold, not in which
// trade nor to whom), and every other field as the chaincode emitted it
// (withNarrowed). Which of them it may read the chain answers in one
// evaluation of trades:GetReadable (trades:Get's rule) for the closed trades
// and the sale together (readableTrades): a call per trade made the event
// reach a losing buyer later the more trades hidden from it the sale closed.
func (s *Server) closedTradesFor(ctx context.Context, member string, viewer events.Viewer, e *chain.Event) ([]byte, error) {
	var sale model.TradeEvent
	if ev, _ := model.LookupEvent(e.Name); ev.Audience != model.AudienceClosedTrades || json.Unmarshal(e.Payload, &sale) != nil ||
		events.ReadsEveryClosedTrade(viewer, sale) {
		return e.Payload, nil
	}
	readable, err := s.readableTrades(ctx, member, append([]string{sale.TradeID}, sale.ClosedTradeIDs...))
	if err != nil {
		return nil, err
	}
	narrowed := sale
	narrowed.ClosedTradeIDs, narrowed.ClosedBuyerIDs = nil, nil
	for _, id := range sale.ClosedTradeIDs {
		t := readable[id]
		if t == nil {
			continue // not the viewer's to read
		}
		narrowed.ClosedTradeIDs = append(narrowed.ClosedTradeIDs, id)
		if !slices.Contains(narrowed.ClosedBuyerIDs, t.BuyerID) {
			narrowed.ClosedBuyerIDs = append(narrowed.ClosedBuyerIDs, t.BuyerID)
		}
	}
	if readable[sale.TradeID] == nil {
		narrowed.TradeID, narrowed.BuyerID, narrowed.BuyerMSP = "", "", ""
	}
	return withNarrowed(e.Payload, sale, narrowed)
}

// readableTrades is the trades of ids that trades:GetReadable answers
// member, by ID: one evaluation of up to model.MaxTradesPerRead of them
// (more only for a sale that closed as many). Blank and repeated IDs (an
// event the chaincode did not emit) are asked once or not at all.
func (s *Server) readableTrades(ctx context.Context, member string, ids []string) (map[string]*model.Trade, error) {
	ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return id == "" })
	slices.Sort(ids)
	ids = slices.Compact(ids)
	readable := map[string]*model.Trade{}
	for batch := range slices.Chunk(ids, model.MaxTradesPerRead) {
		payload, err := s.ledger.Evaluate(ctx, member, "trades:GetReadable", []string{strings.Join(batch, ",")})
		if err != nil && chain.AsError(err).Kind == chain.KindRejected {
			continue // none of them the viewer's to read, as trades:Get refuses each (a member suspended, an ID no trade has)
		}
		if err != nil {
			return nil, err
		}
		var answer model.ReadableTrades
		if err := json.Unmarshal(payload, &answer); err != nil {
			return nil, err
		}
		for _, t := range answer.Items {
			if t != nil && slices.Contains(batch, t.ID) {
				readable[t.ID] = t
			}
		}
	}
	return readable, nil
}

// withNarrowed is payload, the event sale of trades:CloseOthers, with the
// fields the gateway narrows (its lists of closed trades and their buyers,
// the sale's own ID and buyer) written as narrowed has them. The fields are
// named once, by model.TradeEvent's tags: every field the sale sets is
// written again from narrowed (so an emptied list is left out, as the
// chaincode leaves an unset field out), and every field the model does not
// know stays as emitted, so that a buyer shown a narrowed event learns what
// the seller does, from a newer chaincode than this gateway's too, of
// everything but the other buyers and the sale's buyer.
func withNarrowed(payload []byte, sale, narrowed model.TradeEvent) ([]byte, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(payload, &fields); err != nil {
		return nil, err
	}
	known, err := fieldsOf(sale)
	if err != nil {
		return nil, err
	}
	for name := range known {
		delete(fields, name)
	}
	written, err := fieldsOf(narrowed)
	if err != nil {
		return nil, err
	}
	maps.Copy(fields, written)
	return json.Marshal(fields)
}

// fieldsOf is the event as the chaincode writes it, field by field.
func fieldsOf(e model.TradeEvent) (map[string]json.RawMessage, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	var fields map[string]json.RawMessage
	return fields, json.Unmarshal(b, &fields)
}

// resumedAfter is the last block before a stream's start position that
// the peer must have committed before the stream reads the rules and the
// standing it judges by, and what asked for it; ok is false for a stream
// that starts at the next block or at block 0. A stream resumed after an
// event needs that event's block whole: a change after the event in the
// block is met by the stream itself, one before it is in force.
func resumedAfter(from chain.Position, r *http.Request) (block uint64, asker string, ok bool) {
	switch {
	case from.AfterTransactionID != "":
		if r.Header.Get("Last-Event-ID") != "" {
			return from.Block, "Last-Event-ID", true
		}
		return from.Block, "after", true
	case from.Set && from.Block > 0:
		return from.Block - 1, "the block before start_block", true
	}
	return 0, "", false
}

// eventStart reads where a stream starts: just after Last-Event-ID (or
// ?after=), at ?start_block=, or at the next block.
func eventStart(r *http.Request) (chain.Position, error) {
	q, err := parseQuery(r.URL.RawQuery)
	if err != nil {
		return chain.Position{}, err
	}
	for k, vs := range q {
		if k != "after" && k != "start_block" {
			return chain.Position{}, invalidRule(k, ledgererr.RuleNotAQueryParameter)
		}
		if len(vs) > 1 {
			return chain.Position{}, invalidRule(k, ledgererr.RuleOnce)
		}
	}
	if id := r.Header.Get("Last-Event-ID"); id != "" {
		p, err := events.ParseID(id)
		if err != nil {
			return p, invalid("Last-Event-ID", "%v", err)
		}
		return p, nil
	}
	if v := q["after"]; len(v) == 1 && v[0] != "" {
		p, err := events.ParseID(v[0])
		if err != nil {
			return p, invalid("after", "%v", err)
		}
		return p, nil
	}
	if v := q["start_block"]; len(v) == 1 && v[0] != "" {
		n, err := strconv.ParseUint(v[0], 10, 64)
		if err != nil {
			return chain.Position{}, invalid("start_block", "must be a block number")
		}
		return chain.FromBlock(n), nil
	}
	return chain.Position{}, nil
}

// openStreams counts each member's open event streams.
type openStreams struct {
	mu sync.Mutex
	m  map[string]int
}

// open counts a stream of member unless it has routes.EventStreamsMaxPerMember
// open already; release uncounts it.
func (o *openStreams) open(member string) (release func(), ok bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m[member] >= routes.EventStreamsMaxPerMember {
		return nil, false
	}
	if o.m == nil {
		o.m = map[string]int{}
	}
	o.m[member]++
	return func() {
		o.mu.Lock()
		defer o.mu.Unlock()
		if o.m[member]--; o.m[member] == 0 {
			delete(o.m, member)
		}
	}, true
}

// standing is what the ledger said of a member, and when: its participant
// ID and its roles in force (none when it is not registered or not ACTIVE).
// What the market rules decide of it (its region, its regulator role) a
// stream takes from the rules it reads itself (under).
type standing struct {
	id string
	// uscc is the enterprise the member acts for, when its certificate certifies one (model.Participant.Certified):
	// a registry event naming it may have changed which org's members act for it.
	uscc  string
	roles []string
	at    time.Time
}

// under is the member of org msp with this standing as the chaincode places
// it under rules (model.Rules.Place): in its org's region, a regulator only
// where rules name it, and with no role at all when rules do not name its
// org, whose members the chaincode refuses. A WhoAmI answered by a peer
// behind the rules read (a region the org has left, a regulator role the
// rules have withdrawn) thus shows nothing the rules in force would not.
func (st standing) under(rules *model.Rules, msp string) events.Viewer {
	p := model.Participant{ID: st.id, MSPID: msp, Roles: st.roles}
	if !rules.Place(&p) {
		p.Roles = nil
	}
	return events.Viewer{ParticipantID: p.ID, MSPID: msp, Roles: p.Roles, RegionOf: rules.OrgRegion}
}

// changedBy reports whether a chaincode event may have changed the standing:
// a registry event naming the member's participant (suspended, reinstated,
// roles changed, its key rotated or rebound, which may leave the member's
// certificate acting for it no more, released with its enterprise) or the
// enterprise it acts for (another org's member registered for it, whose
// binding, once in force, leaves this member acting for it no more:
// requireBindingInForce), or a change of the market rules (which name the
// regulators, and decide which org's binding is in force).
//
// The cost: a registry event makes only the streams of its participant and
// of the members acting for its enterprise (a few per enterprise) read their
// standing and the rules again, two evaluations each once the peer has
// committed its block; a change of the rules makes every open stream read
// them. Streams of other members read nothing more than at every rolesTTL.
// A registry event of chaincode older than interface 13.0.0 names no
// enterprise: the member of another org then learns of it within rolesTTL.
func (st standing) changedBy(e *chain.Event) bool {
	named := func(ids []string, uscc string) bool {
		return (st.id != "" && slices.Contains(ids, st.id)) || (st.uscc != "" && uscc == st.uscc)
	}
	switch e.Name {
	case model.EventParticipantSuspended, model.EventParticipantReinstated, model.EventParticipantRolesChanged, model.EventParticipantRegistered,
		model.EventParticipantKeyRotated, model.EventParticipantKeyRebound:
		var p model.ParticipantEvent
		return json.Unmarshal(e.Payload, &p) == nil && named([]string{p.ParticipantID}, p.USCC)
	case model.EventEnterpriseReleased:
		var p model.ReleaseEvent
		return json.Unmarshal(e.Payload, &p) == nil && named(p.ParticipantIDs, p.USCC)
	case model.EventMarketRulesChanged:
		return true
	}
	return false
}

// memberStanding reads the member's participant record (WhoAmI) from the
// ledger. A member that is not
// registered, or is suspended, has no roles (and so sees market events
// only). It is read at every use, never from a cache: the chaincode checks
// the caller's standing at each call, so a suspension or a change of roles
// takes effect at once.
func (s *Server) memberStanding(ctx context.Context, member string) (standing, error) {
	payload, err := s.ledger.Evaluate(ctx, member, "participants:WhoAmI", nil)
	st := standing{at: time.Now()}
	if err != nil {
		e := chain.AsError(err)
		if e.Kind != chain.KindRejected || (e.Code != ledgererr.Forbidden && e.Code != ledgererr.NotFound) {
			return standing{}, err
		}
	} else {
		var p model.Participant
		if err := json.Unmarshal(payload, &p); err == nil {
			st.id = p.ID
			if p.Certified() {
				st.uscc = p.USCC
			}
			if p.Status == model.ParticipantActive {
				st.roles = p.Roles
			}
		}
	}
	return st, nil
}
