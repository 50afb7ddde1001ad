package model

import "time"

// Types of right: the three-rights split of the 'Data 20 measures'.
const (
	RightHolding   = "HOLDING"   // resource holding right: one holder at a time, transferable
	RightUse       = "USE"       // processing and use right: licensed for a scope, many at once
	RightOperation = "OPERATION" // product operation right: may sell or license the product
)

// RightTypes lists the types of right.
var RightTypes = []string{RightHolding, RightUse, RightOperation}

// Origins of a right: how it came to be.
const (
	OriginRegistration = "REGISTRATION" // the holding issued by certification; OriginRef is the certificate ID
	OriginGrant        = "GRANT"        // granted by the holder; OriginRef is the transaction ID
	OriginSublicense   = "SUBLICENSE"   // licensed on from ParentRightID; OriginRef is the parent's ID
	OriginTrade        = "TRADE"        // bought in a trade; OriginRef is the trade ID, answered only to who may read the trade
	OriginTransfer     = "TRANSFER"     // a holding transferred outside a trade; OriginRef is the transaction ID
)

// RightOrigins lists every origin of a right.
var RightOrigins = []string{OriginRegistration, OriginGrant, OriginSublicense, OriginTrade, OriginTransfer}

// Statuses of a right. EXPIRED is never stored: it is how an ACTIVE right
// past its validUntil reads (computed at read against the transaction
// time), so that nobody mistakes it for a usable one. Likewise an ACTIVE
// right under a revoked (or renounced) parent reads REVOKED (RENOUNCED)
// (StatusInChain), but for a right sold in a trade under a right its seller
// renounced since, which the renunciation does not end (StatusOver). A right granted or sublicensed (rights:Grant,
// rights:Sublicense) is OFFERED until its grantee accepts it (ACTIVE) or
// declines it (DECLINED); an offer entitles nothing, and one that lapsed
// (OfferExpiresAt: not accepted within OfferWindow, nor within its term)
// reads EXPIRED too. A right issued by a trade or a registration is ACTIVE
// at once: the buyer's confirmation is its consent.
const (
	RightOffered    = "OFFERED"  // granted or sublicensed, waiting for its grantee: confers nothing
	RightDeclined   = "DECLINED" // the grantee refused the offered right (rights:Decline)
	RightActive     = "ACTIVE"
	RightRevoked    = "REVOKED"    // ended by its grantor or the exchange (rights:Revoke)
	RightRenounced  = "RENOUNCED"  // given up by its own holder (rights:Renounce)
	RightSuperseded = "SUPERSEDED" // a holding that moved to a new holder
	RightExpired    = "EXPIRED"
)

// RightStatuses lists every status a right reads, stored or computed.
var RightStatuses = []string{RightOffered, RightActive, RightExpired, RightDeclined, RightRevoked, RightRenounced, RightSuperseded}

// Holding scope: a HOLDING right always carries the whole scope, so that
// every right has a scope and reads the same way. It is never compared with
// Covers; the holder may grant any scope.
const (
	HoldingPurpose    = "holding"
	HoldingValidUntil = "9999-12-31T23:59:59Z"
)

// Right is a right certificate on the ledger: who holds which right over
// which asset, within which scope, where it came from, and whether it still
// stands. A right never changes holder: a holding that moves is SUPERSEDED
// and a new HOLDING right is issued, so a right's history is its own.
type Right struct {
	// ID is "R-", the first 20 characters of the issuing transaction's ID,
	// "-" and the right's position among those the transaction issued
	// (every function of the rights contract issues one).
	ID        string `json:"id"`
	AssetID   string `json:"assetId"`
	Type      string `json:"type"`
	HolderID  string `json:"holderId"`
	HolderMSP string `json:"holderMsp"`
	Scope     Scope  `json:"scope"`
	Origin    string `json:"origin"`
	// OriginRef is what the right came from, as its Origin says. A trade's
	// ID (origin TRADE) is kept in the record but answered only to who may
	// read that trade (trades:Get) among those the right names as such (its
	// holder, the buyer, and its grantor, the seller; an operator of either's
	// region; the regulator) and empty to everyone else, as the register and
	// the listings answer the trade of a sale (since interface 10.0.0).
	OriginRef string `json:"originRef"`
	// ParentRightID is the right this one was licensed on from: the parent of
	// a sublicence, or the OPERATION right under which a trade sold it. A
	// right with a parent can be used only while its parent chain is ACTIVE.
	ParentRightID string `json:"parentRightId,omitempty" metadata:",optional"`
	// GrantorID is the participant who granted, licensed on, sold or
	// transferred the right; empty for a holding issued by registration.
	GrantorID    string `json:"grantorId,omitempty" metadata:",optional"`
	Status       string `json:"status"`
	StatusReason string `json:"statusReason,omitempty" metadata:",optional"`
	// StatusFrom is set only in answers, never stored: the right up the
	// parent chain whose status this one reads (StatusInChain), when that
	// is not the right itself, e.g. the revoked parent of a sublicence.
	StatusFrom string `json:"statusFrom,omitempty" metadata:",optional"`
	// Unsealed is set only in answers, never stored: the right, or a right
	// up its parent chain, was recorded before interface 15.0.0 under its
	// holder's org's key-level policy alone, which that org could rewrite
	// by itself (its term, its status), so the register does not rely on
	// it: a USE or OPERATION right so marked entitles nothing, whatever its
	// status reads, and an offer so marked is not accepted (its grantor
	// grants it again, under a majority of the orgs). A HOLDING right so
	// marked changes nothing: the asset's record names its holder.
	Unsealed bool `json:"unsealed,omitempty" metadata:",optional"`
	// SupersededBy is the HOLDING right that replaced this one.
	SupersededBy string `json:"supersededBy,omitempty" metadata:",optional"`
	IssuedAt     string `json:"issuedAt"`
	// AcceptedAt is when the grantee accepted an offered right
	// (rights:Accept); empty for a right never offered (a holding, a right
	// bought in a trade) and for one not accepted.
	AcceptedAt string `json:"acceptedAt,omitempty" metadata:",optional"`
	// OfferExpiresAt is when an offered right lapses unless its grantee has
	// accepted it (OfferEnd of the issuing transaction's time: OfferWindow
	// later, or the end of its term if that comes first); empty for a right
	// never offered, and for one offered before offers lapsed, which lapses
	// all the same (OfferLapsesAt).
	OfferExpiresAt string `json:"offerExpiresAt,omitempty" metadata:",optional"`
	UpdatedAt      string `json:"updatedAt"`
}

// OfferEnd is the OfferExpiresAt of a right offered at issued whose term
// ends at validUntil (TimeLayout): OfferWindow later, or the end of the
// term if that comes first, for an offer never outlives what it offers.
// Both are fixed-width UTC text, so the earlier is the lesser.
func OfferEnd(issued time.Time, validUntil string) string {
	return min(FormatTime(issued.Add(OfferWindow)), validUntil)
}

// OfferLapsesAt is when r, OFFERED, can no longer be accepted: its
// OfferExpiresAt, or for an offer issued before that was recorded, OfferEnd
// of its IssuedAt, so that the offers made before offers lapsed lapse too.
// An IssuedAt that does not parse (no ledger writes one) lapses at once.
func (r *Right) OfferLapsesAt() string {
	if r.OfferExpiresAt != "" {
		return r.OfferExpiresAt
	}
	issued, err := time.Parse(TimeLayout, r.IssuedAt)
	if err != nil {
		return ""
	}
	return OfferEnd(issued, r.Scope.ValidUntil)
}

// EndsAt is the instant from which r, as stored, no longer stands by the
// passing of time alone and reads EXPIRED (StatusAt): for an OFFERED right
// when its offer lapses (OfferLapsesAt, never after its term), for any other
// the end of its term. A gateway's ledger index stores it with the right,
// so that it reads the right by the same rule.
func (r *Right) EndsAt() string {
	if r.Status == RightOffered {
		return r.OfferLapsesAt()
	}
	return r.Scope.ValidUntil
}

// OfferWindow is how long the recipient of an offer has to accept it, for
// both kinds of offer: an offered holding (HoldingOffer.ExpiresAt) and a
// licence offered by a grant or a sublicence (Right.OfferExpiresAt). A
// holding moves outside a trade, and a licence binds its grantee, only with
// the recipient's consent, given in time; an offer nobody answers lapses
// instead of standing on the ledger, naming its recipient, for years.
const OfferWindow = 7 * 24 * time.Hour

// lockedHoldingNote is the endorsement note of the answers to a holding
// offer that write the asset while its holding is locked to a trade by a
// lock written before interface 17.0.0, which tied the asset's key to the
// holder's and the buyer's orgs.
const lockedHoldingNote = "While the holding is promised to a trade accepted before interface 17.0.0, that trade's buyer's org too."

// holderBefore17Note is the endorsement note of a step that writes an asset
// registered before interface 17.0.0 and not changed since: its key is
// still its holder's org's until this step puts it under a majority.
const holderBefore17Note = "On an asset registered before interface 17.0.0 and not changed since, the holder's org too, until this step puts its key under a majority."

// answerBefore17Note is the endorsement note of the answers to a holding
// offer that may write an asset still under a policy of before interface
// 17.0.0: its holder's org's (holderBefore17Note), and while it is locked
// by a lock of then, its trade's buyer's org's too (lockedHoldingNote).
const answerBefore17Note = holderBefore17Note + " " + lockedHoldingNote

// Statuses of a holding offer. An OFFERED offer past its ExpiresAt can no
// longer be accepted; the holder may then withdraw it or offer again.
const (
	HoldingOffered   = "OFFERED"
	HoldingAccepted  = "ACCEPTED"
	HoldingRefused   = "REFUSED"
	HoldingWithdrawn = "WITHDRAWN"
)

// HoldingOfferStatuses lists every status of a holding offer. A lapsed offer
// still reads OFFERED (its ExpiresAt tells), so no status is computed.
var HoldingOfferStatuses = []string{HoldingOffered, HoldingAccepted, HoldingRefused, HoldingWithdrawn}

// HoldingOffer is a holder's offer to give an asset's holding to another
// participant outside a trade (a gift, a merger). Nothing moves until the
// recipient accepts it before ExpiresAt, by the endorsing peers' clocks; the
// recipient may refuse it and the holder withdraw it until then. An asset
// has at most one offer record, its latest.
type HoldingOffer struct {
	AssetID string `json:"assetId"`
	// HoldingRightID is the HOLDING right offered: the offer stands only
	// while it is still the asset's ACTIVE holding.
	HoldingRightID string `json:"holdingRightId"`
	FromID         string `json:"fromId"`
	FromMSP        string `json:"fromMsp"`
	ToID           string `json:"toId"`
	ToMSP          string `json:"toMsp"`
	Reason         string `json:"reason"`
	Status         string `json:"status"`
	StatusReason   string `json:"statusReason,omitempty" metadata:",optional"`
	OfferedAt      string `json:"offeredAt"`
	// ExpiresAt is OfferedAt plus OfferWindow.
	ExpiresAt string `json:"expiresAt"`
	// TxID is the transaction that made the offer.
	TxID string `json:"txId"`
	// NewHoldingRightID is the recipient's HOLDING right, once ACCEPTED.
	NewHoldingRightID string `json:"newHoldingRightId,omitempty" metadata:",optional"`
	UpdatedAt         string `json:"updatedAt"`
}

// HoldingOfferEvent is the payload of the events of a holding offer that
// move nothing (HoldingOffered, HoldingRefused, HoldingWithdrawn); an
// accepted offer emits HoldingTransferred.
type HoldingOfferEvent struct {
	AssetID   string `json:"assetId"`
	FromID    string `json:"fromId"`
	ToID      string `json:"toId"`
	Status    string `json:"status"`
	ExpiresAt string `json:"expiresAt"`
}

// RightPage is one page of a right list.
type RightPage struct{ Page[*Right] }

// RightVersion is one committed version of a right record.
type RightVersion struct {
	TxID      string `json:"txId"`
	Timestamp string `json:"timestamp"`
	IsDelete  bool   `json:"isDelete"`
	Right     *Right `json:"right,omitempty" metadata:",optional"`
}

// RightHistory is every committed version of one right record.
type RightHistory struct {
	RightID string          `json:"rightId"`
	Items   []*RightVersion `json:"items"`
}

// RightEvent is the payload of the rights events.
type RightEvent struct {
	RightID         string `json:"rightId"`
	AssetID         string `json:"assetId"`
	Type            string `json:"type"`
	HolderID        string `json:"holderId"`
	Status          string `json:"status"`
	ParentRightID   string `json:"parentRightId,omitempty"`
	PreviousRightID string `json:"previousRightId,omitempty"`
	// DelistedListingIDs are the former holder's listings of the asset that
	// a transfer of the holding took off the market.
	DelistedListingIDs []string `json:"delistedListingIds,omitempty"`
}

// Events of the rights contract.
const (
	EventRightGranted       = "RightGranted"
	EventRightSublicensed   = "RightSublicensed"
	EventRightRevoked       = "RightRevoked"
	EventRightRenounced     = "RightRenounced"
	EventRightAccepted      = "RightAccepted"
	EventRightDeclined      = "RightDeclined"
	EventHoldingTransferred = "HoldingTransferred"
	EventHoldingOffered     = "HoldingOffered"
	EventHoldingRefused     = "HoldingRefused"
	EventHoldingWithdrawn   = "HoldingWithdrawn"
)

var (
	rightID   = idField("rightId", "right")
	granteeID = idField("granteeId", "participant receiving the right")
	// rightsReason is why a right or a holding offer ends, or is refused.
	rightsReason = textField("reason", MaxAssetReasonLength, "Why.")
	// rightStep is the endorsement of a step that rewrites a right: its key
	// needs a majority of the orgs, but a right written before 15.0.0 keeps
	// its holder's org's policy until then.
	rightStep = majorityOfOrgs.noted("a right written before 15.0.0 still needs its holder's org too, until this step puts it under a majority")
)

// RightsContract manages the right certificates.
var RightsContract = contract("rights", "DeltaLedger rights",
	"Right certificates over data assets: holding, use and operation rights",
	Function{Name: "Grant", Returns: Right{}, Params: []Field{
		assetIDNamed,
		granteeID,
		enumField("rightType", []string{RightUse, RightOperation}, "USE (processing and use) or OPERATION (product operation)."),
		scopeField("The scope of the right."),
	}}.endorsedBy(chaincodePolicyWith()),
	Function{Name: "Sublicense", Returns: Right{}, Params: []Field{
		idField("parentRightId", "right licensed on"),
		granteeID,
		scopeField("The scope of the right."),
	}}.endorsedBy(chaincodePolicyWith()),
	// A right's key needs a majority of the orgs (never one party's org:
	// neither the licensee's nor the licensor's org may veto the other's
	// step), and a revocation, a renunciation, an acceptance or a refusal
	// writes a new entry of the asset's history: a new key.
	Function{Name: "Revoke", Returns: Right{}, Params: []Field{rightID, rightsReason}}.endorsedBy(rightStep),
	Function{Name: "Renounce", Returns: Right{}, Params: []Field{rightID}}.endorsedBy(rightStep),
	Function{Name: "Accept", Returns: Right{}, Params: []Field{rightID}}.endorsedBy(rightStep),
	Function{Name: "Decline", Returns: Right{}, Params: []Field{rightID, rightsReason}}.endorsedBy(rightStep),
	Function{Name: "TransferHolding", Returns: HoldingOffer{}, Params: []Field{
		assetIDNamed,
		idField("newHolderId", "new holder"),
		textField("reason", MaxAssetReasonLength, "Why (a gift, a merger)."),
	}}.endorsedBy(chaincodePolicyWith().noted(holderBefore17Note)), // the asset's key is under a majority (interface 17.0.0); the offer's is new
	// An offer's answers change its record, whose key needs a majority of
	// the orgs (from 17.0.0; neither party's org alone holds it open), and
	// the asset, whose key needs a majority of the orgs too.
	Function{Name: "AcceptHolding", Returns: Right{}, Params: []Field{assetIDNamed}}.endorsedBy(chaincodePolicyWith().noted(holderBefore17Note)),
	// While the holding is locked to a trade accepted before interface
	// 17.0.0, the asset's key needs that trade's buyer's org too: an offer
	// answered then (it can no longer be accepted) needs it as well.
	Function{Name: "RefuseHolding", Returns: HoldingOffer{}, Params: []Field{assetIDNamed, rightsReason}}.endorsedBy(chaincodePolicyWith().noted(answerBefore17Note)),
	Function{Name: "WithdrawHolding", Returns: HoldingOffer{}, Params: []Field{assetIDNamed, rightsReason}}.endorsedBy(chaincodePolicyWith().noted(answerBefore17Note)),
	Function{Name: "GetHoldingOffer", Evaluate: true, Returns: HoldingOffer{}, Params: []Field{assetIDNamed}},
	Function{Name: "Get", Evaluate: true, Returns: Right{}, Params: []Field{rightID}},
	Function{Name: "ListByHolder", Evaluate: true, Returns: RightPage{}, Params: list(idField("holderId", "participant"))},
	Function{Name: "ListByAsset", Evaluate: true, Returns: RightPage{}, Params: list(assetIDNamed)},
	Function{Name: "History", Evaluate: true, Returns: RightHistory{}, Params: []Field{rightID}},
)
