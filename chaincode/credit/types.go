package credit

// Record statuses.
const (
	StatusActive         = "ACTIVE"
	StatusUnderObjection = "UNDER_OBJECTION"
	StatusWithdrawn      = "WITHDRAWN"  // an objection against it was upheld
	StatusSuperseded     = "SUPERSEDED" // a correction replaced it
)

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
}

// current reports whether the record is in force: readable through a query
// trace and open to objection.
func (r *Record) current() bool {
	return r.Status == StatusActive || r.Status == StatusUnderObjection
}

// StagedRecord is what StageRecord returns: which record's contents were
// staged and the hex SHA-256 of the stored bytes, which Publish will make the
// record's ContentHash. It carries no contents: a submitted transaction's
// response is written into the block that every org receives.
type StagedRecord struct {
	RecordID    string `json:"recordId"`
	ContentHash string `json:"contentHash"`
}

// Authorization statuses. An authorisation past its validUntil is expired
// whatever its status says; expiry is judged against the transaction time.
const (
	AuthActive  = "ACTIVE"
	AuthRevoked = "REVOKED"
)

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

// Trace is the ledger's record of one query of a subject's credit records:
// who asked, when, for what purpose and on which basis. The holding orgs'
// peers answer ReadRecords only against a committed trace, until ExpiresAt.
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

// QueryTicket is what RequestQuery returns: the committed trace and the
// public metadata of the subject's records in force, so that the client
// knows which orgs' peers to ask (Holders) in the second step.
type QueryTicket struct {
	Trace   *Trace    `json:"trace"`
	Records []*Record `json:"records"`
	Holders []string  `json:"holders"` // distinct agency MSPs of Records, sorted
}

// RecordRead is one record in the answer of ReadRecords. Contents is set only
// when this peer's org holds the record (HeldBy is the peer's MSP) and the
// peer has the private data; then Verified says whether the SHA-256 of
// Contents equals the record's public ContentHash. For a record held by
// another org, Contents is empty: ask a peer of HeldBy.
type RecordRead struct {
	Record   *Record `json:"record"`
	HeldBy   string  `json:"heldBy"`
	Contents string  `json:"contents,omitempty" metadata:",optional"`
	Verified bool    `json:"verified"`
}

// ReadResult is what ReadRecords returns.
type ReadResult struct {
	Trace   *Trace        `json:"trace"`
	PeerMSP string        `json:"peerMsp"` // the org whose peer answered
	Records []*RecordRead `json:"records"`
}

// Objection statuses.
const (
	ObjectionOpen      = "OPEN"
	ObjectionUpheld    = "UPHELD"
	ObjectionCorrected = "CORRECTED"
	ObjectionDismissed = "DISMISSED"
)

// Answers an agency may give to an objection.
const (
	OutcomeUphold  = "UPHOLD"
	OutcomeCorrect = "CORRECT"
	OutcomeDismiss = "DISMISS"
)

// CreditObjection is a subject's dispute (异议) of a credit record, as stored.
type CreditObjection struct {
	ObjectionID  string `json:"objectionId"`
	RecordID     string `json:"recordId"`
	SubjectUSCC  string `json:"subjectUscc"`
	RaisedBy     string `json:"raisedBy"`
	Reason       string `json:"reason"`
	AgencyUSCC   string `json:"agencyUscc"` // the enterprise that must answer
	AgencyMSP    string `json:"agencyMsp"`
	Status       string `json:"status"`
	RaisedAt     string `json:"raisedAt"`
	AnsweredAt   string `json:"answeredAt,omitempty" metadata:",optional"`
	AnsweredBy   string `json:"answeredBy,omitempty" metadata:",optional"`
	Outcome      string `json:"outcome,omitempty" metadata:",optional"`
	AnswerReason string `json:"answerReason,omitempty" metadata:",optional"`
	NewRecordID  string `json:"newRecordId,omitempty" metadata:",optional"`
}

// ObjectionView is an objection as read: the stored objection and whether,
// at the time of the read, it is overdue. Overdue is computed at every read
// and never stored, because a stored flag would go stale as time passes.
type ObjectionView struct {
	CreditObjection
	Overdue bool `json:"overdue"`
}

// RecordPage is one page of records.
type RecordPage struct {
	Items    []*Record `json:"items"`
	Bookmark string    `json:"bookmark"`
}

// AuthorizationPage is one page of authorisations.
type AuthorizationPage struct {
	Items    []*Authorization `json:"items"`
	Bookmark string           `json:"bookmark"`
}

// TracePage is one page of query traces, oldest first.
type TracePage struct {
	Items    []*Trace `json:"items"`
	Bookmark string   `json:"bookmark"`
}

// ObjectionPage is one page of objections.
type ObjectionPage struct {
	Items    []*ObjectionView `json:"items"`
	Bookmark string           `json:"bookmark"`
}
