package api_test

import (
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/model"
)

// The gateway's own work per request, over a ledger that answers at once:
// what the REST path adds to a direct fabric-gateway call on the gateway's
// side (routing, authentication, binding, the idempotency store, the access
// log written to a file, the answer), without TLS and the network. Besides
// ns/op (wall time, which on a loaded machine is mostly waiting) each
// reports cpu-ns/op, the process's CPU time (user and system, garbage
// collection included) per request.

func BenchmarkGatewayRead(b *testing.B) {
	e := newCostEnv(b)
	e.fake.Returns("assets:Get", sample(reflect.TypeOf(model.Asset{})))
	key := "Bearer " + e.keys["alice"]
	measureCPU(b, func(int) {
		r := httptest.NewRequest(http.MethodGet, "/v1/assets/a-1", nil)
		r.Header.Set("Authorization", key)
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	})
}

// BenchmarkGatewayReadOverTLS is BenchmarkGatewayRead through a TLS
// listener and an HTTP client that keeps its connections, both in this
// process: the CPU time of both ends of the REST hop, over HTTP/1.1 and over
// HTTP/2 (what the SDK and the gateway negotiate).
func BenchmarkGatewayReadOverTLS(b *testing.B) {
	for _, h2 := range []bool{false, true} {
		b.Run(map[bool]string{false: "http1", true: "http2"}[h2], func(b *testing.B) {
			e := newCostEnv(b)
			e.fake.Returns("assets:Get", sample(reflect.TypeOf(model.Asset{})))
			srv := httptest.NewUnstartedServer(e.srv)
			srv.EnableHTTP2 = h2
			srv.StartTLS()
			defer srv.Close()
			c := srv.Client()
			key := "Bearer " + e.keys["alice"]
			measureCPU(b, func(int) {
				r, err := http.NewRequest(http.MethodGet, srv.URL+"/v1/assets/a-1", nil)
				require.NoError(b, err)
				r.Header.Set("Authorization", key)
				resp, err := c.Do(r)
				require.NoError(b, err)
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || (resp.ProtoMajor == 2) != h2 {
					b.Fatalf("status %d over %s", resp.StatusCode, resp.Proto)
				}
			})
		})
	}
}

// BenchmarkGatewayApply is POST /v1/assets with an Idempotency-Key, as the
// SDK sends it.
func BenchmarkGatewayApply(b *testing.B) {
	e := newCostEnv(b)
	e.fake.Returns("assets:Apply", sample(reflect.TypeOf(model.Asset{})))
	key := "Bearer " + e.keys["alice"]
	body := `{"id":"a-1","name":"Benchmark dataset","category":"finance","sourceRegion":"shanghai",` +
		`"description":"Synthetic asset of the benchmark","contentHash":"` + strings.Repeat("ab", 32) + `"}`
	measureCPU(b, func(i int) {
		r := httptest.NewRequest(http.MethodPost, "/v1/assets", strings.NewReader(body))
		r.Header.Set("Authorization", key)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Idempotency-Key", "k-"+strconv.Itoa(i))
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		if w.Code != http.StatusCreated {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	})
}

// newCostEnv is the test gateway with its access log going to a file, as the
// gateway's does.
func newCostEnv(b testing.TB) *env {
	f, err := os.Create(filepath.Join(b.TempDir(), "gateway.log"))
	require.NoError(b, err)
	b.Cleanup(func() { f.Close() })
	return newEnv(b, api.WithLogger(slog.New(slog.NewJSONHandler(f, nil))))
}

// measureCPU runs request b.N times and reports the process's CPU time per
// request beside the wall time.
func measureCPU(b *testing.B, request func(i int)) {
	b.ReportAllocs()
	before := processCPU(b)
	b.ResetTimer()
	for i := range b.N {
		request(i)
	}
	b.StopTimer()
	b.ReportMetric(float64((processCPU(b)-before).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

func processCPU(b *testing.B) time.Duration {
	var u syscall.Rusage
	require.NoError(b, syscall.Getrusage(syscall.RUSAGE_SELF, &u))
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// discardWriter is a ResponseWriter that keeps only the status, so that an
// allocation count is the gateway's, not a recorder's.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }

// readAllocations counts the allocations of one GET /v1/assets/{id} through
// the gateway over a ledger that answers at once (the request is made once;
// the fake ledger's own copy of its answer is counted too), in a gateway that
// knows its peer's height, as one in service does: a warm-up read with
// X-Min-Block reads it before the rounds, so that the background read the
// first read would start (its goroutine, context and timer) does not run in
// whichever round the scheduler happens to give it.
//
// It is the least of ten rounds' averages: work driven by the clock (a
// cached standing's expiry, the rate limiter's refill, the peer height's
// refresh each heightStale) falls into a round on a loaded machine and adds
// its allocations to that round's average, which are not a read's.
func readAllocations(t *testing.T, e *env) float64 {
	e.fake.Returns("assets:Get", sample(reflect.TypeOf(model.Asset{})))
	e.fake.SetHeight(servingHeight)
	r := httptest.NewRequest(http.MethodGet, "/v1/assets/a-1", nil)
	r.Header.Set("Authorization", "Bearer "+e.keys["alice"])
	w := &discardWriter{}
	read := func() {
		w.h, w.status = http.Header{}, 0
		e.srv.ServeHTTP(w, r)
		if w.status != http.StatusOK {
			t.Fatalf("status %d", w.status)
		}
	}
	r.Header.Set(model.MinBlockHeader, "0")
	read()
	r.Header.Del(model.MinBlockHeader)
	least := math.Inf(1)
	for range 10 {
		least = min(least, testing.AllocsPerRun(200, read))
	}
	return least
}

// servingHeight is the height of a peer in service for a while: a block
// number as long as a real one's (strconv formats one of less than 100
// without allocating).
const servingHeight = 1_234_567

// maxReadAllocations is what a read allocates on the gateway's side at most
// (34 when written; 40 before a read stopped hashing its request for an
// idempotency key it cannot have and parsing the query it does not have).
// Each allocation is CPU the peer on the same machine does not get.
const maxReadAllocations = 34

func TestReadAllocations(t *testing.T) {
	if raceDetector {
		t.Skip("allocation counts under -race are not the program's")
	}
	n := readAllocations(t, newCostEnv(t))
	require.LessOrEqual(t, n, float64(maxReadAllocations), "allocations of one GET /v1/assets/{id}")
}
