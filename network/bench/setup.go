package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/network/demo"
)

// Category is the data category of everything the benchmark registers and
// lists, so that its catalogue pages are its own.
const Category = "benchmark"

// tradePriceFen is the fixed price of the benchmark's listings.
const tradePriceFen = 100000

// Fixture is what the paths need on the ledger before they run: listings
// of each org's holder to trade from, registered assets to read, and a
// credit record that one member is authorised to look up. Every ID starts
// with the run's ID.
type Fixture struct {
	// Run is the run's ID, the prefix of everything it creates.
	Run string
	// Listings maps each org to FIXED listings of a USE licence of its
	// holder's asset, as many as Setup was asked for: a buyer enterprise
	// holds one ORDERED trade on a listing at a time (interface 14.0.0), so
	// the trades that may run at once buy from different ones (restTrade).
	Listings map[string][]string
	// Assets are registered assets to read.
	Assets []string
	// ProbeKeys are keys of the probe chaincode, one per org, to read.
	ProbeKeys []string
	// Credit is the credit record to look up.
	Credit CreditFixture
	// SelfSigners are the members of the member-signed path (nil until
	// OnboardSelfSigners).
	SelfSigners selfSigners
}

// CreditFixture is a credit record about one enterprise and an authorised
// reader.
type CreditFixture struct {
	Subject, Purpose, AuthID string
	// ReaderOrg and ReaderRole are the member authorised to look it up.
	ReaderOrg, ReaderRole string
}

// Setup creates the fixture through fabric-gateway (it is not measured): the
// demo participants if missing, one registered asset per org listed
// listings times (waiting out the market's public-notice period, which
// network.env keeps short), the credit record, and one probe key per org.
func (e *Env) Setup(ctx context.Context, run string, listings int, progress io.Writer) (*Fixture, error) {
	started := time.Now()
	if err := demo.RegisterParticipants(ctx, e.net, io.Discard); err != nil {
		return nil, err
	}
	notice, err := e.noticePeriod(ctx)
	if err != nil {
		return nil, err
	}
	fx := &Fixture{Run: run, Listings: map[string][]string{}}
	orgs := e.orgs()
	var mu sync.Mutex
	errs := make([]error, len(orgs)+1)
	var wg sync.WaitGroup
	for i, org := range orgs {
		wg.Go(func() {
			asset, listed, err := e.listedAsset(ctx, run, org, notice, listings)
			mu.Lock()
			defer mu.Unlock()
			fx.Listings[org], errs[i] = listed, err
			if err == nil {
				fx.Assets = append(fx.Assets, asset)
			}
		})
	}
	wg.Go(func() {
		fx.Credit, errs[len(orgs)] = e.creditRecord(ctx, run)
	})
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for _, org := range orgs {
		key := run + "-pr-" + org
		if out := e.submit(ctx, org, role, e.cfg.Values["PROBE_CHAINCODE_NAME"], "Put", key, demo.Hash(key)); out.Err != nil {
			return nil, fmt.Errorf("probe Put for %s: %w", org, out.Err)
		}
		fx.ProbeKeys = append(fx.ProbeKeys, key)
	}
	fmt.Fprintf(progress, "fixture %s ready in %.1fs: %d listings of each of %d orgs, a credit record\n", run, time.Since(started).Seconds(), listings, len(fx.Listings))
	return fx, nil
}

// noticePeriod reads the market's public-notice period.
func (e *Env) noticePeriod(ctx context.Context) (time.Duration, error) {
	operator, err := demo.Connect(e.net, e.orgs()[0], "operator")
	if err != nil {
		return 0, err
	}
	defer operator.Close()
	return demo.NoticePeriod(ctx, operator)
}

// listedAsset has org's holder register an asset (apply, the org's operator
// approves, the notice period passes, certify) and list a USE licence of it
// n times.
func (e *Env) listedAsset(ctx context.Context, run, org string, notice time.Duration, n int) (asset string, listings []string, err error) {
	holder, err := demo.Connect(e.net, org, "holder")
	if err != nil {
		return "", nil, err
	}
	defer holder.Close()
	operator, err := demo.Connect(e.net, org, "operator")
	if err != nil {
		return "", nil, err
	}
	defer operator.Close()
	asset = run + "-a-" + org
	scope, err := json.Marshal(map[string]any{"purpose": "benchmark", "regions": e.orgs(),
		"validUntil": time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339), "maySublicense": false})
	if err != nil {
		return "", nil, err
	}
	type step struct {
		m    *demo.Member
		fn   string
		args []string
		wait time.Duration
	}
	steps := []step{
		{holder, "assets:Apply", []string{asset, "Benchmark listed dataset " + asset, Category, org, "Synthetic asset the benchmark trades", demo.Hash(asset)}, 0},
		{operator, "assets:Review", []string{asset, "APPROVE", ""}, notice + time.Second},
		{holder, "assets:Certify", []string{asset}, 0},
	}
	for k := range n {
		listing := run + "-l-" + org
		if k > 0 {
			listing += fmt.Sprintf("-%d", k)
		}
		listings = append(listings, listing)
		steps = append(steps, step{holder, "listings:Create", []string{listing, asset, "USE", string(scope), "FIXED", fmt.Sprint(tradePriceFen), demo.Hash("terms of " + listing)}, 0})
	}
	for _, st := range steps {
		if _, err := st.m.Submit(ctx, st.fn, st.args); err != nil {
			return "", nil, fmt.Errorf("%s for %s: %w", st.fn, org, err)
		}
		time.Sleep(st.wait)
	}
	return asset, listings, nil
}

// creditRecord has the first org's agency publish a record about the third
// org's holder, who authorises the second org's buyer to look it up. (The
// demo market's and the end-to-end tests' records are about other
// enterprises: the many traces the benchmark leaves stay off their lists.)
func (e *Env) creditRecord(ctx context.Context, run string) (CreditFixture, error) {
	orgs := e.orgs()
	agencyOrg, subjectOrg, readerOrg := orgs[0], orgs[2%len(orgs)], orgs[1%len(orgs)]
	fx := CreditFixture{Subject: demo.USCC(subjectOrg, "holder"), Purpose: "benchmark lookups", AuthID: run + "-auth",
		ReaderOrg: readerOrg, ReaderRole: "buyer"}
	record := run + "-rec"
	contents, err := json.Marshal(map[string]string{
		"type": "RATING", "grade": "A", "evidenceHash": demo.Hash("evidence of " + record),
		"validUntil": time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339), "summary": "Benchmark rating",
	})
	if err != nil {
		return fx, err
	}
	agency, err := demo.Connect(e.net, agencyOrg, "agency")
	if err != nil {
		return fx, err
	}
	defer agency.Close()
	subject, err := demo.Connect(e.net, subjectOrg, "holder")
	if err != nil {
		return fx, err
	}
	defer subject.Close()
	agencyMSP := e.cfg.Orgs[0].MSPID
	if _, err := agency.Submit(ctx, "credit:StageRecord", []string{record, fx.Subject},
		demo.Transient("record", contents), demo.EndorsingOrgs(agencyMSP)); err != nil {
		return fx, fmt.Errorf("credit:StageRecord: %w", err)
	}
	if _, err := agency.Submit(ctx, "credit:Publish", []string{record, fx.Subject}); err != nil {
		return fx, fmt.Errorf("credit:Publish: %w", err)
	}
	until := time.Now().AddDate(0, 1, 0).UTC().Format(time.RFC3339)
	if _, err := subject.Submit(ctx, "credit:Authorize", []string{fx.AuthID, demo.ParticipantID(readerOrg, "buyer"), fx.Purpose, until}); err != nil {
		return fx, fmt.Errorf("credit:Authorize: %w", err)
	}
	return fx, nil
}
