package assets_test

import (
	"testing"

	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
)

// fixture is the register's test channel, with the helpers of this
// package's tests as methods.
type fixture struct{ *registertest.Fixture }

func newFixture(t *testing.T) *fixture { return &fixture{registertest.New(t)} }

// inNotice is newFixture with the holder's application "a1" approved by its
// region's operator: in its public notice, open to objections.
func inNotice(t *testing.T) *fixture {
	f := newFixture(t)
	f.Apply(t, f.Holder, "a1")
	f.Net.Submit(f.ShOp, "assets:Review", "a1", "APPROVE", "").MustOK(t)
	return f
}
