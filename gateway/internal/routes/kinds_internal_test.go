package routes

import "testing"

// TestEveryGatewayRouteCarriesItsCode: Answered takes a gateway route's
// code as an argument, so a route declared through it cannot lack one; this
// catches a GatewayRoute literal in the table that bypasses Answered (only
// this package can write one that reaches the table).
func TestEveryGatewayRouteCarriesItsCode(t *testing.T) {
	n := 0
	for _, rt := range Table() {
		if g, ok := rt.(GatewayRoute); ok {
			n++
			if g.serve == nil {
				t.Errorf("gateway route %s has no code: declare it with Answered", g.ID)
			}
		}
	}
	if n == 0 {
		t.Fatal("the table has no gateway route")
	}
}
