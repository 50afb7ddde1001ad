package contracts

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
)

// TestInvalidTextIsRefusedEverywhere sends text that is not valid UTF-8 in
// each parameter of every function, and an escaped lone surrogate in each
// JSON document (parameters and transient data), straight to the chaincode
// as any Fabric client could: every one is INVALID_ARGUMENT naming the
// field, and nothing is written.
func TestInvalidTextIsRefusedEverywhere(t *testing.T) {
	cc, err := NewChaincode()
	require.NoError(t, err)
	net := chaincodetest.NewNetwork(cc)
	caller := chaincodetest.NewCA("ShanghaiMSP").Issue("anyone", "client")
	tried := 0
	try := func(t *testing.T, fn model.Function, call chaincodetest.Call, field string) {
		t.Helper()
		call.Function = fn.FullName()
		call.Evaluate = fn.Evaluate
		res := net.Invoke(caller, call)
		require.Error(t, res.Err, "%s accepted invalid text in %s", fn.FullName(), field)
		assert.Contains(t, res.Err.Error(), "INVALID_ARGUMENT: "+field+": must be valid UTF-8", fn.FullName())
		assert.Empty(t, res.ValidationCode, "a refused proposal never reaches the ledger")
		tried++
	}
	for _, c := range model.Contracts() {
		for _, fn := range c.Functions {
			valid := make([]string, len(fn.Params))
			for i := range valid {
				valid[i] = "x"
			}
			for i, p := range fn.Params {
				args := append([]string(nil), valid...)
				args[i] = "ok\xffok"
				try(t, fn, chaincodetest.Call{Args: args}, p.Name)
				if p.Type == model.TypeObject {
					args[i] = `{"a":{"b":["x","\ud800"]}}`
					try(t, fn, chaincodetest.Call{Args: args}, p.Name+".a.b[1]")
				}
			}
			for _, tr := range fn.Transient {
				for doc, field := range map[string]string{
					`{"conditions":"\udc00"}`:             tr.Name + ".conditions",
					"{\"conditions\":\"\xc3\"}":           tr.Name,
					`{"list":["ok",{"deep":"\ud83d x"}]}`: tr.Name + ".list[1].deep",
				} {
					try(t, fn, chaincodetest.Call{Args: valid, Transient: map[string][]byte{tr.Name: []byte(doc)}}, field)
				}
			}
		}
	}
	assert.Greater(t, tried, 100)
}
