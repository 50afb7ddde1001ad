package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/events"
	"github.com/deltaledger/deltaledger/gateway/internal/metrics"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/model"
)

// programOperatorIn answers WhoAmI: every member is an ACTIVE operator placed in the region region holds now, as
// the chaincode places a caller by the rules in force.
func programOperatorIn(region *atomic.Value) func(*chaintest.Fake) {
	return func(f *chaintest.Fake) {
		f.Handle("participants:WhoAmI", func(c chaintest.Call) (chaintest.Response, error) {
			b, _ := json.Marshal(model.Participant{ID: c.Member, Roles: []string{model.RoleOperator}, Status: "ACTIVE", Region: region.Load().(string)})
			return chaintest.Response{Result: b}, nil
		})
	}
}

// operatorStream opens, from the next block, the stream of alice, an ACTIVE operator of Shanghai's org whom WhoAmI
// places in region: shanghai until the test stores another.
func operatorStream(t *testing.T) (e *env, ts *httptest.Server, region *atomic.Value, s *stream) {
	region = &atomic.Value{}
	region.Store("shanghai")
	e, ts = streamEnv(t, programOperatorIn(region))
	s = e.openStream(t, ts, "alice", "", "")
	return e, ts, region, s
}

// tradeEvent is the payload of an event of trade id between bob (of buyerMSP) and carol (of sellerMSP), listed in
// region.
func tradeEvent(id, region, sellerMSP, buyerMSP string) []byte {
	b, _ := json.Marshal(model.TradeEvent{TradeID: id, BuyerID: "bob", SellerID: "carol", BuyerMSP: buyerMSP, SellerMSP: sellerMSP, Region: region})
	return b
}

// A stream opened just after a majority moved orgs, after the change's own event, judges trades by the rules in
// force, not by those the gateway read for another request a moment before the change: alice, an operator of
// Shanghai's org, was placed in zhejiang while the rules swapped Shanghai's and Zhejiang's orgs, and is in shanghai
// once they are swapped back. Under the old rules, Zhejiang's org was shanghai's, so the old table and her new region
// together would show her a trade whose buyer is of Zhejiang's org, which trades:Get refuses her now.
func TestAStreamOpenedAfterARulesChangeJudgesByTheNewRules(t *testing.T) {
	var region atomic.Value
	region.Store("zhejiang")
	e, ts := streamEnv(t, programOperatorIn(&region))
	swapped := map[string]string{"ShanghaiMSP": "zhejiang", "JiangsuMSP": "jiangsu", "ZhejiangMSP": "shanghai", "AnhuiMSP": "anhui"}
	e.fake.Returns("market:GetRules", rulesBinding(1, swapped))
	warm := e.openStream(t, ts, "admin", "", "") // reads the rules of then, which the gateway keeps for rolesTTL
	e.fake.Emit(model.EventMarketRulesChanged, []byte(`{"version":1}`))
	warm.next()
	warm.Close()

	region.Store("shanghai")
	e.fake.Returns("market:GetRules", rulesBinding(2, foundingOrgs))
	changed := e.fake.Emit(model.EventMarketRulesChanged, []byte(`{"version":2}`))
	s := e.openStream(t, ts, "alice", "?after="+events.ID(changed), "")
	defer s.Close()
	e.fake.Emit(model.EventTradeOrdered, tradeEvent("t1", "anhui", "AnhuiMSP", "ZhejiangMSP"))
	own := e.fake.Emit(model.EventTradeOrdered, tradeEvent("t2", "shanghai", "ShanghaiMSP", "AnhuiMSP"))
	assert.Equal(t, own.TransactionID, s.next().Data.TransactionID, "the trade of zhejiang's buyer is not hers to read now")
	s.none()
}

// swappedOrgs are the founding rules with Shanghai's and Zhejiang's orgs swapped by a majority.
var swappedOrgs = map[string]string{"ShanghaiMSP": "zhejiang", "JiangsuMSP": "jiangsu", "ZhejiangMSP": "shanghai", "AnhuiMSP": "anhui"}

// A trade's event in the same block as a rules change, after it, is judged by the new rules: the stream reads them
// again when it meets the change's event, before it judges the next one. alice, an operator of Shanghai's org, is
// shown the trade listed in zhejiang, which her org runs now, and not the one listed in shanghai.
func TestATradeEventInTheBlockOfARulesChangeIsJudgedByTheNewRules(t *testing.T) {
	e, _, region, s := operatorStream(t)
	region.Store("zhejiang")
	e.fake.Returns("market:GetRules", rulesBinding(2, swappedOrgs))
	block := e.fake.Emit(model.EventMarketRulesChanged, []byte(`{"version":2}`)).BlockNumber
	e.fake.EmitInBlock(block, model.EventTradeAccepted, tradeEvent("t1", "shanghai", "ShanghaiMSP", "JiangsuMSP"))
	now := e.fake.EmitInBlock(block, model.EventTradeAccepted, tradeEvent("t0", "zhejiang", "ZhejiangMSP", "AnhuiMSP"))
	assert.Equal(t, model.EventMarketRulesChanged, s.next().Data.Name)
	assert.Equal(t, now.TransactionID, s.next().Data.TransactionID, "the trade of the region her org runs now")
	s.none()
}

// A stream that cannot read the rules again when they change ends (the client resumes from its last ID) before it
// judges, or delivers, another event: not even the change's own.
func TestAStreamThatCannotReadTheNewRulesEnds(t *testing.T) {
	e, _, _, s := operatorStream(t)
	e.fake.Fails("market:GetRules", &chain.Error{Kind: chain.KindUnavailable, Message: "peer unreachable"})
	e.fake.Emit(model.EventMarketRulesChanged, []byte(`{"version":2}`))
	e.fake.Emit(model.EventTradeAccepted, tradeEvent("t1", "shanghai", "ShanghaiMSP", "JiangsuMSP"))
	s.ends("the rules could not be read again")
}

// One org alone commits a valid transaction (a write under its own key-level policy, code of its own) whose event
// is a MarketRulesChanged of a version the rules never reach. A stream that meets it reads the rules from a peer that
// has committed its block, finds them older than it claims, and skips it as forged, counted and logged: it goes on
// judging by the rules read (here still showing alice, an operator of Shanghai's org, the trade listed in shanghai).
// Ending there would end every stream for good: a client resuming from its last ID meets the event again.
func TestAForgedRulesChangeIsSkippedAndEndsNoStream(t *testing.T) {
	var region atomic.Value
	region.Store("shanghai")
	m := metrics.New()
	e, ts := streamEnv(t, programOperatorIn(&region), api.WithMetrics(m))
	s := e.openStream(t, ts, "alice", "", "")
	before := e.fake.Emit(model.EventTradeAccepted, tradeEvent("t0", "shanghai", "ShanghaiMSP", "JiangsuMSP"))
	assert.Equal(t, before.TransactionID, s.next().Data.TransactionID)
	e.fake.Emit(model.EventMarketRulesChanged, []byte(`{"version":999999}`)) // the peer's rules stay version 1
	after := e.fake.Emit(model.EventTradeAccepted, tradeEvent("t1", "shanghai", "ShanghaiMSP", "JiangsuMSP"))
	assert.Equal(t, after.TransactionID, s.next().Data.TransactionID, "the forged change is skipped, the stream goes on")
	for range 2 { // a client resuming from its last ID meets the forged event again, and goes past it
		r := e.openStream(t, ts, "alice", "", events.ID(before))
		assert.Equal(t, after.TransactionID, r.next().Data.TransactionID)
	}
	assert.Equal(t, 3.0, counted(t, m, "deltaledger_gateway_forged_events_skipped_total"), "once by each stream that met it")
}

// counted is the value of the counter name in m.
func counted(t *testing.T, m *metrics.Metrics, name string) float64 {
	t.Helper()
	families, err := m.Registry().Gather()
	require.NoError(t, err)
	for _, f := range families {
		if f.GetName() == name {
			return f.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// A stream places its viewer by the rules it reads, not by WhoAmI's region: a peer behind a move of the viewer's org
// answers WhoAmI with the region the org has left, and carries no version of the rules to check it against. alice,
// an operator of Shanghai's org, whose WhoAmI still says shanghai after a majority moved her org to zhejiang, is shown
// the trade listed in zhejiang, which her org runs under the rules in force, and not the one listed in shanghai,
// whichever of the two events comes first: both when the stream meets the change, and when it opens after it.
func TestAStreamPlacesItsViewerByTheRulesItReadsNotByWhoAmI(t *testing.T) {
	e, ts, _, met := operatorStream(t) // WhoAmI stays at shanghai, as a peer that has not committed the move answers
	e.fake.Returns("market:GetRules", rulesBinding(2, swappedOrgs))
	changed := e.fake.Emit(model.EventMarketRulesChanged, []byte(`{"version":2}`))
	left := e.fake.Emit(model.EventTradeOrdered, tradeEvent("t1", "shanghai", "ShanghaiMSP", "JiangsuMSP"))
	runs := e.fake.Emit(model.EventTradeOrdered, tradeEvent("t2", "zhejiang", "ZhejiangMSP", "AnhuiMSP"))
	e.fake.Emit(model.EventTradeAccepted, tradeEvent("t1", "shanghai", "ShanghaiMSP", "JiangsuMSP"))
	assert.Equal(t, changed.TransactionID, met.next().Data.TransactionID)
	assert.Equal(t, runs.TransactionID, met.next().Data.TransactionID, "the trade of the region the rules in force give her org")
	met.none()

	opened := e.openStream(t, ts, "alice", "?after="+events.ID(changed), "")
	defer opened.Close()
	assert.Equal(t, runs.TransactionID, opened.next().Data.TransactionID, "not %s, of the region WhoAmI said", left.TransactionID)
	opened.none()
}

// A viewer whose org the rules in force do not name (a majority removed it) is in no region and, as the chaincode
// refuses every member of such an org, is shown no trade at all, not even its own, though a peer behind the removal
// still answers WhoAmI with an ACTIVE operator of shanghai. Market events still reach it, as they reach a suspended
// member.
func TestAViewerWhoseOrgTheRulesDoNotNameSeesNoTrade(t *testing.T) {
	e, _, _, s := operatorStream(t) // WhoAmI stays at shanghai, as a peer behind the removal answers
	withoutShanghai := map[string]string{"JiangsuMSP": "jiangsu", "ZhejiangMSP": "zhejiang", "AnhuiMSP": "anhui"}
	e.fake.Returns("market:GetRules", rulesBinding(2, withoutShanghai))
	changed := e.fake.Emit(model.EventMarketRulesChanged, []byte(`{"version":2}`))
	e.fake.Emit(model.EventTradeOrdered, tradeEvent("t1", "shanghai", "ShanghaiMSP", "JiangsuMSP"))
	own, _ := json.Marshal(model.TradeEvent{TradeID: "t2", BuyerID: "bob", SellerID: "alice", BuyerMSP: "AnhuiMSP", SellerMSP: ownMSP, Region: "anhui"})
	e.fake.Emit(model.EventTradeOrdered, own)
	market := e.fake.Emit(model.EventListingCreated, []byte(`{"listingId":"l1"}`))
	assert.Equal(t, changed.TransactionID, s.next().Data.TransactionID)
	assert.Equal(t, market.TransactionID, s.next().Data.TransactionID, "neither the shanghai trade nor her own")
	s.none()
}

// A regulator the rules in force no longer name loses the role in an open stream once it meets the change, though a
// peer behind the change still answers WhoAmI with the role: the chaincode grants it only where the rules name it,
// and the stream takes that from the rules it reads. A credit event after the change is withheld.
func TestARegulatorTheRulesNoLongerNameSeesNoRestrictedEvent(t *testing.T) {
	e, _, s := regulatorStream(t)
	e.fake.Emit(model.EventQueryRequested, []byte(`{"traceId":"t1","subjectUscc":"91310000MA1FL1800B","querierId":"bank"}`))
	assert.Equal(t, model.EventQueryRequested, s.next().Data.Name)

	withdrawn := rulesBinding(2, foundingOrgs)
	withdrawn.Regulators = nil
	e.fake.Returns("market:GetRules", withdrawn)
	changed := e.fake.Emit(model.EventMarketRulesChanged, []byte(`{"version":2}`))
	e.fake.Emit(model.EventQueryRequested, []byte(`{"traceId":"t2","subjectUscc":"91310000MA1FL1800B","querierId":"bank"}`))
	market := e.fake.Emit(model.EventListingCreated, []byte(`{"listingId":"l1"}`))
	assert.Equal(t, changed.TransactionID, s.next().Data.TransactionID)
	assert.Equal(t, market.TransactionID, s.next().Data.TransactionID, "the credit event after the change is withheld")
	s.none()
}

// A stream resumed after a rules change does not read the rules from a peer that has not committed the change's
// block: that peer answers the rules the change replaced, and the stream, which starts after the change's event,
// would never meet it to read them again. Here the old rules would show alice, an operator of Shanghai's org, the
// trade listed in shanghai, which Zhejiang's org runs since the change. The stream is refused (503, as an
// X-Min-Block request is) until the peer has the block, and then judges by the new rules.
func TestAStreamResumedAfterARulesChangeWaitsForAPeerThatHasIt(t *testing.T) {
	var region atomic.Value
	region.Store("shanghai") // as a peer behind the change answers WhoAmI too
	e, ts := streamEnv(t, programOperatorIn(&region), api.WithMinBlockWait(200*time.Millisecond))
	changed := e.fake.Emit(model.EventMarketRulesChanged, []byte(`{"version":2}`))
	left := e.fake.Emit(model.EventTradeOrdered, tradeEvent("t1", "shanghai", "ShanghaiMSP", "JiangsuMSP"))
	runs := e.fake.Emit(model.EventTradeOrdered, tradeEvent("t2", "zhejiang", "ZhejiangMSP", "AnhuiMSP"))
	e.fake.SetHeight(changed.BlockNumber) // a peer behind the change: it still answers the rules of version 1
	for _, resume := range []string{"?after=" + events.ID(changed), fmt.Sprintf("?start_block=%d", left.BlockNumber)} {
		status, body := e.streamStatus(t, ts, "alice", resume)
		require.Equal(t, 503, status, "%s: %s", resume, body)
		assert.Contains(t, body, `"code":"`+api.CodeUnavailable+`"`)
		assert.Contains(t, body, fmt.Sprintf("block %d", changed.BlockNumber))
	}

	e.fake.SetHeight(0) // the peer has caught up
	e.fake.Returns("market:GetRules", rulesBinding(2, swappedOrgs))
	s := e.openStream(t, ts, "alice", "?after="+events.ID(changed), "")
	defer s.Close()
	assert.Equal(t, runs.TransactionID, s.next().Data.TransactionID, "not %s, by the rules the change replaced", left.TransactionID)
	s.none()
}

// A stream resumed after its viewer's suspension does not read the standing from a peer behind the suspension, which
// still answers WhoAmI with an ACTIVE regulator: it is refused until the peer has the block, and then replays no
// restricted event after it.
func TestAStreamResumedAfterASuspensionWaitsForAPeerThatHasIt(t *testing.T) {
	var suspended atomic.Bool
	e, ts := streamEnv(t, func(f *chaintest.Fake) { programStanding(f, &suspended) }, api.WithMinBlockWait(200*time.Millisecond))
	suspension := e.fake.Emit(model.EventParticipantSuspended, []byte(`{"participantId":"sh.regulator"}`))
	e.fake.Emit(model.EventQueryRequested, []byte(`{"traceId":"t1","subjectUscc":"91310000MA1FL1800B","querierId":"bank"}`))
	market := e.fake.Emit(model.EventListingCreated, []byte(`{"listingId":"l1"}`))
	e.fake.SetHeight(suspension.BlockNumber) // a peer behind the suspension: WhoAmI still answers ACTIVE
	status, body := e.streamStatus(t, ts, "regulator", "?after="+events.ID(suspension))
	require.Equal(t, 503, status, "%s", body)

	e.fake.SetHeight(0)
	suspended.Store(true)
	s := e.openStream(t, ts, "regulator", "?after="+events.ID(suspension), "")
	defer s.Close()
	assert.Equal(t, market.TransactionID, s.next().Data.TransactionID, "the credit event is withheld")
	s.none()
}

// A stream that meets its viewer's suspension reads the standing again from a peer that has committed the
// suspension's block, not from one behind it (whose WhoAmI still says ACTIVE): it ends, and the client resumes, when
// the peer does not have the block in time, rather than deliver a credit event after the suspension.
func TestAStreamThatMeetsASuspensionItsPeerHasNotCommittedEnds(t *testing.T) {
	e, _, s := regulatorStream(t, api.WithMinBlockWait(200*time.Millisecond))
	e.fake.Emit(model.EventQueryRequested, []byte(`{"traceId":"t1","subjectUscc":"91310000MA1FL1800B","querierId":"bank"}`))
	assert.Equal(t, model.EventQueryRequested, s.next().Data.Name)

	h, _ := e.fake.Height(context.Background())
	e.fake.SetHeight(h) // WhoAmI is answered by a peer behind what follows
	e.fake.Emit(model.EventParticipantSuspended, []byte(`{"participantId":"sh.regulator"}`))
	e.fake.Emit(model.EventQueryRequested, []byte(`{"traceId":"t2","subjectUscc":"91310000MA1FL1800B","querierId":"bank"}`))
	s.ends("the peer has not committed the suspension")
}

// A resumed stream waits for its peer inside its member's bound of streams: with routes.EventStreamsMaxPerMember
// streams open, a resume past the peer's height is refused at once (429), not held for the wait first; otherwise
// a member could hold any number of requests waiting, each asking the peer for its height, with resume positions
// ahead of the chain.
func TestAResumedStreamWaitsOnlyInsideItsMembersBound(t *testing.T) {
	e, ts := streamEnv(t, programRoles, api.WithMinBlockWait(200*time.Millisecond))
	ahead := e.fake.Emit(model.EventListingCreated, []byte(`{"listingId":"l1"}`))
	for range routes.EventStreamsMaxPerMember {
		e.openStream(t, ts, "alice", "?start_block=0", "")
	}
	e.fake.SetHeight(ahead.BlockNumber) // a peer behind the resume position
	status, body := e.streamStatus(t, ts, "alice", "?after="+events.ID(ahead))
	require.Equal(t, 429, status, "%s", body)
	assert.Contains(t, body, "event streams open")
}
