package trades

import "github.com/deltaledger/deltaledger/model"

// eventOf is the payload naming the trade, its new status, and its parties
// and their orgs (who may see the event: model.AudienceTrade).
func eventOf(t *model.Trade) model.TradeEvent {
	return model.TradeEvent{TradeID: t.ID, ListingID: t.ListingID, AssetID: t.AssetID, Status: t.Status,
		BuyerID: t.BuyerID, SellerID: t.SellerID, BuyerMSP: t.BuyerMSP, SellerMSP: t.SellerMSP}
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
	e.Category, e.Region, e.SourceRegion = t.Category, t.Region, t.SourceRegion
	e.RightType, e.Pricing, e.PriceFen, e.RightID = t.RightType, t.Pricing, t.PriceFen, t.RightID
	return e
}
