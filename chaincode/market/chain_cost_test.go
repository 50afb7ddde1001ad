package market

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/internal/benchsteps"
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
	totals := benchsteps.Time(b, time.Nanosecond,
		benchsteps.Step{Name: "dates", Run: func(int) {
			if err := checkDates(leaf, now); err != nil {
				b.Fatal(err)
			}
		}},
		benchsteps.Step{Name: "chain", Run: func(int) {
			if err := chain(); err != nil {
				b.Fatal(err)
			}
		}})
	b.ReportMetric(float64(totals[1])/float64(totals[0]), "chain/dates")
}
