//go:build e2e

package addregion_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/memo"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/network/demo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// members are the demo members the trades act as, one connection each, shared by the trades running at once.
type members struct {
	net *fabricnet.Network
	mu  sync.Mutex
	m   map[string]*demo.Member
}

// newMembers connects to the network of cfg; close closes every member's connection and the network's.
func newMembers(cfg *fabricnet.Config) *members {
	return &members{net: fabricnet.New(cfg), m: map[string]*demo.Member{}}
}

func (ms *members) close() {
	for _, m := range ms.m {
		m.Close()
	}
	ms.net.Close()
}

func (ms *members) connect(org, role string) (*demo.Member, error) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return memo.Get(ms.m, org+"/"+role, func() (*demo.Member, error) {
		m, err := demo.Connect(ms.net, org, role)
		if err != nil {
			return nil, fmt.Errorf("connecting as %s of %s: %w", role, org, err)
		}
		return m, nil
	})
}

func (ms *members) as(t *testing.T, org, role string) *demo.Member {
	m, err := ms.connect(org, role)
	require.NoError(t, err)
	return m
}

// submit submits fn as role of org; a refusal is an error naming the call.
func (ms *members) submit(ctx context.Context, org, role, fn string, args []string, opts ...demo.CallOption) error {
	m, err := ms.connect(org, role)
	if err == nil {
		_, err = m.Submit(ctx, fn, args, opts...)
	}
	if err != nil {
		return fmt.Errorf("%s as %s of %s %v: %w", fn, role, org, args, err)
	}
	return nil
}

// tradeWithEveryRegion checks that the region that joined is a region of the market: the rules in force name it;
// its members register; a holder of each region registers and lists a data asset; and the buyer of the region buys
// a USE licence from each other region's holder, and each other region's buyer one from the region's holder, through
// every step to COMPLETED, each licence's scope naming both regions.
func tradeWithEveryRegion(t *testing.T, cfg *fabricnet.Config, region string) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	ms := newMembers(cfg)
	defer ms.close()
	started := time.Now()

	raw, err := ms.as(t, region, "Admin").Evaluate(ctx, "market:GetRules", nil)
	require.NoError(t, err)
	var rules model.MarketRules
	require.NoError(t, json.Unmarshal(raw, &rules))
	require.True(t, rules.HasRegion(region), "the rules in force (version %d) name %s: %v", rules.Version, region, rules.Regions())
	require.Greater(t, rules.Version, 1, "a majority changed the rules")

	require.NoError(t, demo.RegisterParticipants(ctx, ms.net, testWriter{t}))
	notice, err := demo.NoticePeriod(ctx, ms.as(t, region, "operator"))
	require.NoError(t, err)

	run := fmt.Sprintf("%d", time.Now().Unix())
	asset := func(org string) string { return "join-" + run + "-" + org }
	for _, o := range cfg.Orgs {
		id := asset(o.Key)
		require.NoError(t, ms.submit(ctx, o.Key, "holder", "assets:Apply", []string{id, "Data of " + o.Key, "transport", o.Key, "Hourly records of " + o.Key, demo.Hash(id)}))
		require.NoError(t, ms.submit(ctx, o.Key, "operator", "assets:Review", []string{id, model.DecisionApprove, ""}))
	}
	time.Sleep(notice + time.Second)
	for _, o := range cfg.Orgs {
		require.NoError(t, ms.submit(ctx, o.Key, "holder", "assets:Certify", []string{asset(o.Key)}))
	}

	type pair struct{ seller, buyer string }
	var pairs []pair
	for _, o := range cfg.Orgs {
		if o.Key != region {
			pairs = append(pairs, pair{region, o.Key}, pair{o.Key, region})
		}
	}
	until := time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339)
	const price = "150000"
	var wg sync.WaitGroup
	errs := make([]error, len(pairs))
	for i, p := range pairs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			listing, trade := "join-L-"+run+"-"+p.seller+"-"+p.buyer, "join-T-"+run+"-"+p.seller+"-"+p.buyer
			scope := fmt.Sprintf(`{"purpose":"route analytics","regions":[%q,%q],"validUntil":%q,"maySublicense":false}`, p.seller, p.buyer, until)
			steps := []struct {
				org, role, fn string
				args          []string
				opts          []demo.CallOption
			}{
				{p.seller, "holder", "listings:Create", []string{listing, asset(p.seller), model.RightUse, scope, model.PricingFixed, price, demo.Hash("terms " + listing)}, nil},
				{p.buyer, "buyer", "trades:Order", []string{trade, listing}, nil},
				{p.seller, "holder", "trades:Accept", []string{trade}, nil},
				{p.buyer, "buyer", "trades:RecordPayment", []string{trade, "BANK-" + trade}, []demo.CallOption{demo.Transient(model.TransientAmountKey, []byte(price))}},
				{p.seller, "holder", "trades:Deliver", []string{trade, demo.Hash("delivery " + trade)}, nil},
				{p.buyer, "buyer", "trades:Confirm", []string{trade}, nil},
			}
			for _, st := range steps {
				if errs[i] = ms.submit(ctx, st.org, st.role, st.fn, st.args, st.opts...); errs[i] != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "the trade of %s's listing to %s's buyer", pairs[i].seller, pairs[i].buyer)
	}
	for _, p := range pairs {
		trade := "join-T-" + run + "-" + p.seller + "-" + p.buyer
		raw, err := ms.as(t, p.buyer, "buyer").Evaluate(ctx, "trades:Get", []string{trade})
		require.NoError(t, err)
		var tr model.Trade
		require.NoError(t, json.Unmarshal(raw, &tr))
		require.Equal(t, model.TradeCompleted, tr.Status, "trade %s", trade)
		require.Equal(t, p.seller, tr.Region, "trade %s is supervised by the seller's exchange", trade)
		require.NotEmpty(t, tr.RightID)
		raw, err = ms.as(t, p.buyer, "buyer").Evaluate(ctx, "rights:Get", []string{tr.RightID})
		require.NoError(t, err)
		var right model.Right
		require.NoError(t, json.Unmarshal(raw, &right))
		require.Equal(t, demo.ParticipantID(p.buyer, "buyer"), right.HolderID)
		require.ElementsMatch(t, []string{p.seller, p.buyer}, right.Scope.Regions)
	}
	t.Logf("%d trades completed between %s and each other region, both ways, in %.0f s (with the registrations and listings)",
		len(pairs), region, time.Since(started).Seconds())
}
