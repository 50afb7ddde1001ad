package demo

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/deltaledger/deltaledger/internal/memo"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// demoAsset is one data asset of the demo market and how it is offered.
type demoAsset struct {
	id, org, name, category, description string
	rightType, pricing, priceFen         string
}

var demoAssets = []demoAsset{
	{"demo-yangshan-port-moves", "shanghai", "Yangshan port container moves", "transport",
		"Hourly container moves per terminal of the Yangshan deep-water port", "USE", "FIXED", "1200000"},
	{"demo-suzhou-industrial-power", "jiangsu", "Suzhou industrial power use", "energy",
		"Daily electricity use of industrial parks in Suzhou, by sector", "USE", "NEGOTIABLE", "3500000"},
	{"demo-hangzhou-retail-trends", "zhejiang", "Hangzhou retail trends", "commerce",
		"Weekly online retail volume by category in Hangzhou", "OPERATION", "FIXED", "8000000"},
	{"demo-hefei-ev-charging", "anhui", "Hefei EV charging sessions", "transport",
		"Charging sessions per station of Hefei's public EV network", "HOLDING", "FIXED", "25000000"},
}

// Seed brings a living demo market onto the network: participants, four
// registered assets (one per region) with listings, a completed trade, and a
// credit record with an authorised, traced lookup. It skips what an earlier
// run created, so `make up` can run it every time. The market rules, which
// the deployment set, give the public-notice period the assets wait out
// (network.env makes it two seconds).
func Seed(ctx context.Context, net *fabricnet.Network, out io.Writer) error {
	if err := RegisterParticipants(ctx, net, out); err != nil {
		return err
	}
	s := &seeder{ctx: ctx, net: net, out: out, members: map[string]*Member{}}
	defer s.close()
	steps := []func() error{s.noticePeriod, s.divisions, s.assets, s.listings, s.trade, s.credit}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

type seeder struct {
	ctx     context.Context
	net     *fabricnet.Network
	out     io.Writer
	members map[string]*Member
	notice  time.Duration // the public-notice period of the market rules
}

// member connects as role of org once and reuses the connection for every
// later step of the seed.
func (s *seeder) member(org, role string) (*Member, error) {
	return memo.Get(s.members, org+"/"+role, func() (*Member, error) { return Connect(s.net, org, role) })
}

func (s *seeder) close() {
	for _, m := range s.members {
		m.Close()
	}
}

// call submits as org/role; a CONFLICT (already done by an earlier run) is
// reported as done=false without error.
func (s *seeder) call(org, role, fn string, args []string, opts ...CallOption) (result []byte, done bool, err error) {
	m, err := s.member(org, role)
	if err != nil {
		return nil, false, err
	}
	res, err := m.Submit(s.ctx, fn, args, opts...)
	if e, ok := CodeOf(err); ok && e.Code == ledgererr.Conflict {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("%s as %s.%s: %w", fn, org, role, err)
	}
	return res, true, nil
}

// noticePeriod reads the public-notice period from the market rules.
func (s *seeder) noticePeriod() error {
	m, err := s.member("shanghai", "operator")
	if err != nil {
		return err
	}
	s.notice, err = NoticePeriod(s.ctx, m)
	return err
}

// NoticePeriod reads the market's public-notice period from the market rules
// as m. It refuses a period longer than a minute: the demo and the benchmark
// wait it out between approving and certifying their assets.
func NoticePeriod(ctx context.Context, m *Member) (time.Duration, error) {
	res, err := m.Evaluate(ctx, "market:GetRules", nil)
	if err != nil {
		return 0, err
	}
	var rules struct {
		NoticePeriodSeconds int `json:"noticePeriodSeconds"`
	}
	if err := json.Unmarshal(res, &rules); err != nil {
		return 0, err
	}
	notice := time.Duration(rules.NoticePeriodSeconds) * time.Second
	if notice > time.Minute {
		return 0, fmt.Errorf("the market's public-notice period is %s: set MARKET_NOTICE_PERIOD_SECONDS in network.env to a few seconds", notice)
	}
	return notice, nil
}

// holderDivisions are where the demo's data holders are (GB/T 2260 codes of
// model.Divisions): their assets count there in the published indices.
var holderDivisions = map[string]string{
	"shanghai": "310115", // Pudong New Area
	"jiangsu":  "320576", // Suzhou Industrial Park
	"zhejiang": "330106", // Xihu District, Hangzhou
	"anhui":    "340176", // Hefei High-tech Zone
}

// divisions has each org's admin place its data holder, before the holder
// applies for its assets.
func (s *seeder) divisions() error {
	for _, org := range s.net.Config().Orgs {
		division, ok := holderDivisions[org.Key]
		if !ok {
			continue
		}
		if _, _, err := s.call(org.Key, "Admin", "participants:SetDivision", []string{ParticipantID(org.Key, "holder"), division}); err != nil {
			return err
		}
	}
	return nil
}

// assets applies for every demo asset, has its exchange approve it, and
// certifies it once the notice period is over.
func (s *seeder) assets() error {
	var applied []demoAsset
	for _, a := range demoAssets {
		_, done, err := s.call(a.org, "holder", "assets:Apply", []string{a.id, a.name, a.category, a.org, a.description, Hash(a.id)})
		if err != nil {
			return err
		}
		if !done {
			continue
		}
		if _, _, err := s.call(a.org, "operator", "assets:Review", []string{a.id, "APPROVE", ""}); err != nil {
			return err
		}
		applied = append(applied, a)
	}
	if len(applied) == 0 {
		return nil
	}
	time.Sleep(s.notice + time.Second)
	for _, a := range applied {
		if _, _, err := s.call(a.org, "holder", "assets:Certify", []string{a.id}); err != nil {
			return err
		}
		fmt.Fprintf(s.out, "asset %-30s registered to %s\n", a.id, ParticipantID(a.org, "holder"))
	}
	return nil
}

func (s *seeder) listings() error {
	for _, a := range demoAssets {
		scope := ""
		if a.rightType != "HOLDING" {
			scope = fmt.Sprintf(`{"purpose":"analytics","regions":["anhui","jiangsu","shanghai","zhejiang"],"validUntil":"%s","maySublicense":false}`,
				time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339))
		}
		_, done, err := s.call(a.org, "holder", "listings:Create", []string{"listing-" + a.id, a.id, a.rightType, scope, a.pricing, a.priceFen, Hash("terms of " + a.id)})
		if err != nil {
			return err
		}
		if done {
			fmt.Fprintf(s.out, "listing %-30s %s %s at %s fen\n", "listing-"+a.id, a.rightType, a.pricing, a.priceFen)
		}
	}
	return nil
}

// trade has the Anhui buyer buy a licence of the Shanghai port data at the
// fixed price, through every step to completion.
func (s *seeder) trade() error {
	const tradeID = "demo-trade-port-licence"
	a := demoAssets[0]
	steps := []struct {
		org, role, fn string
		args          []string
		opts          []CallOption
	}{
		{"anhui", "buyer", "trades:Order", []string{tradeID, "listing-" + a.id}, nil},
		{a.org, "holder", "trades:Accept", []string{tradeID}, nil},
		{"anhui", "buyer", "trades:RecordPayment", []string{tradeID, "DEMO-BANK-0001"},
			[]CallOption{Transient(model.TransientAmountKey, []byte(a.priceFen))}},
		{a.org, "holder", "trades:Deliver", []string{tradeID, Hash("delivery of " + a.id)}, nil},
		{"anhui", "buyer", "trades:Confirm", []string{tradeID}, nil},
	}
	for i, st := range steps {
		_, done, err := s.call(st.org, st.role, st.fn, st.args, st.opts...)
		if err != nil {
			return err
		}
		if !done && i == 0 {
			return nil // the trade exists from an earlier run
		}
	}
	fmt.Fprintf(s.out, "trade   %-30s completed: anhui.buyer holds a USE right\n", tradeID)
	return nil
}

// credit has the Shanghai agency publish a rating of the Jiangsu holder, the
// holder authorise the Zhejiang buyer, and the buyer look it up (a trace).
func (s *seeder) credit() error {
	const recordID, authID, traceID = "demo-rating-jiangsu-holder", "demo-auth-zhejiang-buyer", "demo-trace-zhejiang-buyer"
	subject := USCC("jiangsu", "holder")
	contents, err := json.Marshal(map[string]string{
		"type": "RATING", "grade": "AA", "score": "812", "evidenceHash": Hash("rating evidence"),
		"validUntil": time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339), "summary": "Annual enterprise credit rating",
	})
	if err != nil {
		return err
	}
	m, err := s.member("shanghai", "agency")
	if err != nil {
		return err
	}
	if _, err := m.Evaluate(s.ctx, "credit:GetRecord", []string{recordID}); err == nil {
		return nil // published by an earlier run
	}
	if _, _, err := s.call("shanghai", "agency", "credit:StageRecord", []string{recordID, subject},
		Transient("record", contents), EndorsingOrgs("ShanghaiMSP")); err != nil {
		return err
	}
	if _, _, err := s.call("shanghai", "agency", "credit:Publish", []string{recordID, subject}); err != nil {
		return err
	}
	purpose := "supplier due diligence"
	until := time.Now().AddDate(0, 6, 0).UTC().Format(time.RFC3339)
	if _, _, err := s.call("jiangsu", "holder", "credit:Authorize", []string{authID, ParticipantID("zhejiang", "buyer"), purpose, until}); err != nil {
		return err
	}
	if _, _, err := s.call("zhejiang", "buyer", "credit:RequestQuery", []string{traceID + "-" + randomSuffix(), subject, purpose, authID}); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "credit  %-30s published about %s; zhejiang.buyer authorised and traced\n", recordID, subject)
	return nil
}

// Hash is the hex SHA-256 of s, the demo's stand-in for data content hashes.
func Hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
