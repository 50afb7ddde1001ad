package rights_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/model"
)

// A term ends at its validUntil second: a reader stamped at that second,
// with the peers' clocks there too, is shown the expiry, and an ending at
// that same second (Renounce) keeps it, since the right had expired; an
// ending a second earlier, by stamp and clock, takes it back, since the
// right then ended before its term.
func TestTheExpirySecondBelongsToTheExpiry(t *testing.T) {
	for _, c := range []struct {
		name   string
		before time.Duration
		kept   bool
	}{
		{"renounced at the expiry's second", 0, true},
		{"renounced a second before it", time.Second, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.RegisterAsset(t, f.Holder, "a1")
			r := f.Accept(t, f.Offer(t, f.Holder, "a1", "js.user", model.RightUse, registertest.ScopeNarrow).ID)
			expiry := mustTime(t, r.Scope.ValidUntil)
			at := expiry.Add(-c.before)
			expiredAt := func(stamp time.Time) bool { return expiryShownAt(t, f, "a1", r.ID, stamp) }
			f.advanceTo(t, at)
			assert.Equal(t, c.kept, expiredAt(at), "a reader at the second is shown the expiry only once it has come")
			f.Net.Invoke(f.JsUser, chaincodetest.Call{Function: "rights:Renounce", Args: []string{r.ID}, Timestamp: at}).MustOK(t)
			f.advanceTo(t, expiry.Add(time.Minute))
			assert.Equal(t, c.kept, expiredAt(f.Net.Now()), "the history keeps an expiry whose second had come, and only that")
		})
	}
}
