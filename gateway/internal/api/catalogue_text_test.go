package api_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// A catalogue search's text is a member's input like any other: one with a
// control character (which no asset's text holds: the chaincode refuses
// them) is a 400 naming q and the rule, in the request's language, not the
// index database's failure (SQLite's full-text query and PostgreSQL refuse
// a NUL byte), answered 503 "the ledger index cannot be read".
func TestACatalogueSearchWithAControlCharacterIsRefusedNamingQ(t *testing.T) {
	e := newIndexedEnv(t)
	a := model.Asset{AssetDescription: model.AssetDescription{ID: "asset-1", Name: "苏州工业园区 power load", Category: "energy", SourceRegion: "jiangsu"}, ExchangeRegion: "jiangsu",
		HolderID: "alice", Status: "REGISTERED", AppliedAt: "2026-05-01T00:00:00Z", RegisteredAt: "2026-05-01T00:00:10Z", UpdatedAt: "2026-05-01T00:00:10Z", Sources: []string{}}
	last := e.chain.Add(chaintest.Tx(chaintest.Record("asset", a, a.ID)))
	e.caughtUp(last)
	min := "&minBlock=" + strconv.FormatUint(last.Number, 10)

	for _, q := range []string{"工业%00园", "power%00load", "%00", "pow%01", "load%0A", "%7Fpower", "power%C2%85"} {
		resp := e.do("carol", "GET", "/v1/catalogue?q="+q+min, "")
		body := resp.requireInvalid(t, "q", q)
		assert.Equal(t, "INVALID_ARGUMENT", body.Code)
		assert.Contains(t, body.Message, "control characters", q)
		zh := e.do("carol", "GET", "/v1/catalogue?q="+q+min, "", header("Accept-Language", "zh-CN"))
		assert.Contains(t, zh.errorBody(t).Message, "控制字符", q)
	}
	// Text without one is searched as before, in any script.
	for q, want := range map[string]int{"工业园": 1, "POWER": 1, "power%20load": 1, "%25": 0, "%22": 0, "%E2%80%AE": 0} {
		resp := e.do("carol", "GET", "/v1/catalogue?q="+q+min, "")
		require.Equal(t, 200, resp.Status, "%s: %s", q, resp.Body)
		var cat ledgerindex.CataloguePage
		require.NoError(t, json.Unmarshal(resp.Body, &cat))
		assert.Len(t, cat.Items, want, q)
	}
}
