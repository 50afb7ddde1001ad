package contracts_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/contracts"
	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// skewedBy is the wire form's start of the refusal of a timestamp too far
// from the endorsing peer's clock.
var skewedBy = string(ledgererr.InvalidArgument) + ": " + state.TimestampField + ": "

// skewRule is the refusal of a skewed timestamp, up to the clock's reading.
var skewRule = skewedBy + "must lie " + model.MaxClockSkew.String() + " before to " + model.MaxClockLead.String() + " after the endorsing peer's clock"

// tooFar are timestamps a second outside what the endorsers accept, after and before their clock; nearEnough a
// second inside, and the clock itself.
var (
	tooFar     = []time.Duration{model.MaxClockLead + time.Second, -model.MaxClockSkew - time.Second}
	nearEnough = []time.Duration{model.MaxClockLead - time.Second, -model.MaxClockSkew + time.Second, 0}
)

// TestSkewedTimestampIsRefusedEverywhere calls every function of every
// contract the model declares, as a client that writes its own time into
// the proposal: a second more than model.MaxClockLead after the peers'
// clock, and a second more than model.MaxClockSkew before it. Every call is refused with INVALID_ARGUMENT naming
// txTimestamp before the function runs (so whatever its arguments), and
// nothing reaches the ledger: the check is once for all contracts.
func TestSkewedTimestampIsRefusedEverywhere(t *testing.T) {
	cc, err := contracts.NewChaincode()
	require.NoError(t, err)
	net := chaincodetest.NewNetwork(cc)
	caller := chaincodetest.NewCA("ShanghaiMSP").Issue("anyone", "client")
	tried := 0
	for _, c := range model.Contracts() {
		for _, fn := range c.Functions {
			args := make([]string, len(fn.Params))
			for i := range args {
				args[i] = "x"
			}
			for _, skew := range tooFar {
				res := net.Invoke(caller, chaincodetest.Call{
					Function: fn.FullName(), Args: args, Evaluate: fn.Evaluate, Timestamp: net.Now().Add(skew),
				})
				require.Error(t, res.Err, "%s accepted a timestamp %s off the peer's clock", fn.FullName(), skew)
				assert.Contains(t, res.Err.Error(), skewRule, fn.FullName())
				assert.Empty(t, res.ValidationCode, "a refused proposal never reaches the ledger")
				tried++
			}
		}
	}
	assert.Greater(t, tried, 100)
	assert.Empty(t, net.Ledger().Transactions())
}

// TestClockSkewBoundaries submits and evaluates with timestamps just inside
// model.MaxClockSkew before and model.MaxClockLead after the peers' clock,
// which are accepted, and just outside, which are refused with nothing
// written: a caller may not stamp a time more than a minute to come.
func TestClockSkewBoundaries(t *testing.T) {
	m := markettest.New(t)
	admin := m.Admin(markettest.Shanghai)
	n := 0
	register := func(skew time.Duration) chaincodetest.Result {
		n++
		id := fmt.Sprintf("skew-%d", n)
		uscc := markettest.USCC(100 + n)
		who := rulestest.Member(m.CA(markettest.Shanghai), id, uscc, "buyer", "Enterprise "+id)
		return m.Net.Invoke(admin, chaincodetest.Call{
			Function: "participants:Register", Args: []string{id, string(who.CertPEM), "buyer", uscc, "Enterprise " + id, "shanghai"},
			Timestamp: m.Net.Now().Add(skew),
		})
	}
	rules := func(skew time.Duration) chaincodetest.Result {
		return m.Net.Invoke(admin, chaincodetest.Call{Function: "market:GetRules", Evaluate: true, Timestamp: m.Net.Now().Add(skew)})
	}
	for _, skew := range nearEnough {
		register(skew).MustOK(t)
		rules(skew).MustOK(t)
	}
	for _, skew := range tooFar {
		txs, keys := len(m.Net.Ledger().Transactions()), m.Net.Ledger().StateKeys()
		res := register(skew)
		require.Error(t, res.Err, "submitted %s off the peer's clock", skew)
		assert.Contains(t, res.Err.Error(), skewedBy)
		assert.Equal(t, txs, len(m.Net.Ledger().Transactions()), "nothing reaches the ledger")
		assert.Equal(t, keys, m.Net.Ledger().StateKeys())
		res = rules(skew)
		require.Error(t, res.Err, "evaluated %s off the peer's clock", skew)
		assert.Contains(t, res.Err.Error(), skewedBy)
	}
	// What the bound behind the clock allows for (a proposal waiting for its signature) is no licence to stamp a
	// time to come.
	res := register(model.MaxClockSkew - time.Second)
	require.Error(t, res.Err, "stamped %s ahead of the peer's clock", model.MaxClockSkew-time.Second)
	assert.Contains(t, res.Err.Error(), skewRule)
}

// TestSkewedTimestampIsRefusedByGetMetadata submits the system contract's
// GetMetadata, which the chaincode answers itself rather than through a
// contract, stamped a year ahead of the peers' clock. It must be refused
// like every other function: a valid transaction of the market chaincode
// stamped in the future would close every period of the published indices
// that ends before that stamp (index.ClosingBlock), so that each of them
// counts nothing after it.
func TestSkewedTimestampIsRefusedByGetMetadata(t *testing.T) {
	cc, err := contracts.NewChaincode()
	require.NoError(t, err)
	net := chaincodetest.NewNetwork(cc)
	caller := chaincodetest.NewCA("ShanghaiMSP").Issue("anyone", "client")
	for _, skew := range append([]time.Duration{365 * 24 * time.Hour}, tooFar...) {
		for _, evaluate := range []bool{false, true} {
			res := net.Invoke(caller, chaincodetest.Call{Function: chaincodetest.MetadataFunction, Evaluate: evaluate, Timestamp: net.Now().Add(skew)})
			require.Error(t, res.Err, "GetMetadata accepted a timestamp %s off the peer's clock (evaluate %v)", skew, evaluate)
			assert.Contains(t, res.Err.Error(), skewRule)
			assert.Empty(t, res.ValidationCode, "a refused proposal never reaches the ledger")
		}
	}
	assert.Empty(t, net.Ledger().Transactions())
	net.Invoke(caller, chaincodetest.Call{Function: chaincodetest.MetadataFunction, Evaluate: true, Timestamp: net.Now().Add(model.MaxClockLead - time.Second)}).MustOK(t)
}
