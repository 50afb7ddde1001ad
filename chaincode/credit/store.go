package credit

import (
	"slices"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Key types of the credit contract. Indexes are one composite key per entry,
// so no transaction rewrites a shared record.
const (
	keyRecord    = "credit.record"
	keyAuth      = "credit.auth"
	keyTrace     = "credit.trace"
	keyObjection = "credit.objection"

	// keyContents keys a record's contents in the private data of its
	// agency's org: recordId, subjectUscc, agencyId (see contentsKey).
	keyContents = "credit.contents"

	// keyRecordSealed (recordId) marks a record written under a majority of
	// the orgs from its publication on (publish, from interface 16.0.0). A
	// record published before was under its agency's org alone, which could
	// rewrite it, and its key-level policy with it, so neither the record
	// nor its policy tells a true one from a rewritten one; the mark can: a
	// new key needs the chaincode-level policy, a majority of the orgs, and
	// no org creates it alone.
	keyRecordSealed = model.RecordSealedKeyType
	// keyAuthSealed (authId) marks an authorisation written under a majority
	// of the orgs from its grant on (Authorize, from interface 16.0.0), as
	// keyRecordSealed marks a record: one granted before was under its
	// subject's org alone.
	keyAuthSealed = model.AuthSealedKeyType

	// sealedSince is the interface version from which records and
	// authorisations are written under a majority of the orgs and marked so
	// (keyRecordSealed, keyAuthSealed).
	sealedSince = "16.0.0"

	idxRecordBySubject    = "credit.record~subject"    // subjectUscc, recordId; until the record is retired
	idxRetiredBySubject   = "credit.record~retired"    // subjectUscc, recordId; WITHDRAWN or SUPERSEDED (retire)
	idxRecordByIssuer     = "credit.record~issuer"     // issuerUscc, subjectUscc, recordId; from 13.0.0 (fileWithIssuer)
	idxRecordIssued       = "credit.record~issued"     // issuerUscc, recordId; from 13.0.0 (fileWithIssuer)
	idxAuthBySubject      = "credit.auth~subject"      // subjectUscc, authId
	idxAuthByGrantee      = "credit.auth~grantee"      // granteeId, authId
	idxTraceBySubject     = "credit.trace~subject"     // subjectUscc, at, traceId
	idxTraceByQuerier     = "credit.trace~querier"     // querierId, at, traceId
	idxTraceAsked         = "credit.trace~asked"       // querierId, traceId; from 13.0.0 (putTrace)
	idxObjectionBySubject = "credit.objection~subject" // subjectUscc, objectionId
	idxOpenByAgency       = "credit.objection~open"    // agencyUscc, objectionId; only while OPEN
	idxObjectionByAgency  = "credit.objection~agency"  // agencyUscc, objectionId; from 13.0.0 (RaiseObjection, AnswerObjection)
)

// keyTraceByAuth prefixes the entries of the traces written under an
// authorisation: keyTraceByAuth/authId/at/traceId (traceByAuthKey). Unlike
// the other indexes these are simple keys, not composite ones: a revocation
// reads the traces from its own stamp on as one range (lastUseAfter), and
// Fabric reads a range of simple keys only. The separator is not in any ID
// (validate.ID), so one authorisation's entries are one range.
const keyTraceByAuth = "credit.trace~auth"

// traceByAuthKey is the key of trace traceID's entry, at at, under
// authorisation authID.
func traceByAuthKey(authID, at, traceID string) string {
	return traceByAuthPrefix(authID) + at + "/" + traceID
}

// traceByAuthPrefix starts every key of authorisation authID's traces.
func traceByAuthPrefix(authID string) string {
	return keyTraceByAuth + "/" + authID + "/"
}

// implicitCollection names the org's implicit private data collection, which
// every channel org has without configuration and whose data only that org's
// peers hold. Writes to it need the org's endorsement (its Endorsement policy).
func implicitCollection(msp string) string {
	return "_implicit_org_" + msp
}

// contentsKey is the private key of a record's contents in its agency org's
// implicit collection. StageRecord writes the contents there; Publish and
// AnswerObjection (CORRECT) read only the hash of that key's value; ReadRecords
// reads the value. The key holds the subject and the staging participant as
// well as the record ID, so that a hash found under it vouches for all three:
// Publish runs on peers that cannot read the contents and so cannot check
// which subject they name or who staged them, but it can look up the hash
// under exactly the record, subject and caller it publishes. The "credit."
// prefix keeps the key apart from other contracts' data in the same
// collection.
func contentsKey(ctx state.Context, recordID, subjectUSCC, agencyID string) (string, error) {
	return state.Key(ctx, keyContents, recordID, subjectUSCC, agencyID)
}

// missing is the NOT_FOUND refusal of what id.
func missing(what, id string) error {
	return ledgererr.NotFoundf("%s %q does not exist", what, id)
}

// ownedPage reads one page of index under owner, whose rows end with the ID
// of a record of keyType, keeping only the records that exist and are
// owner's (whose): a forged entry keeps no subject, agency or grantee from
// listing its own records (state.IndexedPage), nor do bytes that are no
// record (stored).
func ownedPage[R any, P keyed[R]](ctx state.Context, index, keyType, owner string, size int32, bookmark string, whose func(*R) string) ([]*R, string, error) {
	read, next, err := state.IndexedPage(ctx, index, []string{owner}, size, bookmark, keyType, func(s *stored[R, P]) bool { return whose(&s.r) == owner })
	return unstored(read), next, err
}

// pageAsOf is ownedPage with each record shown by at as it reads at the
// transaction time (an authorisation past its term, an objection past its
// due time).
func pageAsOf[R any, P keyed[R], V any](ctx state.Context, index, keyType, owner string, size int32, bookmark string,
	whose func(*R) string, at func(*R, time.Time) V) ([]V, string, error) {
	now, err := state.Now(ctx)
	if err != nil {
		return nil, "", err
	}
	records, next, err := ownedPage[R, P](ctx, index, keyType, owner, size, bookmark, whose)
	if err != nil {
		return nil, "", err
	}
	items := make([]V, len(records))
	for i, r := range records {
		items[i] = at(r, now)
	}
	return items, next, nil
}

// newKey returns the key for a record about to be created, or CONFLICT when
// the caller-chosen ID is taken.
func newKey(ctx state.Context, keyType, what, id string) (string, error) {
	return state.NewKey(ctx, func() error { return ledgererr.Conflictf("%s %q already exists", what, id) }, keyType, id)
}

func getRecord(ctx state.Context, id string) (*model.Record, string, error) {
	return state.Find[model.Record](ctx, func() error { return missingRecord(id) }, keyRecord, id)
}

// missingRecord is the refusal of a credit record that does not exist, and
// of one the caller may not read (readableRecord), which must not differ.
func missingRecord(id string) error {
	return missing(ledgererr.Phrase("credit record"), id)
}

// querierTrace reads trace id for caller, its querier, and refuses anyone
// else exactly as a trace that does not exist is refused (same code, same
// message, after the same requests and reads): who looked up whose records,
// and when, is for the subject and the regulator (ListTraces), and whether a
// lookup of that ID happened at all is not for whoever guesses or overhears
// its ID. It reads the trace's key only once the caller's own entry of the
// ID (idxTraceAsked) is found (anyFiled); the trace itself still decides,
// since orgs running a chaincode of their own could forge an entry.
func querierTrace(ctx state.Context, caller *model.Participant, id string) (*model.Trace, error) {
	refuse := func() error { return missingTrace(id) }
	t, _, err := findFiled[model.Trace](ctx, refuse, []entry{{idxTraceAsked, caller.ID, id}}, keyTrace, id)
	if err != nil {
		return nil, err
	}
	if t.QuerierID != caller.ID {
		return nil, refuse()
	}
	return t, nil
}

// missingTrace is the refusal of a query trace that does not exist, and of
// one that is not the caller's (querierTrace), which must not differ.
func missingTrace(id string) error {
	return missing(ledgererr.Phrase("query trace"), id)
}

// subjectRecords reads the records of a subject that a lookup may name, in
// record-ID order: those filed under its index of records not retired (see
// retire), which a lookup still filters by Record.InForce, since a record
// retired before that index moved retired ones out is still filed there. The
// set is bounded by what agencies publish about one enterprise, so
// ReadRecords may read it whole.
//
// An index entry is only a pointer, and the record it points at says whose
// it is: an entry that names no record, or a record about another
// enterprise, is left out. A new index entry needs only the chaincode's
// policy, so the querier's org and others, as many as that policy asks (a
// majority), running a chaincode of their own, could file another
// enterprise's record under the querier's; a lookup
// must not then read that record's contents under a trace that names the
// querier's enterprise, which the record's subject never sees. Nor should an
// entry naming no record stop every lookup of the subject.
//
// Each record is read with its mark (keyRecordSealed) in the same request to
// the peer; unsealed names those that have none (published before interface
// 16.0.0, under their agency's org alone, which may have rewritten them).
func subjectRecords(ctx state.Context, subjectUSCC string) (records []*model.Record, unsealed map[string]bool, err error) {
	rows, err := state.Collect(ctx, idxRecordBySubject, []string{subjectUSCC})
	if err != nil {
		return nil, nil, err
	}
	ids := make([]string, len(rows))
	for i, row := range rows {
		ids[i] = row[len(row)-1]
	}
	read, sealed, err := withMarks[model.Record](ctx, keyRecord, keyRecordSealed, ids)
	if err != nil {
		return nil, nil, err
	}
	records, unsealed = []*model.Record{}, map[string]bool{}
	for _, id := range ids {
		if r := read[id]; r != nil && r.SubjectUSCC == subjectUSCC {
			records = append(records, r)
			unsealed[id] = !sealed[id]
		}
	}
	return records, unsealed, nil
}

// seal writes id's mark of markType (keyRecordSealed, keyAuthSealed), as the transaction that writes the record
// or authorisation under a majority of the orgs does: a new key, which withMarks reads back.
func seal(ctx state.Context, markType, id string) error {
	key, err := state.Key(ctx, markType, id)
	if err != nil {
		return err
	}
	return state.Put(ctx, key, true)
}

// withMarks reads the records of keyType that ids name (stored: bytes that are no record read as none) and their
// marks of markType (keyRecordSealed, keyAuthSealed) in one request to the peer, by ID: records names those found,
// sealed those marked.
func withMarks[R any, P keyed[R]](ctx state.Context, keyType, markType string, ids []string) (records map[string]*R, sealed map[string]bool, err error) {
	batch, err := state.NewBatch[stored[R, P]](ctx, keyType, ids)
	if err != nil {
		return nil, nil, err
	}
	marks, err := state.NewBatch[bool](ctx, markType, ids)
	if err != nil {
		return nil, nil, err
	}
	if err := state.GetAll(ctx, append(batch.Reads(), marks.Reads()...)...); err != nil {
		return nil, nil, err
	}
	records, sealed = map[string]*R{}, map[string]bool{}
	for _, id := range ids {
		if s := batch.Record(id); s != nil {
			records[id] = &s.r
		}
		sealed[id] = marks.Record(id) != nil
	}
	return records, sealed, nil
}

// agreeing reads the records of a subject that rows name (state.AgreeingRecords, each as stored), keeping those
// about it.
func agreeing(ctx state.Context, subjectUSCC string, rows [][]string) ([]*model.Record, error) {
	read, err := state.AgreeingRecords(ctx, keyRecord, rows, func(s *stored[model.Record, *model.Record]) bool { return about(subjectUSCC)(&s.r) })
	return unstored(read), err
}

// about says whether a record is about the enterprise subjectUSCC: what a
// record an index entry of that subject names must be to be read at all.
func about(subjectUSCC string) func(*model.Record) bool {
	return func(r *model.Record) bool { return r.SubjectUSCC == subjectUSCC }
}

// retire moves a record that an objection's answer WITHDREW or SUPERSEDED
// from its subject's index of records a lookup reads (subjectRecords) to its
// index of retired ones, which only ListRecords reads. ReadRecords reads its
// subject's index whole, and a grantee who signs its own proposal receives
// the read set: the keys there, and their versions, would tell it of records
// it may not read (GetRecord), and when each last changed.
func retire(ctx state.Context, r *model.Record) error {
	if err := state.DelIndex(ctx, idxRecordBySubject, r.SubjectUSCC, r.RecordID); err != nil {
		return err
	}
	return state.PutIndex(ctx, idxRetiredBySubject, r.SubjectUSCC, r.RecordID)
}

// fileWithIssuer files record r under the enterprise that issued it, issuerUSCC: with its subject, the entries an
// agency's ListRecords ranges over (issuers.issuedAbout), and by its ID alone, the entry an agency's GetRecord
// looks up (filedFor); two keys per record, written once by Publish (or a correcting answer) and never changed.
// Like every index entry they need the chaincode's policy alone, which Publish's endorsers (any majority)
// satisfy. A record published before 13.0.0 has none until its issuer next answers an objection to it
// (AnswerObjection writes them again, the same values, whatever the answer).
func fileWithIssuer(ctx state.Context, issuerUSCC string, r *model.Record) error {
	return putEntries(ctx, entry{idxRecordByIssuer, issuerUSCC, r.SubjectUSCC, r.RecordID}, entry{idxRecordIssued, issuerUSCC, r.RecordID})
}

// filedFor reports whether an index entry of caller's own names record id: one of its enterprise's subject
// indexes (in force or retired) when caller acts for its enterprise, and its agency enterprise's entry of records
// issued when own is its issuers. It reads those keys alone (anyFiled), and none of another enterprise's, and the
// record's key not at all.
func filedFor(ctx state.Context, caller *model.Participant, own *issuers, id string) (bool, error) {
	var entries []entry
	if actsFor(caller, caller.USCC) {
		entries = append(entries, entry{idxRecordBySubject, caller.USCC, id}, entry{idxRetiredBySubject, caller.USCC, id})
	}
	if own != nil {
		entries = append(entries, entry{idxRecordIssued, own.uscc, id})
	}
	return anyFiled(ctx, entries...)
}

// entry names one index entry: its index, then its attributes.
type entry []string

// findFiled reads the record of keyType id (state.Find) only once one of
// entries, the caller's own index entries, names the ID (anyFiled): to
// anyone else a record that exists is refused with refuse exactly as one
// that does not, after the same reads. The record itself still decides
// whether it is the caller's: orgs running a chaincode of their own could
// forge an entry.
func findFiled[T any](ctx state.Context, refuse func() error, entries []entry, keyType, id string) (*T, string, error) {
	if filed, err := anyFiled(ctx, entries...); err != nil {
		return nil, "", err
	} else if !filed {
		return nil, "", refuse()
	}
	return state.Find[T](ctx, refuse, keyType, id)
}

// putEntries writes entries, in order (state.PutIndex): the index entries
// that file one record, which anyFiled later looks up.
func putEntries(ctx state.Context, entries ...entry) error {
	for _, e := range entries {
		if err := state.PutIndex(ctx, e[0], e[1:]...); err != nil {
			return err
		}
	}
	return nil
}

// anyFiled reports whether any of entries, each an index entry of the caller's own (keyed by its ID or its
// enterprise's USCC), exists, reading them in one request to the peer, none when there are none. A refused proposal's
// response carries its read set to a client that asks the peer itself, with each key's version: a record's key read
// for a caller who may not read the record would tell it that a record of the ID it guessed exists, and when it last
// changed. Read first, the caller's own entries hold no value whether or not a record of that ID exists, unless it is
// one the caller may read; only then is the record's own key read.
func anyFiled(ctx state.Context, entries ...entry) (bool, error) {
	reads := make([]*state.Read, len(entries))
	for i, e := range entries {
		key, err := state.Key(ctx, e[0], e[1:]...)
		if err != nil {
			return false, err
		}
		reads[i] = &state.Read{Key: key}
	}
	if len(reads) == 0 {
		return false, nil
	}
	if err := state.GetAll(ctx, reads...); err != nil {
		return false, err
	}
	return slices.ContainsFunc(reads, func(r *state.Read) bool { return r.Found }), nil
}

// listedRecordIDs returns the IDs of every record filed about a subject, in
// force or retired, sorted and each once: the two indexes ListRecords pages
// through as one list. Both are read whole, bounded as subjectRecords is.
func listedRecordIDs(ctx state.Context, subjectUSCC string) ([]string, error) {
	var ids []string
	for _, index := range []string{idxRecordBySubject, idxRetiredBySubject} {
		rows, err := state.Collect(ctx, index, []string{subjectUSCC})
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			ids = append(ids, row[0])
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}
