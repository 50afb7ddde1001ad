package api_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/events"
	"github.com/deltaledger/deltaledger/gateway/internal/events/eventstest"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// sseEvent is one parsed Server-Sent Event.
type sseEvent struct {
	ID, Event string
	Data      wire.EventBody
}

// stream is an open GET /v1/events.
type stream struct {
	t *testing.T
	*eventstest.Stream
}

func (e *env) openStream(t *testing.T, ts *httptest.Server, member, query, lastID string) *stream {
	t.Helper()
	return &stream{t: t, Stream: eventstest.Open(t, ts.Client(), ts.URL, e.keys[member], query, lastID)}
}

// parse reads ev's fields into an sseEvent.
func parse(ev eventstest.Event) sseEvent {
	out := sseEvent{ID: ev["id"], Event: ev["event"]}
	_ = json.Unmarshal([]byte(ev["data"]), &out.Data)
	return out
}

func (s *stream) next() sseEvent {
	s.t.Helper()
	select {
	case ev, ok := <-s.Events:
		require.True(s.t, ok, "stream closed")
		return parse(ev)
	case <-time.After(3 * time.Second):
		s.t.Fatal("no event within 3s")
		return sseEvent{}
	}
}

func (s *stream) none() {
	s.t.Helper()
	select {
	case ev, ok := <-s.Events:
		if ok {
			s.t.Fatalf("unexpected event %+v", parse(ev))
		}
	case <-time.After(200 * time.Millisecond):
	}
}

// ends fails the test unless the stream ends within 3 seconds without delivering another event; why says what
// should have ended it.
func (s *stream) ends(why string) {
	s.t.Helper()
	select {
	case ev, ok := <-s.Events:
		if ok {
			s.t.Fatalf("the stream delivered instead of ending once %s: %+v", why, parse(ev))
		}
	case <-time.After(3 * time.Second):
		s.t.Fatalf("the stream goes on after %s", why)
	}
}

// streamEnv is an env whose members' standing program answers, served over HTTP for event streams until the test
// ends.
func streamEnv(t *testing.T, program func(*chaintest.Fake), options ...api.Option) (*env, *httptest.Server) {
	e := newEnv(t, options...)
	e.fake.Returns("market:GetRules", rulesBinding(1, foundingOrgs))
	program(e.fake)
	ts := httptest.NewServer(e.srv)
	t.Cleanup(ts.Close)
	return e, ts
}

// foundingOrgs binds each org to the region it was founded as the exchange of.
var foundingOrgs = map[string]string{"ShanghaiMSP": "shanghai", "JiangsuMSP": "jiangsu", "ZhejiangMSP": "zhejiang", "AnhuiMSP": "anhui"}

// regulatorsNamed are the regulators the market rules name: the participants the member "regulator" of the gateway's
// org is registered as by programRoles and by programStanding. The chaincode grants the regulator role only to a
// participant the rules name, and so does a stream, from the rules it reads (model.Rules.Place).
var regulatorsNamed = []model.Regulator{{MSPID: ownMSP, ParticipantID: "regulator"}, {MSPID: ownMSP, ParticipantID: "sh.regulator"}}

// rulesBinding is version of the market rules, binding each org to its region and naming regulatorsNamed.
func rulesBinding(version int, orgs map[string]string) model.MarketRules {
	r := model.MarketRules{Rules: model.Rules{Version: version, Regulators: regulatorsNamed}}
	for _, msp := range slices.Sorted(maps.Keys(orgs)) {
		r.Orgs = append(r.Orgs, model.MarketOrg{MSPID: msp, Region: orgs[msp]})
	}
	return r
}

// programRoles answers WhoAmI: the member "regulator" is a regulator, every other member a holder.
func programRoles(f *chaintest.Fake) {
	f.Handle("participants:WhoAmI", func(c chaintest.Call) (chaintest.Response, error) {
		roles := []string{"holder"}
		if c.Member == "regulator" {
			roles = []string{"regulator"}
		}
		b, _ := json.Marshal(model.Participant{ID: c.Member, Roles: roles, Status: "ACTIVE"})
		return chaintest.Response{Result: b}, nil
	})
}

func TestEventsResumeAfterLastEventIDWithoutGapOrDuplicate(t *testing.T) {
	e, ts := streamEnv(t, programRoles)

	first := e.fake.Emit("AssetApplied", []byte(`{"assetId":"a1"}`))
	e.fake.Emit("RecordPublished", []byte(`{"recordId":"r1"}`))
	third := e.fake.Emit("ListingCreated", []byte(`{"listingId":"l1"}`))

	s := e.openStream(t, ts, "regulator", "?start_block=0", "")
	got := s.next()
	assert.Equal(t, "AssetApplied", got.Event)
	assert.Equal(t, first.TransactionID, got.Data.TransactionID)
	assert.Equal(t, first.BlockNumber, got.Data.BlockNumber)
	assert.JSONEq(t, `{"assetId":"a1"}`, string(got.Data.Payload))
	assert.Equal(t, "RecordPublished", s.next().Event, "the regulator sees credit events")
	last := s.next()
	assert.Equal(t, third.TransactionID, last.Data.TransactionID)
	s.Close()

	// While disconnected: two more transactions, one in the same block as
	// the last event received.
	sameBlock := e.fake.EmitInBlock(third.BlockNumber, "ListingPriceUpdated", []byte(`{}`))
	later := e.fake.Emit("TradeOrdered", []byte(`{}`))

	resumed := e.openStream(t, ts, "regulator", "", last.ID)
	defer resumed.Close()
	assert.Equal(t, sameBlock.TransactionID, resumed.next().Data.TransactionID, "the rest of the block is not lost")
	assert.Equal(t, later.TransactionID, resumed.next().Data.TransactionID)
	resumed.none()

	// Live events keep flowing.
	live := e.fake.Emit("TradeAccepted", []byte(`{}`))
	assert.Equal(t, live.TransactionID, resumed.next().Data.TransactionID)
}

func TestEventsAreFilteredByRole(t *testing.T) {
	e, ts := streamEnv(t, programRoles)
	e.fake.Emit("RecordPublished", []byte(`{}`))
	e.fake.Emit("QueryRequested", []byte(`{}`))
	e.fake.Emit("SomethingUnclassified", []byte(`{}`))
	e.fake.Emit("TradeCompleted", []byte(`{"tradeId":"t1","buyerId":"bob","sellerId":"carol","buyerMsp":"JiangsuMSP","sellerMsp":"AnhuiMSP"}`))
	own := e.fake.Emit("TradeCompleted", []byte(`{"tradeId":"t2","buyerId":"bob","sellerId":"alice","buyerMsp":"JiangsuMSP","sellerMsp":"ShanghaiMSP"}`))
	market := e.fake.Emit("ListingCreated", []byte(`{"listingId":"l1"}`))

	s := e.openStream(t, ts, "alice", "?start_block=0", "")
	defer s.Close()
	assert.Equal(t, own.TransactionID, s.next().Data.TransactionID, "a holder sees its own trade's events, not others' trades'")
	assert.Equal(t, market.TransactionID, s.next().Data.TransactionID, "credit and unknown events are hidden from a holder")
	s.none()
}

func TestEventsStartAtTheNextBlockByDefault(t *testing.T) {
	e, ts := streamEnv(t, programRoles)
	e.fake.Emit("AssetApplied", []byte(`{}`))
	s := e.openStream(t, ts, "alice", "", "")
	defer s.Close()
	s.none()
	next := e.fake.Emit("AssetReviewed", []byte(`{}`))
	assert.Equal(t, next.TransactionID, s.next().Data.TransactionID)
}

func TestEventsAfterQueryParameter(t *testing.T) {
	e, ts := streamEnv(t, programRoles)
	a := e.fake.Emit("AssetApplied", []byte(`{}`))
	b := e.fake.Emit("AssetReviewed", []byte(`{}`))
	s := e.openStream(t, ts, "alice", "?after="+events.ID(a), "")
	defer s.Close()
	assert.Equal(t, b.TransactionID, s.next().Data.TransactionID)
}

// A regulator suspended while its event stream is open stops receiving
// restricted (credit) events at once: the stream reads the member's standing
// again when the registry reports a change to it, before it delivers anything
// after that change. So does one whose key its admin bound to another
// certificate, or that bound another key itself: the ledger then refuses the
// stream's certificate (WhoAmI answers FORBIDDEN).
func TestSuspendedRegulatorStopsReceivingRestrictedEvents(t *testing.T) {
	for _, change := range []string{model.EventParticipantSuspended, model.EventParticipantKeyRebound, model.EventParticipantKeyRotated} {
		t.Run(change, func(t *testing.T) {
			e, refused, s := regulatorStream(t)

			e.fake.Emit("QueryRequested", []byte(`{"traceId":"t1","subjectUscc":"91310000MA1FL1800B","querierId":"bank"}`))
			assert.Equal(t, "QueryRequested", s.next().Event)

			refused.Store(true)
			e.fake.Emit(change, []byte(`{"participantId":"sh.regulator","mspId":"ShanghaiMSP"}`))
			e.fake.Emit("QueryRequested", []byte(`{"traceId":"t2","subjectUscc":"91310000MA1FL1800B","querierId":"bank"}`))
			e.fake.Emit("AssetApplied", []byte(`{"assetId":"a1"}`))
			assert.Equal(t, change, s.next().Event)
			assert.Equal(t, "AssetApplied", s.next().Event, "the credit event after the change is withheld")
			s.none()
		})
	}
}

// A key rotated or rebound may leave the stream's member acting for its participant no more (its certificate is
// of the old key): the stream reads the standing again on either event, as on a suspension.
func TestARebindingOrRotationOfTheMembersKeyRereadsItsStanding(t *testing.T) {
	for _, event := range []string{model.EventParticipantKeyRebound, model.EventParticipantKeyRotated} {
		t.Run(event, func(t *testing.T) {
			e, refused, s := regulatorStream(t)
			refused.Store(true)
			e.fake.Emit(event, []byte(`{"participantId":"sh.regulator","mspId":"ShanghaiMSP"}`))
			e.fake.Emit("QueryRequested", []byte(`{"traceId":"t2","subjectUscc":"91310000MA1FL1800B","querierId":"bank"}`))
			e.fake.Emit("AssetApplied", []byte(`{"assetId":"a1"}`))
			assert.Equal(t, event, s.next().Event, "the member sees the event about its key")
			assert.Equal(t, "AssetApplied", s.next().Event, "the credit event after it is withheld")
			s.none()
		})
	}
}

// A member whose standing changes without an event naming it (here the
// suspension event is not seen; a change of the market rules is another
// case) loses its restricted events once its standing is read again: at
// most the roles TTL later.
func TestOpenStreamRereadsTheMembersStanding(t *testing.T) {
	e, suspended, s := regulatorStream(t, api.WithRolesTTL(100*time.Millisecond))

	e.fake.Emit("ObjectionRaised", []byte(`{"objectionId":"o1","subjectUscc":"91310000MA1FL1800B"}`))
	assert.Equal(t, "ObjectionRaised", s.next().Event)
	suspended.Store(true)
	time.Sleep(200 * time.Millisecond)
	e.fake.Emit("ObjectionRaised", []byte(`{"objectionId":"o2","subjectUscc":"91310000MA1FL1800B"}`))
	e.fake.Emit("AssetApplied", []byte(`{"assetId":"a1"}`))
	assert.Equal(t, "AssetApplied", s.next().Event)
	s.none()
}

// programStanding answers WhoAmI as the chaincode does: the regulator
// ("sh.regulator") is refused once suspended; other members are holders.
func programStanding(f *chaintest.Fake, suspended *atomic.Bool) {
	f.Handle("participants:WhoAmI", func(c chaintest.Call) (chaintest.Response, error) {
		if c.Member == "regulator" {
			if suspended.Load() {
				return chaintest.Response{}, &chain.Error{Kind: chain.KindRejected, Code: ledgererr.Forbidden,
					Message: `FORBIDDEN: participant "sh.regulator" is suspended: audit`}
			}
			b, _ := json.Marshal(model.Participant{ID: "sh.regulator", Roles: []string{"regulator"}, Status: "ACTIVE"})
			return chaintest.Response{Result: b}, nil
		}
		b, _ := json.Marshal(model.Participant{ID: c.Member, Roles: []string{"holder"}, Status: "ACTIVE"})
		return chaintest.Response{Result: b}, nil
	})
}

// regulatorStream opens, from the next block, the stream of the member "regulator", an ACTIVE regulator as
// programStanding answers until the test sets suspended.
func regulatorStream(t *testing.T, options ...api.Option) (e *env, suspended *atomic.Bool, s *stream) {
	suspended = &atomic.Bool{}
	e, ts := streamEnv(t, func(f *chaintest.Fake) { programStanding(f, suspended) }, options...)
	return e, suspended, e.openStream(t, ts, "regulator", "", "")
}

// A stream opened after the member's suspension gets no restricted event,
// even when the member's standing was read a moment before: the stream reads
// it when it opens. (From the cached standing, a regulator suspended less
// than the roles TTL ago replayed the credit events of the whole ledger.)
func TestStreamOpenedAfterASuspensionGetsNoRestrictedEvent(t *testing.T) {
	var suspended atomic.Bool
	e, ts := streamEnv(t, func(f *chaintest.Fake) { programStanding(f, &suspended) })
	e.fake.Emit("QueryRequested", []byte(`{"traceId":"t1","subjectUscc":"91310000MA1FL1800B","querierId":"bank"}`))
	s := e.openStream(t, ts, "regulator", "?start_block=0", "")
	assert.Equal(t, "QueryRequested", s.next().Event)
	s.Close()

	suspended.Store(true)
	market := e.fake.Emit("AssetApplied", []byte(`{"assetId":"a1"}`))
	s = e.openStream(t, ts, "regulator", "?start_block=0", "")
	defer s.Close()
	assert.Equal(t, market.TransactionID, s.next().Data.TransactionID, "the credit event is withheld")
	s.none()
}

// A member has at most routes.EventStreamsMaxPerMember streams open on a
// gateway: each holds a delivery stream of the peer (which serves a bounded
// number for every client of the org, the index's feed among them) and may
// replay the ledger from block 0. One more is 429; other members are not
// affected, and a closed stream frees its place.
func TestEventStreamsPerMemberAreBounded(t *testing.T) {
	e, ts := streamEnv(t, programRoles)
	var open []*stream
	for range routes.EventStreamsMaxPerMember {
		s := e.openStream(t, ts, "alice", "?start_block=0", "")
		open = append(open, s)
	}
	status, body := e.streamStatus(t, ts, "alice", "")
	require.Equal(t, 429, status, "%s", body)
	assert.Contains(t, body, `"code":"`+api.CodeRateLimited+`"`)
	assert.Contains(t, body, "event streams open")

	other := e.openStream(t, ts, "bob", "", "")
	other.Close()

	open[0].Close()
	require.Eventually(t, func() bool {
		status, _ := e.streamStatus(t, ts, "alice", "")
		return status == 200
	}, 3*time.Second, 20*time.Millisecond, "a closed stream frees its place")
}

// streamStatus opens a stream as member (with query, "" or "?...") and closes it at once: the status
// and, for a refusal, the body.
func (e *env) streamStatus(t *testing.T, ts *httptest.Server, member, query string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/v1/events"+query, nil)
	req.Header.Set("Authorization", "Bearer "+e.keys[member])
	resp, err := ts.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	if resp.StatusCode == 200 {
		return 200, ""
	}
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// An open stream ends once the credentials it was opened with no longer
// authenticate (an API key revoked, or a certificate the org's CA revoked):
// the gateway refuses them at every request, and a stream is checked again
// when it reads the member's standing again, at most the roles TTL later.
func TestStreamEndsWhenItsKeyIsRevoked(t *testing.T) {
	e, ts := streamEnv(t, programRoles, api.WithRolesTTL(100*time.Millisecond))
	s := e.openStream(t, ts, "alice", "", "")
	defer s.Close()
	first := e.fake.Emit("AssetApplied", []byte(`{"assetId":"a1"}`))
	assert.Equal(t, first.TransactionID, s.next().Data.TransactionID)

	revokeKeysOf(t, e, "alice")
	time.Sleep(200 * time.Millisecond)
	e.fake.Emit("AssetReviewed", []byte(`{"assetId":"a1"}`))
	s.ends("its key was revoked")
}

// A quiet stream ends too once its key is revoked: its credentials are checked at every heartbeat, not only when an
// event comes. (Checked on events only, a stream of a revoked key with nothing to deliver stayed open for as long as
// its client kept it, holding one of the member's streams and a delivery stream of the peer.) The check covers
// expiry by the gateway's clock as it does a revocation, so a key's lifetime bounds how long a stream of it lasts.
func TestAQuietStreamEndsWhenItsKeyLapses(t *testing.T) {
	for _, kl := range keyLapses {
		t.Run(kl.why, func(t *testing.T) {
			e, ts := streamEnv(t, programRoles)
			s := e.openStream(t, ts, "alice", "", "")
			defer s.Close()
			s.none()

			kl.lapse(t, e, "alice")
			s.ends(kl.why)
		})
	}
}

// keyLapse is one way a member's API key stops authenticating, with the words a stream of it ends with.
type keyLapse struct {
	why   string
	lapse func(t *testing.T, e *env, member string)
}

// keyLapses are the ways a key lapses: its org revokes it, or it expires by the gateway's clock.
var keyLapses = []keyLapse{
	{"its key was revoked", revokeKeysOf},
	{"its key expired", func(_ *testing.T, e *env, _ string) { e.advance(auth.DefaultKeyLifetime) }},
}

// revokeKeysOf revokes every API key of member and waits until the gateway refuses them (the store re-reads its
// file at most once a second).
func revokeKeysOf(t *testing.T, e *env, member string) {
	t.Helper()
	keys, err := e.store.List()
	require.NoError(t, err)
	for _, k := range keys {
		if k.Member == member {
			require.NoError(t, e.store.Revoke(k.ID))
		}
	}
	require.Eventually(t, func() bool { return e.do(member, "GET", "/v1/participants/me", "").Status == 401 },
		3*time.Second, 100*time.Millisecond)
}

// trades:CloseOthers, which closes the other buyers' trades a sale left
// waiting, names them in its event, model.EventTradesClosed, the sale's
// event with closedTradeIds and closedBuyerIds, and every one of those
// buyers sees the event. Each is shown only the closed trades it may read
// (trades:Get): not who else had ordered the listing, nor their trades, nor
// the sale it may not read; the winning buyer is not shown the event at all;
// the seller and the regulator see them all.
func TestASalesEventShowsEachViewerOnlyTheClosedTradesItMayRead(t *testing.T) {
	e, ts := streamEnv(t, func(f *chaintest.Fake) {
		programRoles(f)
		buyers := map[string]string{"T1": "bob", "T2": "alice", "T3": "dave", "T4": "alice"}
		f.Handle("trades:GetReadable", readableAs(func(c chaintest.Call) (chaintest.Response, error) {
			buyer, ok := buyers[c.Args[0]]
			if !ok || (c.Member != buyer && c.Member != "regulator") {
				return chaintest.Response{}, &chain.Error{Kind: chain.KindRejected, Code: ledgererr.Forbidden,
					Message: "FORBIDDEN: trade " + c.Args[0] + " is read by its parties"}
			}
			b, _ := json.Marshal(model.Trade{ID: c.Args[0], BuyerID: buyer, SellerID: "carol", BuyerMSP: ownMSP, SellerMSP: "AnhuiMSP"})
			return chaintest.Response{Result: b}, nil
		}))
	})
	e.fake.Emit(model.EventTradesClosed, []byte(`{"tradeId":"T1","buyerId":"bob","sellerId":"carol","buyerMsp":"ShanghaiMSP",`+
		`"sellerMsp":"AnhuiMSP","closedTradeIds":["T2","T3","T4"],"closedBuyerIds":["alice","dave"]}`))
	for member, want := range map[string]struct {
		sale           string
		trades, buyers []string
	}{
		"alice":     {"", []string{"T2", "T4"}, []string{"alice"}},
		"regulator": {"T1", []string{"T2", "T3", "T4"}, []string{"alice", "dave"}},
		"carol":     {"T1", []string{"T2", "T3", "T4"}, []string{"alice", "dave"}}, // the seller, a party to each
	} {
		s := e.openStream(t, ts, member, "?start_block=0", "")
		got := s.next()
		s.Close()
		var p model.TradeEvent
		require.NoError(t, json.Unmarshal(got.Data.Payload, &p), member)
		assert.Equal(t, model.EventTradesClosed, got.Data.Name, member)
		assert.Equal(t, want.sale, p.TradeID, member)
		assert.Equal(t, want.trades, p.ClosedTradeIDs, "%s: closed trades", member)
		assert.Equal(t, want.buyers, p.ClosedBuyerIDs, "%s: closed trades' buyers", member)
	}
	e.fake.Emit(model.EventTradeOrdered, []byte(`{"tradeId":"T1","buyerId":"bob","sellerId":"carol","buyerMsp":"ShanghaiMSP","sellerMsp":"AnhuiMSP"}`))
	s := e.openStream(t, ts, "bob", "?start_block=0", "")
	got := s.next()
	s.Close()
	assert.Equal(t, model.EventTradeOrdered, got.Data.Name, "the winning buyer's stream skips the closing")
}

// The narrowing of model.EventTradesClosed for a buyer who may not read
// every closed trade nor the sale changes the two lists and the sale's ID and
// buyer (blank) and nothing else: every other field reaches it as the
// chaincode emitted it and as the seller sees it,
// deadlineAt (which trade events carry since interface 5.1.0, though a
// sale's has none today) and a field a newer chaincode than this gateway's
// adds alike. Only the audience decides who sees an event, never a field's
// being known to the gateway.
func TestANarrowedSalesEventKeepsEveryOtherField(t *testing.T) {
	e, ts := streamEnv(t, func(f *chaintest.Fake) {
		programRoles(f)
		f.Handle("trades:GetReadable", readableAs(func(c chaintest.Call) (chaintest.Response, error) {
			if c.Args[0] != "T2" || c.Member != "alice" {
				return chaintest.Response{}, &chain.Error{Kind: chain.KindRejected, Code: ledgererr.Forbidden,
					Message: "FORBIDDEN: trade " + c.Args[0] + " is read by its parties"}
			}
			b, _ := json.Marshal(model.Trade{ID: "T2", BuyerID: "alice", SellerID: "carol", BuyerMSP: ownMSP, SellerMSP: "AnhuiMSP"})
			return chaintest.Response{Result: b}, nil
		}))
	})
	emitted := `{"tradeId":"T1","listingId":"L1","assetId":"A1","status":"COMPLETED","buyerId":"bob","sellerId":"carol",` +
		`"buyerMsp":"ShanghaiMSP","sellerMsp":"AnhuiMSP","region":"anhui","deadlineAt":"2026-12-16T08:00:00Z",` +
		`"laterField":{"from":"a newer chaincode"},"closedTradeIds":["T2","T3"],"closedBuyerIds":["alice","dave"]}`
	e.fake.Emit(model.EventTradesClosed, []byte(emitted))
	payloadOf := func(member string) map[string]any {
		s := e.openStream(t, ts, member, "?start_block=0", "")
		got := s.next()
		s.Close()
		require.Equal(t, model.EventTradesClosed, got.Data.Name, member)
		var p map[string]any
		require.NoError(t, json.Unmarshal(got.Data.Payload, &p), member)
		return p
	}
	var want map[string]any
	require.NoError(t, json.Unmarshal([]byte(emitted), &want))
	assert.Equal(t, want, payloadOf("carol"), "the seller sees the event whole")
	want["closedTradeIds"], want["closedBuyerIds"] = []any{"T2"}, []any{"alice"}
	want["tradeId"], want["buyerId"], want["buyerMsp"] = "", "", ""
	assert.Equal(t, want, payloadOf("alice"), "a buyer sees its own closed trade, not the sale, and every other field as emitted")
}

// An operator's stream shows a trade's events as trades:Get would answer it, by the regions of the market rules in
// force: alice, an operator of Shanghai's org, sees the events of a trade listed in shanghai until a majority swaps
// Shanghai's and Zhejiang's orgs; then she sees those of a trade listed in zhejiang, which Shanghai's org runs now,
// and no longer those of the shanghai trade, though her org is its seller's. The rules are read when the stream opens
// and again when they change, not for every event.
func TestAnOperatorsStreamFollowsTheRegionsInForce(t *testing.T) {
	var region atomic.Value
	region.Store("shanghai")
	e, ts := streamEnv(t, func(f *chaintest.Fake) {
		f.Handle("participants:WhoAmI", func(c chaintest.Call) (chaintest.Response, error) {
			b, _ := json.Marshal(model.Participant{ID: c.Member, Roles: []string{model.RoleOperator}, Status: "ACTIVE", Region: region.Load().(string)})
			return chaintest.Response{Result: b}, nil
		})
	})
	trade := func(id, region, sellerMSP, buyerMSP string) []byte {
		b, _ := json.Marshal(model.TradeEvent{TradeID: id, BuyerID: "bob", SellerID: "carol", BuyerMSP: buyerMSP, SellerMSP: sellerMSP, Region: region})
		return b
	}
	before := e.fake.Emit(model.EventTradeOrdered, trade("t1", "shanghai", "ShanghaiMSP", "JiangsuMSP"))
	e.fake.Emit(model.EventTradeOrdered, trade("t0", "zhejiang", "ZhejiangMSP", "AnhuiMSP"))
	s := e.openStream(t, ts, "alice", "?start_block=0", "")
	defer s.Close()
	assert.Equal(t, before.TransactionID, s.next().Data.TransactionID)

	region.Store("zhejiang")
	e.fake.Returns("market:GetRules", rulesBinding(2, map[string]string{"ShanghaiMSP": "zhejiang", "JiangsuMSP": "jiangsu", "ZhejiangMSP": "shanghai", "AnhuiMSP": "anhui"}))
	changed := e.fake.Emit(model.EventMarketRulesChanged, []byte(`{"version":2}`))
	e.fake.Emit(model.EventTradeAccepted, trade("t1", "shanghai", "ShanghaiMSP", "JiangsuMSP"))
	after := e.fake.Emit(model.EventTradeAccepted, trade("t0", "zhejiang", "ZhejiangMSP", "AnhuiMSP"))
	assert.Equal(t, changed.TransactionID, s.next().Data.TransactionID)
	assert.Equal(t, after.TransactionID, s.next().Data.TransactionID, "the trade of the region her org runs now")
	s.none()
	assert.Len(t, e.fake.CallsTo("market:GetRules"), 2, "read when the stream opened and when the rules changed")
}

// A stream opened with a client certificate ends at its next event once the CRL the gateway holds lists the
// certificate, as one of a revoked API key does: the verdict on the certificate that the stream keeps between events
// (auth.Recheck, which spares it a verification of the chain an event) is taken again after every CRL installed. The
// heartbeat is an hour away: the event alone meets the revocation. A CRL listing another member's certificate leaves
// the stream as it was.
func TestACertificatesStreamEndsAtItsNextEventOnceTheCRLListsIt(t *testing.T) {
	e := newEnv(t, api.WithHeartbeat(time.Hour))
	e.fake.Returns("market:GetRules", rulesBinding(1, foundingOrgs))
	programRoles(e.fake)
	alice := e.certs["alice"]
	overTLS := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del("Authorization") // eventstest sends a key; alice authenticates with her certificate alone
		r.TLS = &tls.ConnectionState{PeerCertificates: []*x509.Certificate{alice.Certificate}}
		e.srv.ServeHTTP(w, r)
	}))
	t.Cleanup(overTLS.Close)
	s := e.openStream(t, overTLS, "alice", "", "")
	defer s.Close()
	for i := range 3 {
		sent := e.fake.Emit("AssetApplied", []byte(`{"assetId":"a1"}`))
		assert.Equal(t, sent.TransactionID, s.next().Data.TransactionID, "event %d", i)
	}
	require.NoError(t, e.revoked.Set(e.ca.CRL(t, e.certs["bob"].Certificate)))
	sent := e.fake.Emit("AssetReviewed", []byte(`{"assetId":"a1"}`))
	assert.Equal(t, sent.TransactionID, s.next().Data.TransactionID, "another's revocation leaves the stream as it was")

	require.NoError(t, e.revoked.Set(e.ca.CRL(t, e.certs["bob"].Certificate, alice.Certificate)))
	e.fake.Emit("AssetReviewed", []byte(`{"assetId":"a1"}`))
	s.ends("its certificate was revoked")
}
