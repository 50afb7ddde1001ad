package index_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/model"
)

// A portfolio reads each right as the chaincode's rights:Get does
// (model.Right.StatusAt): an ACTIVE right reads EXPIRED from the second its
// term ends, at the index's clock and with no new block, and the status
// filter and the pages follow that reading, not the stored status.
func TestPortfolioReadsExpiredRightsAsTheChaincodeDoes(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		ctx := t.Context()
		c := chaintest.NewChain(time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC))
		end := c.Clock().Add(time.Hour)
		right := func(id, status string, until time.Time) model.Right {
			return model.Right{ID: id, AssetID: "asset-" + id, Type: model.RightUse, HolderID: buyerJS, HolderMSP: "JiangsuMSP",
				Origin: model.OriginGrant, OriginRef: "tx", Status: status, IssuedAt: ts(c.Clock()), UpdatedAt: ts(c.Clock()),
				Scope: model.Scope{Purpose: "analytics", Regions: []string{"jiangsu"}, ValidFrom: ts(c.Clock()), ValidUntil: model.FormatTime(until)}}
		}
		rights := []model.Right{
			right("R-a-ends", model.RightActive, end),
			right("R-b-later", model.RightActive, end.Add(time.Hour)),
			right("R-c-ends", model.RightActive, end),
			right("R-d-revoked", model.RightRevoked, end.Add(-time.Minute)),
			right("R-e-moved", model.RightSuperseded, end.Add(time.Hour)),
			right("R-f-holding", model.RightActive, time.Time{}),
		}
		rights[5].Type, rights[5].Scope.ValidUntil = model.RightHolding, model.HoldingValidUntil
		for _, r := range rights {
			c.Add(chaintest.Tx(chaintest.Record("right", r, r.ID)))
		}
		// Another holder's rights are never in the portfolio.
		other := right("R-other", model.RightActive, end)
		other.HolderID = buyerZJ
		c.Add(chaintest.Tx(chaintest.Record("right", other, other.ID)))

		x := open()
		var now time.Time
		x.SetClock(func() time.Time { return now })
		run(t, x, c)
		caughtUp(t, x, c)

		for _, at := range []time.Time{end.Add(-time.Second), end.Add(-time.Millisecond), end, end.Add(90 * time.Minute),
			end.In(index.ChinaStandardTime)} {
			now = at
			for _, status := range []string{"", model.RightActive, model.RightExpired, model.RightRevoked, model.RightSuperseded} {
				want := map[string]string{}
				for _, r := range rights {
					if s := r.StatusAt(at); s == status || status == "" && s == model.RightActive {
						want[r.ID] = s
					}
				}
				got := map[string]string{}
				cursor := ""
				for pages := 0; ; pages++ {
					require.Less(t, pages, len(rights)+1, "pages end")
					p, err := x.Portfolio(ctx, buyerJS, status, 1, cursor)
					require.NoError(t, err)
					for _, item := range p.Items {
						got[item.RightID] = item.Status
					}
					if cursor = p.NextCursor; cursor == "" {
						break
					}
				}
				assert.Equal(t, want, got, "status %q at %s", status, at)
			}
		}

		// The stored record is unchanged: EXPIRED is a reading, not a write.
		rows, err := x.Dump(ctx)
		require.NoError(t, err)
		for _, row := range rows["rights"] {
			assert.NotContains(t, row, model.RightExpired)
		}
	})
}
