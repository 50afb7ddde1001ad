package api_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A caller the chain admits before the index has read ?minBlock is asked again once it has: the answer counts up to
// that block, so the rule that decides who reads it is the one in force there. A regulator withdrawn in the very
// block it asked for (or any before it the index had not read) was admitted under the rules before and read the
// history up to that block, the trades made after its withdrawal included.
func TestACallerIsAdmittedUnderTheRulesOfTheBlockItAsksFor(t *testing.T) {
	e := newIndexedEnv(t)
	day := time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC)
	e.caughtUp(e.sell("t1", "jiangsu", "energy", 4200, day))
	withdrawn := false
	var next *chain.Block
	e.fake.Handle("trades:ListByParticipant", func(c chaintest.Call) (chaintest.Response, error) {
		if withdrawn {
			return chaintest.Response{}, &chain.Error{Kind: chain.KindRejected, Code: ledgererr.Forbidden, Message: "FORBIDDEN: no longer a regulator"}
		}
		// The block that withdraws the regulator (and holds a later trade) commits while the request waits for it.
		withdrawn, next = true, e.sell("t2", "jiangsu", "energy", 4300, day.Add(time.Hour))
		return chaintest.Response{Result: []byte(`{"items":[]}`)}, nil
	})
	height, err := e.chain.Height(t.Context())
	require.NoError(t, err)
	resp := e.do("regulator", "GET", "/v1/participants/alice/trade-history?minBlock="+strconv.FormatUint(height, 10), "")
	require.NotNil(t, next)
	assert.Equal(t, 403, resp.Status, "withdrawn at the block asked for: %s", resp.Body)
}
