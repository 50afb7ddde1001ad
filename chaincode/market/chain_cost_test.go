package market

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
)

// BenchmarkChainInForce measures what judging a certificate's chain adds to
// judging its own dates, in one run: each iteration judges a member's
// certificate under an intermediate CA by its dates alone (checkDates, all
// caller resolution did before) and then as caller resolution does now,
// taking its org's CA record (one root, one intermediate) as read and judging
// the certificate and its chain (CAs.InForce, with the process's memory of
// parsed certificates and signatures warm, as it is from a member's second
// call on). It reports the nanoseconds of each and their ratio.
//
//	go test -run '^$' -bench ChainInForce ./chaincode/market
func BenchmarkChainInForce(b *testing.B) {
	root := chaincodetest.NewCA("ShanghaiMSP")
	now := time.Now().Truncate(time.Second)
	inter := root.Intermediate("Shanghai Issuing CA", now.Add(-time.Hour), now.Add(time.Hour))
	leaf := inter.IssueValidFor("alice", "client", nil, now.Add(-time.Hour), now.Add(time.Hour)).Cert
	record, err := json.Marshal(orgCAs{MSPID: "ShanghaiMSP", RootCerts: []string{string(root.CertificatePEM())}, IntermediateCerts: []string{string(inter.CertificatePEM())}})
	require.NoError(b, err)
	chain := func() error {
		read := CAsRead{Read: state.Read{Found: true, Value: record}, mspID: "ShanghaiMSP"}
		cas, err := read.CAs()
		if err != nil {
			return err
		}
		return cas.InForce(leaf, now)
	}
	require.NoError(b, chain())
	var dates, whole time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if err := checkDates(leaf, now); err != nil {
			b.Fatal(err)
		}
		dates += time.Since(start)

		start = time.Now()
		if err := chain(); err != nil {
			b.Fatal(err)
		}
		whole += time.Since(start)
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(dates.Nanoseconds())/n, "dates-ns/op")
	b.ReportMetric(float64(whole.Nanoseconds())/n, "chain-ns/op")
	b.ReportMetric(float64(whole)/float64(dates), "chain/dates")
}
