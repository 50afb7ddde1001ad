// Package trades is the market's trade contracts (交易合约): the state machine
// a sale goes through between a buyer and a seller, from order or
// negotiation to completion, where the buyer's right is issued (or the
// holding transferred) in the same transaction.
//
//	NEGOTIATING --AcceptOffer--> ACCEPTED      ORDERED --Accept--> ACCEPTED
//	                                           ORDERED --Reject--> REJECTED
//	ACCEPTED --RecordPayment--> PAID --Deliver--> DELIVERED --Confirm--> COMPLETED
//	NEGOTIATING, ORDERED, ACCEPTED --Cancel--> CANCELLED
//	NEGOTIATING, ORDERED, ACCEPTED --Expire--> EXPIRED   (after ResponseWindow without a transition)
//	PAID, DELIVERED --Dispute--> DISPUTED --Resolve--> COMPLETED | CANCELLED (refund)
//
// Negotiated terms (price and conditions) are confidential: they live in a
// private data collection of the buyer's and the seller's orgs, and the
// public trade record carries only each offer's hash (see Terms).
//
// A HOLDING right is sold once. Three guards make sure of it: acceptance
// locks the asset's holding to the trade (assets.LockHolding), completion
// re-checks the seller's entitlement (assets.Convey), and completion marks the
// HOLDING listing SOLD (listings.MarkSold).
package trades

import (
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/domain"
)

// Trade statuses.
const (
	StatusNegotiating = "NEGOTIATING"
	StatusOrdered     = "ORDERED"
	StatusAccepted    = "ACCEPTED"
	StatusRejected    = "REJECTED"
	StatusPaid        = "PAID"
	StatusDelivered   = "DELIVERED"
	StatusCompleted   = "COMPLETED"
	StatusCancelled   = "CANCELLED"
	StatusExpired     = "EXPIRED"
	StatusDisputed    = "DISPUTED"
)

// Outcomes of a dispute's resolution.
const (
	OutcomeComplete = "COMPLETE" // the sale stands: the right is conveyed
	OutcomeRefund   = "REFUND"   // the sale is undone: the trade is cancelled
)

// ResponseWindow is how long a trade may wait in NEGOTIATING, ORDERED or
// ACCEPTED without a transition. After it the trade has lapsed: the only
// transition left is Expire, which anyone may make.
const ResponseWindow = 7 * 24 * time.Hour

// MaxRounds bounds a negotiation, and with it the size of the trade record.
const MaxRounds = 20

// Trade is a trade contract between a buyer and a seller over one listing.
type Trade struct {
	ID        string `json:"id"`
	ListingID string `json:"listingId"`
	// AssetID, RightType, Scope, Category, Region and SourceRegion are
	// copied from the listing when the trade starts, so that the listing can
	// change later without changing what was bought.
	AssetID      string        `json:"assetId"`
	RightType    string        `json:"rightType"`
	Scope        *domain.Scope `json:"scope,omitempty" metadata:",optional"`
	Category     string        `json:"category"`
	Region       string        `json:"region"` // the seller's region, whose exchange supervises the trade
	SourceRegion string        `json:"sourceRegion"`
	Pricing      string        `json:"pricing"`
	// PriceFen is the public price of a FIXED trade; a negotiated price is
	// confidential and only its hash is here (in Offers).
	PriceFen  string `json:"priceFen,omitempty" metadata:",optional"`
	BuyerID   string `json:"buyerId"`
	BuyerMSP  string `json:"buyerMsp"`
	SellerID  string `json:"sellerId"`
	SellerMSP string `json:"sellerMsp"`
	Status    string `json:"status"`
	// Offers are the rounds of private terms, oldest first. Once the trade
	// is ACCEPTED the last offer's terms are the agreed ones.
	Offers []Offer `json:"offers"`
	// DeadlineAt is when a trade waiting in NEGOTIATING, ORDERED or ACCEPTED
	// lapses; it is empty in every other status.
	DeadlineAt    string `json:"deadlineAt,omitempty" metadata:",optional"`
	SettlementRef string `json:"settlementRef,omitempty" metadata:",optional"`
	DeliveryHash  string `json:"deliveryHash,omitempty" metadata:",optional"`
	// RightID is the right the buyer received when the trade completed.
	RightID       string         `json:"rightId,omitempty" metadata:",optional"`
	PurgeRequests []PurgeRequest `json:"purgeRequests"`
	TermsPurged   bool           `json:"termsPurged"`
	Timeline      []Step         `json:"timeline"`
	CreatedAt     string         `json:"createdAt"`
	UpdatedAt     string         `json:"updatedAt"`
}

// Offer is the public trace of one round of private terms: who offered them,
// when, and the hex SHA-256 of the exact bytes stored in the private data
// collection, so that either party can later prove what was offered.
type Offer struct {
	Round     int    `json:"round"`
	By        string `json:"by"`
	At        string `json:"at"`
	TxID      string `json:"txId"`
	TermsHash string `json:"termsHash"`
}

// Step is one entry of a trade's timeline: a transition, or a round of a
// negotiation.
type Step struct {
	State string `json:"state"`
	By    string `json:"by"`
	At    string `json:"at"`
	TxID  string `json:"txId"`
	Note  string `json:"note,omitempty" metadata:",optional"`
}

// PurgeRequest records that a party asked for the trade's private terms to
// be purged.
type PurgeRequest struct {
	By   string `json:"by"`
	At   string `json:"at"`
	TxID string `json:"txId"`
}

// TradePage is one page of a trade query. Contract-api names the schemas of
// returned types by their Go names across the whole chaincode, so page
// types carry their record's name.
type TradePage struct {
	Items    []*Trade `json:"items"`
	Bookmark string   `json:"bookmark"`
}

// scope returns the scope conveyed by the trade: none for a HOLDING trade.
func (t *Trade) scope() domain.Scope {
	if t.Scope == nil {
		return domain.Scope{}
	}
	return *t.Scope
}

// lastOffer returns the latest round of terms, if there is one.
func (t *Trade) lastOffer() (Offer, bool) {
	if len(t.Offers) == 0 {
		return Offer{}, false
	}
	return t.Offers[len(t.Offers)-1], true
}

// waiting reports whether the status is one a trade can lapse in: a party
// still has to act before anything changes hands.
func waiting(status string) bool {
	return status == StatusNegotiating || status == StatusOrdered || status == StatusAccepted
}
