package trades

// Event names of the trades contract.
const (
	EventOrdered             = "TradeOrdered"
	EventProposed            = "TradeProposed"
	EventCountered           = "TradeCountered"
	EventAccepted            = "TradeAccepted"
	EventRejected            = "TradeRejected"
	EventPaid                = "TradePaid"
	EventDelivered           = "TradeDelivered"
	EventCompleted           = "TradeCompleted"
	EventCancelled           = "TradeCancelled"
	EventExpired             = "TradeExpired"
	EventDisputed            = "TradeDisputed"
	EventResolved            = "TradeResolved"
	EventTermsPurgeRequested = "TermsPurgeRequested"
	EventTermsPurged         = "TermsPurged"
)

// event is the payload of every trade event. The market fields are set on
// the events of a completed sale (TradeCompleted, and TradeResolved with
// outcome COMPLETE): the gateway computes the market's price index and
// volume per region and category from them. PriceFen is set only for a FIXED
// trade; a negotiated price is confidential.
type event struct {
	TradeID   string `json:"tradeId"`
	ListingID string `json:"listingId"`
	AssetID   string `json:"assetId"`
	Status    string `json:"status"`
	BuyerID   string `json:"buyerId"`
	SellerID  string `json:"sellerId"`
	Round     int    `json:"round,omitempty"`
	Outcome   string `json:"outcome,omitempty"`

	Category     string `json:"category,omitempty"`
	Region       string `json:"region,omitempty"`
	SourceRegion string `json:"sourceRegion,omitempty"`
	RightType    string `json:"rightType,omitempty"`
	Pricing      string `json:"pricing,omitempty"`
	PriceFen     string `json:"priceFen,omitempty"`
	RightID      string `json:"rightId,omitempty"`
	// DelistedListingIDs are the seller's other listings of the asset that
	// the sale of its holding took off the market.
	DelistedListingIDs []string `json:"delistedListingIds,omitempty"`
}

// eventOf is the payload naming the trade and its new status.
func eventOf(t *Trade) event {
	return event{TradeID: t.ID, ListingID: t.ListingID, AssetID: t.AssetID, Status: t.Status, BuyerID: t.BuyerID, SellerID: t.SellerID}
}

// roundEvent is the payload of an offer: the round it made.
func roundEvent(t *Trade) event {
	e := eventOf(t)
	e.Round = len(t.Offers)
	return e
}

// saleEvent is the payload of a completed sale, with the market fields.
func saleEvent(t *Trade) event {
	e := eventOf(t)
	e.Category, e.Region, e.SourceRegion = t.Category, t.Region, t.SourceRegion
	e.RightType, e.Pricing, e.PriceFen, e.RightID = t.RightType, t.Pricing, t.PriceFen, t.RightID
	return e
}
