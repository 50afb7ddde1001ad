package credit

import (
	"encoding/json"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/peerclock"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// RequestQuery is the first step of reading a subject's credit records, and
// must be SUBMITTED: the trace it writes is what the peers check in the
// second step, ReadRecords.
//
// It is allowed when the caller acts for the subject or is a regulator (then
// authId is ""), or when authId names an authorisation of that subject to
// the caller, unrevoked, unexpired (by the transaction time and this peer's
// clock), for the same purpose, granted by a participant of the org that
// holds the subject now (requireGrantedWhereHeld) and no later than the
// transaction time (INVALID_ARGUMENT on txTimestamp otherwise: see
// entitlement); otherwise it is FORBIDDEN and writes nothing. It writes the
// trace (who, when, purpose, which authorisation), valid for 15 minutes, and
// returns it.
//
// It reads none of the subject's records, not even their index: a peer
// cannot tell an evaluation from an endorsement, so a caller that only
// evaluates this function commits no trace, and it must learn nothing of the
// records then, neither from the answer nor from the read set, which a
// member signing its own proposal receives. Which records are in force and
// which orgs hold them ReadRecords answers, against the committed trace.
func (c *Contract) RequestQuery(ctx contractapi.TransactionContextInterface, traceId, subjectUscc, purpose, authId string) (*model.Trace, error) {
	if err := validate.ID("traceId", traceId); err != nil {
		return nil, err
	}
	if err := validate.USCC("subjectUscc", subjectUscc); err != nil {
		return nil, err
	}
	if err := validate.Text("purpose", purpose, model.MaxCreditPurposeLength); err != nil {
		return nil, err
	}
	if err := optionalID("authId", authId); err != nil {
		return nil, err
	}
	caller, err := participants.Caller(ctx)
	if err != nil {
		return nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	if authId != "" {
		if err := requireGrantedTo(ctx, caller, subjectUscc, authId); err != nil {
			return nil, err
		}
	}
	// The authorisation's expiry is judged by the later of the two clocks,
	// as ReadRecords judges it: a grantee stamping its proposal back by up to
	// model.MaxClockSkew starts no lookup after its authorisation expired.
	basis, err := entitlement(ctx, caller, subjectUscc, purpose, authId, now, latest(now, peerclock.Now()))
	if err != nil {
		return nil, err
	}
	key, err := newKey(ctx, keyTrace, ledgererr.Phrase("query trace"), traceId)
	if err != nil {
		return nil, err
	}
	at := state.Format(now)
	t := &model.Trace{
		TraceID: traceId, SubjectUSCC: subjectUscc, QuerierID: caller.ID, QuerierMSP: caller.MSPID,
		Purpose: purpose, Basis: basis, AuthID: authId, At: at, ExpiresAt: state.Format(now.Add(traceLifetime)),
	}
	if err := putTrace(ctx, key, t); err != nil {
		return nil, err
	}
	return t, state.Emit(ctx, model.EventQueryRequested, model.CreditEvent{TraceID: traceId, SubjectUSCC: subjectUscc, QuerierID: caller.ID})
}

// putTrace writes a new trace and its index entries (the time in their keys
// lists traces oldest first), each under a key-level policy of a majority of
// the channel's orgs. A trace is the subject's record of who looked: no
// fewer orgs than a majority may endorse a transaction that deletes it, or
// the lookup would vanish from ListTraces. The chaincode's policy asks as
// much since interface 7.0.0 (before, the querier's org and any one other
// met it); the trace's own policy keeps it so, whatever the chaincode's.
func putTrace(ctx state.Context, key string, t *model.Trace) error {
	rules, err := market.Get(ctx)
	if err != nil {
		return err
	}
	if err := state.Put(ctx, key, t); err != nil {
		return err
	}
	keys := []string{key}
	for _, index := range []struct {
		name  string
		attrs []string
	}{
		{idxTraceBySubject, []string{t.SubjectUSCC, t.At, t.TraceID}},
		{idxTraceByQuerier, []string{t.QuerierID, t.At, t.TraceID}},
		// The querier's entry of the ID alone, which ReadRecords looks up
		// before the trace (querierTrace): kept as the trace is, so that
		// no fewer orgs take its read from the querier.
		{idxTraceAsked, []string{t.QuerierID, t.TraceID}},
	} {
		if err := state.PutIndex(ctx, index.name, index.attrs...); err != nil {
			return err
		}
		k, err := state.Key(ctx, index.name, index.attrs...)
		if err != nil {
			return err
		}
		keys = append(keys, k)
	}
	if t.AuthID != "" {
		k := traceByAuthKey(t.AuthID, t.At, t.TraceID)
		if err := state.Put(ctx, k, t.TraceID); err != nil {
			return err
		}
		keys = append(keys, k)
	}
	for _, k := range keys {
		if err := state.RequireMajority(ctx, k, rules.MSPIDs()); err != nil {
			return err
		}
	}
	return nil
}

// ReadRecords is the second step of reading a subject's credit records. It
// must be EVALUATED, never submitted: first on a peer of the caller's own
// org, which answers the subject's records in force and the org that holds
// each one's contents (HeldBy), then on a peer of each of those orgs, which
// answers the contents its org holds. Only against a committed trace does a
// caller learn which records there are (RequestQuery reads none).
//
// Why never submitted: a submitted transaction's response is written into
// the block that every org receives, so the contents would reach all of them.
// An evaluated response goes only to the caller, through its gateway. The
// REST gateway only ever evaluates this function, and the chaincode metadata
// tags it "evaluate".
//
// What the chaincode cannot prevent: a peer cannot tell an evaluation from
// the endorsement of a transaction that its client will submit. A client
// that submits this function through a Fabric Gateway fails safe: no two
// orgs' peers answer alike (each names its own org, PeerMSP, and only a
// holding org's adds contents), so the gateway finds the responses
// mismatched and nothing is ordered. But a client that builds the transaction itself can wrap its one response in an
// envelope and send it to the orderer; the transaction is invalid, yet its
// payload is in the block. That disclosure is by the querier, of contents it
// was entitled to read, and no ledger can stop an entitled reader from
// passing on what it read. A marker in the transient map that "the gateway
// evaluates this" would not change that: any client can set it. The
// chaincode therefore sets no such marker and does not pretend to.
//
// Checks: the trace exists and the caller is its querier (to anyone else
// it reads as a missing one, querierTrace), the trace stands
// where its subject keeps seeing it (requireKeptTrace), its window holds by
// the transaction time and by this peer's clock, and the caller is still
// entitled (a revoked or expired authorisation stops the trace at once; the
// expiry is judged by this peer's clock too, which the client cannot choose).
// The answer lists every record of the subject in force, but for a lookup
// under an authorisation those whose objection is overdue while nobody can
// answer it (withholding.withheld), each with HeldBy,
// the org whose peers hold its contents. For a record whose agency org is
// this peer's org, it carries the private bytes exactly as stored, as a
// JSON string in Contents, and Verified says whether their SHA-256 equals the
// public ContentHash; the caller should check that itself. A record whose
// contents' validUntil has been reached, by the transaction time or by this
// peer's clock, is marked Expired, and to a lookup under an authorisation it
// carries no contents (readContents says why the subject and the regulator
// still read them). Records of other
// orgs are listed without contents: ask a peer of HeldBy. A peer whose org
// holds none answers the list alone, which is how the caller learns whom to
// ask.
func (c *Contract) ReadRecords(ctx contractapi.TransactionContextInterface, traceId string) (*model.ReadResult, error) {
	caller, err := callerOn(ctx, "traceId", traceId, participants.Caller)
	if err != nil {
		return nil, err
	}
	t, err := querierTrace(ctx, caller, traceId)
	if err != nil {
		return nil, err
	}
	if err := requireKeptTrace(ctx, t); err != nil {
		return nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	wall := peerclock.Now()
	if err := checkTraceWindow(t, now, wall); err != nil {
		return nil, err
	}
	// The authorisation's expiry is judged by the later of the two clocks:
	// the client chooses the proposal's time, not this peer's.
	basis, err := entitlement(ctx, caller, t.SubjectUSCC, t.Purpose, t.AuthID, now, latest(now, wall))
	if err != nil {
		return nil, err
	}
	local, err := localMSPID()
	if err != nil {
		return nil, ledgererr.Internalf(err, "this peer's MSP ID is unknown")
	}
	records, unsealed, err := subjectRecords(ctx, t.SubjectUSCC)
	if err != nil {
		return nil, err
	}
	result := &model.ReadResult{Trace: t, PeerMSP: local, Records: []*model.RecordRead{}}
	w := &withholding{basis: basis, at: latest(now, wall), unsealed: unsealed, answerable: map[answerer]bool{}}
	for _, r := range records {
		if !r.InForce() {
			continue
		}
		if held, err := w.withheld(ctx, r); err != nil {
			return nil, err
		} else if held {
			continue
		}
		read := &model.RecordRead{Record: r, HeldBy: r.AgencyMSP}
		// Only the holding org's peers have the private data; asking any
		// other peer for it is an error in Fabric, not an empty answer.
		if r.AgencyMSP == local {
			if vouched, err := w.vouched(ctx, r); err != nil {
				return nil, err
			} else if vouched {
				if err := readContents(ctx, r, read, w); err != nil {
					return nil, err
				}
			}
		}
		result.Records = append(result.Records, read)
	}
	return result, nil
}

// withholding decides which records a lookup on the basis basis, at time
// at, leaves out (withheld), reading the standing of each issuing agency
// once.
type withholding struct {
	basis      string
	at         time.Time
	unsealed   map[string]bool   // by record ID: published before 16.0.0 (subjectRecords)
	answerable map[answerer]bool // answerable's judgements, kept for the lookup (orphaned)
}

// withheld reports whether the lookup leaves out record r: a lookup under an
// authorisation does not read a record whose objection is overdue
// (model.Record.ObjectionOverdueAt) while nobody can answer it any more
// (answerable), the one judgement orphaned makes: the issuing agency
// enterprise lost its licence (no participant of it holds the agency role),
// all of it is suspended (or reinstated, its keys not yet rebound), its org
// released it or was removed, or the record is about the agency's own
// enterprise. The law gives an agency twenty days to
// check a disputed record (model.ObjectionAnswerWindow); a record nobody can
// check would otherwise be handed to the subject's counterparties for good.
// Withholding it does not decide the subject's case: a regulator answers for
// the agency (AnswerObjection, by this same judgement), and the record is read
// again once dismissed. An agency that can still answer and does
// not is marked overdue and its record read, as before: the subject's org
// may endorse AnswerObjection, and it must not withhold a record by
// keeping the agency from answering. The subject and the regulator still
// read it. The due time is judged by the later of the transaction time and
// this peer's clock, as the trace's window is: a grantee stamping its read
// back reads no record the peer's clock has withheld. The record's key stays
// in the read set, as every record in force does, so a grantee signing its
// own read learns its ID, as it did before the due time.
//
// Nor does a lookup under an authorisation read a record published before
// interface 16.0.0 (unsealed: it has no keyRecordSealed mark): its key was
// under its agency's org alone, which, running chaincode of its own, could
// rewrite it by itself (its contents and their hash, its issuer, a
// dismissal of an objection still open), so nothing on the ledger tells a
// true one from a forged one. Its agency issues it again (StageRecord and
// Publish under a new ID, or CORRECT when answering an objection to it),
// under a majority of the orgs: the new record is read. The subject and the
// regulator still read an unsealed record, to dispute and supervise what
// agencies keep, with its contents only where the ledger vouches for its
// issuer (vouched).
func (w *withholding) withheld(ctx state.Context, r *model.Record) (bool, error) {
	if w.basis != model.BasisAuthorization {
		return false, nil
	}
	if w.unsealed[r.RecordID] {
		return true, nil
	}
	return orphaned(ctx, r, w.at, w.answerable)
}

// vouched reports whether the lookup may read the contents of record r, which it reads (withheld): any sealed
// record's. An unsealed one (published before 16.0.0, under its agency's org alone), which only the subject and the
// regulator read, must still name the participant that issued it, as the ledger filed it when it was published
// (its issuer enterprise's entry, credit.record~issued, which needs a majority to write): its org could have
// attributed it to another org's agency, whose peers would then serve that agency's staged, never published draft,
// Verified, under a hash the forger copied. A record published before 13.0.0 has no such entry, and is listed
// without contents until its agency issues it again (or answers an objection to it, which files it). Two requests
// for each such record, on the peer of the org that holds its contents.
func (w *withholding) vouched(ctx state.Context, r *model.Record) (bool, error) {
	if !w.unsealed[r.RecordID] {
		return true, nil
	}
	issuer, err := participants.Get(ctx, r.AgencyID)
	if ledgererr.CodeOf(err) == ledgererr.NotFound {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if issuer.MSPID != r.AgencyMSP {
		return false, nil
	}
	return anyFiled(ctx, entry{idxRecordIssued, issuer.USCC, r.RecordID})
}

// answerer is whose answer answerable judges: the issuing participant's ID
// and the record's subject.
type answerer struct{ issuerID, subjectUSCC string }

// orphaned reports whether nobody answers record r's objection any more at
// time at: it is overdue (model.Record.ObjectionOverdueAt) and nobody can
// answer it (answerable). It is the one judgement by which a lookup withholds
// the record (withholding) and a regulator answers for the agency
// (requireOrphaned). known, if not nil, keeps answerable's judgements, so
// that a lookup reads each issuing agency's standing once.
func orphaned(ctx state.Context, r *model.Record, at time.Time, known map[answerer]bool) (bool, error) {
	if !r.ObjectionOverdueAt(at) {
		return false, nil
	}
	who := answerer{r.AgencyID, r.SubjectUSCC}
	can, ok := known[who]
	if !ok {
		var err error
		if can, err = answerable(ctx, who); err != nil {
			return false, err
		}
		if known != nil {
			known[who] = can
		}
	}
	return !can, nil
}

// answerable reports whether anyone may answer the objections to the records
// who.issuerID issued about who.subjectUSCC, as the agency's AnswerObjection
// answerer (a regulator answers for it only when nobody may): a participant
// acting for the issuer's enterprise (actsFor), ACTIVE with a key in force
// (not one a suspension withdrew: a participant reinstated before its admin
// rebinds its key answers nothing), with the agency role, in the org whose
// binding of the enterprise is in force. Nobody may answer for an issuer
// whose enterprise is the subject (a record from before Publish refused
// those): AnswerObjection refuses every participant of it
// (requireNotOwnEnterprise), each acting for the issuer's enterprise. A
// participant whose record is bytes that are no participant, which its org
// alone wrote (participants.Lookup), answers nothing: read strictly, they
// failed every lookup of the subject under an authorisation once an
// objection to the issuer's record was overdue, and the regulator's answer
// for the agency, for good.
func answerable(ctx state.Context, who answerer) (bool, error) {
	issuer, err := participants.Lookup(ctx, who.issuerID)
	if err != nil || issuer == nil {
		return false, err
	}
	if requireNotOwnEnterprise(issuer, who.subjectUSCC) != nil {
		return false, nil
	}
	e, bound, err := participants.GetEnterprise(ctx, issuer.USCC)
	if err != nil || !bound {
		return false, err
	}
	ids, err := participants.ByUSCC(ctx, issuer.USCC)
	if err != nil {
		return false, err
	}
	for _, id := range ids {
		p, err := participants.Lookup(ctx, id)
		if err != nil {
			return false, err
		}
		if p != nil && actsFor(p, issuer.USCC) && p.MSPID == e.MSPID && p.Status == model.ParticipantActive && !p.KeyWithdrawn && p.HasRole(model.RoleAgency) {
			return true, nil
		}
	}
	return false, nil
}

// requireKeptTrace refuses a trace that its subject might not keep seeing:
// the trace and its entry in the subject's index, which ListTraces lists,
// must both stand under the key-level policy putTrace gives them, a majority
// of the orgs of the market rules. A new key needs only the chaincode's
// policy, so the querier's org and others, as many as that policy asks (a
// majority), running a chaincode of their own, could write a trace without
// the entry, or without the policy and erase it after the read (which only
// matters where the chaincode's policy asks for fewer than a majority);
// this peer would then answer a lookup that the subject never sees. A trace
// written under market rules with other orgs no longer serves: the querier
// asks again.
func requireKeptTrace(ctx state.Context, t *model.Trace) error {
	rules, err := market.Get(ctx)
	if err != nil {
		return err
	}
	traceKey, err := state.Key(ctx, keyTrace, t.TraceID)
	if err != nil {
		return err
	}
	entryKey, err := state.Key(ctx, idxTraceBySubject, t.SubjectUSCC, t.At, t.TraceID)
	if err != nil {
		return err
	}
	for _, key := range []string{traceKey, entryKey} {
		if kept, err := state.RequiresMajority(ctx, key, rules.MSPIDs()); err != nil {
			return err
		} else if !kept {
			return ledgererr.Forbiddenf("query trace %q is not kept in the view of %s: the trace and its entry in the list of its traces must each need a majority of the orgs to change, as RequestQuery writes them", t.TraceID, t.SubjectUSCC)
		}
	}
	return nil
}

// readContents fills in the private bytes of a record this peer's org holds.
// A peer that has not yet received them (private data still being
// reconciled) answers without contents; the client can ask another peer.
//
// A record whose validUntil the lookup's time w.at (the later of the
// transaction time and this peer's clock, as for the trace's window: the
// client chooses the one, not the other) has reached is marked Expired, and
// a lookup under an authorisation gets no contents: credit-reporting rules
// supply no expired record to a querier, where a subject's old default
// would go on harming it. The subject and the regulator still read them,
// marked expired: the subject must see what an agency keeps about it to
// dispute it (RaiseObjection), and the regulator supervises what agencies
// keep and whether they stop supplying it. Only this org's peers can read
// validUntil, so only they mark a record expired; the record stays listed
// (every peer lists it, and its key is in the read set anyway), so the
// grantee learns that the record exists and has expired, never what it
// said.
func readContents(ctx state.Context, r *model.Record, read *model.RecordRead, w *withholding) error {
	key, err := contentsKey(ctx, r.RecordID, r.SubjectUSCC, r.AgencyID)
	if err != nil {
		return err
	}
	private, err := ctx.GetStub().GetPrivateData(implicitCollection(r.AgencyMSP), key)
	if err != nil {
		return ledgererr.Internalf(err, "reading the private contents of record %q", r.RecordID)
	}
	if private == nil {
		return nil
	}
	read.Expired = expiredAt(private, w.at)
	if read.Expired && w.basis == model.BasisAuthorization {
		return nil
	}
	read.Contents = string(private)
	read.Verified = contentHash(private) == r.ContentHash
	return nil
}

// expiredAt reports whether the stored contents private have expired at at
// (model.CreditContents.ExpiredAt). Contents whose validUntil cannot be read
// count as expired: the chaincode stores only contents it parsed
// (parseContents), so such bytes were written around it and match no
// record's hash (Verified false), and nothing shows that their term still
// runs; a grantee is not served them as if in force.
func expiredAt(private []byte, at time.Time) bool {
	var c model.RecordContents
	if json.Unmarshal(private, &c) != nil {
		return true
	}
	if _, err := time.Parse(state.TimeLayout, c.ValidUntil); err != nil {
		return true
	}
	return c.ExpiredAt(at)
}

// latest returns the later of two instants.
func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// checkTraceWindow refuses a read outside the trace's window [at, expiresAt)
// by the transaction time now, or after its end by this peer's clock wall.
//
// The transaction time is the client's own claim, but every contract's
// BeforeTransaction (state.Declare) has already refused a time more than
// model.MaxClockSkew before or model.MaxClockLead after this peer's clock,
// so a querier cannot stamp its reads inside the window of an old trace, or
// stamp RequestQuery far in the future to open a long window, and read
// without leaving a new trace. Within those bounds it still could stamp its
// reads back: so the window's end is judged by the later of the two clocks,
// as the authorisation's expiry is; a RequestQuery stamped ahead lengthens
// the window by the lead, a minute, at most.
func checkTraceWindow(t *model.Trace, now, wall time.Time) error {
	at, err := parseStored(t.At)
	if err != nil {
		return err
	}
	expires, err := parseStored(t.ExpiresAt)
	if err != nil {
		return err
	}
	if now.Before(at) || !now.Before(expires) {
		return ledgererr.Forbiddenf("query trace %q is valid from %s until %s; the transaction time %s is outside it", t.TraceID, t.At, t.ExpiresAt, state.Format(now))
	}
	if !wall.Before(expires) {
		return ledgererr.Forbiddenf("query trace %q is valid from %s until %s; this peer's clock, %s, is outside it", t.TraceID, t.At, t.ExpiresAt, state.Format(wall))
	}
	return nil
}

// ListTraces returns one page of the query traces of a subject's records,
// oldest first, to the subject's own participants and regulators.
func (c *Contract) ListTraces(ctx contractapi.TransactionContextInterface, subjectUscc, pageSize, bookmark string) (*model.TracePage, error) {
	size, err := subjectListSize(ctx, subjectUscc, pageSize, ledgererr.Phrase("query traces"))
	if err != nil {
		return nil, err
	}
	return tracePage(ctx, idxTraceBySubject, subjectUscc, size, bookmark, traceSubject)
}

// ListMyTraces returns one page of the caller's own query traces, oldest
// first.
func (c *Contract) ListMyTraces(ctx contractapi.TransactionContextInterface, pageSize, bookmark string) (*model.TracePage, error) {
	caller, size, err := participants.CallerWithPageSize(ctx, pageSize)
	if err != nil {
		return nil, err
	}
	return tracePage(ctx, idxTraceByQuerier, caller.ID, size, bookmark, traceQuerier)
}

// tracePage reads one page of a trace index whose rows are (at, traceId),
// keeping only owner's traces (ownedPage; whose tells whose a trace is in
// this index: its subject's or its querier's), so that no forged entry keeps
// a subject from listing who looked at its records.
func tracePage(ctx state.Context, index, owner string, size int32, bookmark string, whose func(*model.Trace) string) (*model.TracePage, error) {
	return state.PageOf[model.TracePage](ownedPage(ctx, index, keyTrace, owner, size, bookmark, whose))
}

// traceSubject and traceQuerier say whose a trace is in the index of its
// subject and in that of its querier.
func traceSubject(t *model.Trace) string { return t.SubjectUSCC }
func traceQuerier(t *model.Trace) string { return t.QuerierID }
