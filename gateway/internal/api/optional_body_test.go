package api_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

// A route whose body fields are all optional takes an empty body as none
// given, each passed as "": close-others gained its optional from, and a
// client that sends no body, as before, still closes the first page. A body
// that is not an object is refused all the same.
func TestARouteWhoseBodyFieldsAreOptionalTakesAnEmptyBody(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("trades:CloseOthers", model.ClosedTrades{SaleTradeID: "T-1", TradeIDs: []string{}})

	resp := e.do("alice", "POST", "/v1/trades/T-1/close-others", "")
	require.Equal(t, 200, resp.Status, "body: %s", resp.Body)
	resp = e.do("alice", "POST", "/v1/trades/T-1/close-others", `{"from":"k"}`)
	require.Equal(t, 200, resp.Status, "body: %s", resp.Body)
	calls := e.fake.CallsTo("trades:CloseOthers")
	require.Len(t, calls, 2)
	assert.Equal(t, []string{"T-1", ""}, calls[0].Args)
	assert.Equal(t, []string{"T-1", "k"}, calls[1].Args)

	assert.Equal(t, 400, e.do("alice", "POST", "/v1/trades/T-1/close-others", `[]`).Status)
}
