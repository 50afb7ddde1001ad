package model

import "time"

// Record statuses.
const (
	RecordActive         = "ACTIVE"
	RecordUnderObjection = "UNDER_OBJECTION"
	RecordWithdrawn      = "WITHDRAWN"  // an objection against it was upheld
	RecordSuperseded     = "SUPERSEDED" // a correction replaced it
)

// RecordStatuses lists every status of a credit record.
var RecordStatuses = []string{RecordActive, RecordUnderObjection, RecordWithdrawn, RecordSuperseded}

// Record types an agency may publish.
const (
	RecordTypeRating     = "RATING"
	RecordTypeDefault    = "DEFAULT"
	RecordTypeJudgment   = "JUDGMENT"
	RecordTypeTax        = "TAX"
	RecordTypeCompliance = "COMPLIANCE"
)

// RecordTypes lists the record types in a fixed order.
var RecordTypes = []string{RecordTypeRating, RecordTypeDefault, RecordTypeJudgment, RecordTypeTax, RecordTypeCompliance}

// TransientRecordKey is the transient-map key under which StageRecord
// receives a record's contents. Transient data reaches the endorsing peers
// but is not part of the transaction that the orderer puts into a block.
const TransientRecordKey = "record"

// Record is the public part of a credit record: who it is about, who issued
// it, and the hash of its contents. The contents themselves stay in the
// private data of the issuing agency's org.
type Record struct {
	RecordID     string `json:"recordId"`
	SubjectUSCC  string `json:"subjectUscc"`
	AgencyID     string `json:"agencyId"`
	AgencyMSP    string `json:"agencyMsp"` // the org whose peers hold the contents
	Region       string `json:"region"`
	ContentHash  string `json:"contentHash"` // hex SHA-256 of the private bytes
	Status       string `json:"status"`
	Supersedes   string `json:"supersedes,omitempty" metadata:",optional"`
	SupersededBy string `json:"supersededBy,omitempty" metadata:",optional"`
	PublishedAt  string `json:"publishedAt"`
	UpdatedAt    string `json:"updatedAt"`
	// Disputes counts the objections ever raised against the record, and
	// LastDispute is the latest of them with its outcome, so that a record
	// whose objection was dismissed still shows that it was disputed, and
	// how the dispute ended. The subject and the regulator list every
	// objection with ListObjections.
	Disputes    int      `json:"disputes"`
	LastDispute *Dispute `json:"lastDispute,omitempty" metadata:",optional"`
}

// Dispute is an objection as the disputed record shows it: when it was
// raised, when the answer was due, and the answer.
type Dispute struct {
	ObjectionID string `json:"objectionId"`
	// Status is the objection's: OPEN, UPHELD, CORRECTED or DISMISSED.
	Status   string `json:"status"`
	RaisedAt string `json:"raisedAt"`
	DueAt    string `json:"dueAt"`
	// AnsweredAt and AnsweredLate are set once the agency (or a regulator
	// for it) has answered;
	// AnsweredLate says the answer came after DueAt.
	AnsweredAt   string `json:"answeredAt,omitempty" metadata:",optional"`
	AnsweredLate bool   `json:"answeredLate"`
	// AnsweredByRegulator says a regulator answered for the agency, which
	// could no longer answer (CreditObjection.AnsweredByRegulator).
	AnsweredByRegulator bool `json:"answeredByRegulator,omitempty" metadata:",optional"`
}

// InForce reports whether the record is in force: readable through a query
// trace and open to objection.
func (r *Record) InForce() bool {
	return r.Status == RecordActive || r.Status == RecordUnderObjection
}

// ObjectionOverdueAt reports whether the record is under an objection its
// issuing agency has left unanswered past the due time at now (the open
// objection's DueAt, from LastDispute): while nobody can answer the
// objection any more (no participant of the issuing agency acts as an
// agency), a lookup under an authorisation does not read such a record
// (credit:ReadRecords), so that information nobody can check is not used
// against its subject, and a regulator answers the objection for the
// agency (credit:AnswerObjection). A record put under objection before
// LastDispute was kept has none; its objection was its last change
// (UpdatedAt), so the due time is ObjectionAnswerWindow after that.
func (r *Record) ObjectionOverdueAt(now time.Time) bool {
	if r.Status != RecordUnderObjection {
		return false
	}
	if r.LastDispute != nil && r.LastDispute.DueAt != "" {
		return FormatTime(now) > r.LastDispute.DueAt
	}
	raised, err := time.Parse(TimeLayout, r.UpdatedAt)
	return err == nil && FormatTime(now) > FormatTime(raised.Add(ObjectionAnswerWindow))
}

// CreditContents is what a credit record says about its subject, as an
// agency stages it: the transient document under TransientRecordKey.
type CreditContents struct {
	// Type is RATING, DEFAULT, JUDGMENT, TAX or COMPLIANCE.
	Type string `json:"type"`
	// Grade is the grade, e.g. "AA"; required when Score is absent.
	Grade string `json:"grade,omitempty"`
	// Score is "0" to "1000", in canonical decimal.
	Score string `json:"score,omitempty"`
	// EvidenceHash is the SHA-256 (lowercase hex) of the evidence package.
	EvidenceHash string `json:"evidenceHash"`
	// ValidUntil is an RFC 3339 time after now; stored in the ledger's
	// time layout, UTC seconds.
	ValidUntil string `json:"validUntil"`
	// Summary is at most 500 characters.
	Summary string `json:"summary"`
}

// ExpiredAt reports whether the contents' term has ended at now: from the
// second ValidUntil names on (TermEnded). credit:ReadRecords judges it at
// the later of the transaction time and the endorsing peer's clock.
func (c *CreditContents) ExpiredAt(now time.Time) bool {
	return TermEnded(c.ValidUntil, now)
}

// RecordContents are a record's contents as stored in the private data of
// the issuing agency's org; the public ledger carries the SHA-256 of their
// JSON encoding, which is exactly what the holding org's peers store and
// return. The record and subject identifiers are part of the contents so
// that the private bytes describe themselves: a reader who keeps them as
// evidence can show which record they belong to with nothing but the
// ledger's hash.
type RecordContents struct {
	RecordID    string `json:"recordId"`
	SubjectUSCC string `json:"subjectUscc"`
	CreditContents
}

// StagedRecord is what StageRecord returns: which record's contents were
// staged and the hex SHA-256 of the stored bytes, which Publish will make the
// record's ContentHash. It carries no contents: a submitted transaction's
// response is written into the block that every org receives.
type StagedRecord struct {
	RecordID    string `json:"recordId"`
	ContentHash string `json:"contentHash"`
}

// Authorization statuses. ACTIVE and REVOKED are stored; EXPIRED and LAPSED
// are how a stored ACTIVE authorisation reads when it entitles nobody,
// computed at every read against the transaction time, as an objection's
// overdue is:
//   - EXPIRED: past its validUntil (StatusAt), for good.
//   - LAPSED: within its term, but its grantor does not act for the subject
//     in the org whose binding of the enterprise is in force: that org
//     released the enterprise (the grantor then RELEASED, for good), or a
//     majority removed the org, or another org holds the enterprise now. It
//     is no longer the subject's word (credit:RequestQuery refuses it); the
//     enterprise's participants in the org that holds it authorise anew.
//     Should the grantor act for the enterprise again (its org, removed,
//     named again with its binding in force), it reads ACTIVE again.
const (
	AuthorizationActive  = "ACTIVE"
	AuthorizationRevoked = "REVOKED"
	AuthorizationExpired = "EXPIRED"
	AuthorizationLapsed  = "LAPSED"
)

// AuthorizationStatuses lists every status an authorisation reads, stored or
// computed (EXPIRED, LAPSED).
var AuthorizationStatuses = []string{AuthorizationActive, AuthorizationRevoked, AuthorizationExpired, AuthorizationLapsed}

// Authorization is a subject enterprise's consent that one participant may
// query its credit records for one purpose until validUntil.
type Authorization struct {
	AuthID      string `json:"authId"`
	SubjectUSCC string `json:"subjectUscc"`
	GrantorID   string `json:"grantorId"` // the subject's participant who granted it
	GranteeID   string `json:"granteeId"`
	Purpose     string `json:"purpose"`
	ValidUntil  string `json:"validUntil"`
	Status      string `json:"status"`
	GrantedAt   string `json:"grantedAt"`
	RevokedAt   string `json:"revokedAt,omitempty" metadata:",optional"`
	RevokedBy   string `json:"revokedBy,omitempty" metadata:",optional"`
}

// Why a query was allowed.
const (
	BasisSubject       = "SUBJECT"       // the caller acts for the subject itself
	BasisRegulator     = "REGULATOR"     // the caller is a regulator
	BasisAuthorization = "AUTHORIZATION" // the subject authorised the caller
)

// Bases lists every reason a query may be allowed for.
var Bases = []string{BasisSubject, BasisRegulator, BasisAuthorization}

// Trace is the ledger's record of one query of a subject's credit records:
// who asked, when, for what purpose and on which basis. Peers answer
// ReadRecords only against a committed trace, until ExpiresAt: which records
// there are, and their contents, are read only after a lookup is traced.
type Trace struct {
	TraceID     string `json:"traceId"`
	SubjectUSCC string `json:"subjectUscc"`
	QuerierID   string `json:"querierId"`
	QuerierMSP  string `json:"querierMsp"`
	Purpose     string `json:"purpose"`
	Basis       string `json:"basis"`
	AuthID      string `json:"authId,omitempty" metadata:",optional"`
	At          string `json:"at"`
	ExpiresAt   string `json:"expiresAt"`
}

// RecordRead is one record in the answer of ReadRecords. Contents is set only
// when this peer's org holds the record (HeldBy is the peer's MSP), the peer
// has the private data, and the record has not expired for this lookup;
// then Verified says whether the SHA-256 of Contents equals the record's
// public ContentHash. For a record held by another org, Contents is empty:
// ask a peer of HeldBy.
//
// Expired is set, only by a peer of HeldBy (the only one that can read the
// contents' validUntil), when the record's validUntil has been reached
// (CreditContents.ExpiredAt) by the later of the transaction time and that
// peer's clock. A lookup under an authorisation then gets no Contents and
// Verified false: an expired record is not supplied to a querier. The
// subject and the regulator still get the contents, marked expired. So an
// entry without Contents is "expired, withheld" when Expired is true, and
// "held elsewhere" (or not yet received by that peer) when it is false.
type RecordRead struct {
	Record   *Record `json:"record"`
	HeldBy   string  `json:"heldBy"`
	Contents string  `json:"contents,omitempty" metadata:",optional"`
	Verified bool    `json:"verified"`
	Expired  bool    `json:"expired"`
}

// ReadResult is what ReadRecords returns: every record of the trace's
// subject in force (to a lookup under an authorisation, none whose objection
// is overdue, Record.ObjectionOverdueAt, while nobody can answer it), each
// with the org that holds its
// contents, and the contents this peer's org holds.
type ReadResult struct {
	Trace   *Trace        `json:"trace"`
	PeerMSP string        `json:"peerMsp"` // the org whose peer answered
	Records []*RecordRead `json:"records"`
}

// Objection statuses of a credit record.
const (
	CreditObjectionOpen      = "OPEN"
	CreditObjectionUpheld    = "UPHELD"
	CreditObjectionCorrected = "CORRECTED"
	CreditObjectionDismissed = "DISMISSED"
)

// CreditObjectionStatuses lists every status of an objection to a credit
// record.
var CreditObjectionStatuses = []string{CreditObjectionOpen, CreditObjectionUpheld, CreditObjectionCorrected, CreditObjectionDismissed}

// ObjectionAnswerWindow is the time China's credit-reporting regulation
// (征信业管理条例, art. 25) gives an agency to check and answer an objection:
// an objection is due this long after it is raised, an open one past its due
// time is overdue, and an answer after it is marked late.
const ObjectionAnswerWindow = 20 * 24 * time.Hour

// Answers an agency may give to an objection.
const (
	AnswerUphold  = "UPHOLD"
	AnswerCorrect = "CORRECT"
	AnswerDismiss = "DISMISS"
)

// Answers lists every answer an agency may give to an objection: the
// outcome an answered objection records.
var Answers = []string{AnswerUphold, AnswerCorrect, AnswerDismiss}

// CreditObjection is a subject's dispute (异议) of a credit record, as stored.
type CreditObjection struct {
	ObjectionID string `json:"objectionId"`
	RecordID    string `json:"recordId"`
	SubjectUSCC string `json:"subjectUscc"`
	RaisedBy    string `json:"raisedBy"`
	Reason      string `json:"reason"`
	AgencyUSCC  string `json:"agencyUscc"` // the enterprise that must answer
	AgencyMSP   string `json:"agencyMsp"`
	Status      string `json:"status"`
	RaisedAt    string `json:"raisedAt"`
	// DueAt is when the answer is due: ObjectionAnswerWindow after RaisedAt.
	DueAt      string `json:"dueAt"`
	AnsweredAt string `json:"answeredAt,omitempty" metadata:",optional"`
	AnsweredBy string `json:"answeredBy,omitempty" metadata:",optional"`
	// AnsweredByRegulator says a regulator answered (AnsweredBy) for the
	// agency, which could no longer answer the overdue objection: its
	// enterprise lost its licence, all of it was suspended (or reinstated,
	// its keys not yet rebound), or its org released it or was removed.
	AnsweredByRegulator bool `json:"answeredByRegulator,omitempty" metadata:",optional"`
	// AnsweredLate says the answer came after DueAt, judged by the
	// transaction time that the endorsing peers of both the agency's and the
	// subject's orgs vouched for.
	AnsweredLate bool   `json:"answeredLate"`
	Outcome      string `json:"outcome,omitempty" metadata:",optional"`
	AnswerReason string `json:"answerReason,omitempty" metadata:",optional"`
	NewRecordID  string `json:"newRecordId,omitempty" metadata:",optional"`
}

// ObjectionView is an objection as read: the stored objection and whether,
// at the time of the read, it is overdue: still OPEN after DueAt. Overdue is
// computed at every read and never stored, because a stored flag would go
// stale as time passes; an answer's lateness is stored, because it is a fact
// of the answering transaction.
type ObjectionView struct {
	CreditObjection
	Overdue bool `json:"overdue"`
}

// RecordPage is one page of records.
type RecordPage struct{ Page[*Record] }

// AuthorizationPage is one page of authorisations.
type AuthorizationPage struct{ Page[*Authorization] }

// TracePage is one page of query traces, oldest first.
type TracePage struct{ Page[*Trace] }

// ObjectionPage is one page of objections.
type ObjectionPage struct{ Page[*ObjectionView] }

// CreditEvent is the payload of every credit event: the IDs of what changed.
// No event ever carries a record's contents: events are in the block every
// org receives.
type CreditEvent struct {
	RecordID    string `json:"recordId,omitempty"`
	SubjectUSCC string `json:"subjectUscc"`
	AgencyMSP   string `json:"agencyMsp,omitempty"`
	AuthID      string `json:"authId,omitempty"`
	GranteeID   string `json:"granteeId,omitempty"`
	TraceID     string `json:"traceId,omitempty"`
	QuerierID   string `json:"querierId,omitempty"`
	ObjectionID string `json:"objectionId,omitempty"`
	Outcome     string `json:"outcome,omitempty"`
	NewRecordID string `json:"newRecordId,omitempty"`
}

// Events of the credit contract.
const (
	EventRecordPublished      = "RecordPublished"
	EventAuthorizationGranted = "AuthorizationGranted"
	EventAuthorizationRevoked = "AuthorizationRevoked"
	EventQueryRequested       = "QueryRequested"
	EventObjectionRaised      = "ObjectionRaised"
	EventObjectionAnswered    = "ObjectionAnswered"
)

var (
	subjectUSCC     = usccField("subjectUscc", "Unified Social Credit Code of the subject enterprise.")
	recordID        = idField("recordId", "record")
	authID          = idField("authId", "authorisation")
	creditObjection = idField("objectionId", "objection")
	purpose         = textField("purpose", MaxCreditPurposeLength, "Why the records are read (recorded in the trace; must match the authorisation's purpose).")
	creditContents  = Field{Name: TransientRecordKey, Type: TypeObject, Schema: CreditContents{}, Description: "The record's contents."}
)

// CreditContract holds credit records, authorisations, traces and
// objections.
var CreditContract = contract("credit", "DeltaLedger credit records",
	"Cross-region credit records held privately by the issuing agency's org, with authorisations, query traces and objections",
	Function{Name: "StageRecord", Returns: StagedRecord{}, Params: []Field{newIDField("recordId", "record"), subjectUSCC},
		Transient: []Field{creditContents}}.endorsedBy(callerOrgAlone),
	Function{Name: "Publish", Returns: Record{}, Params: []Field{recordID.Describe("The staged record's ID."), subjectUSCC}}.endorsedBy(chaincodePolicyWith()),
	Function{Name: "GetRecord", Evaluate: true, Returns: Record{}, Params: []Field{recordID}},
	Function{Name: "ListRecords", Evaluate: true, Returns: RecordPage{}, Params: list(subjectUSCC)},
	Function{Name: "Authorize", Returns: Authorization{}, Params: []Field{
		newIDField("authId", "authorisation"),
		idField("granteeId", "participant authorised"),
		textField("purpose", MaxCreditPurposeLength, "The purpose the reads must state."),
		{Name: "validUntil", Type: TypeString, Description: "RFC 3339 time the authorisation ends."},
	}}.endorsedBy(chaincodePolicyWith()),
	Function{Name: "RevokeAuthorization", Returns: Authorization{}, Params: []Field{authID}}.endorsedBy(
		majorityOfOrgs.noted("an authorisation granted before 16.0.0 still needs its subject's org too, until this step puts it under a majority")),
	Function{Name: "ListAuthorizations", Evaluate: true, Returns: AuthorizationPage{}, Params: list(subjectUSCC)},
	Function{Name: "ListMyAuthorizations", Evaluate: true, Returns: AuthorizationPage{}, Params: list()},
	Function{Name: "RequestQuery", Returns: Trace{}, Params: []Field{
		newIDField("traceId", "query trace"),
		subjectUSCC,
		purpose,
		authID.AsOptional().Describe("ID of the subject's authorisation to the caller; empty when the caller acts for the subject or is a regulator."),
	}}.endorsedBy(chaincodePolicyWith()),
	Function{Name: "ReadRecords", Evaluate: true, Returns: ReadResult{}, Params: []Field{idField("traceId", "committed query trace")}}.answeredBy(
		anyPeerWithPrivateOf(PartyAgency).noted("ask a peer of your own org first: every peer lists the records in force, heldBy naming the org whose peers hold each one's contents; a peer of one agency's org adds that agency's contents, marking expired those past their validUntil (withheld from a grantee)")),
	Function{Name: "ListTraces", Evaluate: true, Returns: TracePage{}, Params: list(subjectUSCC)},
	Function{Name: "ListMyTraces", Evaluate: true, Returns: TracePage{}, Params: list()},
	Function{Name: "RaiseObjection", Returns: ObjectionView{}, Params: []Field{
		newIDField("objectionId", "objection"),
		recordID.Describe("ID of the record objected to."),
		textField("reason", MaxCreditReasonLength, "The grounds of the objection."),
	}}.endorsedBy(majorityOfOrgs.noted("a record published before 16.0.0 still needs its agency's org too, until this step puts it under a majority")),
	Function{Name: "AnswerObjection", Returns: ObjectionView{}, Params: []Field{
		creditObjection,
		enumField("outcome", Answers, OneOf(Answers, ", ", " or ")+"; a regulator answering an overdue objection for an agency that can no longer answer: "+AnswerUphold+" or "+AnswerDismiss+"."),
		textField("reason", MaxCreditReasonLength, "Why; required to dismiss.").AsOptional(),
		idField("newRecordId", "staged correcting record (CORRECT only)").AsOptional(),
	}}.endorsedBy(majorityOfOrgs.noted(
		"a record published before 16.0.0 still needs its agency's org too, and an objection raised before 16.0.0 the agency's org and the org of the participant that raised it, until this step puts them under a majority")),
	Function{Name: "GetObjection", Evaluate: true, Returns: ObjectionView{}, Params: []Field{creditObjection}},
	Function{Name: "ListObjections", Evaluate: true, Returns: ObjectionPage{}, Params: list(subjectUSCC)},
	Function{Name: "ListAgencyObjections", Evaluate: true, Returns: ObjectionPage{}, Params: list()},
)
