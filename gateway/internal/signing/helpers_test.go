package signing

import (
	"encoding/asn1"
	"math/big"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
)

func marshal(r, s *big.Int) ([]byte, error) { return asn1.Marshal(struct{ R, S *big.Int }{r, s}) }

// message is a step's Fabric message of n bytes, and an endorsed transaction's result.
type message struct {
	chain.Proposal
	chain.EndorsedTransaction
	bytes, result []byte
}

func messageOf(n int) *message { return &message{bytes: make([]byte, n), result: make([]byte, n)} }

func (m *message) Signable() chain.Signable { return chain.Signable{Bytes: m.bytes} }
func (m *message) Result() []byte           { return m.result }

// manyAnswers is a bound of a member's answers that the tests of other bounds never reach.
const manyAnswers = 1 << 20

// clocked makes the store read a clock the test sets, starting now.
func clocked(s *Store) *time.Time {
	now := time.Now()
	s.now = func() time.Time { return now }
	return &now
}
