package market

import (
	"strings"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Contract is the market rules, named "market" on the channel.
type Contract struct {
	state.Contract
}

// New returns the market contract.
func New() *Contract {
	return &Contract{Contract: state.Declare(model.MarketContract)}
}

// Init sets the first market rules (version 1), once: CONFLICT when rules
// are set. rules is the JSON document {version, noticePeriodSeconds, orgs:
// [{mspId, region, divisions, rootCerts, intermediateCerts}], regulators:
// [{mspId, participantId}]} (see Parse; model.RulesRule). The caller must be an admin of one of the
// orgs it names, its certificate and chain in force by that org's CA
// certificates as these rules list them (InForce).
//
// The deployment calls it right after the chaincode is committed, before any
// participant is registered, with the channel's MSP definitions (the same
// CA certificates), endorsed by the peers of every org. The chaincode cannot
// check that endorsement nor read the channel's configuration (see the
// package documentation): the first rules are the deployment's word, which
// every org's deploy step checks against its own copy of the channel
// configuration. From then on a change needs a majority (Approve, Apply).
func (c *Contract) Init(ctx contractapi.TransactionContextInterface, rules string) (*model.MarketRules, error) {
	r, err := Parse("rules", rules)
	if err != nil {
		return nil, err
	}
	if r.Version != 1 {
		return nil, ledgererr.Invalid("rules.version", "must be 1 for the first rules")
	}
	// No rules are in force yet: the caller's chain is judged by its org's
	// CA certificates as the rules it sets list them.
	if _, err := requireAdmin(ctx, func(msp string) (*CAs, error) { return orgCAsOf(r, msp) }); err != nil {
		return nil, err
	}
	if _, err := state.NewKey(ctx, func() error {
		return ledgererr.Conflictf("the market rules are already set; a majority of the orgs changes them with market:Approve and market:Apply")
	}, keyRules, rulesName); err != nil {
		return nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	s, err := put(ctx, r, nil, now)
	if err != nil {
		return nil, err
	}
	s.Rules = *r
	return s, state.Emit(ctx, model.EventMarketRulesSet, model.RulesEvent{Version: r.Version, Hash: s.Hash})
}

// Approve records that the caller's org approves exactly the rules given,
// which must be the next version of the rules in force. The caller must be
// an admin of one of the orgs in force; the approval replaces the org's
// earlier one. Only the org's own peers can endorse it (its approval slot's
// policy), so no other orgs approve in its name. It returns the approval,
// whose hash names the rules approved.
func (c *Contract) Approve(ctx contractapi.TransactionContextInterface, rules string) (*model.RulesApproval, error) {
	r, admin, _, err := nextRules(ctx, rules)
	if err != nil {
		return nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	a := &model.RulesApproval{
		MSPID: admin.MSPID, Version: r.Version, Hash: r.Hash(), ApprovedBy: admin.Name,
		ApprovedAt: state.Format(now), TxID: ctx.GetStub().GetTxID(),
	}
	if err := putApproval(ctx, a); err != nil {
		return nil, err
	}
	return a, state.Emit(ctx, model.EventMarketRulesApproved, model.RulesEvent{Version: a.Version, Hash: a.Hash, MSPID: a.MSPID})
}

// nextRules parses rules proposed to follow the rules in force, as Approve
// and Apply both take them: the caller must be an admin of one of the orgs
// in force, and the rules must be the next version. It returns the rules,
// the admin and the rules in force.
func nextRules(ctx state.Context, rules string) (*model.Rules, *Admin, *model.MarketRules, error) {
	r, err := Parse("rules", rules)
	if err != nil {
		return nil, nil, nil, err
	}
	admin, err := RequireAdmin(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	current, err := getMarketRules(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	if _, ok := current.Org(admin.MSPID); !ok {
		return nil, nil, nil, ledgererr.Forbiddenf("%s is not one of the orgs of the market rules in force", admin.MSPID)
	}
	if r.Version != current.Version+1 {
		return nil, nil, nil, ledgererr.Invalid("rules.version", "must be %d, the version after the rules in force", current.Version+1)
	}
	return r, admin, current, nil
}

// Apply puts in force the rules given, which a majority of the orgs in force
// (more than half) approved with Approve: CONFLICT, naming who approved,
// while fewer did. The caller must be an admin of one of the orgs in force.
// The new rules' records take a majority of the new orgs as their
// endorsement policy; an org added gets an approval slot, an org removed
// loses its CA certificates (not its approval slot, which only its own peers
// may change: the majority removes it without it). Participants follow the rules from the next
// transaction on: an org's region, its CA certificates, who is a regulator.
func (c *Contract) Apply(ctx contractapi.TransactionContextInterface, rules string) (*model.MarketRules, error) {
	r, _, current, err := nextRules(ctx, rules)
	if err != nil {
		return nil, err
	}
	hash := r.Hash()
	list, err := approvals(ctx, &current.Rules)
	if err != nil {
		return nil, err
	}
	var approvedBy []string
	for _, a := range list {
		if a.Version == r.Version && a.Hash == hash {
			approvedBy = append(approvedBy, a.MSPID)
		}
	}
	if len(approvedBy) < current.Majority() {
		return nil, ledgererr.Conflictf("rules %s (version %d) are approved by %d of the %d orgs (%s); a change needs %d",
			hash, r.Version, len(approvedBy), len(current.Orgs), listOrNone(approvedBy), current.Majority())
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	s, err := put(ctx, r, &current.Rules, now)
	if err != nil {
		return nil, err
	}
	s.Rules = *r
	return s, state.Emit(ctx, model.EventMarketRulesChanged, model.RulesEvent{Version: r.Version, Hash: hash, ApprovedBy: approvedBy})
}

// GetRules returns the rules in force with every org's CA certificates, and
// their hash. Anyone on the channel may read them, before registering too.
func (c *Contract) GetRules(ctx contractapi.TransactionContextInterface) (*model.MarketRules, error) {
	return full(ctx)
}

// ListApprovals returns every org's latest approval of new rules.
func (c *Contract) ListApprovals(ctx contractapi.TransactionContextInterface) (*model.RulesApprovalList, error) {
	current, err := getMarketRules(ctx)
	if err != nil {
		return nil, err
	}
	list, err := approvals(ctx, &current.Rules)
	if err != nil {
		return nil, err
	}
	return &model.RulesApprovalList{Version: current.Version, Majority: current.Majority(), Items: list}, nil
}

func listOrNone(msps []string) string {
	if len(msps) == 0 {
		return "none"
	}
	return strings.Join(msps, ", ")
}
