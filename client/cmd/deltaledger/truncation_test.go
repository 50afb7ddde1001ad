package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

// TestAListCutByItsLimitSaysSo: the auditor's walk lists the whole market
// and an asset's history with the default --limit (100). A list longer
// than the limit must not look complete: the command says on stderr that
// more items follow and how to print them all; a list that ends within the
// limit says nothing of the kind.
func TestAListCutByItsLimitSaysSo(t *testing.T) {
	f := newFake(t, false)
	const total = 5
	f.on("GET /v1/trades", func(w http.ResponseWriter, r *http.Request) {
		at := 0
		if c := r.URL.Query().Get("cursor"); c != "" {
			fmt.Sscanf(c, "c%d", &at)
		}
		page := map[string]any{"items": []model.Trade{}}
		var items []model.Trade
		for i := at; i < min(at+2, total); i++ {
			items = append(items, model.Trade{ID: fmt.Sprintf("trade-%d", i), Status: "COMPLETED"})
		}
		page["items"] = items
		if at+2 < total {
			page["next_cursor"] = fmt.Sprintf("c%d", at+2)
		}
		jsonAnswer(w, 200, page)
	})
	base := []string{"--gateway", f.srv.URL, "--api-key", "k", "trades", "market"}
	for _, c := range []struct {
		limit string
		items int
		cut   bool
	}{{"2", 2, true}, {"4", 4, true}, {"5", 5, false}, {"6", 5, false}, {"0", 5, false}} {
		for _, output := range []string{"json", "table"} {
			code, out, errOut := cli(t, nil, append(base, "--limit", c.limit, "-o", output)...)
			require.Equal(t, 0, code, errOut)
			if output == "json" {
				var items []model.Trade
				require.NoError(t, json.Unmarshal([]byte(out), &items))
				assert.Len(t, items, c.items, "--limit %s", c.limit)
			} else {
				assert.Len(t, strings.Split(strings.TrimSpace(out), "\n"), c.items+1, "--limit %s: %s", c.limit, out)
			}
			if c.cut {
				assert.Contains(t, errOut, "--limit 0", "--limit %s -o %s: a cut list says so", c.limit, output)
			} else {
				assert.NotContains(t, errOut, "--limit", "--limit %s -o %s: a whole list says nothing", c.limit, output)
			}
		}
	}
	code, _, errOut := cli(t, map[string]string{"LANG": "zh_CN.UTF-8"}, append(base, "--limit", "3")...)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "--limit 0")
	assert.Contains(t, errOut, "注意")
}
