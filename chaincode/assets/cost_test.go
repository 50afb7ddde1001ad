package assets_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/internal/benchsteps"
)

// A registration application writes what the register needs and nothing
// more: the asset (the one key with a key-level policy: a majority of the
// orgs), the claim on its content hash, the holder's index entry and the
// mark that it was written so (asset~sealed: the record's own policy could
// be one org's rewrite, the mark no org creates alone). Every further key would cost
// each peer a write, a validation lookup and a history entry per
// transaction: that, not the chaincode's own work, is what keeps
// registrations below the probe's bare put in `make bench` (see
// BenchmarkApplyAgainstBarePut).
func TestApplyWritesOnlyWhatTheRegisterNeeds(t *testing.T) {
	f := newFixture(t)
	before := f.Snapshot()
	f.Apply(t, f.Holder, "a1")
	after := f.Snapshot()

	var written, withPolicy []string
	for k, v := range after.State {
		if before.State[k] == v {
			continue
		}
		written = append(written, k)
		if f.KeyPolicy(t, k) != "" {
			withPolicy = append(withPolicy, k)
		}
	}
	assert.ElementsMatch(t, []string{chaincodetest.Key("asset", "a1"), chaincodetest.Key("asset~hash", registertest.HashOf("a1")), chaincodetest.Key("asset~holder", "sh.holder", "a1"),
		chaincodetest.Key("asset~sealed", "a1")}, written)
	assert.Equal(t, []string{chaincodetest.Key("asset", "a1")}, withPolicy)
	assert.Equal(t, before.Events+1, after.Events, "one event per application")
}

// A registration application asks its endorsing peer for state in three
// round trips: the caller's identity entry with the market rules, the asset
// ID and the content hash, then the participant the entry names, then the
// bindings of the enterprise its certificate certifies (it acts only while
// its org's is the one in force). Independent reads go in one request
// (GetMultipleStates); read one by one they took five round trips (before
// the binding), on every endorsing peer of every registration. Its writes
// reach a peer with useWriteBatch (network/config/core.yaml.tmpl) in one
// message at the end.
func TestApplyReadsInThreeRoundTrips(t *testing.T) {
	f := newFixture(t)
	r := f.Net.Submit(f.Holder, "assets:Apply", "a1", "Traffic flow a1", "transport", "shanghai", "Hourly traffic counts", registertest.HashOf("a1"))
	r.MustOK(t)
	assert.Equal(t, []string{"GET_STATE_MULTIPLE", "GET_STATE_MULTIPLE", "GET_STATE_MULTIPLE"}, readsOf(r), "all requests: %v", r.Requests)
}

// readsOf lists the reads of a transaction's requests to the peer.
func readsOf(r chaincodetest.Result) []string {
	var reads []string
	for _, req := range r.Requests {
		if strings.HasPrefix(req, "GET_") {
			reads = append(reads, req)
		}
	}
	return reads
}

// The exchange's steps read an application with its mark (asset~sealed) in
// the request that resolves the operator, with the market rules it reads
// anyway (Review read the asset and the rules in two requests of their
// own, DecideObjection the asset); Certify reads the two in the one
// request it read the asset in, takes the market rules from the caller's
// resolution (the rights register read them again before 17.0.0) and keeps
// the mark (it deleted it before 17.0.0): two requests fewer.
func TestTheProcedureReadsTheMarkWithTheApplication(t *testing.T) {
	f := newFixture(t)
	f.Apply(t, f.Holder, "a1")
	review := f.Net.Submit(f.ShOp, "assets:Review", "a1", "APPROVE", "").MustOK(t)
	assert.Len(t, readsOf(review), 5, "Review's requests: %v", review.Requests)
	assert.Equal(t, "GET_STATE_MULTIPLE", review.Requests[0])
	f.Net.Submit(f.AhUser, "assets:Object", "o1", "a1", "the sensors are ours").MustOK(t)
	decide := f.Net.Submit(f.ShOp, "assets:DecideObjection", "a1", "o1", "DISMISS", "the licence covers it").MustOK(t)
	assert.Len(t, readsOf(decide), 8, "DecideObjection's requests: %v", decide.Requests)
	f.Net.Advance(72 * time.Hour)
	certify := f.Net.Submit(f.Holder, "assets:Certify", "a1").MustOK(t)
	assert.Len(t, readsOf(certify), 8, "Certify's requests: %v", certify.Requests)
	assert.Equal(t, []string{"GET_STATE_MULTIPLE", "GET_STATE_MULTIPLE", "GET_STATE_MULTIPLE", "GET_STATE_MULTIPLE"}, readsOf(certify)[:4], "the caller, then the asset with its mark")
	assert.NotContains(t, certify.Requests, "DEL_STATE", "the mark stays")
	assert.NotNil(t, f.Net.Ledger().State(chaincodetest.Key("asset~sealed", "a1")), "the mark stays")
}

// BenchmarkApplyAgainstBarePut measures what the registration contract
// costs beyond a bare put, in one run on the same in-memory peer: each
// iteration submits an application and a transaction that puts one key (the
// probe chaincode's Put), as the same holder, and times each. It reports the
// microseconds of each, their ratio and the contract's extra time per
// registration, to be read against the network's time per transaction
// (about 8 ms at the 120 tx/s the probe commits on the 2-core machine).
//
//	go test -run '^$' -bench ApplyAgainstBarePut ./chaincode/assets
func BenchmarkApplyAgainstBarePut(b *testing.B) {
	m := markettest.New(b)
	m.Join(b, markettest.Shanghai, "sh.holder", "holder", markettest.USCC(1))
	holder := m.As("sh.holder")
	benchID := func(i int) string { return fmt.Sprintf("bench-%d", i) }
	totals := benchsteps.Time(b, time.Microsecond,
		benchsteps.Step{Name: "apply", Run: func(i int) {
			id := benchID(i)
			m.Submit("sh.holder", "assets:Apply", id, "Dataset "+id, "transport", "shanghai", "Records of "+id, markettest.Hash(id)).MustOK(b)
		}},
		benchsteps.Step{Name: "put", Run: func(i int) {
			id := benchID(i)
			m.Net.SubmitFunc(holder, func(stub shim.ChaincodeStubInterface) error {
				return stub.PutState("probe-"+id, []byte(id))
			}).MustOK(b)
		}})
	apply, put := totals[0], totals[1]
	b.ReportMetric(benchsteps.PerOp(b, apply-put, time.Microsecond), "extra-µs/op")
	b.ReportMetric(float64(apply)/float64(put), "apply/put")
}
