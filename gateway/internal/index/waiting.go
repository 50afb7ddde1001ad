package index

import (
	"context"
	"database/sql"
	"strings"

	"github.com/deltaledger/deltaledger/model"
)

// SalesWithWaitingTrades lists, oldest sale first, the completed sales of a
// holding supervised by region (the seller's) whose listing, or a listing of
// the same asset by the same seller that the sale took off the market, still
// has trades waiting (model.TradeWaitingStatuses): the trades
// trades:CloseOthers closes. The sale's own transaction closes none of them
// (package closer).
//
// The index keeps no list of the listings a sale withdrew; it finds them as
// the chaincode left them: DELISTED in the sale's own transaction, so
// updated at the sale's completion, to the second (the chaincode stamps
// both with the transaction's time). A listing the seller withdrew by hand
// in that same second is taken for one the sale withdrew; trades:CloseOthers
// then closes nothing on it, which the closer takes as done.
//
// It starts from the region's waiting trades, which lapse within
// model.TradeResponseWindow, rather than from its sales, which only grow.
func (x *Index) SalesWithWaitingTrades(ctx context.Context, region string) ([]string, error) {
	t, err := x.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer t.Rollback()
	// o is a waiting trade, s the sale that closes it.
	waiting := "o.region = ? AND o.status IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(model.TradeWaitingStatuses)), ", ") + ")"
	sale := "s.region = ? AND s.status = ? AND s.right_type = ?"
	args := []any{region}
	for _, status := range model.TradeWaitingStatuses {
		args = append(args, status)
	}
	args = append(args, region, model.TradeCompleted, model.RightHolding)
	args = append(args, args...)
	args = append(args, model.ListingDelisted)
	ids, err := queryAll(ctx, t, `
SELECT s.id, s.completed_at FROM trades o JOIN trades s ON s.listing_id = o.listing_id
WHERE `+waiting+` AND `+sale+`
UNION
SELECT s.id, s.completed_at FROM trades o JOIN listings l ON l.id = o.listing_id
JOIN trades s ON s.seller_id = l.seller_id AND s.asset_id = l.asset_id AND s.completed_at = l.updated_at
WHERE `+waiting+` AND `+sale+` AND l.status = ?
ORDER BY 2, 1`, args, func(rows *sql.Rows) (string, error) {
		var id string
		var completedAt sql.NullInt64
		return id, rows.Scan(&id, &completedAt)
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}
