package market

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Key types of the market rules. The rules are kept in two parts so that the
// part every transaction reads (who is where, who regulates) stays small:
// the core record, and one record of CA certificates per org, read only when
// a member is registered.
const (
	keyRules    = "market~rules"    // "current" -> model.MarketRules without the orgs' certificates
	keyCA       = "market~ca"       // mspId -> orgCAs: the org's CA certificates
	keyApproval = "market~approval" // mspId -> Approval: the org's latest approval of new rules
	rulesName   = "current"
)

// orgCAs is the record of one org's CA certificates.
type orgCAs struct {
	MSPID             string   `json:"mspId"`
	RootCerts         []string `json:"rootCerts"`
	IntermediateCerts []string `json:"intermediateCerts"`
}

// Get reads the rules in force without the orgs' certificates (RootCerts and
// IntermediateCerts are nil): what caller resolution needs, at the cost of
// one small read. CONFLICT until the deployment has set the rules.
func Get(ctx state.Context) (*model.Rules, error) {
	s, err := getMarketRules(ctx)
	if err != nil {
		return nil, err
	}
	return &s.Rules, nil
}

// RulesRead is a read of the rules in force, for a caller that reads them
// in one request with other keys (state.GetAll of its Read), then takes
// them from Rules.
type RulesRead struct {
	state.Read
	s model.MarketRules
}

// NewRead prepares a read of the rules in force.
func NewRead(ctx state.Context) (*RulesRead, error) {
	key, err := state.Key(ctx, keyRules, rulesName)
	if err != nil {
		return nil, err
	}
	r := &RulesRead{}
	r.Read = state.Read{Key: key, Into: &r.s}
	return r, nil
}

// Rules returns the rules read, as Get does.
func (r *RulesRead) Rules() (*model.Rules, error) {
	s, err := r.marketRules()
	if err != nil {
		return nil, err
	}
	return &s.Rules, nil
}

func (r *RulesRead) marketRules() (*model.MarketRules, error) {
	if !r.Found {
		return nil, ledgererr.Conflictf("the market rules are not set: the deployment sets them once with market:Init")
	}
	return &r.s, nil
}

func getMarketRules(ctx state.Context) (*model.MarketRules, error) {
	r, err := NewRead(ctx)
	if err != nil {
		return nil, err
	}
	if err := state.GetAll(ctx, &r.Read); err != nil {
		return nil, err
	}
	return r.marketRules()
}

// full reads the rules in force with every org's certificates.
func full(ctx state.Context) (*model.MarketRules, error) {
	s, err := getMarketRules(ctx)
	if err != nil {
		return nil, err
	}
	for i := range s.Orgs {
		cas, err := getCAs(ctx, s.Orgs[i].MSPID)
		if err != nil {
			return nil, err
		}
		s.Orgs[i].RootCerts, s.Orgs[i].IntermediateCerts = cas.RootCerts, cas.IntermediateCerts
	}
	return s, nil
}

func getCAs(ctx state.Context, mspID string) (*orgCAs, error) {
	key, err := state.Key(ctx, keyCA, mspID)
	if err != nil {
		return nil, err
	}
	var cas orgCAs
	found, err := state.Get(ctx, key, &cas)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, ledgererr.Internalf(fmt.Errorf("no record %s", mspID), "the market rules name %s but hold no CA certificates of it", mspID)
	}
	return &cas, nil
}

// mustParse parses a certificate that Parse checked before it was stored.
func mustParse(p string) *x509.Certificate {
	block, _ := pem.Decode([]byte(p))
	if block == nil {
		panic("market: a stored certificate is not PEM")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		panic(fmt.Sprintf("market: a stored certificate does not parse: %v", err))
	}
	return cert
}

// put writes rules r in force in place of old (nil at Init): the core
// record and every org's CA record under a majority of r's orgs, an empty
// approval slot (under the org's own policy) for each org that is new, and the deletion of the CA records of orgs r no longer names.
func put(ctx state.Context, r *model.Rules, old *model.Rules, now time.Time) (*model.MarketRules, error) {
	orgs := r.MSPIDs()
	core := &model.MarketRules{Rules: *r, Hash: r.Hash(), UpdatedAt: state.Format(now), TxID: ctx.GetStub().GetTxID()}
	core.Orgs = make([]model.MarketOrg, len(r.Orgs))
	for i, o := range r.Orgs {
		core.Orgs[i] = model.MarketOrg{MSPID: o.MSPID, Region: o.Region, Divisions: o.Divisions}
	}
	key, err := state.Key(ctx, keyRules, rulesName)
	if err != nil {
		return nil, err
	}
	if err := state.PutUnderMajority(ctx, key, core, orgs); err != nil {
		return nil, err
	}
	for _, o := range r.Orgs {
		caKey, err := state.Key(ctx, keyCA, o.MSPID)
		if err != nil {
			return nil, err
		}
		if err := state.PutUnderMajority(ctx, caKey, &orgCAs{MSPID: o.MSPID, RootCerts: o.RootCerts, IntermediateCerts: o.IntermediateCerts}, orgs); err != nil {
			return nil, err
		}
		if old != nil {
			if _, known := old.Org(o.MSPID); known {
				continue
			}
		}
		// Written even over a slot the org kept from an earlier removal (its
		// peers then endorse being named again): a slot that someone wrote
		// under the org's policy before the org was named must not carry
		// a vote into the rules.
		if err := putApproval(ctx, &model.RulesApproval{MSPID: o.MSPID}); err != nil {
			return nil, err
		}
	}
	if old != nil {
		for _, o := range old.Orgs {
			if _, kept := r.Org(o.MSPID); kept {
				continue
			}
			// Only the CA record goes: it is the majority's. The approval
			// slot is under the org's own policy, so deleting it would need
			// the org's peers to endorse its own removal (a veto); it stays,
			// read by no Apply while the rules do not name the org.
			k, err := state.Key(ctx, keyCA, o.MSPID)
			if err != nil {
				return nil, err
			}
			if err := ctx.GetStub().DelState(k); err != nil {
				return nil, ledgererr.Internalf(err, "deleting the CA certificates of %s", o.MSPID)
			}
		}
	}
	return core, nil
}

// putApproval writes an org's approval slot; only that org's peers may
// endorse a change to it, so no other orgs can approve in its name.
func putApproval(ctx state.Context, a *model.RulesApproval) error {
	key, err := state.Key(ctx, keyApproval, a.MSPID)
	if err != nil {
		return err
	}
	return state.PutOwned(ctx, key, a, a.MSPID)
}

// approvals reads the approval slot of every org of r, in r's order. The
// org's own peers can write anything into its slot, so a slot that is no
// approval reads as none: one whose bytes do not decode as one (refused
// as an error, it failed every Apply while the org was named, its own
// removal included: a veto over every change of the rules), and one that
// names another org than its key's (which would count that org twice).
func approvals(ctx state.Context, r *model.Rules) ([]*model.RulesApproval, error) {
	list := make([]*model.RulesApproval, 0, len(r.Orgs))
	for _, o := range r.Orgs {
		key, err := state.Key(ctx, keyApproval, o.MSPID)
		if err != nil {
			return nil, err
		}
		slot := state.Read{Key: key}
		if err := state.GetAll(ctx, &slot); err != nil {
			return nil, err
		}
		a := &model.RulesApproval{MSPID: o.MSPID}
		if slot.Found && (json.Unmarshal(slot.Value, a) != nil || a.MSPID != o.MSPID) {
			a = &model.RulesApproval{MSPID: o.MSPID}
		}
		list = append(list, a)
	}
	return list, nil
}
