package listings_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// No change to a listing is stamped before the listing's last change: the
// seller changing its price a second after its previous change, stamping it
// as far back as the peers accept (model.MaxClockSkew), would have the price
// history show the new price in force before the one it replaces; a
// delisting so stamped would date the listing's withdrawal before the change
// it follows. Refused, naming the stamp, and nothing written; a change at
// the last change's own second is taken, and the history stays in time
// order.
func TestAChangeToAListingIsNotStampedBeforeItsLastChange(t *testing.T) {
	m := newMarket(t)
	create(t, m, holder, "L1", "asset-1", "USE", useScope, "FIXED", "1000")
	m.Submit(holder, "listings:UpdatePrice", "L1", "1500", "demand is up").MustOK(t)

	behind := func(function string, args ...string) func() chaincodetest.Result {
		return func() chaincodetest.Result {
			return m.Net.Invoke(m.As(holder), chaincodetest.Call{Function: function, Args: args, Timestamp: m.Net.StampFarBehind()})
		}
	}
	m.Refuse(t, ledgererr.InvalidArgument, state.TimestampField, behind("listings:UpdatePrice", "L1", "900", "backdated"))
	m.Refuse(t, ledgererr.InvalidArgument, state.TimestampField, behind("listings:Delist", "L1", "backdated"))

	at := get(t, m, "L1").UpdatedAt
	sameSecond := chaincodetest.Call{Function: "listings:UpdatePrice", Args: []string{"L1", "900", "discount"}, Timestamp: chaincodetest.ParseTime(t, at)}
	m.Net.Invoke(m.As(holder), sameSecond).MustOK(t)
	m.Submit(holder, "listings:Delist", "L1", "withdrawn").MustOK(t)

	var h model.PriceHistory
	m.Evaluate(buyer, "listings:PriceHistory", "L1").Unmarshal(t, &h)
	require.Len(t, h.Items, 3)
	for i := 1; i < len(h.Items); i++ {
		assert.LessOrEqual(t, h.Items[i-1].At, h.Items[i].At, "the price history is in time order")
	}
	assert.LessOrEqual(t, h.Items[2].At, get(t, m, "L1").UpdatedAt, "delisted after its last price")
}

// No trade on a listing is begun stamped before the listing's last change:
// a buyer ordering a second after the seller's price change, stamping its
// order as far back as the peers accept, would have the trade show it
// ordered, at the new price, minutes before the price history says that
// price was set (an order on a listing just created, before it existed).
// Refused, naming the stamp, and nothing written; an order at the change's
// own second is taken, at the price then in force.
func TestNoOrderOnAListingIsStampedBeforeItsLastChange(t *testing.T) {
	m := newMarket(t)
	create(t, m, holder, "L1", "asset-1", "USE", useScope, "FIXED", "1000")
	m.Submit(holder, "listings:UpdatePrice", "L1", "1500", "demand is up").MustOK(t)

	order := chaincodetest.Call{Function: "trades:Order", Args: []string{"T1", "L1"}, Timestamp: m.Net.StampFarBehind()}
	m.Refuse(t, ledgererr.InvalidArgument, state.TimestampField, func() chaincodetest.Result {
		return m.Net.Invoke(m.As(buyer), order)
	})

	order.Timestamp = chaincodetest.ParseTime(t, get(t, m, "L1").UpdatedAt)
	var tr model.Trade
	m.Net.Invoke(m.As(buyer), order).Unmarshal(t, &tr)
	assert.EqualValues(t, 1500, tr.PriceFen)
	assert.Equal(t, get(t, m, "L1").UpdatedAt, tr.CreatedAt)
}

// A seller may stamp its price change as far ahead of the peers' clocks as
// they accept (model.MaxClockLead), again and again (up to
// model.MaxPriceChanges times): the exchange's delisting, stamped honestly
// meanwhile, is not refused for lying before it, which kept the exchange
// from withdrawing the listing for as long as the seller went on; it is
// dated at that change, so that the listing's changes stay in time order.
func TestAPriceChangeStampedAheadDoesNotHoldTheDelistingOff(t *testing.T) {
	m := newMarket(t)
	create(t, m, holder, "L1", "asset-1", "USE", useScope, "FIXED", "1000")
	ahead := chaincodetest.Call{Function: "listings:UpdatePrice", Args: []string{"L1", "1500", "ahead"}, Timestamp: m.Net.Now().Add(model.MaxClockLead - 2*time.Second)}
	m.Net.Invoke(m.As(holder), ahead).MustOK(t)
	changed := get(t, m, "L1").UpdatedAt
	assert.Greater(t, changed, model.FormatTime(m.Net.Now()), "the change lies ahead of the clocks")

	var l model.Listing
	m.Submit(operator, "listings:Delist", "L1", "misdescribed data").Unmarshal(t, &l)
	assert.Equal(t, model.ListingDelisted, l.Status)
	assert.Equal(t, changed, l.UpdatedAt, "dated at the change it follows")
}

// A holding's move (rights:AcceptHolding) withdraws the former holder's
// listings of the asset: one whose price its seller changed stamped ahead of
// the peers' clocks (model.MaxClockLead) was dated at the new holder's
// acceptance, before the change it follows. It is dated at that change
// instead, and the move is not refused.
func TestAHoldingsMoveDoesNotDateAWithdrawalBeforeAChangeStampedAhead(t *testing.T) {
	m := newMarket(t)
	create(t, m, holder, "L-use", "asset-1", "USE", useScope, "FIXED", "5000")
	ahead := m.Net.Now().Add(model.MaxClockLead - 2*time.Second).Truncate(time.Second)
	m.Net.Invoke(m.As(holder), chaincodetest.Call{Function: "listings:UpdatePrice", Args: []string{"L-use", "6000", "ahead"}, Timestamp: ahead}).MustOK(t)
	m.Submit(holder, "rights:TransferHolding", "asset-1", other, "merger of the data business").MustOK(t)
	m.Submit(other, "rights:AcceptHolding", "asset-1").MustOK(t)

	l := get(t, m, "L-use")
	assert.Equal(t, model.ListingDelisted, l.Status)
	assert.Equal(t, model.FormatTime(ahead), l.UpdatedAt, "dated at the change it follows")
}
