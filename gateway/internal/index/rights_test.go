package index_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/model"
)

// A portfolio reads each right as the chaincode's rights:Get does
// (model.Right.StatusAt): an ACTIVE right reads EXPIRED from the second its
// term ends, and an OFFERED one from the second its offer lapses (recorded,
// or for an offer made before that was, one model.OfferWindow after it was
// issued), at the index's clock and with no new block, and the status
// filter and the pages follow that reading, not the stored status. A right
// that reads OFFERED says when its offer lapses (model.Right.OfferLapsesAt),
// and no other right does.
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
			// Offers: held by nobody until accepted (never in the default,
			// ACTIVE, portfolio), and EXPIRED once their term ends.
			right("R-g-offered", model.RightOffered, end),
			right("R-h-offered", model.RightOffered, end.Add(time.Hour)),
			right("R-i-declined", model.RightDeclined, end.Add(time.Hour)),
			// Offers that lapse at end, unanswered within model.OfferWindow,
			// though their terms last: one recorded so, one issued before
			// offers recorded when they lapse (no offerExpiresAt).
			right("R-j-lapses", model.RightOffered, end.Add(24*time.Hour)),
			right("R-k-old-offer", model.RightOffered, end.Add(24*time.Hour)),
		}
		rights[5].Type, rights[5].Scope.ValidUntil = model.RightHolding, model.HoldingValidUntil
		rights[9].OfferExpiresAt = model.FormatTime(end)
		rights[10].IssuedAt = model.FormatTime(end.Add(-model.OfferWindow))
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
		follow(t, x, c)

		for _, at := range []time.Time{end.Add(-time.Second), end.Add(-time.Millisecond), end, end.Add(90 * time.Minute),
			end.In(index.ChinaStandardTime)} {
			now = at
			for _, status := range []string{"", model.RightActive, model.RightExpired, model.RightRevoked, model.RightSuperseded,
				model.RightOffered, model.RightDeclined} {
				want, wantLapse := map[string]string{}, map[string]string{}
				for _, r := range rights {
					if s := r.StatusAt(at); s == status || status == "" && s == model.RightActive {
						want[r.ID] = s
						if s == model.RightOffered {
							wantLapse[r.ID] = r.OfferLapsesAt()
						}
					}
				}
				got, gotLapse := map[string]string{}, map[string]string{}
				cursor := ""
				for pages := 0; ; pages++ {
					require.Less(t, pages, len(rights)+1, "pages end")
					p, err := x.Portfolio(ctx, buyerJS, status, 1, cursor)
					require.NoError(t, err)
					for _, item := range p.Items {
						got[item.RightID] = item.Status
						if item.OfferExpiresAt != "" {
							gotLapse[item.RightID] = item.OfferExpiresAt
						}
					}
					if cursor = p.NextCursor; cursor == "" {
						break
					}
				}
				assert.Equal(t, want, got, "status %q at %s", status, at)
				assert.Equal(t, wantLapse, gotLapse, "offers' lapses, status %q at %s", status, at)
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

// A portfolio reads a right below a revoked (renounced) right REVOKED
// (RENOUNCED), naming the nearest such right above it, as rights:Get does
// (model.StatusInChain): a parent revoked or renounced, a grandparent
// revoked, a revocation above one already revoked or renounced, a right
// written after its parent's end, and the terms of the chain ending; after
// every block, at instants around the ends of the terms, for every status
// filter and with pages of one.
func TestPortfolioReadsRightsUnderAnEndedRightAsTheChaincodeDoes(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func(...index.Option) *index.Index) {
		ctx := t.Context()
		c := chaintest.NewChain(time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC))
		end := c.Clock().Add(time.Hour)
		records := map[string]*model.Right{}
		write := func(rights ...*model.Right) {
			var txs []chain.Transaction
			for _, r := range rights {
				records[r.ID] = r
				txs = append(txs, chaintest.Tx(chaintest.Record("right", *r, r.ID)))
			}
			c.Add(txs...)
		}
		right := func(id, parent string, until time.Time) *model.Right {
			r := &model.Right{ID: id, AssetID: "asset-1", Type: model.RightUse, HolderID: buyerJS, HolderMSP: "JiangsuMSP",
				Origin: model.OriginSublicense, OriginRef: parent, ParentRightID: parent, Status: model.RightActive,
				IssuedAt: ts(c.Clock()), UpdatedAt: ts(c.Clock()),
				Scope: model.Scope{Purpose: "analytics", Regions: []string{"jiangsu"}, ValidFrom: ts(c.Clock()), ValidUntil: model.FormatTime(until)}}
			if parent == "" {
				r.Origin, r.OriginRef = model.OriginGrant, "tx"
			}
			return r
		}
		revoked := func(id string) *model.Right {
			r := *records[id]
			r.Status, r.StatusReason = model.RightRevoked, "breach"
			return &r
		}
		renounced := func(id string) *model.Right {
			r := *records[id]
			r.Status = model.RightRenounced
			return &r
		}
		sold := func(r *model.Right) *model.Right {
			r.Origin, r.OriginRef = model.OriginTrade, "trade-"+r.ID
			return r
		}
		later := end.Add(2 * time.Hour)

		x := open()
		var now time.Time
		x.SetClock(func() time.Time { return now })
		run(t, x, c)
		check := func(step string) {
			t.Helper()
			caughtUp(t, x, c)
			for _, at := range []time.Time{end.Add(-time.Second), end, later} {
				now = at
				for _, status := range []string{"", model.RightActive, model.RightExpired, model.RightRevoked, model.RightRenounced} {
					want := map[string]string{}
					for id, r := range records {
						chain := []*model.Right{r}
						for p := records[r.ParentRightID]; p != nil; p = records[p.ParentRightID] {
							chain = append(chain, p)
						}
						s, from := model.StatusInChain(chain, at)
						if from == id {
							from = ""
						}
						if s == status || status == "" && s == model.RightActive {
							want[id] = s + " " + from
						}
					}
					got := map[string]string{}
					for cursor, pages := "", 0; ; pages++ {
						require.Less(t, pages, len(records)+1, "pages end")
						p, err := x.Portfolio(ctx, buyerJS, status, 1, cursor)
						require.NoError(t, err)
						for _, item := range p.Items {
							got[item.RightID] = item.Status + " " + item.StatusFrom
						}
						if cursor = p.NextCursor; cursor == "" {
							break
						}
					}
					assert.Equal(t, want, got, "%s: status %q at %s", step, status, at)
				}
			}
		}

		// Two chains of sublicences and a right without parent; the deeper
		// rights' terms end first, within their parents'.
		write(right("R-g1", "", later), right("R-g2", "", later), right("R-s", "", later))
		write(right("R-p1", "R-g1", later), right("R-p2", "R-g2", later))
		write(right("R-c1", "R-p1", end), right("R-c2", "R-p2", later))
		write(right("R-d1", "R-c1", end))
		check("all granted")
		write(revoked("R-p1"))
		check("parent revoked")
		write(revoked("R-g2"))
		check("grandparent revoked")
		write(right("R-e2", "R-c2", later))
		check("written below a revoked right")
		write(revoked("R-g1"))
		check("revoked above a revoked right")
		write(revoked("R-c2"))
		check("revoked below a revoked right")
		// A third chain whose middle right its holder renounces: below it,
		// rights read RENOUNCED from it, even once the grant above is
		// revoked (the nearest right that ended is named).
		write(right("R-g3", "", later))
		write(right("R-p3", "R-g3", later))
		write(right("R-c3", "R-p3", later))
		write(renounced("R-p3"))
		check("parent renounced")
		write(right("R-e3", "R-c3", later))
		check("written below a renounced right")
		write(revoked("R-g3"))
		check("revoked above a renounced right")
		write(renounced("R-e3"))
		check("renounced below a renounced right")
		// A fourth chain whose middle right sold a right (origin TRADE)
		// and licensed one on, then was renounced: the right sold, and
		// the rights below it, read ACTIVE, the sublicence RENOUNCED,
		// until the grant above is revoked, which ends them all. A fifth
		// chain of rights sold, renounced top down.
		write(right("R-g4", "", later))
		write(right("R-p4", "R-g4", later))
		write(sold(right("R-c4", "R-p4", later)), right("R-s4", "R-p4", later))
		write(right("R-d4", "R-c4", later))
		write(renounced("R-p4"))
		check("seller renounced")
		write(sold(right("R-e4", "R-p4", later)), right("R-f4", "R-d4", later))
		check("written below a renounced seller")
		write(revoked("R-g4"))
		check("revoked above a renounced seller")
		write(right("R-g5", "", later))
		write(sold(right("R-p5", "R-g5", later)))
		write(sold(right("R-c5", "R-p5", end)))
		write(renounced("R-g5"))
		check("the first seller renounced")
		write(renounced("R-p5"))
		check("the second seller renounced")
		// A sixth: a seller renounces, then its licensor revokes the
		// renounced right (rights:Revoke ends a RENOUNCED right), which
		// ends what it sold.
		write(right("R-g6", "", later))
		write(sold(right("R-p6", "R-g6", later)))
		write(renounced("R-g6"))
		write(revoked("R-g6"))
		check("a renounced seller revoked")
		assert.Equal(t, map[string]string{"R-c1": "R-p1", "R-d1": "R-p1", "R-p2": "R-g2", "R-e2": "R-c2",
			"R-c4": "R-g4", "R-d4": "R-g4", "R-e4": "R-g4", "R-f4": "R-g4", "R-p6": "R-g6"},
			func() map[string]string {
				now = end.Add(-time.Second)
				p, err := x.Portfolio(ctx, buyerJS, model.RightRevoked, 100, "")
				require.NoError(t, err)
				from := map[string]string{}
				for _, item := range p.Items {
					if item.StatusFrom != "" {
						from[item.RightID] = item.StatusFrom
					}
				}
				return from
			}(), "each right names the nearest revoked right above it")
		now = end.Add(-time.Second)
		p, err := x.Portfolio(ctx, buyerJS, model.RightRenounced, 100, "")
		require.NoError(t, err)
		from := map[string]string{}
		for _, item := range p.Items {
			from[item.RightID] = item.StatusFrom
		}
		assert.Equal(t, map[string]string{"R-p3": "", "R-c3": "R-p3", "R-e3": "", "R-p4": "", "R-s4": "R-p4", "R-g5": "", "R-p5": ""}, from,
			"a renounced right, and a right below it naming it, but for what a renounced right sold")
	})
}
