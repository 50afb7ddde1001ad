package client

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// CreditService shares credit records across the regions. An agency
// publishes a record in two steps, Stage (the contents, kept only in its own
// org's private data) then Publish (the public metadata and the contents'
// SHA-256); the subject enterprise Authorizes readers; a Lookup commits a
// query trace before any contents are read, and the subject and the
// regulator list the Traces.
type CreditService struct{ c *Client }

// CreditContents are what a credit record says. They travel to the chaincode
// as transient data and are stored only in the private data of the issuing
// agency's org.
type CreditContents struct {
	// Type is one of model.RecordTypes: RATING, DEFAULT, JUDGMENT, TAX or
	// COMPLIANCE.
	Type string
	// Grade is the grade, e.g. "AA"; required when Score is "".
	Grade string
	// Score is a decimal from "0" to model.MaxCreditScore; required when
	// Grade is "".
	Score string
	// EvidenceHash is the SHA-256 (lowercase hex) of the evidence package.
	EvidenceHash string
	// ValidUntil is when the record stops being in force; after now.
	ValidUntil time.Time
	// Summary is at most model.MaxCreditSummaryLength characters.
	Summary string
}

// MarshalJSON encodes the contents as the gateway expects them, the time in
// RFC 3339 UTC.
func (r CreditContents) MarshalJSON() ([]byte, error) {
	return json.Marshal(model.CreditContents{Type: r.Type, Grade: r.Grade, Score: r.Score, EvidenceHash: r.EvidenceHash,
		ValidUntil: Timestamp(r.ValidUntil), Summary: r.Summary})
}

// StageRequest is step 1 of publishing a credit record
// (POST /v1/credit/records/staged).
type StageRequest struct {
	// RecordID is the new record's ID, chosen by the agency.
	RecordID string `json:"recordId"`
	// SubjectUSCC is the Unified Social Credit Code of the enterprise the
	// record is about.
	SubjectUSCC string `json:"subjectUscc"`
	// Record are the contents.
	Record CreditContents `json:"record"`
}

// AuthorizeRequest authorises a participant to read the caller's
// enterprise's records (POST /v1/credit/authorizations).
type AuthorizeRequest struct {
	// AuthID is the new authorisation's ID, chosen by the caller.
	AuthID string
	// GranteeID is the participant authorised, e.g. "jiangsu.buyer".
	GranteeID string
	// Purpose is the purpose the reads must state.
	Purpose string
	// ValidUntil ends the authorisation.
	ValidUntil time.Time
}

// MarshalJSON encodes the request as the gateway expects it.
func (r AuthorizeRequest) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		AuthID     string `json:"authId"`
		GranteeID  string `json:"granteeId"`
		Purpose    string `json:"purpose"`
		ValidUntil string `json:"validUntil"`
	}{r.AuthID, r.GranteeID, r.Purpose, Timestamp(r.ValidUntil)})
}

// LookupRequest says why and under which authorisation a subject's records
// are read.
type LookupRequest struct {
	// Purpose is recorded in the trace; with an authorisation it must be
	// the authorisation's purpose.
	Purpose string
	// AuthorizationID is the subject's authorisation to the caller; "" when
	// the caller acts for the subject or is a regulator.
	AuthorizationID string
}

// LookupResult is the answer of a lookup: the committed query trace and each
// record in force, with the contents its holding org's peer returned. Its
// fields are the gateway's own answer type, so the two cannot drift apart,
// and it encodes as the gateway's answer does.
//
// A result whose Complete is false lacks what some holding org's peer did
// not answer, and one with a record whose contents do not match its public
// content hash here (RecordRead.CheckContents) holds contents that are not
// the record's: Err names those orgs and records, and Lookup returns that
// error with the result.
type LookupResult struct {
	wire.CreditLookupBody
	// IdempotencyKey is the key the lookup was made with ("" with
	// NoIdempotencyKey): a lookup repeated with it (WithIdempotencyKey)
	// reads again under the same trace, and writes none.
	IdempotencyKey string `json:"-"`
	// Replayed is true when the gateway answered under the trace of an
	// earlier lookup made with the same key, and wrote no trace of its own.
	Replayed bool `json:"-"`
}

// Err returns an *IncompleteLookupError naming each holding org whose peer
// did not answer, each record whose contents did not come verified and
// each record whose contents do not match its public content hash when
// checked here, and nil when there are none and the gateway answered the
// lookup complete. It checks the answer itself, whatever Complete says, as
// RecordRead.CheckContents does: the records listed may lack some of the
// subject's, or their contents, so that "no DEFAULT record" cannot be
// concluded from them, and contents that do not match the hash are not the
// record's.
func (r *LookupResult) Err() error {
	e := &IncompleteLookupError{TraceID: r.Trace.TraceID, ExpiresAt: r.Trace.ExpiresAt, IdempotencyKey: r.IdempotencyKey}
	for _, h := range r.Holders {
		if !h.OK {
			e.Holders = append(e.Holders, h)
		}
	}
	for _, rec := range r.Records {
		switch {
		case len(rec.Contents) > 0 && !rec.CheckContents():
			e.Mismatched = append(e.Mismatched, rec.Record.RecordID)
		case rec.Missing():
			e.Records = append(e.Records, rec.Record.RecordID)
		}
	}
	if r.Complete && len(e.Holders) == 0 && len(e.Records) == 0 && len(e.Mismatched) == 0 {
		return nil
	}
	return e
}

// IncompleteLookupError is the error of a lookup the gateway answered
// incomplete (LookupResult.Complete false): a holding org's peer that could
// not be reached, failed, or had not yet committed the trace (it answers
// NOT_FOUND until it has, and the gateway asks it again for a few seconds
// only), or a record whose contents did not come verified. When the
// caller's own org's peer did not answer, no record is known at all and
// Holders names that org. It is also the error of a record whose contents
// do not match its public content hash when checked here (Mismatched),
// whatever the gateway answered: the bytes are not the record's.
//
// Repeating the lookup with WithIdempotencyKey(IdempotencyKey) before
// ExpiresAt reads every holding org again under the same trace and writes
// no second one; after ExpiresAt the chaincode refuses reads under the
// trace (403), and a new lookup, with a new key, writes a new trace. A
// repeat reads the same contents for a Mismatched record: that is a fault
// of its holding org's data, or of what lies between, to report, not a
// read to repeat (Repeatable).
type IncompleteLookupError struct {
	// TraceID is the trace the lookup committed.
	TraceID string
	// ExpiresAt ends the trace's window (RFC 3339 UTC).
	ExpiresAt string
	// Holders are the holding orgs whose peers did not answer, each with
	// its error as the gateway wrote it.
	Holders []CreditHolder
	// Records are the IDs of the records listed whose contents did not
	// come verified (CreditRecordRead.Missing).
	Records []string
	// Mismatched are the IDs of the records listed whose contents do not
	// match their public content hash when checked here
	// (CreditRecordRead.CheckContents), the gateway's Verified aside.
	Mismatched []string
	// IdempotencyKey is the lookup's key ("" with NoIdempotencyKey: then
	// the lookup cannot be repeated under the same trace).
	IdempotencyKey string
}

// Error names what is missing and how to repeat the lookup, in English.
func (e *IncompleteLookupError) Error() string { return e.In(ledgererr.English) }

// Repeatable reports whether repeating the lookup under its trace may read
// what it lacks: a holding org that did not answer, a record whose contents
// did not come verified, or an answer the gateway marked incomplete
// without naming why; not when the lookup lacks nothing but holds
// Mismatched contents, which a repeat reads again.
func (e *IncompleteLookupError) Repeatable() bool {
	return len(e.Holders) > 0 || len(e.Records) > 0 || len(e.Mismatched) == 0
}

// In writes the error in lang; the orgs' errors stay as the gateway wrote
// them, in the language the client asked for (WithAcceptLanguage).
func (e *IncompleteLookupError) In(lang ledgererr.Language) string {
	var m *ledgererr.Message
	if e.IdempotencyKey == "" || !e.Repeatable() {
		m = ledgererr.Messagef("the lookup under trace %s is incomplete: %s", e.TraceID, e.Missing(lang))
	} else {
		m = ledgererr.Messagef("the lookup under trace %s is incomplete: %s; repeat it with the Idempotency-Key %s before %s to read them again under the same trace",
			e.TraceID, e.Missing(lang), e.IdempotencyKey, e.ExpiresAt)
	}
	return "deltaledger: " + m.In(lang)
}

// Missing says in lang what the lookup lacks: each holding org that did not
// answer with its error ("ORG (CODE: message)"), the records whose
// contents did not come verified, then those whose contents do not match
// their public content hash.
func (e *IncompleteLookupError) Missing(lang ledgererr.Language) string {
	var parts []string
	if len(e.Holders) > 0 {
		orgs := make([]string, len(e.Holders))
		for i, h := range e.Holders {
			orgs[i] = h.MSPID
			if h.Error != nil {
				orgs[i] += " (" + h.Error.Code + ": " + h.Error.Message + ")"
			}
		}
		parts = append(parts, ledgererr.Messagef("the peers of %s did not answer, and the records those orgs hold may be missing", strings.Join(orgs, ", ")).In(lang))
	}
	if len(e.Records) > 0 {
		parts = append(parts, ledgererr.Messagef("the contents of %s did not come verified", strings.Join(e.Records, ", ")).In(lang))
	}
	if len(e.Mismatched) > 0 {
		parts = append(parts, ledgererr.Messagef("the contents of %s do not match the public content hash", strings.Join(e.Mismatched, ", ")).In(lang))
	}
	if len(parts) == 0 {
		parts = append(parts, ledgererr.Messagef("the gateway answered it incomplete").In(lang))
	}
	return strings.Join(parts, "; ")
}

// RecordRead is one record of a lookup; its CheckContents checks the contents
// against the public content hash here, without trusting the gateway.
type RecordRead = wire.CreditRecordRead

// CreditHolder is whether one holding org answered a lookup.
type CreditHolder = wire.CreditHolder

// AnswerObjectionRequest is the issuing agency's answer to an objection, or
// a regulator's (of a third org) for an overdue objection its agency can no
// longer answer (UPHOLD or DISMISS).
type AnswerObjectionRequest struct {
	// Outcome is model.AnswerUphold, AnswerCorrect or AnswerDismiss.
	Outcome string `json:"outcome"`
	// Reason says why.
	Reason string `json:"reason"`
	// NewRecordID names the correcting record the agency staged beforehand
	// (CORRECT only).
	NewRecordID string `json:"newRecordId,omitempty"`
}

// Stage is step 1 of publishing a record (an agency): the contents go, as
// transient data, to the agency org's own peers only; nothing public is
// written. The result holds the contents' SHA-256, which Publish makes the
// record's content hash. Staging again before publishing replaces them.
func (s *CreditService) Stage(ctx context.Context, r StageRequest, opts ...SubmitOption) (*Submitted[model.StagedRecord], error) {
	return submit[model.StagedRecord](ctx, s.c, http.MethodPost, "/v1/credit/records/staged", r, opts)
}

// Publish is step 2: it writes the public record of contents the caller
// staged (same record ID and subject). Check that the result's ContentHash
// is the one Stage returned.
func (s *CreditService) Publish(ctx context.Context, recordID, subjectUSCC string, opts ...SubmitOption) (*Submitted[model.Record], error) {
	return submit[model.Record](ctx, s.c, http.MethodPost, "/v1/credit/records",
		map[string]any{"recordId": recordID, "subjectUscc": subjectUSCC}, opts)
}

// Record returns a record's public metadata (never its contents).
func (s *CreditService) Record(ctx context.Context, recordID string) (*model.Record, error) {
	return getAt[model.Record](ctx, s.c, "/v1/credit/records/%s", seg("record ID", recordID))
}

// Records iterates over the public metadata of a subject's records.
func (s *CreditService) Records(ctx context.Context, subjectUSCC string, opts ...ListOption) iter.Seq2[model.Record, error] {
	return bySubject[model.Record](ctx, s.c, "/v1/credit/records", subjectUSCC, opts)
}

// Authorize authorises a participant to read the caller's enterprise's
// records for a purpose until a time (a participant acting for the subject).
func (s *CreditService) Authorize(ctx context.Context, r AuthorizeRequest, opts ...SubmitOption) (*Submitted[model.Authorization], error) {
	return submit[model.Authorization](ctx, s.c, http.MethodPost, "/v1/credit/authorizations", r, opts)
}

// RevokeAuthorization revokes an authorisation (the subject); reads under it
// stop at once.
func (s *CreditService) RevokeAuthorization(ctx context.Context, authID string, opts ...SubmitOption) (*Submitted[model.Authorization], error) {
	return submitAt[model.Authorization](ctx, s.c, http.MethodPost, "/v1/credit/authorizations/%s/revoke",
		[]segment{seg("authorization ID", authID)}, nil, opts)
}

// Authorizations iterates over a subject's authorisations.
func (s *CreditService) Authorizations(ctx context.Context, subjectUSCC string, opts ...ListOption) iter.Seq2[model.Authorization, error] {
	return bySubject[model.Authorization](ctx, s.c, "/v1/credit/authorizations", subjectUSCC, opts)
}

// Lookup reads a subject's credit records, leaving a query trace: the
// gateway submits the trace (the chaincode checks that the caller acts for
// the subject, is a regulator, or holds the subject's authorisation for the
// purpose), then has the caller's own org's peer list the records in force
// and their holding orgs, reads each record's contents from its holding
// org's peers and verifies them against the public hash. A record past its
// validUntil is marked Expired by its holding org's peer; under an
// authorisation it then comes without contents (withheld, not missing),
// while the subject and the regulator still read them. A read the
// chaincode refuses under the trace (the authorisation revoked or expired
// since, the trace's window over) is a 403 error naming why (IsForbidden),
// never a result without records.
//
// A lookup some holding org's peer did not answer (Complete false), or with
// a record whose contents do not match its public content hash here,
// returns the result together with an *IncompleteLookupError naming those
// orgs and records (LookupResult.Err): a caller that stops at the error cannot take a partial
// answer for a whole one, and one that wants the records received takes the
// result knowingly:
//
//	res, err := c.Credit().Lookup(ctx, uscc, req, client.WithIdempotencyKey(key))
//	var incomplete *client.IncompleteLookupError
//	if errors.As(err, &incomplete) {
//		// res.Records are what the orgs that answered hold; repeat with
//		// the same key before incomplete.ExpiresAt for the rest
//	} else if err != nil {
//		return err
//	}
//
// Since each call commits a trace the subject sees, the lookup is a submit
// and takes the SubmitOptions a submit does (but NoWait: it answers after
// the commit). It carries an Idempotency-Key, generated unless
// WithIdempotencyKey gives one or NoIdempotencyKey drops it; the gateway
// answers a repeat with the same key under the first trace, reading the
// holding orgs again (REST API 11.0.0), so the client retries it after a
// 429 or 503, with the same key, and never without one. Give a key derived
// from the business operation to make the application's own retries
// (after a lost answer, or an incomplete one) leave one trace too.
// Any other error of the call carries its key too (IdempotencyKeyOf):
// after an OUTCOME_UNKNOWN, a 503, the client's timeout or a broken
// connection the trace may have committed, and a repeat under that key
// writes none.
//
// The gateway keeps a refusal under the key too (24 hours by default): a
// lookup refused 403 because the authorisation was not yet in force is
// refused again, Error.Replayed, to every repeat with that key, however the
// authorisation stands by then. A new attempt after putting the cause right
// takes a new key.
//
// The client does not check the gateway's API version first: it cannot
// know it without a request of its own (GET /v1/openapi.json), a load
// balancer may answer the next request from another gateway, and this
// client is the one of REST API 11, whose answers (this one's types among
// them) it reads. A gateway before 11.0.0 ignores the key on this route and
// on Attest's and Publish's: the client's retry after a 429 or 503 from one
// could commit a second trace, or attest or publish again. Against such a
// gateway pass NoIdempotencyKey, which the client never retries.
func (s *CreditService) Lookup(ctx context.Context, subjectUSCC string, r LookupRequest, opts ...SubmitOption) (*LookupResult, error) {
	path, err := pathf("/v1/credit/subjects/%s/records", seg("subject USCC", subjectUSCC))
	if err != nil {
		return nil, err
	}
	if r.Purpose == "" {
		return nil, errRequired("purpose")
	}
	q := url.Values{"purpose": {r.Purpose}}
	if r.AuthorizationID != "" {
		q.Set("authorization", r.AuthorizationID)
	}
	req, st, err := keyedAndCommitted("Lookup", http.MethodGet, path, q, opts)
	if err != nil {
		return nil, err
	}
	body, a, err := send[wire.CreditLookupBody](ctx, s.c, req)
	if err != nil {
		return nil, err
	}
	res := &LookupResult{CreditLookupBody: *body, IdempotencyKey: st.key, Replayed: replayedAnswer(a)}
	return res, res.Err()
}

// Traces iterates over the query traces of a subject's records, oldest
// first (the subject or the regulator).
func (s *CreditService) Traces(ctx context.Context, subjectUSCC string, opts ...ListOption) iter.Seq2[model.Trace, error] {
	return bySubject[model.Trace](ctx, s.c, "/v1/credit/traces", subjectUSCC, opts)
}

// MyAuthorizations iterates over the authorisations granted to the caller
// (revoked and expired ones included): whose records it may query, for what
// purpose, until when, and under which authorisation ID.
func (s *CreditService) MyAuthorizations(ctx context.Context, opts ...ListOption) iter.Seq2[model.Authorization, error] {
	return list[model.Authorization](ctx, s.c, "/v1/credit/authorizations/mine", nil, opts)
}

// MyTraces iterates over the query traces the caller made.
func (s *CreditService) MyTraces(ctx context.Context, opts ...ListOption) iter.Seq2[model.Trace, error] {
	return list[model.Trace](ctx, s.c, "/v1/credit/traces/mine", nil, opts)
}

// RaiseObjection objects to a record about the caller's enterprise; the
// record is UNDER_OBJECTION until the agency answers (within 20 days).
func (s *CreditService) RaiseObjection(ctx context.Context, objectionID, recordID, reason string, opts ...SubmitOption) (*Submitted[model.ObjectionView], error) {
	return submit[model.ObjectionView](ctx, s.c, http.MethodPost, "/v1/credit/objections",
		map[string]any{"objectionId": objectionID, "recordId": recordID, "reason": reason}, opts)
}

// AnswerObjection answers an objection: the issuing agency, or a regulator
// once nobody of the agency can answer any more (its licence lost, all of it
// suspended, its org released it or was removed), with UPHOLD or DISMISS; the
// objection then says AnsweredByRegulator.
func (s *CreditService) AnswerObjection(ctx context.Context, objectionID string, r AnswerObjectionRequest, opts ...SubmitOption) (*Submitted[model.ObjectionView], error) {
	return submitAt[model.ObjectionView](ctx, s.c, http.MethodPost, "/v1/credit/objections/%s/answer",
		[]segment{seg("objection ID", objectionID)}, r, opts)
}

// Objection returns an objection, with whether it is overdue.
func (s *CreditService) Objection(ctx context.Context, objectionID string) (*model.ObjectionView, error) {
	return getAt[model.ObjectionView](ctx, s.c, "/v1/credit/objections/%s", seg("objection ID", objectionID))
}

// Objections iterates over the objections about a subject's records.
func (s *CreditService) Objections(ctx context.Context, subjectUSCC string, opts ...ListOption) iter.Seq2[model.ObjectionView, error] {
	return bySubject[model.ObjectionView](ctx, s.c, "/v1/credit/objections", subjectUSCC, opts)
}

// AgencyObjections iterates over the objections the calling agency must
// answer.
func (s *CreditService) AgencyObjections(ctx context.Context, opts ...ListOption) iter.Seq2[model.ObjectionView, error] {
	return list[model.ObjectionView](ctx, s.c, "/v1/credit/agency/objections", nil, opts)
}

// bySubject lists path?subjectUscc=.
func bySubject[T any](ctx context.Context, c *Client, path, subjectUSCC string, opts []ListOption) iter.Seq2[T, error] {
	if subjectUSCC == "" {
		return errSeq[T](errRequired("subject USCC"))
	}
	return list[T](ctx, c, path, url.Values{"subjectUscc": {subjectUSCC}}, opts)
}
