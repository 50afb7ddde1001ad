package participants_test

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/internal/benchsteps"
)

// BenchmarkCallerResolution measures what resolving a caller costs (its
// certificate and chain in force, its identity entry, record and the market
// rules), in one run on the same in-memory peer: each iteration evaluates
// participants.Caller and a bare evaluation that reads one key, as the same
// member, and times each. It reports the microseconds of each and their
// ratio, which compares across versions of the resolution where the
// microseconds alone, on a shared machine, would not.
//
//	go test -run '^$' -bench CallerResolution ./chaincode/participants
func BenchmarkCallerResolution(b *testing.B) {
	cc, err := contractapi.NewChaincode(participants.New(), market.New())
	require.NoError(b, err)
	sh := chaincodetest.NewCA("ShanghaiMSP")
	net := chaincodetest.NewNetwork(cc, chaincodetest.WithOrgs(sh))
	admin := sh.Issue("Admin@shanghai", "admin")
	rulestest.Init(b, net, admin, rulestest.Rules([]rulestest.Org{{CA: sh, Region: "shanghai"}}))
	alice := rulestest.Member(sh, "alice", usccA, "holder", "Alice Ltd")
	net.Submit(admin, "participants:Register", "sh.alice", string(alice.CertPEM), "holder", usccA, "Alice Ltd", "shanghai").MustOK(b)
	evaluate := func(fn func(ctx contractapi.TransactionContextInterface) error) chaincodetest.Result {
		return inContext(net, alice, chaincodetest.Call{Evaluate: true}, fn)
	}
	totals := benchsteps.Time(b, time.Microsecond,
		benchsteps.Step{Name: "caller", Run: func(int) {
			evaluate(func(ctx contractapi.TransactionContextInterface) error {
				_, err := participants.Caller(ctx)
				return err
			}).MustOK(b)
		}},
		benchsteps.Step{Name: "bare", Run: func(int) {
			evaluate(func(ctx contractapi.TransactionContextInterface) error {
				_, err := ctx.GetStub().GetState("probe")
				return err
			}).MustOK(b)
		}})
	b.ReportMetric(float64(totals[0])/float64(totals[1]), "caller/bare")
}
