package api_test

import (
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/model"
)

// A stream opened without a position starts at the block after those its peer has committed when it subscribes,
// which is after it read its member's standing: a change committed in between is in no event the stream meets. Here
// another org's registration of alice's enterprise, committed while her stream read the market rules, took her org's
// binding out of force, and the stream went on showing her her own trades' events by the standing read before it,
// for up to rolesTTL (30 s). Such a stream reads the standing again at its first event, from a peer that has
// committed that event's block, and withholds her trade's event.
func TestAStreamStartedAfterAChangeItDidNotMeetReadsItsStandingAgain(t *testing.T) {
	var outOfForce atomic.Bool
	var once sync.Once
	e, ts := streamEnv(t, func(f *chaintest.Fake) {
		programBindings(f, &outOfForce)
		f.Handle("market:GetRules", func(chaintest.Call) (chaintest.Response, error) {
			if len(f.CallsTo("participants:WhoAmI")) > 0 {
				once.Do(func() {
					outOfForce.Store(true)
					f.Emit(model.EventParticipantRegistered, []byte(mustJSON(t, model.ParticipantEvent{ParticipantID: "zj.alice", MSPID: "ZhejiangMSP", USCC: aliceUSCC})))
				})
			}
			b, err := json.Marshal(rulesBinding(1, foundingOrgs))
			return chaintest.Response{Result: b}, err
		})
	})
	alice := e.openStream(t, ts, "alice", "", "")
	assert.True(t, outOfForce.Load(), "the registration was committed while the stream opened")

	e.fake.Emit(model.EventTradeAccepted, sale("t1", "alice"))
	market := e.fake.Emit(model.EventListingCreated, []byte(`{"listingId":"l1"}`))
	assert.Equal(t, market.TransactionID, alice.next().Data.TransactionID, "her trade's event after the change is withheld")
	alice.none()
}
