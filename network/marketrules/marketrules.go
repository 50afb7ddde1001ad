// Package marketrules keeps the ledger's market rules (chaincode/market) in
// step with the local network at deployment. It builds the rules the
// network should have from two sources: the channel's configuration, read
// through a peer, for each org's MSP ID and its root and intermediate CA
// certificates (the same certificates the channel's MSPs validate
// transactions with); and network/network.env for each org's region (its
// key in ORGS), the division prefixes its region holds (<ORG>_DIVISIONS,
// none for a founding region's province), the participants the rules name
// regulators (<ORG>_REGULATORS) and the public-notice period
// (MARKET_NOTICE_PERIOD_SECONDS).
//
// The rules are built from the first org's copy of the channel
// configuration, and every other org checks them against its own
// (ChannelCAsOf, CheckCAs) before its admin endorses, approves or keeps
// them, so that one peer's answer does not give another org's MSP other CAs.
//
// Every org of the network is an org of the market, a region added to the
// running network (scripts/add-region.sh) too: its region is one of the
// market's once the rules name it. Ensure sets them with market:Init when
// the ledger has none, endorsed by every org's peer; checks them when they
// are set; and, when they differ (a region joined), has the admins of a
// majority of the orgs of the rules in force approve the new version and
// applies it (the local network holds every org's admin; on a network of
// separate sites each org's admin approves on its own).
package marketrules

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/client/channelmsp"
	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/network/demo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// Keys of network.env this package reads.
const (
	envNoticePeriod    = "MARKET_NOTICE_PERIOD_SECONDS"
	envRegulatorSuffix = "_REGULATORS"
	envDivisionsSuffix = "_DIVISIONS"
)

// CAs are an org's CA certificates as the channel's MSP definition holds
// them, PEM encoded.
type CAs struct {
	RootCerts, IntermediateCerts []string
}

// ChannelCAs reads the channel's configuration through the peer of the
// network's first org, as its admin (cscc GetChannelConfig), and returns
// the CA certificates of every application org, by MSP ID.
func ChannelCAs(ctx context.Context, net *fabricnet.Network) (map[string]CAs, error) {
	return ChannelCAsOf(ctx, net, net.Config().Orgs[0])
}

// ChannelCAsOf is ChannelCAs through the peer of org o, as o's admin: o's
// own copy of the channel configuration.
func ChannelCAsOf(ctx context.Context, net *fabricnet.Network, o fabricnet.Org) (map[string]CAs, error) {
	cfg := net.Config()
	gw, err := net.Gateway(o.Key, "Admin")
	if err != nil {
		return nil, err
	}
	defer gw.Close()
	config, err := channelmsp.ReadConfig(ctx, gw, cfg.Channel, o.MSPID)
	if err != nil {
		return nil, err
	}
	return applicationCAs(config)
}

// applicationCAs extracts the CA certificates of the application orgs of a
// channel configuration.
func applicationCAs(config *common.Config) (map[string]CAs, error) {
	app, ok := config.GetChannelGroup().GetGroups()["Application"]
	if !ok {
		return nil, fmt.Errorf("the channel configuration has no Application group")
	}
	out := map[string]CAs{}
	for name, org := range app.GetGroups() {
		value, ok := org.GetValues()["MSP"]
		if !ok {
			return nil, fmt.Errorf("application org %s has no MSP value", name)
		}
		var mspConfig msp.MSPConfig
		if err := proto.Unmarshal(value.GetValue(), &mspConfig); err != nil {
			return nil, fmt.Errorf("decoding the MSP of %s: %w", name, err)
		}
		var fabric msp.FabricMSPConfig
		if err := proto.Unmarshal(mspConfig.GetConfig(), &fabric); err != nil {
			return nil, fmt.Errorf("decoding the Fabric MSP of %s: %w", name, err)
		}
		cas := CAs{RootCerts: []string{}, IntermediateCerts: []string{}}
		for _, c := range fabric.GetRootCerts() {
			cas.RootCerts = append(cas.RootCerts, string(c))
		}
		for _, c := range fabric.GetIntermediateCerts() {
			cas.IntermediateCerts = append(cas.IntermediateCerts, string(c))
		}
		out[fabric.GetName()] = cas
	}
	return out, nil
}

// Desired builds the rules the network should have, version 1, from the
// channel's CA certificates (by MSP ID) and network.env.
func Desired(cfg *fabricnet.Config, cas map[string]CAs) (*model.Rules, error) {
	notice, err := strconv.Atoi(cfg.Values[envNoticePeriod])
	if err != nil {
		return nil, fmt.Errorf("network.env: %s must be a number of seconds: %w", envNoticePeriod, err)
	}
	r := &model.Rules{Version: 1, NoticePeriodSeconds: notice, Regulators: []model.Regulator{}}
	for _, o := range cfg.Orgs {
		c, ok := cas[o.MSPID]
		if !ok {
			return nil, fmt.Errorf("the channel has no MSP %s (org %s of network.env)", o.MSPID, o.Key)
		}
		r.Orgs = append(r.Orgs, model.MarketOrg{MSPID: o.MSPID, Region: o.Key, RootCerts: c.RootCerts, IntermediateCerts: c.IntermediateCerts,
			Divisions: divisionsOf(cfg, o.Key)})
		for _, id := range strings.Fields(cfg.Values[strings.ToUpper(o.Key)+envRegulatorSuffix]) {
			r.Regulators = append(r.Regulators, model.Regulator{MSPID: o.MSPID, ParticipantID: id})
		}
	}
	// The chaincode's own parser checks the rules and puts them in their
	// canonical order, so that they compare equal to the ledger's.
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	canonical, err := market.Parse("rules", string(b))
	if err != nil {
		return nil, fmt.Errorf("the market rules built from the channel and network.env: %w", err)
	}
	return canonical, nil
}

// CheckCAs checks that rules r give every org they name exactly the root and
// intermediate CA certificates that cas, an org's own copy of the channel
// configuration (ChannelCAsOf), gives its MSP: what an org's admin endorses
// or approves is checked against its own peer, not taken from another
// org's.
func CheckCAs(r *model.Rules, cas map[string]CAs) error {
	for _, o := range r.Orgs {
		c, ok := cas[o.MSPID]
		if !ok {
			return fmt.Errorf("the rules name %s, which the channel does not define", o.MSPID)
		}
		if !sameCerts(o.RootCerts, c.RootCerts) || !sameCerts(o.IntermediateCerts, c.IntermediateCerts) {
			return fmt.Errorf("the rules give %s other CA certificates than the channel's MSP %s", o.MSPID, o.MSPID)
		}
	}
	return nil
}

// sameCerts reports whether the PEM certificates a and b are the same
// certificates, in any order and encoding of their PEM.
func sameCerts(a, b []string) bool {
	der := func(pems []string) []string {
		var out []string
		for _, p := range pems {
			for _, c := range fabricca.PEMCertificates([]byte(p)) {
				out = append(out, string(c))
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(der(a), der(b))
}

// divisionsOf returns the division prefixes network.env gives a region
// (<ORG>_DIVISIONS).
func divisionsOf(cfg *fabricnet.Config, region string) []string {
	return strings.Fields(cfg.Values[strings.ToUpper(region)+envDivisionsSuffix])
}

// regionKey is the form of a region's key (model.RegionPattern).
var regionKey = regexp.MustCompile(model.RegionPattern)

// CheckRegionKey checks the key of a region about to join
// (scripts/add-region.sh, before anything changes) as the chaincode will
// check the rules that add it: model.RegionPattern, and not
// model.MarketWide, which stands for the whole market.
func CheckRegionKey(region string) error {
	if !regionKey.MatchString(region) {
		return fmt.Errorf("the region's key %q: must be %s", region, model.RegionRule)
	}
	if region == model.MarketWide {
		return fmt.Errorf("the region's key %q: the market rules refuse it, as it stands for the whole market", region)
	}
	return nil
}

// CheckJoining checks the division prefixes a region that is about to join
// would hold (scripts/add-region.sh, before anything changes), as the
// chaincode will check the rules that add it: each a province's or a
// city's prefix of the table, none held by a region of the network.
func CheckJoining(cfg *fabricnet.Config, region string, prefixes []string) error {
	r := &model.Rules{}
	for _, o := range cfg.Orgs {
		r.Orgs = append(r.Orgs, model.MarketOrg{MSPID: o.MSPID, Region: o.Key, Divisions: divisionsOf(cfg, o.Key)})
	}
	r.Orgs = append(r.Orgs, model.MarketOrg{Region: region, Divisions: prefixes})
	for _, p := range prefixes {
		if err := model.CheckDivisionPrefix(p); err != nil {
			return fmt.Errorf("the divisions of %s: %w", region, err)
		}
	}
	if i, p, other := r.HeldTwice(); i >= 0 {
		return fmt.Errorf("the divisions of %s: %s is already a division prefix of %s: a division belongs to one region", r.Orgs[i].Region, p, other)
	}
	return nil
}

// Ensure sets, checks or updates the market rules (see the package
// documentation) and says what it did on out.
func Ensure(ctx context.Context, net *fabricnet.Network, out io.Writer) error {
	cfg := net.Config()
	cas, err := ChannelCAs(ctx, net)
	if err != nil {
		return err
	}
	want, err := Desired(cfg, cas)
	if err != nil {
		return err
	}
	// The rules are built from the first org's copy of the channel
	// configuration; every other org checks them against its own before its
	// admin endorses (Init), approves or keeps them.
	for _, o := range cfg.Orgs[1:] {
		own, err := ChannelCAsOf(ctx, net, o)
		if err != nil {
			return err
		}
		if err := CheckCAs(want, own); err != nil {
			return fmt.Errorf("the channel configuration as %s's peer has it: %w", o.MSPID, err)
		}
	}
	admins := map[string]*demo.Member{}
	defer func() {
		for _, m := range admins {
			m.Close()
		}
	}()
	admin := func(o fabricnet.Org) (*demo.Member, error) {
		if m, ok := admins[o.Key]; ok {
			return m, nil
		}
		m, err := demo.Connect(net, o.Key, "Admin")
		if err == nil {
			admins[o.Key] = m
		}
		return m, err
	}
	first, err := admin(cfg.Orgs[0])
	if err != nil {
		return err
	}
	raw, err := first.Evaluate(ctx, "market:GetRules", nil)
	if e, ok := demo.CodeOf(err); ok && e.Code == ledgererr.Conflict {
		doc, _ := json.Marshal(want)
		var msps []string
		for _, o := range cfg.Orgs {
			msps = append(msps, o.MSPID)
		}
		if _, err := first.Submit(ctx, "market:Init", []string{string(doc)}, demo.EndorsingOrgs(msps...)); err != nil {
			return fmt.Errorf("market:Init: %w", err)
		}
		fmt.Fprintf(out, "market rules set (version 1, %s): %s\n", want.Hash(), describe(want))
		return nil
	}
	if err != nil {
		return fmt.Errorf("market:GetRules: %w", err)
	}
	var got model.MarketRules
	if err := json.Unmarshal(raw, &got); err != nil {
		return fmt.Errorf("decoding market:GetRules: %w", err)
	}
	want.Version = got.Version
	if want.Hash() == got.Hash {
		fmt.Fprintf(out, "market rules in force (version %d): %s\n", got.Version, describe(want))
		return nil
	}
	want.Version = got.Version + 1
	doc, _ := json.Marshal(want)
	approvers := Approvers(cfg, &got.Rules)
	var names []string
	for _, o := range approvers {
		m, err := admin(o)
		if err != nil {
			return err
		}
		if _, err := m.Submit(ctx, "market:Approve", []string{string(doc)}); err != nil {
			return fmt.Errorf("market:Approve as the admin of %s: %w", o.MSPID, err)
		}
		names = append(names, o.MSPID)
	}
	if _, err := first.Submit(ctx, "market:Apply", []string{string(doc)}); err != nil {
		return fmt.Errorf("market:Apply: %w", err)
	}
	fmt.Fprintf(out, "market rules changed to version %d, approved by the admins of %s (a majority of the %d orgs of version %d): %s\n",
		want.Version, strings.Join(names, ", "), len(got.Orgs), got.Version, describe(want))
	return nil
}

// Approvers are the local orgs whose admins approve a change of the rules in
// force: a majority of the orgs those rules name (the chaincode applies a
// change that many approved), in the network's order. An org the rules in
// force do not name, such as a region that is joining, has no say yet: the
// rules that name it are the change.
func Approvers(cfg *fabricnet.Config, inForce *model.Rules) []fabricnet.Org {
	var out []fabricnet.Org
	for _, o := range cfg.Orgs {
		if _, ok := inForce.Org(o.MSPID); ok && len(out) < inForce.Majority() {
			out = append(out, o)
		}
	}
	return out
}

// describe summarises rules in one line.
func describe(r *model.Rules) string {
	var orgs, regulators []string
	for _, o := range r.Orgs {
		orgs = append(orgs, fmt.Sprintf("%s=%s (%d root, %d intermediate CA)", o.MSPID, o.Region, len(o.RootCerts), len(o.IntermediateCerts)))
	}
	for _, g := range r.Regulators {
		regulators = append(regulators, g.ParticipantID+"@"+g.MSPID)
	}
	slices.Sort(regulators)
	return fmt.Sprintf("%s; regulators %s; notice period %ds", strings.Join(orgs, ", "), strings.Join(regulators, ", "), r.NoticePeriodSeconds)
}
