// Package metrics holds the gateway's Prometheus metrics: HTTP requests by
// route and status, Fabric call latency, and commit failures. A nil *Metrics
// records nothing, so that packages can be used without metrics in tests.
package metrics

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the gateway's collectors.
type Metrics struct {
	registry       *prometheus.Registry
	httpRequests   *prometheus.CounterVec
	httpDuration   *prometheus.HistogramVec
	httpErrors     *prometheus.CounterVec
	fabricDuration *prometheus.HistogramVec
	commitFailures *prometheus.CounterVec
	unknownOutcome *prometheus.CounterVec
	eventStreams   prometheus.Gauge
	forgedEvents   prometheus.Counter
	idempotentHits prometheus.Counter
	indexBlock     prometheus.Gauge
	indexFailures  prometheus.Counter
	rateLimit      *prometheus.GaugeVec
	rateBurst      *prometheus.GaugeVec
}

// namespace prefixes the name of every metric of the gateway, as the
// dashboards and alerts of monitoring/ name them.
const namespace = "deltaledger_gateway"

// latencyBuckets are the buckets, in seconds, of the latency histograms.
var latencyBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

func counter(name, help string) prometheus.Counter {
	return prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help})
}

func counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, labels)
}

func gauge(name, help string) prometheus.Gauge {
	return prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Name: name, Help: help})
}

func gaugeVec(name, help string, labels ...string) *prometheus.GaugeVec {
	return prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: namespace, Name: name, Help: help}, labels)
}

func latency(name, help string, labels ...string) *prometheus.HistogramVec {
	return prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: name, Help: help, Buckets: latencyBuckets}, labels)
}

// New creates the collectors on a fresh registry, with the Go runtime and
// process collectors.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		registry: reg,
		httpRequests: counterVec("http_requests_total",
			"HTTP requests by route (operation ID), method and status.", "route", "method", "status"),
		httpDuration: latency("http_request_duration_seconds",
			"HTTP request latency by route (operation ID), method and status.", "route", "method", "status"),
		httpErrors: counterVec("http_errors_total",
			"Error answers by route (operation ID) and error code (the code of the error body: INVALID_ARGUMENT, FORBIDDEN, CONFLICT, UNAVAILABLE, OUTCOME_UNKNOWN, ...).", "route", "code"),
		fabricDuration: latency("fabric_call_duration_seconds",
			"Latency of Fabric calls by operation (evaluate, endorse, submit, commit_status, submit_total, find), chaincode function and outcome (ok or the error kind).", "operation", "function", "outcome"),
		commitFailures: counterVec("commit_failures_total",
			"Transactions committed invalid, or whose commit status could not be read, by validation code (or ERROR).", "code"),
		unknownOutcome: counterVec("submit_outcome_unknown_total",
			"Submits whose ordering step failed with an unknown outcome, by how the commit status resolved them (committed, invalid, unresolved).", "resolution"),
		eventStreams: gauge("event_streams",
			"Open Server-Sent Event streams."),
		forgedEvents: counter("forged_events_skipped_total",
			"Chaincode events an event stream skipped as forged, once for each stream that met one: a claim the ledger at the event's block contradicts (a MarketRulesChanged naming a version newer than the rules a peer that committed its block answers)."),
		idempotentHits: counter("idempotent_replays_total",
			"Submits answered from the idempotency store instead of being submitted again."),
		indexBlock: gauge("market_index_block",
			"The block up to which the ledger index is written; compare with the channel height for the lag."),
		indexFailures: counter("market_index_feed_interruptions_total",
			"Failures of the ledger index's feed (block stream or write); it resumes from its checkpoint."),
		rateLimit: gaugeVec("rate_limit_per_second",
			"The rate each member may make requests at, by budget (read, write); absent when the budget is unlimited.", "budget"),
		rateBurst: gaugeVec("rate_limit_burst",
			"The requests each member may make at once above its rate, by budget (read, write).", "budget"),
	}
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.httpRequests, m.httpDuration, m.httpErrors, m.fabricDuration, m.commitFailures, m.unknownOutcome,
		m.eventStreams, m.forgedEvents, m.idempotentHits, m.indexBlock, m.indexFailures, m.rateLimit, m.rateBurst,
	)
	// Series that dashboards and alerts watch exist from the start, at zero,
	// so that a rate over them is 0 rather than no data until the first one.
	for _, r := range UnknownOutcomeResolutions {
		m.unknownOutcome.WithLabelValues(r)
	}
	m.commitFailures.WithLabelValues("MVCC_READ_CONFLICT")
	return m
}

// UnknownOutcomeResolutions are the ways an unknown ordering outcome
// resolves, the label values of UnknownOutcome.
var UnknownOutcomeResolutions = []string{"committed", "invalid", "unresolved"}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// Registry is the registry the collectors are on.
func (m *Metrics) Registry() *prometheus.Registry {
	if m == nil {
		return nil
	}
	return m.registry
}

// HTTPRequest records one answered request.
func (m *Metrics) HTTPRequest(route, method string, status int, d time.Duration) {
	if m == nil {
		return
	}
	s := strconv.Itoa(status)
	method = methodLabel(method)
	m.httpRequests.WithLabelValues(route, method, s).Inc()
	m.httpDuration.WithLabelValues(route, method, s).Observe(d.Seconds())
}

// otherMethod is the method label of a request whose method is not one of
// HTTP's own.
const otherMethod = "OTHER"

// methodLabel is the label of a request's method: the method when it is
// one of HTTP's, else otherMethod. Anybody may send any method token, even
// without credentials; as a label each would be new series, kept for the
// life of the process and exported at every scrape.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete,
		http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return method
	}
	return otherMethod
}

// HTTPError counts an error answer of a route with its error code.
func (m *Metrics) HTTPError(route, code string) {
	if m == nil {
		return
	}
	m.httpErrors.WithLabelValues(route, code).Inc()
}

// FabricCall records one Fabric call.
func (m *Metrics) FabricCall(operation, function, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.fabricDuration.WithLabelValues(operation, function, outcome).Observe(d.Seconds())
}

// CommitFailure counts a transaction committed invalid with code, or a
// failed commit status read (code "ERROR").
func (m *Metrics) CommitFailure(code string) {
	if m == nil {
		return
	}
	m.commitFailures.WithLabelValues(code).Inc()
}

// UnknownOutcome counts an unknown ordering outcome and how it resolved.
func (m *Metrics) UnknownOutcome(resolution string) {
	if m == nil {
		return
	}
	m.unknownOutcome.WithLabelValues(resolution).Inc()
}

// EventStreamOpened counts an open SSE stream; call the returned function
// when it closes.
func (m *Metrics) EventStreamOpened() func() {
	if m == nil {
		return func() {}
	}
	m.eventStreams.Inc()
	return m.eventStreams.Dec
}

// ForgedEventSkipped counts a chaincode event a stream skipped as forged.
func (m *Metrics) ForgedEventSkipped() {
	if m == nil {
		return
	}
	m.forgedEvents.Inc()
}

// IdempotentReplay counts a submit answered from the idempotency store.
func (m *Metrics) IdempotentReplay() {
	if m == nil {
		return
	}
	m.idempotentHits.Inc()
}

// IndexedBlock records the block up to which the market index is written.
func (m *Metrics) IndexedBlock(block uint64) {
	if m == nil {
		return
	}
	m.indexBlock.Set(float64(block))
}

// IndexFeedInterrupted counts a failure of the market index's feed (it
// resumes from its checkpoint).
func (m *Metrics) IndexFeedInterrupted() {
	if m == nil {
		return
	}
	m.indexFailures.Inc()
}

// APIKeysToRotate is the metric WatchAPIKeys exports, by state: "soon" (expiring within the window it is given)
// or "expired" (expired but not revoked).
const APIKeysToRotate = namespace + "_api_keys_to_rotate"

// WatchAPIKeys exports the count of unrevoked API keys expiring within window and of those expired, read from
// expiring at each scrape (the key file changes without the gateway: `apikey create` and `revoke` write it), so that
// an alert warns before a member's application is refused.
func (m *Metrics) WatchAPIKeys(window time.Duration, expiring func() (soon, expired int)) {
	if m == nil {
		return
	}
	help := fmt.Sprintf("Unrevoked API keys to rotate, by state: soon (expiring within %s) or expired.", window)
	for _, state := range []string{"soon", "expired"} {
		m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: APIKeysToRotate, Help: help, ConstLabels: prometheus.Labels{"state": state},
		}, func() float64 {
			soon, expired := expiring()
			if state == "soon" {
				return float64(soon)
			}
			return float64(expired)
		}))
	}
}

// RateLimit records the rate and burst of a member's budget.
func (m *Metrics) RateLimit(budget string, perSecond float64, burst int) {
	if m == nil {
		return
	}
	m.rateLimit.WithLabelValues(budget).Set(perSecond)
	m.rateBurst.WithLabelValues(budget).Set(float64(burst))
}
