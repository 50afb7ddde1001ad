package model

import "strings"

// Statuses of an asset. An application starts PENDING_REVIEW; a review
// rejects it (REJECTED) or publishes it (PUBLIC_NOTICE); an upheld objection
// withdraws it (WITHDRAWN); certification registers it (REGISTERED). Only a
// REGISTERED asset has rights and can be traded.
const (
	AssetPendingReview = "PENDING_REVIEW"
	AssetRejected      = "REJECTED"
	AssetPublicNotice  = "PUBLIC_NOTICE"
	AssetWithdrawn     = "WITHDRAWN"
	AssetRegistered    = "REGISTERED"
)

// MaxSources bounds the sources of a derived product, which keeps the
// derivation check (one read per source) small.
const MaxSources = 20

// Asset is a data asset on the register: what the data is (its content hash;
// the data itself never goes on the ledger), where it comes from, who holds
// it, and how far its registration has come.
type Asset struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Category     string `json:"category"`
	SourceRegion string `json:"sourceRegion"`
	Description  string `json:"description"`
	// ContentHash is the SHA-256 hex of the data or of its canonical
	// manifest; one content hash is registered once.
	ContentHash string `json:"contentHash"`
	// Sources are the assets a derived data product was made from; empty for
	// an original asset.
	Sources []string `json:"sources"`
	// Purpose is what a derived product's sources were processed for: the
	// purpose of the USE rights it was derived under. Empty for an original
	// asset.
	Purpose string `json:"purpose,omitempty" metadata:",optional"`
	// ApplicantID is the participant that applied; it is the initial holder.
	ApplicantID string `json:"applicantId"`
	// ExchangeRegion is the region of the exchange that runs the procedure:
	// the applicant's region. Its operators review, decide objections,
	// certify and supervise the asset's rights.
	ExchangeRegion string `json:"exchangeRegion"`
	// Division is where the applicant was when it applied (its participant
	// record's division), the division the asset's figures count in; empty
	// when the applicant had none (its figures then count in the region's
	// province).
	Division  string `json:"division,omitempty" metadata:",optional"`
	HolderID  string `json:"holderId"`
	HolderMSP string `json:"holderMsp"`
	// HoldingRightID is the holder's ACTIVE HOLDING right, once registered.
	HoldingRightID string `json:"holdingRightId,omitempty" metadata:",optional"`
	// HoldingLockedBy is the trade the holding is promised to, if any; a
	// locked holding cannot be transferred or sold to anyone else.
	HoldingLockedBy string `json:"holdingLockedBy,omitempty" metadata:",optional"`
	Status          string `json:"status"`
	// StatusReason is the reviewer's note, the rejection reason, or why the
	// application was withdrawn.
	StatusReason string `json:"statusReason,omitempty" metadata:",optional"`
	ReviewerID   string `json:"reviewerId,omitempty" metadata:",optional"`
	// ExchangeMSP is the reviewing operator's org: the exchange that owns the
	// objections filed against the application.
	ExchangeMSP string `json:"exchangeMsp,omitempty" metadata:",optional"`
	// NoticeEndsAt ends the public-notice period: objections are accepted
	// before it, certification from it on.
	NoticeEndsAt string `json:"noticeEndsAt,omitempty" metadata:",optional"`
	// CertificateID names the registration certificate (登记证书): "CERT-"
	// followed by the first 16 characters of the certifying transaction's ID.
	CertificateID string `json:"certificateId,omitempty" metadata:",optional"`
	AppliedAt     string `json:"appliedAt"`
	ReviewedAt    string `json:"reviewedAt,omitempty" metadata:",optional"`
	RegisteredAt  string `json:"registeredAt,omitempty" metadata:",optional"`
	UpdatedAt     string `json:"updatedAt"`
}

// AssetPage is one page of an asset list.
type AssetPage struct {
	Items    []*Asset `json:"items"`
	Bookmark string   `json:"bookmark"`
}

// Statuses of an objection to an application.
const (
	ObjectionOpen      = "OPEN"
	ObjectionUpheld    = "UPHELD"
	ObjectionDismissed = "DISMISSED"
)

// Decisions on an application and on an objection.
const (
	DecisionApprove = "APPROVE"
	DecisionReject  = "REJECT"
	DecisionUphold  = "UPHOLD"
	DecisionDismiss = "DISMISS"
)

// Objection is an objection (异议) filed against an application during its
// public-notice period, and the exchange's answer to it. It is a record of
// its own, so that filing one does not write the asset (which needs the
// holder's org to endorse).
type Objection struct {
	ID          string `json:"id"`
	AssetID     string `json:"assetId"`
	ObjectorID  string `json:"objectorId"`
	ObjectorMSP string `json:"objectorMsp"`
	Reason      string `json:"reason"`
	Status      string `json:"status"`
	// DecisionReason is the exchange's answer.
	DecisionReason string `json:"decisionReason,omitempty" metadata:",optional"`
	DecidedBy      string `json:"decidedBy,omitempty" metadata:",optional"`
	FiledAt        string `json:"filedAt"`
	DecidedAt      string `json:"decidedAt,omitempty" metadata:",optional"`
}

// ObjectionList is the objections filed against one asset.
type ObjectionList struct {
	AssetID string       `json:"assetId"`
	Items   []*Objection `json:"items"`
}

// ContentCheck is the answer of VerifyContent.
type ContentCheck struct {
	AssetID        string `json:"assetId"`
	Matches        bool   `json:"matches"`
	RegisteredHash string `json:"registeredHash"`
	Status         string `json:"status"`
}

// AssetVersion is one committed version of an asset record.
type AssetVersion struct {
	TxID      string `json:"txId"`
	Timestamp string `json:"timestamp"`
	IsDelete  bool   `json:"isDelete"`
	Asset     *Asset `json:"asset,omitempty" metadata:",optional"`
}

// AssetHistory is every committed version of one asset record.
type AssetHistory struct {
	AssetID string          `json:"assetId"`
	Items   []*AssetVersion `json:"items"`
}

// Lineage is where a data product comes from and what was made from it.
type Lineage struct {
	AssetID string   `json:"assetId"`
	Sources []string `json:"sources"`
	// Derived is the first page of the products derived from the asset;
	// DerivedBookmark continues it through ListDerived.
	Derived         []string `json:"derived"`
	DerivedBookmark string   `json:"derivedBookmark"`
}

// DerivedPage is one page of the products derived from an asset.
type DerivedPage struct {
	Items    []string `json:"items"`
	Bookmark string   `json:"bookmark"`
}

// AssetEvent is the payload of the registration events: the IDs that
// changed and the status the asset reached.
type AssetEvent struct {
	AssetID        string   `json:"assetId"`
	Status         string   `json:"status"`
	HolderID       string   `json:"holderId"`
	Decision       string   `json:"decision,omitempty"`
	ObjectionID    string   `json:"objectionId,omitempty"`
	CertificateID  string   `json:"certificateId,omitempty"`
	RightID        string   `json:"rightId,omitempty"`
	SourceAssetIDs []string `json:"sourceAssetIds,omitempty"`
}

// Events of the assets contract.
const (
	EventAssetApplied     = "AssetApplied"
	EventAssetDerived     = "AssetDerived"
	EventAssetReviewed    = "AssetReviewed"
	EventAssetObjected    = "AssetObjected"
	EventObjectionDecided = "ObjectionDecided"
	EventAssetCertified   = "AssetCertified"
)

var (
	assetID      = idField("id", "asset")
	assetIDNamed = idField("assetId", "asset")
	application  = []Field{
		newIDField("id", "asset"),
		textField("name", MaxAssetNameLength, "The asset's name."),
		CategoryField,
		RegionField.Named("sourceRegion").Describe("Where the data comes from: " + strings.Join(Regions, ", ") + "."),
		textField("description", MaxAssetDescriptionLength, "Description of the content and its lawful source, reviewed by the exchange."),
		hashField("contentHash", "SHA-256 (lowercase hex) of the data or its canonical manifest; the data itself never goes on the ledger."),
	}
)

// AssetsContract runs the exchanges' registration procedure and answers
// queries about assets.
var AssetsContract = contract("assets", "DeltaLedger asset register",
	"Registration of data assets: application, review, public notice, objections, certification",
	Function{Name: "Apply", Returns: Asset{}, Params: application}.endorsedBy(chaincodePolicyWith()),
	Function{Name: "Derive", Returns: Asset{}, Params: append(append([]Field(nil), application...),
		Field{Name: "sourceAssetIds", Type: TypeStringList, Description: "IDs of the source assets, 1 to 20, unique."},
		textField("purpose", MaxScopePurposeLength, "What the sources are processed for: the purpose of the USE rights the product is derived under."))}.endorsedBy(chaincodePolicyWith()),
	Function{Name: "Review", Returns: Asset{}, Params: []Field{assetID,
		enumField("decision", []string{DecisionApprove, DecisionReject}, "APPROVE or REJECT."),
		textField("reason", MaxAssetReasonLength, "Why; required to reject.").AsOptional(),
	}}.endorsedBy(orgsOf(PartyHolder)),
	Function{Name: "Object", Returns: Objection{}, Params: []Field{
		newIDField("objectionId", "objection (unique per asset)"),
		assetIDNamed,
		textField("reason", MaxAssetReasonLength, "The grounds of the objection."),
	}}.endorsedBy(chaincodePolicyWith()),
	Function{Name: "DecideObjection", Returns: Objection{}, Params: []Field{
		assetIDNamed,
		idField("objectionId", "objection"),
		enumField("decision", []string{DecisionUphold, DecisionDismiss}, "UPHOLD or DISMISS."),
		textField("reason", MaxAssetReasonLength, "Why."),
	}}.endorsedBy(orgsOf(PartyHolder, PartyCaller)),
	Function{Name: "Certify", Returns: Asset{}, Params: []Field{assetID}}.endorsedBy(chaincodePolicyWith(PartyHolder)),
	Function{Name: "Get", Evaluate: true, Returns: Asset{}, Params: []Field{assetID}},
	Function{Name: "VerifyContent", Evaluate: true, Returns: ContentCheck{}, Params: []Field{assetID,
		hashField("contentHash", "SHA-256 (lowercase hex) of the data to check.")}},
	Function{Name: "History", Evaluate: true, Returns: AssetHistory{}, Params: []Field{assetID}},
	Function{Name: "Lineage", Evaluate: true, Returns: Lineage{}, Params: []Field{assetID}},
	Function{Name: "ListDerived", Evaluate: true, Returns: DerivedPage{}, Params: list(assetID)},
	Function{Name: "ListByHolder", Evaluate: true, Returns: AssetPage{}, Params: list(idField("holderId", "participant"))},
	Function{Name: "Objections", Evaluate: true, Returns: ObjectionList{}, Params: []Field{assetIDNamed}},
)
