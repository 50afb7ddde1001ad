package api

import (
	"context"
	"net/http"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
)

// MarketIndex answers the market statistics from the off-chain index
// (package index implements it).
type MarketIndex interface {
	Statistics(ctx context.Context, groupBy string, w index.Window) (*routes.MarketStatisticsBody, error)
	PriceIndex(ctx context.Context, q index.PriceIndexQuery) (*routes.PriceIndexBody, error)
}

// WithMarketIndex serves /v1/market/statistics and /v1/market/price-index
// from x. Without it they answer 404: this gateway keeps no index.
func WithMarketIndex(x MarketIndex) Option { return func(s *Server) { s.market = x } }

// noIndex answers a market operation on a gateway without an index.
func noIndex() *apiError {
	return newError(http.StatusNotFound, CodeNotFound, "this gateway keeps no market index (index.enabled is false); ask a gateway that does")
}

// indexUnreadable answers a failure to read the index.
func indexUnreadable(err error) *apiError {
	return newError(http.StatusServiceUnavailable, CodeUnavailable, "the market index cannot be read: %v", err)
}

// marketStatistics serves GET /v1/market/statistics.
func (s *Server) marketStatistics(rt routes.Route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := s.bindQuery(r, rt, &call{})
		if err != nil {
			writeError(w, r, err)
			return
		}
		if s.market == nil {
			writeError(w, r, noIndex())
			return
		}
		win, err := window(q)
		if err != nil {
			writeError(w, r, err)
			return
		}
		groupBy := q["groupBy"]
		if groupBy == "" {
			groupBy = routes.GroupByRegionCategory
		}
		body, err := s.market.Statistics(r.Context(), groupBy, win)
		if err != nil {
			writeError(w, r, indexUnreadable(err))
			return
		}
		writeJSON(w, http.StatusOK, body)
	}
}

// priceIndex serves GET /v1/market/price-index.
func (s *Server) priceIndex(rt routes.Route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := s.bindQuery(r, rt, &call{})
		if err != nil {
			writeError(w, r, err)
			return
		}
		if s.market == nil {
			writeError(w, r, noIndex())
			return
		}
		win, err := window(q)
		if err != nil {
			writeError(w, r, err)
			return
		}
		interval := q["interval"]
		if interval == "" {
			interval = routes.IntervalDay
		}
		body, err := s.market.PriceIndex(r.Context(), index.PriceIndexQuery{
			Category: q["category"], Region: q["region"], Interval: interval, Window: win,
		})
		if err != nil {
			writeError(w, r, indexUnreadable(err))
			return
		}
		writeJSON(w, http.StatusOK, body)
	}
}

// window reads the from and to query parameters: RFC 3339 instants, or
// dates meaning their midnight in China Standard Time.
func window(q map[string]string) (index.Window, error) {
	var w index.Window
	for _, f := range []struct {
		name string
		into *time.Time
	}{{"from", &w.From}, {"to", &w.To}} {
		v := q[f.name]
		if v == "" {
			continue
		}
		var t time.Time
		var err error
		if len(v) == len(time.DateOnly) {
			t, err = time.ParseInLocation(time.DateOnly, v, index.ChinaStandardTime)
		} else {
			t, err = time.Parse(time.RFC3339Nano, v)
		}
		if err != nil {
			return w, invalid(f.name, "must be an RFC 3339 instant or a date YYYY-MM-DD, got %q", clip(v))
		}
		*f.into = t
	}
	if !w.From.IsZero() && !w.To.IsZero() && !w.To.After(w.From) {
		return w, invalid("to", "must be after from")
	}
	return w, nil
}
