package model

import (
	"fmt"
	"slices"
)

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

// AssetStatuses lists every status an asset reads, in the order of its life.
var AssetStatuses = []string{AssetPendingReview, AssetRejected, AssetPublicNotice, AssetWithdrawn, AssetRegistered}

// MaxSources bounds the sources of a derived product, which keeps the
// derivation check (one read per source) small.
const MaxSources = 20

// AssetDescription is what an application says of its data: the fields an
// applicant chooses (assets:Apply's arguments, the SDK's ApplyRequest) and
// the first fields of the Asset it becomes, which embeds it.
type AssetDescription struct {
	// ID is the new asset's ID, chosen by the applicant.
	ID string `json:"id"`
	// Name is the asset's name.
	Name string `json:"name"`
	// Category is a lowercase slug such as transport or smart-city.
	Category string `json:"category"`
	// SourceRegion is where the data comes from.
	SourceRegion string `json:"sourceRegion"`
	// Description describes the content and its lawful source.
	Description string `json:"description"`
	// ContentHash is the SHA-256 (lowercase hex) of the data or of its
	// canonical manifest: the data itself never leaves the holder, and one
	// content hash is registered once.
	ContentHash string `json:"contentHash"`
}

// Asset is a data asset on the register: what the data is (its content hash;
// the data itself never goes on the ledger), where it comes from, who holds
// it, and how far its registration has come.
type Asset struct {
	AssetDescription
	// Sources are the assets a derived data product was made from; empty for
	// an original asset.
	Sources []string `json:"sources"`
	// Purpose is what a derived product's sources were processed for: the
	// purpose of the USE rights it was derived under. Empty for an original
	// asset.
	Purpose string `json:"purpose,omitempty" metadata:",optional"`
	// Entitlements are, for a derived product, the rights that entitled the
	// applicant to process each source when it applied, in the order of
	// Sources. Empty for an original asset.
	Entitlements []Entitlement `json:"entitlements,omitempty" metadata:",optional"`
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
	// locked holding cannot be transferred or sold to anyone else. The
	// chaincode's answers show it only to a caller who may read that trade
	// (trades:Get) and whom the asset names as such: its holder (the
	// seller), an operator of its holder's region, the regulator. They
	// leave it empty for everyone else, the buyer too (which reads its
	// trade through the trades contract), and read the trade for no one
	// else: a read set tells its key to whoever sends the proposal.
	HoldingLockedBy string `json:"holdingLockedBy,omitempty" metadata:",optional"`
	// HoldingOfferedTo is the participant the holder offered the holding
	// to (rights:TransferHolding) while the offer is open; written with the
	// asset, under a majority of the orgs, so that no org alone vouches for
	// an offer.
	HoldingOfferedTo string `json:"holdingOfferedTo,omitempty" metadata:",optional"`
	Status           string `json:"status"`
	// StatusReason is the reviewer's note, the rejection reason, or why the
	// application was withdrawn.
	StatusReason string `json:"statusReason,omitempty" metadata:",optional"`
	ReviewerID   string `json:"reviewerId,omitempty" metadata:",optional"`
	// ExchangeMSP is the reviewing operator's org, as a fact of the review:
	// the org that ran the exchange of ExchangeRegion then. Objections are
	// decided by the operators of that region's exchange now, the org the
	// market rules in force bind to it, which a majority may have moved.
	ExchangeMSP string `json:"exchangeMsp,omitempty" metadata:",optional"`
	// NoticeEndsAt ends the public-notice period: objections are accepted
	// before it, certification from it on.
	NoticeEndsAt string `json:"noticeEndsAt,omitempty" metadata:",optional"`
	// CertificateID names the registration certificate (登记证书): "CERT-"
	// followed by the first 16 characters of the certifying transaction's ID.
	CertificateID string `json:"certificateId,omitempty" metadata:",optional"`
	AppliedAt     string `json:"appliedAt"`
	// ApplicationTxID is the transaction that filed the application (Apply
	// or Derive). With AppliedAt and ApplicantID it is the first entry of
	// the asset's history, read from this record rather than written again
	// (empty on a record filed before the history existed).
	ApplicationTxID string `json:"applicationTxId,omitempty" metadata:",optional"`
	ReviewedAt      string `json:"reviewedAt,omitempty" metadata:",optional"`
	RegisteredAt    string `json:"registeredAt,omitempty" metadata:",optional"`
	UpdatedAt       string `json:"updatedAt"`
}

// AssetPage is one page of an asset list.
type AssetPage struct{ Page[*Asset] }

// Statuses of an objection to an application.
const (
	ObjectionOpen      = "OPEN"
	ObjectionUpheld    = "UPHELD"
	ObjectionDismissed = "DISMISSED"
)

// ObjectionStatuses lists every status of an objection to an application.
var ObjectionStatuses = []string{ObjectionOpen, ObjectionUpheld, ObjectionDismissed}

// Decisions on an application.
const (
	DecisionApprove = "APPROVE"
	DecisionReject  = "REJECT"
)

// ReviewDecisions lists every decision on an application (assets:Review).
var ReviewDecisions = []string{DecisionApprove, DecisionReject}

// Decisions on an objection.
const (
	DecisionUphold  = "UPHOLD"
	DecisionDismiss = "DISMISS"
)

// ObjectionDecisions lists every decision on an objection
// (assets:DecideObjection).
var ObjectionDecisions = []string{DecisionUphold, DecisionDismiss}

// Decisions lists every decision an asset's history or event may carry: a
// review's or an objection's.
var Decisions = slices.Concat(ReviewDecisions, ObjectionDecisions)

// Objection is an objection (异议) filed against an application during its
// public-notice period, and the exchange's answer to it. It is a record of
// its own, so that filing one does not write the asset.
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

// Entitlement is the right that entitled a deriver to process one source
// of a data product: its HOLDING right when it held the source, else the USE
// right licensed for the product's purpose.
type Entitlement struct {
	SourceAssetID string `json:"sourceAssetId"`
	RightID       string `json:"rightId"`
	RightType     string `json:"rightType"`
}

// Actions of an asset's history.
const (
	ActionApplied            = "APPLIED"             // an application to register it
	ActionDerived            = "DERIVED"             // an application to register it as a product of other assets
	ActionReviewed           = "REVIEWED"            // the exchange approved or rejected the application
	ActionObjected           = "OBJECTED"            // an objection was filed in the public notice
	ActionObjectionDecided   = "OBJECTION_DECIDED"   // the exchange upheld or dismissed an objection
	ActionCertified          = "CERTIFIED"           // registered: the certificate and the HOLDING right issued
	ActionSourceOf           = "SOURCE_OF"           // a product was derived from it, under RightID
	ActionGranted            = "GRANTED"             // the holder granted a USE or OPERATION right
	ActionSublicensed        = "SUBLICENSED"         // a right was licensed on from ParentRightID
	ActionSold               = "SOLD"                // a trade issued a right to its buyer
	ActionAccepted           = "ACCEPTED"            // the grantee accepted a granted or sublicensed right
	ActionDeclined           = "DECLINED"            // the grantee declined a granted or sublicensed right
	ActionRevoked            = "REVOKED"             // a right was revoked
	ActionRenounced          = "RENOUNCED"           // a right's holder gave it up
	ActionExpired            = "EXPIRED"             // a right's term ended, or its offer lapsed (no transaction: TxID set the end)
	ActionHoldingOffered     = "HOLDING_OFFERED"     // the holder offered the holding to another participant
	ActionHoldingRefused     = "HOLDING_REFUSED"     // the recipient refused the offered holding
	ActionHoldingWithdrawn   = "HOLDING_WITHDRAWN"   // the holder withdrew its offer of the holding
	ActionHoldingTransferred = "HOLDING_TRANSFERRED" // the recipient accepted the offered holding
	ActionHoldingSold        = "HOLDING_SOLD"        // a trade moved the holding to its buyer
)

// HistoryActions lists every action of an asset's history.
var HistoryActions = []string{ActionApplied, ActionDerived, ActionReviewed, ActionObjected, ActionObjectionDecided,
	ActionCertified, ActionSourceOf, ActionGranted, ActionSublicensed, ActionSold, ActionAccepted, ActionDeclined,
	ActionRevoked, ActionRenounced, ActionExpired, ActionHoldingOffered, ActionHoldingRefused, ActionHoldingWithdrawn,
	ActionHoldingTransferred, ActionHoldingSold}

// HistoryEntry is one entry of an asset's history: a step of its
// registration, or a right granted, licensed on, sold, revoked, renounced or
// expired over it, or a move of its holding, with the transaction and its
// time.
type HistoryEntry struct {
	// At is the transaction time, or for EXPIRED the end of the term (of an
	// offer never accepted, when it lapsed: Right.OfferExpiresAt).
	At string `json:"at"`
	// TxID is the transaction; for EXPIRED the one that set that end: the
	// one that issued the right, or that accepted it.
	TxID   string `json:"txId"`
	Action string `json:"action"`
	// By is the participant who acted: for SOLD and HOLDING_SOLD the seller;
	// empty for EXPIRED.
	By string `json:"by,omitempty" metadata:",optional"`
	// AssetStatus and HolderID are the asset's status and holder after the
	// entry, on the entries that change or establish them.
	AssetStatus string `json:"assetStatus,omitempty" metadata:",optional"`
	HolderID    string `json:"holderId,omitempty" metadata:",optional"`
	// The right the entry is about, with its type and holder; for
	// HOLDING_TRANSFERRED and HOLDING_SOLD the new HOLDING right, and
	// PreviousRightID the superseded one.
	RightID         string `json:"rightId,omitempty" metadata:",optional"`
	RightType       string `json:"rightType,omitempty" metadata:",optional"`
	RightHolderID   string `json:"rightHolderId,omitempty" metadata:",optional"`
	ParentRightID   string `json:"parentRightId,omitempty" metadata:",optional"`
	PreviousRightID string `json:"previousRightId,omitempty" metadata:",optional"`
	// ValidUntil is the end of the term of a right issued.
	ValidUntil string `json:"validUntil,omitempty" metadata:",optional"`
	// What else the entry concerns: the objection, the trade (shown only
	// to a caller who may read it and whom the entry names as such: its
	// seller (By), its buyer (RightHolderID), an operator of either's
	// region, the regulator), the product derived.
	ObjectionID string `json:"objectionId,omitempty" metadata:",optional"`
	TradeID     string `json:"tradeId,omitempty" metadata:",optional"`
	ProductID   string `json:"productId,omitempty" metadata:",optional"`
	// Decision is a review's or an objection's decision.
	Decision string `json:"decision,omitempty" metadata:",optional"`
	// Reason is the reason given with the step, if any.
	Reason string `json:"reason,omitempty" metadata:",optional"`
}

// HistoryPage is one page of an asset's history, oldest first.
type HistoryPage struct{ Page[*HistoryEntry] }

// Lineage is where a data product comes from, under which rights, and what
// was made from it.
type Lineage struct {
	AssetID string   `json:"assetId"`
	Sources []string `json:"sources"`
	// Entitlements are the rights that entitled the deriver to process each
	// source (see Asset.Entitlements).
	Entitlements []Entitlement `json:"entitlements"`
	// Derived is the first page of the products derived from the asset;
	// DerivedBookmark continues it through ListDerived.
	Derived         []string `json:"derived"`
	DerivedBookmark string   `json:"derivedBookmark"`
}

// DerivedPage is one page of the products derived from an asset.
type DerivedPage struct{ Page[string] }

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
		RegionField.Named("sourceRegion").Describe("Where the data comes from: " + RegionsRule + "."),
		textField("description", MaxAssetDescriptionLength, "Description of the content and its lawful source, reviewed by the exchange."),
		hashField("contentHash", "SHA-256 (lowercase hex) of the data or its canonical manifest; the data itself never goes on the ledger."),
	}
)

// unsealedApplication is the endorsement of the exchange's steps on an
// application: its key and its objections' are under a majority of the orgs
// until registration (interface 16.0.0), but those of an application
// recorded before are still its holder's org's until the exchange reviews
// it again.
var unsealedApplication = majorityOfOrgs.noted("on an application recorded before interface 16.0.0 and not reviewed since, the holder's org too: its key and its objections' are still that org's")

// AssetsContract runs the exchanges' registration procedure and answers
// queries about assets.
var AssetsContract = contract("assets", "DeltaLedger asset register",
	"Registration of data assets: application, review, public notice, objections, certification",
	Function{Name: "Apply", Returns: Asset{}, Params: application}.endorsedBy(chaincodePolicyWith()),
	Function{Name: "Derive", Returns: Asset{}, Params: append(append([]Field(nil), application...),
		Field{Name: "sourceAssetIds", Type: TypeStringList, Description: fmt.Sprintf("IDs of the source assets, 1 to %d, unique.", MaxSources)},
		textField("purpose", MaxScopePurposeLength, "What the sources are processed for: the purpose of the USE rights the product is derived under."))}.endorsedBy(chaincodePolicyWith()),
	Function{Name: "Review", Returns: Asset{}, Params: []Field{assetID,
		enumField("decision", ReviewDecisions, "APPROVE or REJECT."),
		textField("reason", MaxAssetReasonLength, "Why; required to reject.").AsOptional(),
	}}.endorsedBy(unsealedApplication), // until registration the asset's key is under a majority of the orgs
	Function{Name: "Object", Returns: Objection{}, Params: []Field{
		newIDField("objectionId", "objection (unique per asset)"),
		assetIDNamed,
		textField("reason", MaxAssetReasonLength, "The grounds of the objection."),
	}}.endorsedBy(chaincodePolicyWith()),
	Function{Name: "DecideObjection", Returns: Objection{}, Params: []Field{
		assetIDNamed,
		idField("objectionId", "objection"),
		enumField("decision", ObjectionDecisions, "UPHOLD or DISMISS."),
		textField("reason", MaxAssetReasonLength, "Why."),
	}}.endorsedBy(unsealedApplication), // the objection's key is under a majority of the orgs, as the asset's is until registration
	Function{Name: "Certify", Returns: Asset{}, Params: []Field{assetID}}.endorsedBy(chaincodePolicyWith()),
	Function{Name: "Get", Evaluate: true, Returns: Asset{}, Params: []Field{assetID}},
	Function{Name: "VerifyContent", Evaluate: true, Returns: ContentCheck{}, Params: []Field{assetID,
		hashField("contentHash", "SHA-256 (lowercase hex) of the data to check.")}},
	Function{Name: "History", Evaluate: true, Returns: HistoryPage{}, Params: list(assetID)},
	Function{Name: "Lineage", Evaluate: true, Returns: Lineage{}, Params: []Field{assetID}},
	Function{Name: "ListDerived", Evaluate: true, Returns: DerivedPage{}, Params: list(assetID)},
	Function{Name: "ListByHolder", Evaluate: true, Returns: AssetPage{}, Params: list(idField("holderId", "participant"))},
	Function{Name: "Objections", Evaluate: true, Returns: ObjectionList{}, Params: []Field{assetIDNamed}},
)
