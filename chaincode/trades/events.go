package trades

import "github.com/deltaledger/deltaledger/model"

// eventOf is the payload naming the trade, its new status and that
// status's deadline, its parties and their orgs, and its region: who may
// see the event (model.AudienceTrade), as mayRead decides who reads the
// trade, the operators of its region among them, which its seller's org
// moving does not change. The deadline is the record's, which advance set
// with the status: events are built after the transition, from the trade
// as it is saved.
func eventOf(t *model.Trade) model.TradeEvent {
	return model.TradeEvent{TradeID: t.ID, ListingID: t.ListingID, AssetID: t.AssetID, Status: t.Status,
		DeadlineAt: t.DeadlineAt, BuyerID: t.BuyerID, SellerID: t.SellerID, BuyerMSP: t.BuyerMSP, SellerMSP: t.SellerMSP,
		Region: t.Region}
}

// roundEvent is the payload of an offer: the round it made.
func roundEvent(t *model.Trade) model.TradeEvent {
	e := eventOf(t)
	e.Round = len(t.Offers)
	return e
}

// saleEvent is the payload of a completed sale, with the market fields.
func saleEvent(t *model.Trade) model.TradeEvent {
	e := eventOf(t)
	e.Category, e.SourceRegion = t.Category, t.SourceRegion
	e.RightType, e.Pricing, e.PriceFen, e.RightID = t.RightType, t.Pricing, t.PriceFen, t.RightID
	return e
}
