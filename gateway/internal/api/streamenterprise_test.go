package api_test

import (
	"encoding/json"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The enterprises the members alice and bob act for (their certificates certify them).
const (
	aliceUSCC = "91310000MA1FL1800B"
	bobUSCC   = "9144030071526726XG"
)

// programBindings answers WhoAmI as the chaincode does for members acting for enterprises: alice acts for
// aliceUSCC, bob for bobUSCC, both ACTIVE holders, until outOfForce is set, from which alice is refused
// (requireBindingInForce: another org's binding of her enterprise is in force).
func programBindings(f *chaintest.Fake, outOfForce *atomic.Bool) {
	f.Handle("participants:WhoAmI", func(c chaintest.Call) (chaintest.Response, error) {
		uscc := map[string]string{"alice": aliceUSCC, "bob": bobUSCC}[c.Member]
		if c.Member == "alice" && outOfForce.Load() {
			return chaintest.Response{}, &chain.Error{Kind: chain.KindRejected, Code: ledgererr.Forbidden,
				Message: `FORBIDDEN: participant "alice" acts for enterprise ` + aliceUSCC + `, which the market rules in force bind to ZhejiangMSP`}
		}
		b, _ := json.Marshal(model.Participant{ID: c.Member, Roles: []string{model.RoleHolder}, CertifiedRoles: []string{model.RoleHolder},
			USCC: uscc, Status: model.ParticipantActive})
		return chaintest.Response{Result: b}, nil
	})
}

// sale is the payload of an event of a trade that seller sells to a buyer of Jiangsu's org.
func sale(id, seller string) []byte {
	b, _ := json.Marshal(model.TradeEvent{TradeID: id, SellerID: seller, BuyerID: "jiangsu.buyer", SellerMSP: ownMSP, BuyerMSP: "JiangsuMSP", Region: "shanghai"})
	return b
}

// Another org's registration of the enterprise a member acts for names only the new member, and may take the
// member's org's binding out of force, from which the chaincode refuses the member: the member's open stream reads
// its standing again on meeting the event (it names the enterprise), and delivers nothing of the member's own trades
// after it, rather than until rolesTTL (30 s) has passed. So does a release naming the enterprise. Only the streams
// of members acting for the enterprise named read again: bob's, of another enterprise, reads nothing more.
func TestAStreamRereadsItsStandingWhenAnEventNamesItsEnterprise(t *testing.T) {
	for name, change := range map[string]string{
		model.EventParticipantRegistered: mustJSON(t, model.ParticipantEvent{ParticipantID: "zj.alice", MSPID: "ZhejiangMSP", USCC: aliceUSCC}),
		model.EventEnterpriseReleased:    mustJSON(t, model.ReleaseEvent{USCC: aliceUSCC, MSPID: "ZhejiangMSP", ParticipantIDs: []string{"zj.alice"}}),
	} {
		t.Run(name, func(t *testing.T) {
			var outOfForce atomic.Bool
			e, ts := streamEnv(t, func(f *chaintest.Fake) { programBindings(f, &outOfForce) })
			alice, bob := e.openStream(t, ts, "alice", "", ""), e.openStream(t, ts, "bob", "", "")
			// Each stream reads its standing again at its first event (it started at the next block): both take one
			// before anything is counted.
			opening := e.fake.Emit(model.EventListingCreated, []byte(`{"listingId":"l0"}`))
			assert.Equal(t, opening.TransactionID, alice.next().Data.TransactionID)
			assert.Equal(t, opening.TransactionID, bob.next().Data.TransactionID)
			before := e.fake.Emit(model.EventTradeOrdered, sale("t1", "alice"))
			assert.Equal(t, before.TransactionID, alice.next().Data.TransactionID, "her own trade, while her binding is in force")
			aliceReads, bobReads := standingReads(e, "alice"), standingReads(e, "bob")

			outOfForce.Store(true)
			e.fake.Emit(name, []byte(change))
			e.fake.Emit(model.EventTradeAccepted, sale("t1", "alice"))
			market := e.fake.Emit(model.EventListingCreated, []byte(`{"listingId":"l1"}`))
			assert.Equal(t, name, alice.next().Data.Name)
			assert.Equal(t, market.TransactionID, alice.next().Data.TransactionID, "her trade's event after the change is withheld")
			alice.none()
			assert.Equal(t, name, bob.next().Data.Name)
			assert.Equal(t, market.TransactionID, bob.next().Data.TransactionID)
			assert.Equal(t, aliceReads+1, standingReads(e, "alice"), "alice's stream reads its standing again")
			assert.Equal(t, bobReads, standingReads(e, "bob"), "bob's stream does not")
		})
	}
}

// A registration that names another enterprise, or none (staff), makes no stream read its standing again.
func TestARegistrationOfAnotherEnterpriseRereadsNothing(t *testing.T) {
	var outOfForce atomic.Bool
	e, ts := streamEnv(t, func(f *chaintest.Fake) { programBindings(f, &outOfForce) })
	alice := e.openStream(t, ts, "alice", "", "")
	e.fake.Emit(model.EventListingCreated, []byte(`{"listingId":"l1"}`))
	alice.next() // the stream's first event, which reads the standing again (it started at the next block)
	reads := len(e.fake.CallsTo("participants:WhoAmI"))
	e.fake.Emit(model.EventParticipantRegistered, []byte(mustJSON(t, model.ParticipantEvent{ParticipantID: "zj.other", MSPID: "ZhejiangMSP", USCC: bobUSCC})))
	e.fake.Emit(model.EventParticipantRegistered, []byte(mustJSON(t, model.ParticipantEvent{ParticipantID: "zj.staff", MSPID: "ZhejiangMSP"})))
	alice.next()
	alice.next()
	assert.Len(t, e.fake.CallsTo("participants:WhoAmI"), reads)
}

// standingReads counts the reads of member's standing (participants:WhoAmI) the gateway made.
func standingReads(e *env, member string) int {
	n := 0
	for _, c := range e.fake.CallsTo("participants:WhoAmI") {
		if c.Member == member {
			n++
		}
	}
	return n
}
