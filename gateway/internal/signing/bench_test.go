package signing

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkPut starts a keyed call and finishes it, as a self-signed request does, with 10,000 outcomes and 1,000
// calls of other members kept: what the store costs a request under the lock.
func BenchmarkPut(b *testing.B) {
	owner, _ := certificate(b, "owner")
	s := NewStore(time.Hour, 32, manyAnswers, 1<<40)
	body := make([]byte, 1024)
	for i := range 10000 {
		c := &Call{TransactionID: fmt.Sprintf("done%d", i), Owner: owner, Key: fmt.Sprintf("done%d", i)}
		s.Finish(c, 201, body)
	}
	for i := range 1000 {
		other, _ := certificate(b, fmt.Sprintf("member%d", i))
		if err := s.Put(&Call{TransactionID: fmt.Sprintf("waiting%d", i), Owner: other}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := range b.N {
		c := &Call{TransactionID: fmt.Sprintf("tx%d", i), Owner: owner, Step: StepProposal, Key: fmt.Sprintf("k%d", i)}
		if err := s.Put(c); err != nil {
			b.Fatal(err)
		}
		taken, err := s.Take(owner, c.TransactionID, StepProposal)
		if err != nil {
			b.Fatal(err)
		}
		s.Finish(taken, 201, body)
	}
}
