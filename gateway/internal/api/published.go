package api

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// GET /v1/indices answers the newest publications: the chaincode lists them
// only in key order (every day: period before every month: one, oldest
// first) and cannot scan backwards, so the order comes from the ledger
// index, and the content from the chain. Why whole publications from the
// chain rather than the index's summaries (period, blocks, digest): the
// index holds what a block wrote, and orgs running code of their own (a
// majority, as the chaincode's policy asks) can write a PUBLISHED record no
// majority attested; the chaincode answers
// only what a majority attested (chaincode/indices, attested). One
// evaluation of indices:GetPublished reads the whole page (limit at most
// model.MaxPageSize, within model.MaxPublicationsPerRead) on this region's
// own peers, which check the caller and read the market's orgs once for
// all of it. Every reader (the dashboard, which checks each figures hash in
// the browser and draws the figures, the SDK and the CLI) needs the figures
// of what it lists, and would otherwise make the calls itself, one request
// each, after a list that could name a period the chain does not vouch for.

// publishedIndices serves GET /v1/indices: the periods the index read,
// newest first, each as the chain answers it; a period the chain does not
// vouch for is left out. next_cursor is the index's cursor after the last
// item the chain vouched for, never after a period left out (a cursor
// names its period): the next page reads again the periods left out after
// that item. A page of the index with nothing the chain vouches for but
// more after it is read on from, in pages of model.MaxPageSize, at most
// maxReadOnPages of them: the work of one request is bounded whatever its
// limit and however long a run of periods left out (one period an
// evaluation at limit=1, as many as the run was long, before). A request
// that reads them all and finds nothing answers no item and the cursor
// after the last period it read, the one case a cursor names a period left
// out.
func (s *Server) publishedIndices(rt routes.GatewayRoute) http.HandlerFunc {
	return s.fromIndex(rt, func(r *http.Request, q map[string]string) (any, error) {
		cursor, limit, want := q["cursor"], atoi(q["limit"]), 0
		for readOn := 0; ; readOn++ {
			page, err := s.market.PublishedPeriods(r.Context(), limit, cursor)
			if err != nil {
				return nil, err
			}
			if readOn == 0 {
				want = len(page.Periods) // the caller's limit, as the index bounds it
			}
			items, err := s.vouchedPublications(r.Context(), caller(r).Member, page.Periods)
			if err != nil {
				return nil, err
			}
			items = items[:min(len(items), want)]
			if len(items) > 0 || page.NextCursor == "" || readOn == maxReadOnPages {
				return &ledgerindex.PublishedIndices{Items: items, NextCursor: cursorAfterVouched(page, items), IndexHeight: page.IndexHeight}, nil
			}
			cursor, limit = page.NextCursor, model.MaxPageSize
		}
	})
}

// maxReadOnPages bounds the pages of the index one GET /v1/indices reads
// on past a page with nothing the chain vouches for.
const maxReadOnPages = 2

// cursorAfterVouched is the cursor of the list after items, the periods of
// page the chain vouched for that the answer keeps: after the last of
// them; after the page when there is none (read on as far as a request
// does) or the last is the page's last period ("" on the index's last
// page).
func cursorAfterVouched(page *index.PublishedPeriods, items []model.Publication) string {
	if len(items) == 0 {
		return page.NextCursor
	}
	if i := slices.Index(page.Periods, items[len(items)-1].Period); i < len(page.Periods)-1 {
		return page.CursorsAfter[i]
	}
	return page.NextCursor
}

// vouchedPublications reads the periods' publications from the chain, as
// member, in one evaluation of indices:GetPublished, which answers in the
// order given only those the chain vouches for as published: it leaves out
// a period with no record, one not yet published, and a record no majority
// attested. An answer too large for one (model.MaxPublicationsAnswerBytes)
// names the periods it had no room for, which the next evaluation reads.
func (s *Server) vouchedPublications(ctx context.Context, member string, periods []string) ([]model.Publication, error) {
	items := []model.Publication{}
	for len(periods) > 0 {
		answer, err := s.getPublished(ctx, member, periods)
		if err != nil {
			return nil, err
		}
		read := periods[:len(periods)-len(answer.Remaining)] // Remaining is a shorter tail (getPublished)
		next := 0                                            // the first period read that no item has answered yet
		for _, p := range answer.Items {
			for ; next < len(read) && read[next] != p.Period; next++ {
				s.leftOut(read[next])
			}
			if next == len(read) {
				return nil, newError(http.StatusBadGateway, CodeInternal, "indices:GetPublished answered %q, not one of the periods asked, in their order", p.Period)
			}
			items = append(items, *p)
			next++
		}
		for _, period := range read[next:] {
			s.leftOut(period)
		}
		periods = answer.Remaining
	}
	return items, nil
}

// getPublished evaluates indices:GetPublished of the periods, and refuses
// an answer that is not publications or whose Remaining is not a shorter
// tail of the periods: the chain's fault, not a shorter list, nor a loop.
func (s *Server) getPublished(ctx context.Context, member string, periods []string) (*model.Publications, error) {
	payload, err := s.ledger.Evaluate(ctx, member, "indices:GetPublished", []string{strings.Join(periods, ",")})
	if err != nil {
		return nil, err
	}
	var answer model.Publications
	err = json.Unmarshal(payload, &answer)
	rest := len(answer.Remaining)
	notPublished := func(p *model.Publication) bool { return p == nil || p.Status != model.PublicationPublished }
	if err != nil || rest >= len(periods) || !slices.Equal(answer.Remaining, periods[len(periods)-rest:]) || slices.ContainsFunc(answer.Items, notPublished) {
		return nil, newError(http.StatusBadGateway, CodeInternal, "indices:GetPublished answered something other than publications")
	}
	return &answer, nil
}

// leftOut logs a period the ledger index lists that the chain does not
// vouch for: no majority attested its record, or it has none that reads
// published on the peer (a projection the chain does not hold).
func (s *Server) leftOut(period string) {
	s.log.Warn("GET /v1/indices: leaving out a period the ledger index lists but the chain does not vouch for", "period", period)
}
