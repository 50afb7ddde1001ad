package model

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Notice period bounds, in seconds. The Chinese exchanges publish an approved
// application for three days. Seconds, not hours, so that a demo or test
// network can run the whole procedure in moments; a market keeps the default.
const (
	DefaultNoticePeriodSeconds = 3 * 24 * 60 * 60
	MinNoticePeriodSeconds     = 1
	MaxNoticePeriodSeconds     = 30 * 24 * 60 * 60
)

// Bounds of the market rules document, which every registration reads in
// part.
const (
	// MaxRulesOrgs bounds the orgs of the market.
	MaxRulesOrgs = 16
	// MaxCertsPerOrg bounds an org's root plus intermediate certificates.
	MaxCertsPerOrg = 8
	// MaxRegulators bounds the regulators the rules name.
	MaxRegulators = 64
	// MaxDivisionsPerOrg bounds the division prefixes of an org.
	MaxDivisionsPerOrg = 8
	// MaxReleasedEnterprises bounds the enterprises the rules release from their orgs (Rules.Released).
	MaxReleasedEnterprises = 256
	// MaxRulesBytes bounds the JSON document of the rules.
	MaxRulesBytes = 256 * 1024
)

// Rules are the market rules: the facts the regions agree on and that only a
// majority of their orgs may change. Orgs are sorted by MSP ID and
// regulators by MSP ID and participant ID, so that equal rules encode
// equally (see Hash).
type Rules struct {
	// Version counts the rules: 1 for the rules the deployment set, one more
	// for each change applied.
	Version int `json:"version"`
	// NoticePeriodSeconds is the length of the public-notice period of an
	// approved asset registration.
	NoticePeriodSeconds int `json:"noticePeriodSeconds"`
	// Orgs are the member orgs of the market: one per region.
	Orgs []MarketOrg `json:"orgs"`
	// Regulators are the participants who may hold the regulator role.
	Regulators []Regulator `json:"regulators"`
	// Released are enterprises a majority released from an org, sorted by USCC and MSP ID: while the rules list
	// one, its binding to that org is void (participants:GetEnterprise answers NOT_FOUND, another org's
	// participants:Register binds it anew), the org registers it no more, and the org's participants acting for
	// it do not act. It is how the market undoes a binding an org will not release (participants:ReleaseEnterprise
	// is the holding org's alone): no single region keeps an enterprise out of the market.
	Released []ReleasedEnterprise `json:"released,omitempty" metadata:",optional"`
}

// ReleasedEnterprise names an enterprise and the org the market rules release it from (Rules.Released).
type ReleasedEnterprise struct {
	USCC  string `json:"uscc"`
	MSPID string `json:"mspId"`
}

// MarketOrg binds an org to the region whose exchange it is, and names the
// certificate authorities that issue its members, as the channel's MSP
// definition of the org does.
type MarketOrg struct {
	MSPID  string `json:"mspId"`
	Region string `json:"region"`
	// Divisions are the prefixes of the division codes the region holds
	// (DivisionPrefixRule), sorted: 3205 for Suzhou. None means the
	// region's FoundingDivisions, so that rules written before divisions
	// were ruled keep their meaning and their hash. Two regions never name
	// the same prefix; a code is held by the region of its longest prefix
	// (Rules.RegionOf), so Suzhou's 3205 is carved out of Jiangsu's 32.
	Divisions []string `json:"divisions,omitempty" metadata:",optional"`
	// RootCerts are the PEM certificates of the org's root CAs.
	RootCerts []string `json:"rootCerts"`
	// IntermediateCerts are the PEM certificates of its intermediate CAs.
	IntermediateCerts []string `json:"intermediateCerts"`
}

// Regulator names a participant who may hold the regulator role.
type Regulator struct {
	MSPID         string `json:"mspId"`
	ParticipantID string `json:"participantId"`
}

// Org returns the org with the MSP ID, if the rules name it.
func (r *Rules) Org(mspID string) (*MarketOrg, bool) {
	i := slices.IndexFunc(r.Orgs, func(o MarketOrg) bool { return o.MSPID == mspID })
	if i < 0 {
		return nil, false
	}
	return &r.Orgs[i], true
}

// OrgRegion returns the region the rules bind org mspID to, "" for an org
// they do not name (removed by a majority, or never named), which is no
// region's exchange: the region a participant of the org is in now.
func (r *Rules) OrgRegion(mspID string) string {
	if org, ok := r.Org(mspID); ok {
		return org.Region
	}
	return ""
}

// Place applies to participant p what the rules decide about it, as the chaincode's caller resolution does: its
// region is its org's (OrgRegion), its division one of that region's (a division the rules no longer give the region,
// its org moved or the division carved out, falls back to the region's own, RegionDivision, until its org's admin
// places it again), and it holds the regulator role only where the rules name it (IsRegulator). ok is
// false for an org the rules do not name, whose members the chaincode refuses, and p is then left as it was. One read
// of the rules places a participant whole, so its region and its roles are never of two versions of them.
func (r *Rules) Place(p *Participant) (ok bool) {
	org, ok := r.Org(p.MSPID)
	if !ok {
		return false
	}
	p.Region = org.Region
	if p.Division != "" && r.RegionOf(p.Division) != org.Region {
		p.Division = r.RegionDivision(org.Region)
	}
	if p.HasRole(RoleRegulator) && !r.IsRegulator(p.MSPID, p.ID) {
		p.Roles = slices.DeleteFunc(slices.Clone(p.Roles), func(role string) bool { return role == RoleRegulator })
	}
	return true
}

// Releases reports whether the rules release enterprise uscc from org mspID (Released).
func (r *Rules) Releases(uscc, mspID string) bool {
	return slices.Contains(r.Released, ReleasedEnterprise{USCC: uscc, MSPID: mspID})
}

// MayHold reports whether org mspID may hold enterprise uscc under the rules: the rules name the org and do not
// release the enterprise from it. A binding held against them is void.
func (r *Rules) MayHold(mspID, uscc string) bool {
	_, named := r.Org(mspID)
	return named && !r.Releases(uscc, mspID)
}

// Regions lists the regions of the orgs, sorted: the regions of the market.
func (r *Rules) Regions() []string {
	regions := make([]string, len(r.Orgs))
	for i, o := range r.Orgs {
		regions[i] = o.Region
	}
	slices.Sort(regions)
	return regions
}

// HasRegion reports whether an org of the rules is the exchange of region.
func (r *Rules) HasRegion(region string) bool {
	return slices.ContainsFunc(r.Orgs, func(o MarketOrg) bool { return o.Region == region })
}

// Exchange returns the org that is the exchange of region, if the rules
// name one: the org whose operators run that region's exchange now, which a
// majority moving orgs (market:Apply) may change.
func (r *Rules) Exchange(region string) (*MarketOrg, bool) {
	i := slices.IndexFunc(r.Orgs, func(o MarketOrg) bool { return o.Region == region })
	if i < 0 {
		return nil, false
	}
	return &r.Orgs[i], true
}

// DivisionPrefixes returns the division prefixes of an org of the rules:
// its own, else its region's FoundingDivisions (none for another region).
func (o *MarketOrg) DivisionPrefixes() []string {
	if len(o.Divisions) > 0 {
		return o.Divisions
	}
	return FoundingDivisions[o.Region]
}

// RegionOf returns the region that holds a division code: the region of
// the longest of the rules' division prefixes the code starts with, "" when
// none does.
func (r *Rules) RegionOf(code string) string {
	region, longest := "", 0
	for i := range r.Orgs {
		for _, p := range r.Orgs[i].DivisionPrefixes() {
			if len(p) > longest && strings.HasPrefix(code, p) {
				region, longest = r.Orgs[i].Region, len(p)
			}
		}
	}
	return region
}

// HeldTwice finds a division prefix that two regions of the rules hold (a
// code must belong to exactly one region): it returns the index of the org
// that names it, the prefix and the region that holds it already, or -1.
// The founding prefixes of the orgs that name none are taken first, so the
// org found is one whose own divisions claim what another holds.
func (r *Rules) HeldTwice() (org int, prefix, holder string) {
	held := map[string]string{} // division prefix -> the region holding it
	for _, own := range []bool{false, true} {
		for i := range r.Orgs {
			o := &r.Orgs[i]
			if (len(o.Divisions) > 0) != own {
				continue
			}
			for _, p := range o.DivisionPrefixes() {
				if other, taken := held[p]; taken {
					return i, p, other
				}
				held[p] = o.Region
			}
		}
	}
	return -1, "", ""
}

// RegionDivision returns the division a region's record counts in when it
// names none: the division its first prefix names (320000 for Jiangsu,
// 320500 for Suzhou), "" for a region the rules give no divisions.
func (r *Rules) RegionDivision(region string) string {
	for i := range r.Orgs {
		if r.Orgs[i].Region == region {
			if prefixes := r.Orgs[i].DivisionPrefixes(); len(prefixes) > 0 {
				return PrefixDivision(prefixes[0])
			}
		}
	}
	return ""
}

// MSPIDs lists the MSP IDs of the orgs, in the rules' order.
func (r *Rules) MSPIDs() []string {
	ids := make([]string, len(r.Orgs))
	for i, o := range r.Orgs {
		ids[i] = o.MSPID
	}
	return ids
}

// IsRegulator reports whether the rules name the participant a regulator.
func (r *Rules) IsRegulator(mspID, participantID string) bool {
	return slices.Contains(r.Regulators, Regulator{MSPID: mspID, ParticipantID: participantID})
}

// NoticePeriod returns the length of the public-notice period.
func (r *Rules) NoticePeriod() time.Duration {
	return time.Duration(r.NoticePeriodSeconds) * time.Second
}

// Majority is how many of the orgs must approve a change of the rules: more
// than half.
func (r *Rules) Majority() int {
	return len(r.Orgs)/2 + 1
}

// Hash is the hex SHA-256 of the rules' JSON encoding (in canonical order):
// what an org's approval names.
func (r *Rules) Hash() string {
	b, err := json.Marshal(r)
	if err != nil {
		panic(fmt.Sprintf("model: encoding rules: %v", err)) // strings and ints always encode
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// MarketRules are the rules in force as the ledger keeps them: the rules,
// the hash of the whole (what approvals name) and the transaction that set
// them.
type MarketRules struct {
	Rules
	Hash      string `json:"hash"`
	UpdatedAt string `json:"updatedAt"`
	TxID      string `json:"txId"`
}

// RulesApproval is an org's approval of new market rules: the version and
// the hash of the exact rules its admin approved. Each org has one slot,
// which its next approval replaces; a change applies when a majority of the
// orgs in force approved the same rules.
type RulesApproval struct {
	MSPID      string `json:"mspId"`
	Version    int    `json:"version,omitempty" metadata:",optional"`
	Hash       string `json:"hash,omitempty" metadata:",optional"`
	ApprovedBy string `json:"approvedBy,omitempty" metadata:",optional"`
	ApprovedAt string `json:"approvedAt,omitempty" metadata:",optional"`
	TxID       string `json:"txId,omitempty" metadata:",optional"`
}

// RulesApprovalList is every org's latest approval, with the version of the
// rules in force and how many approvals a change needs.
type RulesApprovalList struct {
	Version  int              `json:"version"`
	Majority int              `json:"majority"`
	Items    []*RulesApproval `json:"items"`
}

// RulesEvent is the payload of the market rules' events.
type RulesEvent struct {
	Version    int      `json:"version"`
	Hash       string   `json:"hash"`
	MSPID      string   `json:"mspId,omitempty"`
	ApprovedBy []string `json:"approvedBy,omitempty"`
}

// Events of the market contract.
const (
	EventMarketRulesSet      = "MarketRulesSet"
	EventMarketRulesApproved = "MarketRulesApproved"
	EventMarketRulesChanged  = "MarketRulesChanged"
)

// RulesRule describes the rules document in words.
const RulesRule = "the whole rules document {version, noticePeriodSeconds, orgs: [{mspId, region, divisions, rootCerts, " +
	"intermediateCerts}], regulators: [{mspId, participantId}], released: [{uscc, mspId}]}, certificates as PEM, divisions the region's " +
	"division prefixes (none: a founding region's province), released the enterprises a majority releases from an org (optional)"

var rulesField = Field{Name: "rules", Type: TypeObject, Schema: Rules{}, Description: "The market rules: " + RulesRule + "."}

// MarketContract is the market rules: the orgs and their regions, their CA
// certificates, the regulators and the public-notice period, set at
// deployment and changed only by a majority of the orgs.
var MarketContract = contract("market", "DeltaLedger market rules",
	"The rules the regions share: orgs and their regions, their CA certificates, the regulators, the notice period; changed only by a majority of the orgs",
	Function{Name: "Init", Returns: MarketRules{}, Params: []Field{rulesField.Describe("The first market rules, version 1: " + RulesRule + ".")}}.endorsedBy(chaincodePolicyWith()),
	Function{Name: "Approve", Returns: RulesApproval{}, Params: []Field{rulesField.Describe("The next version of the rules, in full: " + RulesRule + ".")}}.endorsedBy(orgsOf(PartyCaller)),
	Function{Name: "Apply", Returns: MarketRules{}, Params: []Field{rulesField.Describe("Rules a majority of the orgs approved: " + RulesRule + ".")}}.endorsedBy(majorityOfOrgs),
	Function{Name: "GetRules", Evaluate: true, Returns: MarketRules{}},
	Function{Name: "ListApprovals", Evaluate: true, Returns: RulesApprovalList{}},
)
