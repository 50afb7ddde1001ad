package api

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// GET /v1/indices answers the newest publications: the chaincode lists them
// only in key order (every day: period before every month: one, oldest
// first) and cannot scan backwards, so the order comes from the ledger
// index, and the content from the chain. Why whole publications from the
// chain rather than the index's summaries (period, blocks, digest): the
// index holds what a block wrote, and two orgs running code of their own
// can write a PUBLISHED record no majority attested; indices:Get answers
// only what a majority attested (chaincode/indices, attested). Answering
// from the chain item by item costs one evaluation per item (limit at most
// 100, a few at once, on this region's own peers), but every reader (the
// dashboard, which checks each figures hash in the browser and draws the
// figures, the SDK and the CLI) needs the figures of what it lists, and
// would otherwise make the same calls itself, one request each, after a
// list that could name a period the chain does not vouch for.

// publicationFetches bounds the indices:Get calls one page makes at once.
const publicationFetches = 8

// publishedIndices serves GET /v1/indices: the periods the index read,
// newest first, each as the chain answers it; a period the chain does not
// vouch for is left out.
func (s *Server) publishedIndices(rt routes.GatewayRoute) http.HandlerFunc {
	return s.fromIndex(rt, func(r *http.Request, q map[string]string) (any, error) {
		page, err := s.market.PublishedPeriods(r.Context(), atoi(q["limit"]), q["cursor"])
		if err != nil {
			return nil, err
		}
		items, err := s.vouchedPublications(r.Context(), caller(r).Member, page.Periods)
		if err != nil {
			return nil, err
		}
		return &ledgerindex.PublishedIndices{Items: items, NextCursor: page.NextCursor, IndexHeight: page.IndexHeight}, nil
	})
}

// vouchedPublications reads each period's publication from the chain, as
// member, in the order given, leaving out those the chain does not answer
// as a publication: it refuses a record no majority attested (CONFLICT), or
// has none (NOT_FOUND), or the record is not yet published.
func (s *Server) vouchedPublications(ctx context.Context, member string, periods []string) ([]model.Publication, error) {
	found := make([]*model.Publication, len(periods))
	errs := make([]error, len(periods))
	slots := make(chan struct{}, publicationFetches)
	var wg sync.WaitGroup
	for i, period := range periods {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			found[i], errs[i] = s.vouchedPublication(ctx, member, period)
		}()
	}
	wg.Wait()
	items := []model.Publication{}
	for i, p := range found {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if p != nil {
			items = append(items, *p)
		}
	}
	return items, nil
}

// vouchedPublication is the period's publication as indices:Get answers
// it, or nil when the chain does not vouch for one.
func (s *Server) vouchedPublication(ctx context.Context, member, period string) (*model.Publication, error) {
	payload, err := s.ledger.Evaluate(ctx, member, "indices:Get", []string{period})
	if err != nil {
		if code := chain.AsError(err).Code; code == ledgererr.Conflict || code == ledgererr.NotFound {
			s.log.Warn("GET /v1/indices: leaving out a period the ledger index lists but the chain does not vouch for",
				"period", period, "error", err.Error())
			return nil, nil
		}
		return nil, err
	}
	var p model.Publication
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, newError(http.StatusBadGateway, CodeInternal, "indices:Get answered something other than a publication")
	}
	if p.Status != model.PublicationPublished {
		return nil, nil
	}
	return &p, nil
}
