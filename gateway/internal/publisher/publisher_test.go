package publisher_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/publisher"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// market is the indices contract as far as the publisher meets it: a period
// is opened once and published once, only by a plan of endorsers who all
// attested (Fabric's own plan includes Anhui, which has not).
type market struct {
	mu        sync.Mutex
	status    map[string]string
	attested  map[string]bool // by MSP ID
	openBlock uint64
}

func newMarket(t *testing.T, fake *chaintest.Fake) *market {
	m := &market{status: map[string]string{}, attested: map[string]bool{"JiangsuMSP": true, "ZhejiangMSP": true}}
	refuse := func(code ledgererr.Code, msg string) (chaintest.Response, error) {
		return chaintest.Response{}, chain.Rejected(code, "", msg, "")
	}
	answer := func(v any) (chaintest.Response, error) {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return chaintest.Response{Result: b}, nil
	}
	fake.Handle("indices:Get", func(c chaintest.Call) (chaintest.Response, error) {
		m.mu.Lock()
		defer m.mu.Unlock()
		if s, ok := m.status[c.Args[0]]; ok {
			return answer(model.Publication{Period: c.Args[0], Status: s})
		}
		return refuse(ledgererr.NotFound, "nothing is published")
	})
	fake.Handle("indices:Open", func(c chaintest.Call) (chaintest.Response, error) {
		m.mu.Lock()
		defer m.mu.Unlock()
		if _, ok := m.status[c.Args[0]]; ok {
			return refuse(ledgererr.Conflict, "already open")
		}
		m.status[c.Args[0]] = model.PublicationOpen
		return answer(model.Publication{Period: c.Args[0], Status: model.PublicationOpen})
	})
	fake.Handle("indices:MyAttestation", func(c chaintest.Call) (chaintest.Response, error) {
		m.mu.Lock()
		defer m.mu.Unlock()
		if !m.attested[c.Options.EndorsingOrganizations[0]] {
			return refuse(ledgererr.NotFound, "has not attested")
		}
		return answer(model.Attestation{Period: c.Args[0], Digest: digest})
	})
	fake.Handle("indices:Attest", func(c chaintest.Call) (chaintest.Response, error) {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.attested[c.Options.EndorsingOrganizations[0]] = true
		return answer(model.Attestation{Period: c.Args[0], Digest: digest})
	})
	fake.Handle("indices:Publish", func(c chaintest.Call) (chaintest.Response, error) {
		m.mu.Lock()
		defer m.mu.Unlock()
		switch s, ok := m.status[c.Args[0]]; {
		case !ok:
			return refuse(ledgererr.NotFound, "not open")
		case s == model.PublicationPublished:
			return refuse(ledgererr.Conflict, "already published")
		}
		plan := c.Options.EndorsingOrganizations
		if plan == nil {
			plan = []string{"AnhuiMSP", "JiangsuMSP", "ShanghaiMSP"}
		}
		for _, org := range plan {
			if !m.attested[org] {
				return refuse(ledgererr.Forbidden, org+" has not attested")
			}
		}
		m.status[c.Args[0]] = model.PublicationPublished
		return answer(model.Publication{Period: c.Args[0], Status: model.PublicationPublished})
	})
	fake.Returns("market:GetRules", model.MarketRules{Rules: model.Rules{Orgs: []model.MarketOrg{
		{MSPID: "AnhuiMSP"}, {MSPID: "JiangsuMSP"}, {MSPID: "ShanghaiMSP"}, {MSPID: "ZhejiangMSP"}}}})
	return m
}

const digest = "d1"

// index closes a period once it has read its opening (the first write of
// its publication record): the publisher's own, or another's.
type index struct {
	mu      sync.Mutex
	read    uint64
	closeAt uint64 // the block of the period's opening; 0: none read yet
	empty   bool
}

func (x *index) WaitFor(_ context.Context, block uint64) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.read = max(x.read, block)
	if x.closeAt == 0 {
		x.closeAt = block
	}
	return nil
}

func (x *index) ClosingBlock(_ context.Context, period string) (uint64, bool, bool, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closeAt == 0 {
		return 0, false, false, nil
	}
	return x.closeAt - 1, true, x.empty, nil
}

func (x *index) ComputePeriod(_ context.Context, period string, toBlock uint64) (*ledgerindex.ComputedIndices, string, error) {
	return &ledgerindex.ComputedIndices{Figures: ledgerindex.PeriodFigures{Period: period, FromBlock: 3, ToBlock: toBlock},
		InputHash: strings.Repeat("a", 64), FiguresHash: strings.Repeat("b", 64), Digest: digest}, `{"period":"` + period + `"}`, nil
}

// now is the publishers' clock: noon in Beijing, long after the end of
// yesterday, the day they close.
var now = time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)

const yesterday = "day:2026-03-01"

func newPublisher(fake *chaintest.Fake, x *index, member string) *publisher.Publisher {
	p := publisher.New(fake, x, publisher.Config{Member: member, MSPID: "ShanghaiMSP", Kinds: []string{model.PeriodDay},
		Lookback: 1, Interval: time.Second}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	p.SetClock(func() time.Time { return now })
	return p
}

func functions(calls []chaintest.Call) (out []string) {
	for _, c := range calls {
		if c.Submit {
			out = append(out, c.Function)
		}
	}
	return out
}

// A regulator's gateway closes the last day by itself: it opens the period
// (whose block closes it), attests its figures at the closing block on its
// own org's peers, and publishes them by a majority of orgs that attested
// when Fabric's plan picks one that has not; the next round finds it
// published and submits nothing.
func TestARegulatorClosesTheLastPeriodByItself(t *testing.T) {
	fake := chaintest.New()
	m := newMarket(t, fake)
	x := &index{}
	p := newPublisher(fake, x, "regulator")

	assert.Equal(t, []string{yesterday}, p.Round(t.Context(), true))
	assert.Equal(t, []string{"indices:Open", "indices:Attest"}, functions(fake.Calls())[:2])
	open := fake.CallsTo("indices:Open")[0]
	attest := fake.CallsTo("indices:Attest")[0]
	assert.Equal(t, []string{yesterday, "3", "10", strings.Repeat("a", 64), strings.Repeat("b", 64)}, attest.Args,
		"counted up to the block before the opening's (block 11)")
	assert.Equal(t, []string{"ShanghaiMSP"}, attest.Options.EndorsingOrganizations, "attested on the own org's peers only")
	assert.Equal(t, "regulator", open.Member)
	publishes := fake.CallsTo("indices:Publish")
	require.Len(t, publishes, 5, "Fabric's plan, then the majorities in order until one of orgs that all attested")
	assert.Nil(t, publishes[0].Options.EndorsingOrganizations)
	assert.Equal(t, []string{"AnhuiMSP", "JiangsuMSP", "ShanghaiMSP"}, publishes[1].Options.EndorsingOrganizations)
	assert.Equal(t, []string{"JiangsuMSP", "ShanghaiMSP", "ZhejiangMSP"}, publishes[4].Options.EndorsingOrganizations)
	assert.Equal(t, model.PublicationPublished, m.status[yesterday])

	before := len(functions(fake.Calls()))
	assert.Equal(t, []string{yesterday}, p.Round(t.Context(), true), "found published")
	assert.Len(t, functions(fake.Calls()), before, "nothing submitted again")
}

// Two regulators' gateways close the same period at once: the second
// finds it opened and published by the first and takes that as done, with
// no error and no second publication. A publisher that finds the period
// opened by the other before its index has read the opening's block finds
// it not closed yet and takes it up again in its next round.
func TestTwoPublishersRacing(t *testing.T) {
	fake := chaintest.New()
	m := newMarket(t, fake)
	x := &index{}
	publishers := []*publisher.Publisher{newPublisher(fake, x, "regulator"), newPublisher(fake, x, "regulator")}
	var wg sync.WaitGroup
	results := make([][]string, 2)
	for i, p := range publishers {
		wg.Go(func() { results[i] = p.Round(t.Context(), true) })
	}
	wg.Wait()
	for i, p := range publishers {
		if len(results[i]) == 0 {
			results[i] = p.Round(t.Context(), true)
		}
	}
	assert.Equal(t, [][]string{{yesterday}, {yesterday}}, results, "both take the period as published")
	assert.Equal(t, model.PublicationPublished, m.status[yesterday])
	published := 0
	for _, c := range fake.CallsTo("indices:Publish") {
		if slices.Equal(c.Options.EndorsingOrganizations, []string{"JiangsuMSP", "ShanghaiMSP", "ZhejiangMSP"}) {
			published++
		}
	}
	assert.LessOrEqual(t, published, 2, "at most one try each with the majority that attested")
}

// A publication that commits invalid (another publisher's publication
// changed the record under it: MVCC_READ_CONFLICT) is not tried again with
// other endorsers in the same round: the next round finds it published.
func TestAPublicationThatLostARaceIsNotRetriedWithOtherPlans(t *testing.T) {
	fake := chaintest.New()
	m := newMarket(t, fake)
	fake.Handle("indices:Publish", func(c chaintest.Call) (chaintest.Response, error) {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.status[c.Args[0]] = model.PublicationPublished // the other publisher's, committed first
		return chaintest.Response{}, chain.CommitFailed("tx-1", 12, "MVCC_READ_CONFLICT")
	})
	p := newPublisher(fake, &index{}, "regulator")
	assert.Empty(t, p.Round(t.Context(), true), "not published by this round")
	assert.Len(t, fake.CallsTo("indices:Publish"), 1, "no other plan tried")
	assert.Len(t, p.Round(t.Context(), true), 1, "the next round finds it published")
	assert.Len(t, fake.CallsTo("indices:Publish"), 1)
}

// An operator's gateway attests a closed period and publishes nothing; it
// opens nothing either, so while its index has read no opening of the
// period it does nothing at all. A period that ended before the ledger's first
// transaction has nothing to close.
func TestAnOperatorAttestsOnly(t *testing.T) {
	fake := chaintest.New()
	newMarket(t, fake)
	x := &index{}
	p := newPublisher(fake, x, "operator")
	assert.Empty(t, p.Round(t.Context(), false))
	assert.Empty(t, functions(fake.Calls()), "nothing to attest before the period is closed, and an operator opens nothing")

	x.closeAt = 20
	assert.Empty(t, p.Round(t.Context(), false))
	assert.Equal(t, []string{"indices:Attest"}, functions(fake.Calls()))
	assert.Equal(t, "19", fake.CallsTo("indices:Attest")[0].Args[2])
	p.Round(t.Context(), false)
	assert.Len(t, fake.CallsTo("indices:Attest"), 1, "the same digest is not attested twice")

	fake = chaintest.New()
	newMarket(t, fake)
	p = newPublisher(fake, &index{closeAt: 1, empty: true}, "regulator")
	assert.Len(t, p.Round(t.Context(), true), 1)
	assert.Empty(t, functions(fake.Calls()), "a period before the ledger's first transaction is not published")
}

// newMinutePublisher is a regulator's publisher of the minutes, whose clock reads at.
func newMinutePublisher(t *testing.T, x *index, at time.Time) (*chaintest.Fake, *market, *publisher.Publisher) {
	fake := chaintest.New()
	m := newMarket(t, fake)
	p := publisher.New(fake, x, publisher.Config{Member: "regulator", MSPID: "ShanghaiMSP", Kinds: []string{model.PeriodMinute},
		Lookback: 1, Interval: time.Second}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	p.SetClock(func() time.Time { return at })
	return fake, m, p
}

// A publisher opens a period only at its closing instant, model.MaxClockSkew
// after its end for a period before model.ClosingRuleCutOver (as this one):
// indices:Open opens none sooner, and only the opening closes a period
// (index.ClosingBlock). A period that ended less than that ago is not
// looked at at all, whatever the index answers: nothing is read, attested
// or opened for it.
func TestAPeriodIsOpenedMaxClockSkewAfterItsEnd(t *testing.T) {
	const period = "minute:2026-03-02T12:00"
	_, end, err := model.ParsePeriod(period)
	require.NoError(t, err)
	fake, m, p := newMinutePublisher(t, &index{}, end.Add(model.MaxClockSkew-time.Second))
	p.Round(t.Context(), true)
	notAsked(t, fake, period)
	p.SetClock(func() time.Time { return end.Add(model.MaxClockSkew) })
	assert.Contains(t, p.Round(t.Context(), true), period)
	assert.Equal(t, model.PublicationPublished, m.status[period])

	fake, _, p = newMinutePublisher(t, &index{closeAt: 30}, end.Add(time.Minute))
	assert.NotContains(t, p.Round(t.Context(), true), period)
	notAsked(t, fake, period)
}

// notAsked checks that no call of the publisher named the period.
func notAsked(t *testing.T, fake *chaintest.Fake, period string) {
	t.Helper()
	for _, c := range fake.Calls() {
		assert.NotContains(t, c.Args, period, "%s asked about before its closing instant", c.Function)
	}
}

// From model.ClosingRuleCutOver a publisher waits model.MaxClockSkew +
// model.MaxClockLead after a period's end before it opens it, as
// indices:Open does: not at MaxClockSkew (the old rule), nor a second before
// the closing instant, and looks at it not sooner either.
func TestAPeriodOfTheNewRuleIsOpenedALeadLater(t *testing.T) {
	const period = "minute:2027-03-02T12:00"
	_, end, err := model.ParsePeriod(period)
	require.NoError(t, err)
	closesAt := end.Add(model.MaxClockSkew + model.MaxClockLead)
	for _, early := range []time.Time{end.Add(model.MaxClockSkew), closesAt.Add(-time.Second)} {
		fake, m, p := newMinutePublisher(t, &index{}, early)
		assert.NotContains(t, p.Round(t.Context(), true), period)
		notAsked(t, fake, period)
		p.SetClock(func() time.Time { return closesAt })
		assert.Contains(t, p.Round(t.Context(), true), period)
		assert.Equal(t, model.PublicationPublished, m.status[period])
	}
}

// A period whose record a majority of the orgs forged (indices:Get answers CONFLICT: no
// record the chain vouches for) is still closed by the regulator's gateway:
// it takes the record as opened and not published, attests and publishes
// over it (indices:Publish does, since interface 6.0.0), rather than
// failing every round on the forged record.
func TestAForgedRecordDoesNotStopThePublisher(t *testing.T) {
	fake := chaintest.New()
	m := newMarket(t, fake)
	m.status[yesterday] = "FORGED"
	fake.Handle("indices:Get", func(c chaintest.Call) (chaintest.Response, error) {
		m.mu.Lock()
		defer m.mu.Unlock()
		if m.status[c.Args[0]] != model.PublicationPublished {
			return chaintest.Response{}, chain.Rejected(ledgererr.Conflict, "", "the record of "+yesterday+" is no publication", "")
		}
		b, err := json.Marshal(model.Publication{Period: c.Args[0], Status: model.PublicationPublished})
		return chaintest.Response{Result: b}, err
	})
	x := &index{closeAt: 11} // the forged record's write, which opened the period
	p := newPublisher(fake, x, "regulator")
	assert.Equal(t, []string{yesterday}, p.Round(t.Context(), true))
	assert.Equal(t, []string{"indices:Attest", "indices:Publish"}, slices.Compact(functions(fake.Calls())))
	assert.Equal(t, model.PublicationPublished, m.status[yesterday])
}
