package transactions

import (
	"fmt"
	"testing"
)

// What committedBy remembers of committed transactions stays bounded however many IDs are asked for: a member who
// signs its own calls names the IDs, and must not grow the gateway's memory.
func TestTheCommittedTransactionsRememberedAreBounded(t *testing.T) {
	var c committedTxs
	for i := range maxTransactions + 10 {
		c.put(fmt.Sprintf("%064x", i), committedTx{creator: "x"})
		if len(c.m) > maxTransactions {
			t.Fatalf("%d transactions remembered, more than %d", len(c.m), maxTransactions)
		}
	}
	if _, ok := c.get(fmt.Sprintf("%064x", maxTransactions+9)); !ok {
		t.Fatal("the last transaction put is not remembered")
	}
}
