package participants

import (
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// RequireImpartial refuses a participant who would decide a case it is a
// party of, or in which it acts for the same enterprise (USCC) as a party:
// nobody decides their own case. Exchanges' operators call it before they
// review, decide an objection, resolve a dispute, record a payment or revoke
// a right as the exchange. partyIDs name the case's parties; empty IDs are
// skipped. what names the case in the refusal, e.g. `the dispute of trade
// "T1"`. A party acts for an enterprise only as far as the ledger holds it
// to (partyOf); the market rules are read for it only when a party's USCC is
// the judge's.
func RequireImpartial(ctx state.Context, judge *model.Participant, what string, partyIDs ...string) error {
	return RequireImpartialOf(ctx, judge, what, byID(partyIDs)...)
}

// CaseParty is a party of a case as its judge's check takes it: its ID, and
// the org the case itself names it of, where the case names one (a trade
// names its buyer's and its seller's from its opening), "" for the org its
// participant record names. The record is its org's alone to write: bytes
// there that are no participant name no org, and a party of no org made no
// judge acting for its enterprise partial (partyOf), so its org alone, by
// writing them, made its own operators its judges.
type CaseParty struct {
	ID    string
	MSPID string
}

// byID is the parties partyIDs name, each of the org its record names.
func byID(partyIDs []string) []CaseParty {
	parties := make([]CaseParty, len(partyIDs))
	for i, id := range partyIDs {
		parties[i] = CaseParty{ID: id}
	}
	return parties
}

// RequireImpartialOf is RequireImpartial for parties of a case that names
// their orgs (CaseParty), in the same words.
func RequireImpartialOf(ctx state.Context, judge *model.Participant, what string, caseParties ...CaseParty) error {
	for _, p := range caseParties {
		if p.ID == judge.ID {
			return ledgererr.Forbiddenf("participant %q is a party of %s and cannot decide it", judge.ID, what)
		}
	}
	parties, err := partiesOf(ctx, caseParties)
	if err != nil {
		return err
	}
	var rules *model.Rules
	party, err := partyOf(ctx, func() (*model.Rules, error) {
		if rules == nil {
			rules, err = market.Get(ctx)
		}
		return rules, err
	}, judge, parties)
	if err != nil {
		return err
	}
	if party != nil {
		return ledgererr.Forbiddenf("participant %q acts for %s, the enterprise of %q, a party of %s, and cannot decide it", judge.ID, judge.USCC, party.ID, what)
	}
	return nil
}

// RequireAJudge refuses to open a case that no ACTIVE operator of the
// exchange of region could decide, each being a party or acting for a
// party's enterprise (RequireImpartial): a case that waits for a decision
// nobody may make would wait for good. An operator reinstated with its key
// withdrawn (model.Participant.KeyWithdrawn) decides nothing until its admin
// binds a new one, so it is no judge either; nor is an operator certified for
// an enterprise whose org's binding of it is not the one in force (released
// by the rules, or bound to another org meanwhile: requireBindingInForce),
// which caller resolution refuses. The exchange of region is the org
// the market rules in force bind to it (rules, as caller resolution read
// them), whose operators are the ones caller resolution places in region:
// not an org a record names, which a majority moving orgs leaves behind.
// It reads that org's operators in key order up to the first who could (and,
// for a certified one, its enterprise's bindings: one request more; and for a
// party whose USCC is the operator's, that party's: partyOf).
func RequireAJudge(ctx state.Context, rules *model.Rules, region, what string, partyIDs ...string) error {
	return RequireAJudgeOf(ctx, rules, region, what, byID(partyIDs)...)
}

// RequireAJudgeOf is RequireAJudge for parties of a case that names their
// orgs (CaseParty), in the same words.
func RequireAJudgeOf(ctx state.Context, rules *model.Rules, region, what string, caseParties ...CaseParty) error {
	exchange, ok := rules.Exchange(region)
	if !ok {
		return ledgererr.Conflictf("no operator of the %s exchange could decide %s: no org of the market rules is the exchange of %s", region, what, region)
	}
	parties, err := partiesOf(ctx, caseParties)
	if err != nil {
		return err
	}
	rows, err := state.Collect(ctx, idxOrgRole, []string{exchange.MSPID, model.RoleOperator})
	if err != nil {
		return err
	}
	for _, row := range rows {
		op, err := Get(ctx, row[0])
		if err != nil {
			return err
		}
		if op.Status != model.ParticipantActive || op.KeyWithdrawn {
			continue
		}
		if party, err := partyOf(ctx, func() (*model.Rules, error) { return rules, nil }, op, parties); err != nil {
			return err
		} else if party != nil {
			continue
		}
		if inForce, err := bindingInForce(ctx, rules, op); err != nil || inForce {
			return err
		}
	}
	return ledgererr.Conflictf("no operator of the %s exchange could decide %s: each is a party of it or acts for a party's enterprise", region, what)
}

// registeredOnly stands, in partiesOf's copy of a party whose org cleared
// its certified roles, for the roles its registration certified, which the
// registration does not keep: only that it is certified counts there.
const registeredOnly = "registered"

// unvouched stands, in partiesOf's copy of a party registered for an enterprise before 18.0.0 whose record names
// an org that org's identity index does not vouch for (vouchedOrg), for the org its org hid: such a party acts,
// for whoever judges it, for the enterprise its registration certified wherever that is bound (partyOf), since
// the org it is of is not known. A party of no registration is of no org there, as its record is its org's word
// throughout (its enterprise too), which made no judge partial before either.
const unvouched = "?"

// partiesOf reads the parties of a case, skipping empty IDs, each with its
// registration (participant~cert) in one request (asParty).
func partiesOf(ctx state.Context, caseParties []CaseParty) ([]*model.Participant, error) {
	parties := make([]*model.Participant, 0, len(caseParties))
	for _, cp := range caseParties {
		if cp.ID == "" {
			continue
		}
		party, reg, err := readRegistered(ctx, cp.ID)
		if err != nil {
			return nil, err
		}
		judged := asParty(cp, party, reg)
		if cp.MSPID == "" {
			// A party the case names no org of (an asset's holder) is of the org vouchedOrg vouches for, not
			// the one its record names: its org alone rewrote that to an org where its enterprise is not bound,
			// and its own operator acting for that enterprise judged the case (no request more from 18.0.0).
			if judged.MSPID, err = vouchedOrg(ctx, party, reg); err != nil {
				return nil, err
			}
			if judged.MSPID == "" && reg != nil {
				judged.MSPID = unvouched
			}
		}
		parties = append(parties, judged)
	}
	return parties, nil
}

// AsParty reads participant id as the judge of a case it is a party of
// takes it (partiesOf), in one request to the peer: an operator delisting
// its listing asks whether it acts for its enterprise. Whatever bytes its
// org wrote into its record, it never fails on them.
func AsParty(ctx state.Context, id string) (*model.Participant, error) {
	party, reg, err := readRegistered(ctx, id)
	if err != nil {
		return nil, err
	}
	return asParty(CaseParty{ID: id}, party, reg), nil
}

// asParty is case party cp as its judge takes it, a copy never stored nor
// answered, from its record (nil where its ID names none) and its
// registration (nil for none): a party acts for the enterprise its
// registration certified, whatever its record, which its org alone
// rewrites, says since (asRegistered); a party without one, as its record
// says; and it is of the org the case names it of, where it names one
// (CaseParty), else of its registration's org (from 18.0.0), else of
// its record's (partiesOf passes the org vouchedOrg vouches for).
func asParty(cp CaseParty, party *model.Participant, reg *registration) *model.Participant {
	// No record, or one that is none, its org's own doing: the party is its
	// ID (and its registration's enterprise and the case's org, below), never
	// a reason to decide nothing (a dispute its org held undecided, the
	// seller's holding locked with it). Where the case names no org either,
	// it is of none, so no binding of it is in force and its enterprise
	// makes no judge partial (partyOf).
	judged := model.Participant{ID: cp.ID}
	if party != nil {
		judged = *party
	}
	if reg != nil && asRegistered(&judged, reg) != nil {
		// Its org alone cleared its certified roles or moved its USCC: it is
		// still, for whoever judges it, the enterprise its registration
		// certified.
		judged.USCC = reg.USCC
		if !judged.Certified() {
			judged.CertifiedRoles = []string{registeredOnly}
		}
	}
	switch {
	case cp.MSPID != "":
		judged.MSPID = cp.MSPID
	case reg != nil && reg.MSPID != "":
		// Registered from 18.0.0: of the org that registered it, whatever its record says since.
		judged.MSPID = reg.MSPID
	}
	return &judged
}

// partyOf returns the party that judge is, or acts for the enterprise of,
// or nil when judge is impartial. A party acts for an enterprise only where
// its record is certified and its org's binding of that enterprise is the one
// in force (requireBindingInForce, under the rules rules answers): the record
// is its org's alone to rewrite, and an org that wrote its party's USCC as
// the one the exchange's staff work for made every operator partial, so that
// a dispute of its trade was never resolved, the seller's holding locked to
// it for good. A staff party's USCC, its org's word, makes no one partial.
// Only a party whose USCC is the judge's costs reads (its binding, one
// request, and the rules once).
func partyOf(ctx state.Context, rules func() (*model.Rules, error), judge *model.Participant, parties []*model.Participant) (*model.Participant, error) {
	for _, party := range parties {
		if party.ID == judge.ID {
			return party, nil
		}
		if party.USCC != judge.USCC || !party.Certified() {
			continue
		}
		if party.MSPID == unvouched {
			return party, nil
		}
		r, err := rules()
		if err != nil {
			return nil, err
		}
		if inForce, err := bindingInForce(ctx, r, party); err != nil || inForce {
			return party, err
		}
	}
	return nil, nil
}

// bindingInForce reports whether p's org's binding of the enterprise it acts for is the one in force
// (requireBindingInForce), failing only when the ledger cannot be read.
func bindingInForce(ctx state.Context, rules *model.Rules, p *model.Participant) (bool, error) {
	err := requireBindingInForce(ctx, rules, p)
	if err != nil && ledgererr.CodeOf(err) == ledgererr.Internal {
		return false, err
	}
	return err == nil, nil
}
