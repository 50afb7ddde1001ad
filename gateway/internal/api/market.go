package api

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/events"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/internal/transactions"
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// MarketIndex answers the market operations from the off-chain ledger index
// (package index implements it).
type MarketIndex interface {
	WaitFor(ctx context.Context, block uint64) error
	Statistics(ctx context.Context, groupBy string, w index.Window) (*ledgerindex.MarketStatistics, error)
	PriceIndex(ctx context.Context, q index.PriceIndexQuery) (*ledgerindex.PriceIndex, error)
	Catalogue(ctx context.Context, q index.CatalogueQuery) (*ledgerindex.CataloguePage, error)
	Portfolio(ctx context.Context, participant, status string, limit int, cursor string) (*ledgerindex.Portfolio, error)
	TradeHistory(ctx context.Context, participant string, overseen *index.Overseen, limit int, cursor string) (*ledgerindex.TradeHistory, error)
	TradeFlows(ctx context.Context, w index.Window) (*ledgerindex.TradeFlows, error)
	CreditLookups(ctx context.Context, w index.Window) (*ledgerindex.CreditLookups, error)
	OperatorCreditLookups(ctx context.Context, w index.Window) (*ledgerindex.CreditLookups, error)
	ComputePeriod(ctx context.Context, period string, toBlock uint64) (*ledgerindex.ComputedIndices, string, error)
	PublishedPeriods(ctx context.Context, limit int, cursor string) (*index.PublishedPeriods, error)
	// The senders of committed transactions, for the commit status a
	// member who signs itself reads of its own.
	transactions.Senders
	// BlocksRead is the number of blocks the index has read, which the
	// gateway compares with its peer's height: a member's transaction it
	// does not find is unknown only once the index has caught up.
	BlocksRead() uint64
}

// WithMarketIndex serves the market operations from x. Without it they
// answer 404: this gateway keeps no index. The transaction manager the
// server makes for itself (no WithTransactions) names from x the senders
// of committed transactions (transactions.WithSenders).
func WithMarketIndex(x MarketIndex) Option { return func(s *Server) { s.market = x } }

// noIndex answers a market operation on a gateway without an index.
func noIndex() *apiError {
	return newError(http.StatusNotFound, CodeNotFound, "this gateway keeps no ledger index (index.enabled is false); ask a gateway that does")
}

// indexAnswer is how an index operation answers a bound request.
type indexAnswer func(r *http.Request, q map[string]string) (any, error)

// admission decides whether the caller may have an index operation's
// answer, from the chain, before the request waits for the index: it
// refuses the caller, or returns how the operation answers it.
type admission func(r *http.Request, q map[string]string) (indexAnswer, error)

// fromIndex serves an operation of the index that any caller may read: it
// binds the query, waits for ?minBlock and X-Min-Block, and maps the
// index's errors to answers.
func (s *Server) fromIndex(rt routes.GatewayRoute, answer indexAnswer) http.HandlerFunc {
	return s.fromIndexAdmitting(rt, nil, answer)
}

// fromIndexFor serves an operation of the index to the callers admit
// admits, asked before the index is waited for: a refused caller is told
// 403 at once, not 503 and the index's height after the index's longest
// wait, and holds no request up in it. The chain that admits is read once
// the peer has X-Min-Block, as every chaincode read is, and again once the
// index has ?minBlock, the block the answer counts up to.
func (s *Server) fromIndexFor(rt routes.GatewayRoute, admit admission) http.HandlerFunc {
	return s.fromIndexAdmitting(rt, admit, nil)
}

// fromIndexAdmitting is fromIndex with admit, when there is one, asked for
// the answer before the wait.
func (s *Server) fromIndexAdmitting(rt routes.GatewayRoute, admit admission, answer indexAnswer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := s.bindQuery(r, rt, &call{})
		if err != nil {
			writeError(w, r, err)
			return
		}
		// ?minBlock asks for the index's block; X-Min-Block, which a
		// client's session sends with every request, for the peer's: the
		// index, which follows the peer, must have read both. (The indices'
		// figures name the block they count up to, toBlock, instead.)
		var block uint64
		var asked bool
		if rt.FromIndex() {
			if block, asked, err = minBlockOf(r); err != nil {
				writeError(w, r, err)
				return
			}
		}
		if s.market == nil {
			writeError(w, r, noIndex())
			return
		}
		if region := q["region"]; region != "" {
			if err := s.checkRegion(r.Context(), caller(r).Member, "region", region); err != nil {
				writeError(w, r, err)
				return
			}
		}
		if admit != nil {
			if asked {
				if err := s.reachMinBlock(w, r, block); err != nil {
					writeError(w, r, err)
					return
				}
			}
			if answer, err = admit(r, q); err != nil {
				writeError(w, r, indexError(err))
				return
			}
		}
		if v := q["minBlock"]; v != "" {
			n, _ := strconv.ParseUint(v, 10, 64) // bound and checked
			block, asked = max(block, n), true
		}
		if asked {
			if err := s.market.WaitFor(r.Context(), block); err != nil {
				writeError(w, r, indexError(err))
				return
			}
			// The answer counts up to ?minBlock, which the chain that admitted may not have had: the caller is
			// asked for again under the rules in force there (once the peer that answers has that block too), so
			// that one withdrawn in a block it waited for does not read what that block and those before it wrote.
			if admit != nil && q["minBlock"] != "" {
				if err := s.height.waitFor(r.Context(), block, s.minBlockWait, "minBlock"); err != nil {
					writeError(w, r, err)
					return
				}
				if answer, err = admit(r, q); err != nil {
					writeError(w, r, indexError(err))
					return
				}
			}
		}
		body, err := answer(r, q)
		if err != nil {
			writeError(w, r, indexError(err))
			return
		}
		if c, ok := body.(committedAnswer); ok {
			if c.replayed {
				replayed(w.Header())
			}
			s.committedIn(w, c.block)
			body = c.body
		}
		writeJSON(w, http.StatusOK, body)
	}
}

// committedAnswer is the answer of an index operation that committed a
// transaction (an attestation, a publication): the block it committed in
// is named in X-Ledger-Block, as a chaincode submit's is, and an answer
// given again to a retry with the same Idempotency-Key is marked so.
type committedAnswer struct {
	body     any
	block    uint64
	replayed bool
}

// indexError maps an error of the index to an answer.
func indexError(err error) error {
	var behind *index.BehindError
	var apiErr *apiError
	var ledgerErr *chain.Error
	var badPeriod index.ErrBadPeriod
	switch {
	case errors.As(err, &apiErr):
		return apiErr
	case errors.As(err, &ledgerErr):
		return ledgerErr
	case errors.As(err, &badPeriod):
		// model.ParsePeriod's refusal: the chaincode's catalogue writes it
		// in the request's language.
		return &apiError{status: http.StatusBadRequest, refusal: badPeriod.Error(),
			body: wire.ErrorBody{Code: CodeInvalidArgument, Field: "period", Message: "period: " + badPeriod.Error()}}
	case errors.As(err, &behind):
		return retryShortly("%v", behind.Message())
	case errors.Is(err, index.ErrBadCursor):
		return invalid("cursor", "%v", index.ErrBadCursor)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fromLedger(err)
	}
	// The database's own words (SQL, table names, file paths, server
	// addresses) are for the gateway's log, with the request's ID.
	return failed(http.StatusServiceUnavailable, CodeUnavailable, ledgererr.FailureIndex, err.Error())
}

// marketStatistics serves GET /v1/market/statistics.
func (s *Server) marketStatistics(rt routes.GatewayRoute) http.HandlerFunc {
	return s.fromIndex(rt, inWindow(func(r *http.Request, q map[string]string, win index.Window) (any, error) {
		groupBy := cmp.Or(q["groupBy"], ledgerindex.GroupByRegionCategory)
		return s.market.Statistics(r.Context(), groupBy, win)
	}))
}

// priceIndex serves GET /v1/market/price-index.
func (s *Server) priceIndex(rt routes.GatewayRoute) http.HandlerFunc {
	return s.fromIndex(rt, inWindow(func(r *http.Request, q map[string]string, win index.Window) (any, error) {
		interval := cmp.Or(q["interval"], ledgerindex.IntervalDay)
		return s.market.PriceIndex(r.Context(), index.PriceIndexQuery{
			Category: q["category"], Region: q["region"], Interval: interval, Window: win,
		})
	}))
}

// catalogue serves GET /v1/catalogue.
func (s *Server) catalogue(rt routes.GatewayRoute) http.HandlerFunc {
	return s.fromIndex(rt, func(r *http.Request, q map[string]string) (any, error) {
		// No asset's text holds a control character (the chaincode refuses
		// them), and the index's databases refuse a NUL in a query: such a
		// search is the member's mistake, not the index's failure.
		if strings.ContainsFunc(q["q"], unicode.IsControl) {
			return nil, invalid("q", "must not contain control characters")
		}
		cq := index.CatalogueQuery{Text: q["q"], Category: q["category"], Region: q["region"], Division: q["division"],
			Seller: q["seller"], Status: q["status"], Sort: q["sort"], Limit: atoi(q["limit"]), Cursor: q["cursor"]}
		for name, into := range map[string]**int64{"minPriceFen": &cq.MinPriceFen, "maxPriceFen": &cq.MaxPriceFen} {
			if v := q[name]; v != "" {
				n, _ := strconv.ParseInt(v, 10, 64) // checked by the binder
				*into = &n
			}
		}
		if cq.MinPriceFen != nil && cq.MaxPriceFen != nil && *cq.MaxPriceFen < *cq.MinPriceFen {
			return nil, invalid("maxPriceFen", "must not be less than minPriceFen")
		}
		return s.market.Catalogue(r.Context(), cq)
	})
}

// participantParam checks the participant ID of the path.
var participantParam = routes.Param{Field: model.Field{Name: "id", Type: model.TypeString, Pattern: model.IDPattern}, In: routes.InPath}

// portfolio serves GET /v1/participants/{id}/portfolio.
func (s *Server) portfolio(rt routes.GatewayRoute) http.HandlerFunc {
	return s.fromIndex(rt, func(r *http.Request, q map[string]string) (any, error) {
		id := r.PathValue("id")
		if e := checkString(participantParam, id); e != nil {
			return nil, e
		}
		return s.market.Portfolio(r.Context(), id, q["status"], atoi(q["limit"]), q["cursor"])
	})
}

// tradeHistory serves GET /v1/participants/{id}/trade-history to whom
// trades:ListByParticipant answers (the participant itself, the regulator,
// an operator of the participant's region): the index must not widen the
// chaincode's rule, so the chaincode decides, asked for one trade as the
// caller, before the index is waited for, and the index answers.
func (s *Server) tradeHistory(rt routes.GatewayRoute) http.HandlerFunc {
	return s.fromIndexFor(rt, func(r *http.Request, q map[string]string) (indexAnswer, error) {
		id := r.PathValue("id")
		if e := checkString(participantParam, id); e != nil {
			return nil, e
		}
		if _, err := s.ledger.Evaluate(r.Context(), caller(r).Member, "trades:ListByParticipant", []string{id, "1", ""}); err != nil {
			return nil, err
		}
		overseen, err := s.overseenOf(r.Context(), caller(r), id)
		if err != nil {
			return nil, err
		}
		return func(r *http.Request, q map[string]string) (any, error) {
			return s.market.TradeHistory(r.Context(), id, overseen, atoi(q["limit"]), q["cursor"])
		}, nil
	})
}

// overseenOf is what of participant's trades cl may read, as trades:ListByParticipant leaves them in its list: every
// one to the participant itself and the regulator (nil); to anyone else, whom the chaincode let list them as an
// operator of the participant's region, those trades:Get answers it (index.Overseen): a sale the participant's org
// made in another region before the rules moved it, to a buyer of a third, is not its to read.
func (s *Server) overseenOf(ctx context.Context, cl *auth.Caller, participant string) (*index.Overseen, error) {
	viewer, rules, err := s.viewerOf(ctx, cl)
	if err != nil {
		return nil, err
	}
	if viewer.ParticipantID == participant || slices.Contains(viewer.Roles, model.RoleRegulator) {
		return nil, nil
	}
	o := &index.Overseen{Region: viewer.RegionOf(cl.MSPID)}
	for _, org := range rules.Orgs {
		if o.Region != "" && org.Region == o.Region {
			o.BuyerOrgs = append(o.BuyerOrgs, org.MSPID)
		}
	}
	return o, nil
}

// viewerOf is the caller as the chaincode places it under the market rules
// in force (standing.under), and those rules: its standing read now and the
// rules read fresh from the peer, never WhoAmI's roles alone, which a peer
// behind a change of the rules answers with a regulator role they withdrew.
// The one way the index's reads decide who is a regulator, as the event
// stream does.
func (s *Server) viewerOf(ctx context.Context, cl *auth.Caller) (events.Viewer, *model.Rules, error) {
	st, err := s.memberStanding(ctx, cl.Member)
	if err != nil {
		return events.Viewer{}, nil, err
	}
	rules, err := s.rulesInForce(ctx, cl.Member)
	if err != nil {
		return events.Viewer{}, nil, err
	}
	return st.under(rules, cl.MSPID), rules, nil
}

// tradeFlows serves GET /v1/market/flows.
func (s *Server) tradeFlows(rt routes.GatewayRoute) http.HandlerFunc {
	return s.fromIndex(rt, inWindow(func(r *http.Request, q map[string]string, win index.Window) (any, error) {
		return s.market.TradeFlows(r.Context(), win)
	}))
}

// creditLookups serves GET /v1/market/credit-lookups to operators and the
// regulator: exact to a member holding the regulator role (whatever else
// it holds), with the small day counts withheld to an operator. Its roles
// are as the market rules read fresh place it (viewerOf), as trade history
// and the event stream place it: a regulator the rules no longer name is
// not given the exact counts by a peer that has not seen their change.
func (s *Server) creditLookups(rt routes.GatewayRoute) http.HandlerFunc {
	return s.fromIndexFor(rt, func(r *http.Request, q map[string]string) (indexAnswer, error) {
		viewer, _, err := s.viewerOf(r.Context(), caller(r))
		if err != nil {
			return nil, err
		}
		regulator := slices.Contains(viewer.Roles, model.RoleRegulator)
		if !regulator && !slices.Contains(viewer.Roles, model.RoleOperator) {
			return nil, newError(http.StatusForbidden, CodeForbidden, "only operators and the regulator may read the credit lookup counts")
		}
		return inWindow(func(r *http.Request, q map[string]string, win index.Window) (any, error) {
			if regulator {
				return s.market.CreditLookups(r.Context(), win)
			}
			return s.market.OperatorCreditLookups(r.Context(), win)
		}), nil
	})
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// window reads the from and to query parameters: RFC 3339 instants, or
// dates meaning their midnight in China Standard Time.
// inWindow is an answer over the query's window of time (from, to), which
// it refuses before answer runs when it is malformed.
func inWindow(answer func(r *http.Request, q map[string]string, win index.Window) (any, error)) indexAnswer {
	return func(r *http.Request, q map[string]string) (any, error) {
		win, err := window(q)
		if err != nil {
			return nil, err
		}
		return answer(r, q, win)
	}
}

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
