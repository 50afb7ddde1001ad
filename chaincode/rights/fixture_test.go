package rights_test

import (
	"testing"

	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
)

// fixture is the register's test channel, with the helpers of this
// package's tests as methods.
type fixture struct{ *registertest.Fixture }

func newFixture(t *testing.T) *fixture { return &fixture{registertest.New(t)} }
