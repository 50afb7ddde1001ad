package api

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/internal/transactions"
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// periodPath checks the period of the path.
var periodPath = routes.Param{Field: model.PeriodField, In: routes.InPath}

// computed computes the period's figures at ?toBlock, waiting for the index
// to have read it.
func (s *Server) computed(r *http.Request, q map[string]string) (*ledgerindex.ComputedIndices, string, error) {
	period := r.PathValue("period")
	if e := checkString(periodPath, period); e != nil {
		return nil, "", e
	}
	to, _ := strconv.ParseUint(q["toBlock"], 10, 64) // required and checked by the binder
	if err := s.market.WaitFor(r.Context(), to); err != nil {
		return nil, "", err
	}
	return s.market.ComputePeriod(r.Context(), period, to)
}

// computedAnswer is how an operation answers from the period's figures this gateway computes (Server.computed), c,
// and figures, their JSON text.
type computedAnswer func(r *http.Request, q map[string]string, c *ledgerindex.ComputedIndices, figures string) (any, error)

// fromComputed serves an operation of the index that answers from the period's figures it computes first.
func (s *Server) fromComputed(rt routes.GatewayRoute, answer computedAnswer) http.HandlerFunc {
	return s.fromIndex(rt, func(r *http.Request, q map[string]string) (any, error) {
		c, figures, err := s.computed(r, q)
		if err != nil {
			return nil, err
		}
		return answer(r, q, c, figures)
	})
}

// computeIndices serves GET /v1/indices/{period}/computed.
func (s *Server) computeIndices(rt routes.GatewayRoute) http.HandlerFunc {
	return s.fromComputed(rt, func(_ *http.Request, _ map[string]string, c *ledgerindex.ComputedIndices, _ string) (any, error) {
		return c, nil
	})
}

// attestIndices serves POST /v1/indices/{period}/attest: the figures this
// gateway computes, attested as the caller on this org's peers only (the
// attestation is written in the org's implicit collection). A retry with the
// same Idempotency-Key is answered the first outcome (Server.submitted).
func (s *Server) attestIndices(rt routes.GatewayRoute) http.HandlerFunc {
	return s.fromComputed(rt, func(r *http.Request, _ map[string]string, c *ledgerindex.ComputedIndices, _ string) (any, error) {
		f := c.Figures
		cl := caller(r)
		o, err := s.submitted(r, transactions.Submission{
			Call: transactions.Call{Member: cl.Member, Function: "indices:Attest",
				Args: []string{f.Period, fmt.Sprint(f.FromBlock), fmt.Sprint(f.ToBlock), c.InputHash, c.FiguresHash}, Orgs: transactions.Orgs{Own: true}},
			Wait: true, Fingerprint: fingerprint(r, nil), Sender: cl.Sender()})
		if err != nil {
			return nil, err
		}
		if o.Replayed {
			if e := attestedOther(o, c); e != nil {
				return nil, e
			}
		}
		return committedAnswer{c, o.BlockNumber, o.Replayed}, nil
	})
}

// attestedOther refuses to answer a replayed attestation with figures c
// computed now when they are not those its transaction attested: the
// outcome keeps the chaincode's answer, the attestation's digest alone
// (small), not the figures, and a gateway restarted over a rebuilt or newer
// index may compute others at the same toBlock. Answered with the first
// transaction's block, they would read as attested. The refusal names the
// transaction and the digest it attested; the org's attestation is read
// with GET /v1/indices/{period}/attestation.
func attestedOther(o *transactions.Outcome, c *ledgerindex.ComputedIndices) *apiError {
	var a model.Attestation
	if json.Unmarshal(o.Result, &a) == nil && a.Digest == c.Digest {
		return nil
	}
	e := newError(http.StatusConflict, CodeConflict, "the attestation made with this Idempotency-Key (transaction %s, block %d) attested digest %q, not %s of the figures computed now: read what the org attested with GET /v1/indices/%s/attestation",
		o.TransactionID, o.BlockNumber, a.Digest, c.Digest, c.Figures.Period)
	e.body.TransactionID = o.TransactionID
	e.header = http.Header{}
	replayed(e.header)
	return e
}

// publishAfterOpen bounds how long a publication waits for the endorsing
// peers to see the period it has just opened.
const publishAfterOpen = 10 * time.Second

// publishIndices serves POST /v1/indices/{period}/publish: it opens the
// period unless open, then publishes the figures this gateway computes. A
// retry with the same Idempotency-Key is answered the first publication's
// outcome (Server.submitted).
func (s *Server) publishIndices(rt routes.GatewayRoute) http.HandlerFunc {
	return s.fromComputed(rt, func(r *http.Request, q map[string]string, c *ledgerindex.ComputedIndices, figures string) (any, error) {
		f := c.Figures
		if err := s.openPeriod(r, f.Period); err != nil {
			return nil, err
		}
		cl := caller(r)
		publish := transactions.Submission{
			// bindQuery checked each an MSP ID; none leaves them to Fabric's plan.
			Call: transactions.Call{Member: cl.Member, Function: "indices:Publish",
				Args: []string{f.Period, fmt.Sprint(f.FromBlock), fmt.Sprint(f.ToBlock), c.InputHash, figures},
				Orgs: transactions.Orgs{Named: routes.EndorsingOrganizations(q[routes.EndorsingOrganizationsParam])}},
			Wait: true, Fingerprint: fingerprint(r, nil), Sender: cl.Sender()}
		// The other orgs' peers that endorse the publication may not have
		// committed the block that opened the period, by this request or by
		// an earlier try with the same Idempotency-Key: they answer
		// NOT_FOUND until they have. It is asked again (bounded), and is
		// never the outcome a retry with the key is answered, since the
		// period is open by now: past the bound, the request is answered
		// 503 with Retry-After, not the peers' NOT_FOUND, which would tell
		// the regulator that the period it has just opened is not open, and
		// the key's next retry runs the publication again.
		var again bool
		publish.Retryable = func(e *chain.Error) bool {
			again = e.Code == ledgererr.NotFound
			return again
		}
		until := time.Now().Add(publishAfterOpen)
		var o *transactions.Outcome
		var err error
		for {
			again = false
			if o, err = s.submitted(r, publish); !again || !time.Now().Before(until) {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		if again {
			return nil, retryShortly("the peers endorsing the publication of %s have not yet committed its opening; retry with the same Idempotency-Key", f.Period)
		}
		if err != nil {
			return nil, err
		}
		out := wire.PublishedBody{TransactionID: o.TransactionID, BlockNumber: o.BlockNumber}
		if err := json.Unmarshal(o.Result, &out.Result); err != nil {
			return nil, newError(http.StatusBadGateway, CodeInternal, "indices:Publish answered something other than a publication")
		}
		return committedAnswer{out, o.BlockNumber, o.Replayed}, nil
	})
}

// openPeriod opens the period as the caller, unless open already. It takes
// no Idempotency-Key: the chaincode opens a period once and refuses a second
// opening (CONFLICT), which is taken as done, so that a retry of a
// publication finds its period opened.
func (s *Server) openPeriod(r *http.Request, period string) error {
	cl := caller(r)
	o, err := s.transactions.Submit(r.Context(), transactions.Submission{
		Call: transactions.Call{Member: cl.Member, Function: "indices:Open", Args: []string{period}}, Wait: true, Sender: cl.Sender()})
	if err == nil && o.Failure != nil {
		err = o.Failure
	}
	if err != nil && chain.AsError(err).Code != ledgererr.Conflict {
		return err
	}
	return nil
}

// indexCSV serves GET /v1/indices/{period}/figures.csv from the
// publication on the ledger.
func (s *Server) indexCSV(rt routes.GatewayRoute) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := s.bindQuery(r, rt, &call{})
		if err != nil {
			writeError(w, r, err)
			return
		}
		period := r.PathValue("period")
		if e := checkString(periodPath, period); e != nil {
			writeError(w, r, e)
			return
		}
		payload, err := s.ledger.Evaluate(r.Context(), caller(r).Member, "indices:Get", []string{period})
		if err != nil {
			writeError(w, r, err)
			return
		}
		var p model.Publication
		var f ledgerindex.PeriodFigures
		if err := json.Unmarshal(payload, &p); err != nil || json.Unmarshal([]byte(p.Figures), &f) != nil {
			writeError(w, r, newError(http.StatusConflict, CodeConflict, "%s is opened but not published yet", period))
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="indices-%s.csv"`, strings.ReplaceAll(period, ":", "-")))
		out := csv.NewWriter(w)
		opt := func(v *int64) string {
			if v == nil {
				return ""
			}
			return strconv.FormatInt(*v, 10)
		}
		switch q["table"] {
		case "priceIndex":
			_ = out.Write([]string{"period", "category", "index", "basePeriod", "traded"})
			for _, x := range f.PriceIndex {
				_ = out.Write([]string{period, x.Category, strconv.FormatInt(x.Index, 10), x.BasePeriod, strconv.FormatBool(x.Traded)})
			}
		case "activity":
			_ = out.Write([]string{"period", "division", "activity", "index", "name", "nameEn"})
			for _, x := range f.Activity {
				name, nameEn := model.DivisionNames(x.Division)
				_ = out.Write([]string{period, x.Division, strconv.FormatInt(x.Activity, 10), strconv.FormatInt(x.Index, 10), name, nameEn})
			}
		default:
			_ = out.Write([]string{"period", "division", "level", "category", "registrations", "listings", "trades",
				"disclosedTrades", "disclosedValueFen", "meanPriceFen", "medianPriceFen", "name", "nameEn"})
			for _, x := range f.Divisions {
				name, nameEn := model.DivisionNames(x.Division)
				_ = out.Write([]string{period, x.Division, x.Level, x.Category, strconv.FormatInt(x.Registrations, 10),
					strconv.FormatInt(x.Listings, 10), strconv.FormatInt(x.Trades, 10), strconv.FormatInt(x.DisclosedTrades, 10),
					x.DisclosedValueFen.String(), opt(x.MeanPriceFen), opt(x.MedianPriceFen), name, nameEn})
			}
		}
		out.Flush()
	}
}
