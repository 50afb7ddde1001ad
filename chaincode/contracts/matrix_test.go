package contracts_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The authorisation matrix: every state-changing function of the chaincode,
// called by every role, from four relations to the case, each cell asserting
// that the call is allowed or the exact refusal. It is generated from the one
// table below (matrix): a row per function says what the call is, whose case
// it is, and the outcome per role and relation.
//
// Relations, to the case's principal party (the participant whose case it
// is, named per function):
//
//	own    a participant of the principal's org with no stake in the case
//	other  a participant of another org with no stake in the case
//	twin   a participant acting for the principal's enterprise (same USCC)
//	party  the principal party itself
//
// In each cell the caller holds exactly the role of the row: the test sets
// the roles of the six callers (a majority of the orgs named them all
// regulators, so the regulator role counts). Two more rows call as the org's
// admin (a Fabric admin identity, no participant) and as an unregistered
// identity, of the principal's org (own) and of another (other); they have
// no twin or party cell. Every cell is evaluated on a peer of the caller's
// org against one prepared ledger, so that a call that would succeed writes
// nothing and every cell sees the same cases.

// outcome is what a cell expects: "ok", or a refusal code with, for the
// refusals whose reason matters, a fragment of the message (or the field of
// an INVALID_ARGUMENT).
type outcome struct {
	code     ledgererr.Code // "" for allowed
	field    string
	fragment string
}

var (
	ok       = outcome{}
	role     = outcome{code: ledgererr.Forbidden, fragment: "holds none of the roles"}
	reg      = outcome{code: ledgererr.Forbidden, fragment: "is a regulator: the regulator reads the ledger and changes nothing"}
	ownCase  = outcome{code: ledgererr.Forbidden, fragment: "and cannot decide it"}
	ownEnt   = outcome{code: ledgererr.Forbidden, fragment: "acts for"}
	ownOrg   = outcome{code: ledgererr.Forbidden, fragment: "the org of a party"} // a regulator of a party's org
	admin    = outcome{code: ledgererr.Forbidden, fragment: "only an admin of"}
	unreg    = outcome{code: ledgererr.Forbidden, fragment: "is not a registered participant"}
	no       = outcome{code: ledgererr.Forbidden} // not the party, not entitled: the reason varies by function
	conflict = outcome{code: ledgererr.Conflict}
	deemed   = outcome{code: ledgererr.Conflict, fragment: "is deemed accepted and can no longer be disputed"} // a late dispute (trades:Dispute)
	notFound = outcome{code: ledgererr.NotFound}
	na       = outcome{code: "n/a"} // no such caller: admins and strangers have no twin or party
)

func invalid(field string) outcome { return outcome{code: ledgererr.InvalidArgument, field: field} }

func (o outcome) String() string {
	if o.code == "" {
		return "ok"
	}
	s := string(o.code)
	if o.field != "" {
		s += "(" + o.field + ")"
	}
	if o.fragment != "" {
		s += " " + fmt.Sprintf("%q", o.fragment)
	}
	return s
}

// cells are the outcomes of one row: own, other, twin, party.
type cells [4]outcome

var relations = [4]string{"own", "other", "twin", "party"}

// all is a row with one outcome in every relation.
func all(o outcome) cells { return cells{o, o, o, o} }

// Rows of the table: the five participant roles, then the org's admin and
// an unregistered identity.
var rowNames = []string{"operator", "holder", "buyer", "agency", "regulator", "admin", "unregistered"}

// row is one function of the matrix.
type row struct {
	fn        string
	about     string                           // the case, for the document
	principal string                           // "P" or "Q": whose case it is (see world)
	args      func(w *world) []string          // the call's arguments
	transient func(w *world) map[string][]byte // transient data, if any
	outcomes  map[string]cells                 // by row name; missing rows take defaultRows
}

// defaultRows are the rows of a participant's function for the callers
// that are not participants: the org's admin and a stranger.
var defaultRows = map[string]cells{
	"admin":        {unreg, unreg, na, na},
	"unregistered": {unreg, unreg, na, na},
}

// adminOnly is a function of the org's admin: every participant is refused.
func adminOnly(adminRow cells) map[string]cells {
	m := map[string]cells{"admin": adminRow, "unregistered": {admin, admin, na, na}}
	for _, r := range rowNames[:5] {
		m[r] = all(admin)
	}
	return m
}

// actor is a function any non-regulator participant may be allowed: only
// the regulator row differs from the outcomes given for the four roles.
func actor(operator, holder, buyer, agency cells) map[string]cells {
	return map[string]cells{"operator": operator, "holder": holder, "buyer": buyer, "agency": agency, "regulator": all(reg)}
}

// partyRow is a row in which only the principal party itself is allowed:
// not a participant of its org or of another without a stake in the case,
// nor one acting for its enterprise (see relations).
var partyRow = cells{no, no, no, ok}

// partyOnly is a function only the case's party may call, whatever its role
// (the regulator, as with every actor, never).
func partyOnly() map[string]cells { return actor(partyRow, partyRow, partyRow, partyRow) }

// A trade reads as a missing one to whoever may not read it (trades:Get:
// its parties, the regulator, the operators of its regions), before any
// other check: in the world's trades, both of whose parties are of
// Shanghai, to everyone but the parties and Shanghai's operators.
var (
	// unreadRow is a row of callers without the operator role: only the
	// party reads the trade.
	unreadRow = cells{notFound, notFound, notFound, ok}
	// tradeOperatorRow is the operator row of a function only the party
	// may call: Shanghai's operators read the trade and are refused, the
	// other region's does not read it.
	tradeOperatorRow = cells{no, notFound, no, ok}
	// partyNoJudge is a row of callers without the operator role of a
	// function only an operator may call (trades:Resolve): the party reads
	// the trade and is refused.
	partyNoJudge = cells{notFound, notFound, notFound, no}
)

// tradePartyOnly is partyOnly for a trade: the trade's party alone, and to
// whoever may not read the trade it reads as a missing one.
func tradePartyOnly() map[string]cells {
	return actor(tradeOperatorRow, unreadRow, unreadRow, unreadRow)
}

// tradeSupervised is a trade's function that its party and an operator of
// its region may call (operator is the operator row): the other rows are
// tradePartyOnly's.
func tradeSupervised(operator cells) map[string]cells {
	return actor(operator, unreadRow, unreadRow, unreadRow)
}

// lateDispute is tradePartyOnly for a dispute after the inspection
// deadline: the party's own call has outcome party (trades:Dispute).
func lateDispute(party outcome) map[string]cells {
	m := tradePartyOnly()
	for name, c := range m {
		if name != "regulator" {
			c[3] = party
			m[name] = c
		}
	}
	return m
}

// withRole is a function that requires one role: callers without it are
// refused as lacking the role (the regulator role never satisfies it).
func withRole(needed string, withIt cells) map[string]cells {
	m := map[string]cells{}
	for _, r := range rowNames[:5] {
		m[r] = all(role)
	}
	m[needed] = withIt
	return m
}

// withRoles is m with the cells of row name set to cells.
func withRoles(m map[string]cells, name string, c cells) map[string]cells {
	m[name] = c
	return m
}

// ownKey is a function of the participant about its own key (participants:RotateKey), whatever its role: the
// certificate of the case is the principal's, which no other caller binds (another identity, another org's CA).
func ownKey() map[string]cells {
	m := map[string]cells{}
	for _, r := range rowNames[:5] {
		m[r] = cells{invalid("certificatePem"), invalid("certificatePem"), invalid("certificatePem"), ok}
	}
	return m
}

// monitors is a function of an org's operators and regulators.
func monitors(withIt cells) map[string]cells {
	m := withRole("operator", withIt)
	m["regulator"] = withIt
	return m
}

// The published indices of the world: a closed day whose figures Shanghai
// and Anhui attested, opened for publication.
const (
	indicesPeriod = "day:2026-02-01"
	indicesInput  = "abababababababababababababababababababababababababababababababab"
)

// indicesFigures are well-formed figures of indicesPeriod, blocks 0 to 9.
var indicesFigures = markettest.Figures(markettest.PeriodFigures(indicesPeriod, 0, 9))

// matrix is the table. Its principals: P is the seller, applicant, holder
// and issuing agency of the cases; Q is the buyer and the credit subject.
// Both are of Shanghai, whose exchange supervises the cases; "other" is of
// Jiangsu. See world for every case.
func matrix() []row {
	return []row{
		// market rules: the orgs' admins
		{fn: "market:Init", about: "the first market rules (already set)", principal: "P", args: func(w *world) []string { return []string{w.rulesV1} },
			outcomes: adminOnly(cells{conflict, conflict, na, na})},
		{fn: "market:Approve", about: "the next version of the rules", principal: "P", args: func(w *world) []string { return []string{w.rulesV2} },
			outcomes: adminOnly(cells{ok, ok, na, na})},
		{fn: "market:Apply", about: "rules not approved by a majority", principal: "P", args: func(w *world) []string { return []string{w.rulesV2} },
			outcomes: adminOnly(cells{conflict, conflict, na, na})},

		// indices: statements of an org's monitors (operators and regulators) and the
		// regulator's publication; no party's case
		{fn: "indices:Attest", about: "an org's figures of a closed day", principal: "P", args: func(*world) []string {
			return []string{indicesPeriod, "0", "9", indicesInput, model.FiguresHash(indicesFigures)}
		}, outcomes: monitors(all(ok))},
		{fn: "indices:Open", about: "a closed day not yet open", principal: "P", args: func(*world) []string { return []string{"day:2026-02-02"} },
			outcomes: monitors(all(ok))},
		{fn: "indices:Publish", about: "figures Shanghai and Anhui attested (not Jiangsu, whose peer answers other)", principal: "P",
			args:     func(*world) []string { return []string{indicesPeriod, "0", "9", indicesInput, indicesFigures} },
			outcomes: withRole("regulator", cells{ok, no, ok, ok})},

		// participants: the org's admin, for its own org only
		{fn: "participants:Register", about: "a new member of Shanghai", principal: "P", args: func(w *world) []string {
			return []string{"sh.newcomer", w.newcomerCert, "buyer", markettest.USCC(90), "Newcomer Ltd", "shanghai"}
		}, outcomes: adminOnly(cells{ok, invalid("region"), na, na})},
		{fn: "participants:SetRoles", about: "P's roles", principal: "P", args: func(*world) []string { return []string{"sh.P", "operator,holder,buyer,agency"} },
			outcomes: adminOnly(cells{ok, no, na, na})},
		{fn: "participants:SetDivision", about: "P's place (Huangpu, Shanghai)", principal: "P", args: func(*world) []string { return []string{"sh.P", "310101"} },
			outcomes: adminOnly(cells{ok, no, na, na})},
		{fn: "participants:Suspend", about: "P", principal: "P", args: func(*world) []string { return []string{"sh.P", "audit"} },
			outcomes: adminOnly(cells{ok, no, na, na})},
		{fn: "participants:Reinstate", about: "a suspended member of Shanghai", principal: "P", args: func(*world) []string { return []string{"sh.suspended"} },
			outcomes: adminOnly(cells{ok, no, na, na})},
		{fn: "participants:RotateKey", about: "a new certificate of P's identity, over a new key", principal: "P", args: func(w *world) []string { return []string{w.pNewKeyCert} },
			outcomes: ownKey()},
		{fn: "participants:RebindKey", about: "a new certificate of P's identity, over a new key", principal: "P", args: func(w *world) []string {
			return []string{"sh.P", w.pNewKeyCert, "lost its key"}
		}, outcomes: adminOnly(cells{ok, no, na, na})},
		{fn: "participants:ReleaseEnterprise", about: "an enterprise of Shanghai", principal: "P", args: func(*world) []string { return []string{markettest.USCC(80), "moving to Hefei"} },
			outcomes: adminOnly(cells{ok, no, na, na})},

		// assets: the registration procedure
		{fn: "assets:Apply", about: "a new application in Shanghai", principal: "P", args: func(*world) []string {
			return []string{"new-asset", "New data", "finance", "shanghai", "d", markettest.Hash("new-asset")}
		}, outcomes: withRole("holder", all(ok))},
		{fn: "assets:Derive", about: "a product of P's registered asset", principal: "P", args: func(*world) []string {
			return []string{"new-product", "Product", "finance", "shanghai", "d", markettest.Hash("new-product"), "A-reg", "credit risk model"}
		}, outcomes: withRole("holder", cells{no, no, no, ok})},
		{fn: "assets:Review", about: "P's pending application", principal: "P", args: func(*world) []string { return []string{"A-pending", "APPROVE", ""} },
			outcomes: withRole("operator", cells{ok, no, ownCase, ownCase})},
		{fn: "assets:Object", about: "P's application in public notice", principal: "P", args: func(*world) []string { return []string{"O-new", "A-notice", "this is ours"} },
			outcomes: actor(all(ok), all(ok), all(ok), all(ok))},
		{fn: "assets:DecideObjection", about: "an Anhui objection to P's application", principal: "P", args: func(*world) []string { return []string{"A-notice", "O1", "DISMISS", "unfounded"} },
			outcomes: withRole("operator", cells{ok, no, ownCase, ownCase})},
		{fn: "assets:Certify", about: "P's application whose notice ended", principal: "P", args: func(*world) []string { return []string{"A-ready"} },
			outcomes: actor(cells{ok, no, ok, ok}, partyRow, partyRow, partyRow)},

		// rights
		{fn: "rights:Grant", about: "a licence over P's asset", principal: "P", args: func(w *world) []string { return []string{"A-reg", "ah.x", "USE", w.scope} },
			outcomes: partyOnly()},
		{fn: "rights:Sublicense", about: "a sublicence of P's USE right", principal: "P", args: func(w *world) []string { return []string{w.pUseRight, "ah.x", w.scope} },
			outcomes: partyOnly()},
		{fn: "rights:Revoke", about: "a licence P granted", principal: "P", args: func(w *world) []string { return []string{w.grantedRight, "breach"} },
			outcomes: actor(cells{ok, no, ownCase, ok}, partyRow, partyRow, partyRow)},
		{fn: "rights:Renounce", about: "P's USE right", principal: "P", args: func(w *world) []string { return []string{w.pUseRight} },
			outcomes: partyOnly()},
		{fn: "rights:Accept", about: "a licence offered to P", principal: "P", args: func(w *world) []string { return []string{w.pOfferedRight} },
			outcomes: partyOnly()},
		{fn: "rights:Decline", about: "a licence offered to P", principal: "P", args: func(w *world) []string { return []string{w.pOfferedRight, "never asked"} },
			outcomes: partyOnly()},
		{fn: "rights:TransferHolding", about: "P's holding", principal: "P", args: func(*world) []string { return []string{"A-free", "ah.x", "merger"} },
			outcomes: partyOnly()},
		{fn: "rights:AcceptHolding", about: "P's holding offered to Q", principal: "Q", args: func(*world) []string { return []string{"A-offered"} },
			outcomes: partyOnly()},
		{fn: "rights:RefuseHolding", about: "P's holding offered to Q", principal: "Q", args: func(*world) []string { return []string{"A-offered", "not wanted"} },
			outcomes: partyOnly()},
		{fn: "rights:WithdrawHolding", about: "P's offer of its holding to Q", principal: "P", args: func(*world) []string { return []string{"A-offered", "changed my mind"} },
			outcomes: partyOnly()},

		// listings
		{fn: "listings:Create", about: "a listing of P's asset", principal: "P", args: func(w *world) []string {
			return []string{"L-new", "A-reg", "USE", w.scope, "FIXED", "7000", markettest.Hash("terms")}
		}, outcomes: withRole("holder", cells{no, no, no, ok})},
		{fn: "listings:UpdatePrice", about: "P's listing", principal: "P", args: func(*world) []string { return []string{"L-fixed", "5500", "discount"} },
			outcomes: partyOnly()},
		{fn: "listings:Delist", about: "P's listing", principal: "P", args: func(*world) []string { return []string{"L-fixed", "withdrawn"} },
			outcomes: actor(cells{ok, no, ok, ok}, partyRow, partyRow, partyRow)},

		// trades: P sells, Q buys
		{fn: "trades:Order", about: "an order on P's FIXED listing", principal: "P", args: func(*world) []string { return []string{"T-new", "L-fixed"} },
			outcomes: withRole("buyer", cells{ok, ok, no, no})},
		{fn: "trades:Propose", about: "an offer on P's NEGOTIABLE listing whose terms the caller did not stage (StageTerms first)", principal: "P",
			args:     func(*world) []string { return []string{"T-new", "L-neg"} },
			outcomes: withRole("buyer", cells{notFound, notFound, no, no})},
		{fn: "trades:StageTerms", about: "round 1 of a new trade on P's NEGOTIABLE listing, staged", principal: "P",
			args:      func(*world) []string { return []string{"T-new", "1", "L-neg"} },
			transient: func(*world) map[string][]byte { return terms("70000") },
			outcomes:  withRole("buyer", cells{ok, ok, ok, no})},
		{fn: "trades:WithdrawTerms", about: "P's answer to Q's offer, staged and not offered", principal: "P",
			args: func(*world) []string { return []string{"T-neg", "2", ""} }, outcomes: tradePartyOnly()},
		{fn: "trades:Counter", about: "Q's offer to P (P's answer staged)", principal: "P", args: func(*world) []string { return []string{"T-neg"} },
			outcomes: tradePartyOnly()},
		{fn: "trades:AcceptOffer", about: "Q's offer to P", principal: "P", args: func(*world) []string { return []string{"T-neg"} },
			outcomes: tradePartyOnly()},
		{fn: "trades:Accept", about: "Q's order from P", principal: "P", args: func(*world) []string { return []string{"T-ordered"} },
			outcomes: tradePartyOnly()},
		{fn: "trades:Reject", about: "Q's order from P", principal: "P", args: func(*world) []string { return []string{"T-ordered", "sold out"} },
			outcomes: tradePartyOnly()},
		{fn: "trades:RecordPayment", about: "Q's accepted order (FIXED)", principal: "Q", args: func(*world) []string { return []string{"T-accepted", "BANK-1"} },
			transient: func(*world) map[string][]byte { return markettest.Payment("6000") },
			outcomes:  tradeSupervised(cells{ok, notFound, ownCase, ok})},
		{fn: "trades:Deliver", about: "a trade Q paid P", principal: "P", args: func(*world) []string { return []string{"T-paid", markettest.Hash("delivery")} },
			outcomes: tradePartyOnly()},
		{fn: "trades:Confirm", about: "a delivery to Q", principal: "Q", args: func(*world) []string { return []string{"T-delivered"} },
			outcomes: tradePartyOnly()},
		{fn: "trades:Confirm", about: "P's delivery Q left past its inspection deadline", principal: "P", args: func(*world) []string { return []string{"T-uninspected"} },
			outcomes: tradePartyOnly()},
		{fn: "trades:CloseOthers", about: "the orders P's sale of a holding to Q beat", principal: "P", args: func(*world) []string { return []string{"T-sold", ""} },
			outcomes: tradeSupervised(cells{ok, notFound, ok, ok})},
		{fn: "trades:Cancel", about: "Q's order", principal: "Q", args: func(*world) []string { return []string{"T-ordered", "changed plans"} },
			outcomes: tradePartyOnly()},
		{fn: "trades:Cancel", about: "Q's accepted order, not paid", principal: "Q", args: func(*world) []string { return []string{"T-accepted", "changed plans"} },
			outcomes: tradePartyOnly()},
		{fn: "trades:Cancel", about: "P's acceptance of Q's order, not paid (acceptance binds the seller)", principal: "P",
			args:     func(*world) []string { return []string{"T-accepted", "a better offer"} },
			outcomes: actor(cells{no, notFound, no, no}, partyNoJudge, partyNoJudge, partyNoJudge)},
		{fn: "trades:Cancel", about: "Q's payment P left undelivered past its deadline", principal: "Q", args: func(*world) []string { return []string{"T-undelivered", "not delivered"} },
			outcomes: tradePartyOnly()},
		{fn: "trades:Expire", about: "Q's lapsed order", principal: "Q", args: func(*world) []string { return []string{"T-lapsed"} },
			outcomes: tradeSupervised(cells{ok, notFound, ok, ok})},
		{fn: "trades:Dispute", about: "a trade Q paid", principal: "Q", args: func(*world) []string { return []string{"T-paid", "wrong data"} },
			outcomes: tradePartyOnly()},
		// After the inspection deadline a delivery is deemed accepted: it is
		// disputed only while its conveyance would be refused, by its buyer, or
		// by its seller while the trade holds what the licence is sold under
		// (13.0.0), or while the buyer is not ACTIVE (SUSPENDED or RELEASED)
		// or its org's binding of its enterprise is no longer in force.
		{fn: "trades:Dispute", about: "P's delivery Q left past its inspection deadline, which conveys", principal: "Q",
			args: func(*world) []string { return []string{"T-uninspected", "changed my mind"} }, outcomes: lateDispute(deemed)},
		{fn: "trades:Dispute", about: "P's delivery to Q past its inspection deadline, whose licence's term ended (the conveyance is refused)", principal: "Q",
			args: func(*world) []string { return []string{"T-expired", "nothing was conveyed"} }, outcomes: lateDispute(ok)},
		{fn: "trades:Dispute", about: "the same delivery, by P while Q is ACTIVE (the trade holds P's holding)", principal: "P",
			args: func(*world) []string { return []string{"T-expired", "the term ended"} }, outcomes: lateDispute(ok)},
		{fn: "trades:Dispute", about: "P's delivery past its inspection deadline to a buyer since RELEASED", principal: "P",
			args: func(*world) []string { return []string{"T-left", "the buyer left the market"} }, outcomes: lateDispute(ok)},
		{fn: "trades:Dispute", about: "P's delivery past its inspection deadline to a buyer whose org's binding is no longer in force", principal: "P",
			args: func(*world) []string { return []string{"T-moved", "the buyer's enterprise is held elsewhere"} }, outcomes: lateDispute(ok)},
		{fn: "trades:Dispute", about: "P's delivery past its inspection deadline to a buyer since SUSPENDED", principal: "P",
			args: func(*world) []string { return []string{"T-halted", "the buyer is suspended"} }, outcomes: lateDispute(ok)},
		{fn: "trades:Resolve", about: "a dispute of P's sale", principal: "P", args: func(*world) []string { return []string{"T-disputed", "COMPLETE", "delivery verified"} },
			outcomes: actor(cells{ok, notFound, ownCase, ownCase}, partyNoJudge, partyNoJudge, partyNoJudge)},
		{fn: "trades:RequestPurge", about: "Q's completed negotiated trade", principal: "Q", args: func(*world) []string { return []string{"T-done-neg"} },
			outcomes: tradePartyOnly()},

		// credit: P is the issuing agency, Q the subject
		{fn: "credit:StageRecord", about: "a record about Q", principal: "Q", args: func(w *world) []string { return []string{"R-new", w.q} },
			transient: func(*world) map[string][]byte { return record() },
			outcomes:  withRole("agency", cells{ok, ok, ownEnt, ownEnt})},
		{fn: "credit:Publish", about: "contents P staged about Q", principal: "P", args: func(w *world) []string { return []string{"R-staged", w.q} },
			outcomes: withRole("agency", cells{notFound, notFound, notFound, ok})},
		{fn: "credit:Authorize", about: "a new authorisation by the caller's enterprise", principal: "Q", args: func(w *world) []string {
			return []string{"A-new", "ah.x", "due diligence", w.later}
		}, outcomes: actor(all(ok), all(ok), all(ok), all(ok))},
		{fn: "credit:RevokeAuthorization", about: "Q's authorisation", principal: "Q", args: func(*world) []string { return []string{"A1"} },
			outcomes: actor(cells{no, no, ok, ok}, cells{no, no, ok, ok}, cells{no, no, ok, ok}, cells{no, no, ok, ok})},
		{fn: "credit:RequestQuery", about: "Q's records, no authorisation", principal: "Q", args: func(w *world) []string { return []string{"T-trace", w.q, "review", ""} },
			outcomes: map[string]cells{
				"operator": {no, no, ok, ok}, "holder": {no, no, ok, ok}, "buyer": {no, no, ok, ok}, "agency": {no, no, ok, ok},
				"regulator": all(ok),
			}},
		// A record its caller may not read (of those with no stake in it, only
		// the agencies of the enterprise that issued it may) is refused as a
		// missing one.
		{fn: "credit:RaiseObjection", about: "a record about Q", principal: "Q", args: func(*world) []string { return []string{"CO-new", "R-pub2", "we paid"} },
			outcomes: actor(cells{notFound, notFound, ok, ok}, cells{notFound, notFound, ok, ok}, cells{notFound, notFound, ok, ok}, cells{notFound, notFound, ok, ok})},
		// In the regulator row nobody of P's enterprise holds the agency role (every caller holds the row's role
		// alone), so its agency can no longer answer CO1, overdue, and a regulator of another org answers for
		// it; one acting for P's enterprise, a party, never, nor one of P's and Q's org (Shanghai).
		{fn: "credit:AnswerObjection", about: "Q's objection to P's record", principal: "P", args: func(*world) []string { return []string{"CO1", "DISMISS", "the record stands", ""} },
			outcomes: withRoles(withRole("agency", cells{no, no, ok, ok}), "regulator", cells{ownOrg, ok, ownEnt, ownEnt})},
	}
}

// world is the prepared ledger every cell is evaluated against.
//
//	P  (sh.P, Shanghai, enterprise 1)  applicant and holder of A-pending, A-notice, A-ready, A-reg,
//	                                   A-offered (its holding offered to Q), A-free (no licence sold
//	                                   from it awaits conveyance, so its holding may move);
//	                                   seller of L-fixed and L-neg and of every trade; agency of R-pub,
//	                                   R-pub2 (published) and R-staged (staged)
//	PT (sh.PT, enterprise 1)           P's twin
//	Q  (sh.Q, Shanghai, enterprise 2)  buyer of every trade; subject of the records, objected CO1 to
//	                                   R-pub (overdue); granted A1
//	QT (sh.QT, enterprise 2)           Q's twin
//	sh.gone                            buyer of T-left, its enterprise released
//	sh.moved                           buyer of T-moved, its enterprise bound by Jiangsu since (js.moved)
//	sh.halted                          buyer of T-halted, suspended after the delivery
//	own (sh.own), other (js.other)     no stake in anything
//	sh.op                              the Shanghai operator that runs the procedures
//	ah.x, ah.h                         Anhui counterparties (objector, grantee, licensor of P's USE right)
type world struct {
	m                       *markettest.Market
	callers                 map[string]string // relation -> participant, per principal: see caller
	q                       string            // Q's USCC
	scope, later            string
	rulesV1, rulesV2        string
	newcomerCert            string
	pNewKeyCert             string // a certificate of P's identity over a new key
	pUseRight, grantedRight string
	pOfferedRight           string // a licence ah.h offered P, not yet answered
}

const purpose = "credit risk model"

// terms is the transient data of an offer at price.
func terms(price string) map[string][]byte { return markettest.Terms(price, "monthly refresh") }

func record() map[string][]byte {
	return map[string][]byte{"record": []byte(`{"type":"RATING","grade":"A","evidenceHash":"` + markettest.Hash("evidence") +
		`","validUntil":"2027-12-01T00:00:00Z","summary":"Annual rating"}`)}
}

func newWorld(t *testing.T) *world {
	m := markettest.New(t)
	w := &world{m: m, q: markettest.USCC(2)}
	sh, js, ah := markettest.Shanghai, markettest.Jiangsu, markettest.Anhui
	m.Join(t, sh, "sh.P", "holder,agency", markettest.USCC(1))
	m.Join(t, sh, "sh.PT", "holder", markettest.USCC(1))
	m.Join(t, sh, "sh.Q", "buyer", w.q)
	m.Join(t, sh, "sh.QT", "buyer", w.q)
	m.Join(t, sh, "sh.own", "buyer", markettest.USCC(3))
	m.Join(t, js, "js.other", "buyer", markettest.USCC(4))
	m.Join(t, sh, "sh.op", "operator", markettest.USCC(5))
	m.Join(t, ah, "ah.x", "holder,buyer", markettest.USCC(6))
	m.Join(t, ah, "ah.h", "holder", markettest.USCC(7))
	m.Join(t, ah, "ah.op", "operator", markettest.USCC(9))
	m.Join(t, sh, "sh.suspended", "buyer", markettest.USCC(8))
	m.Join(t, sh, "sh.leaving", "buyer", markettest.USCC(80))
	m.Join(t, sh, "sh.gone", "buyer", markettest.USCC(81))
	m.Join(t, sh, "sh.moved", "buyer", markettest.USCC(82))
	m.Join(t, sh, "sh.halted", "buyer", markettest.USCC(83))
	m.NameRegulators(t,
		model.Regulator{MSPID: sh, ParticipantID: "sh.P"}, model.Regulator{MSPID: sh, ParticipantID: "sh.PT"},
		model.Regulator{MSPID: sh, ParticipantID: "sh.Q"}, model.Regulator{MSPID: sh, ParticipantID: "sh.QT"},
		model.Regulator{MSPID: sh, ParticipantID: "sh.own"}, model.Regulator{MSPID: js, ParticipantID: "js.other"})
	m.Net.Submit(m.Admin(sh), "participants:Suspend", "sh.suspended", "audit").MustOK(t)
	for _, org := range []struct{ who, msp string }{{"sh.op", sh}, {"ah.op", ah}} {
		m.Net.Invoke(m.As(org.who), chaincodetest.Call{Function: "indices:Attest", PeerMSP: org.msp, Endorsers: []string{org.msp},
			Args: []string{indicesPeriod, "0", "9", indicesInput, model.FiguresHash(indicesFigures)}}).MustOK(t)
	}
	m.Submit("sh.op", "indices:Open", indicesPeriod).MustOK(t)

	w.scope = `{"purpose":"` + purpose + `","regions":["shanghai","jiangsu"],"validUntil":"2028-01-01T00:00:00Z","maySublicense":true}`

	// Registered assets, listings, a licence P holds, a licence P granted.
	m.RegisterAsset(t, "sh.P", "sh.op", "A-reg", "finance", "shanghai")
	m.RegisterAsset(t, "ah.h", "ah.op", "B-reg", "finance", "anhui")
	m.RegisterAsset(t, "sh.P", "sh.op", "A-offered", "finance", "shanghai")
	m.RegisterAsset(t, "sh.P", "sh.op", "A-free", "finance", "shanghai")
	w.pUseRight = m.Grant(t, "ah.h", "B-reg", "sh.P", "USE", w.scope).ID
	w.grantedRight = m.Grant(t, "sh.P", "A-reg", "ah.x", "USE", w.scope).ID
	listScope := `{"purpose":"` + purpose + `","regions":["shanghai"],"validUntil":"2028-01-01T00:00:00Z"}`
	m.Submit("sh.P", "listings:Create", "L-fixed", "A-reg", "USE", listScope, "FIXED", "6000", markettest.Hash("terms")).MustOK(t)
	m.Submit("sh.P", "listings:Create", "L-neg", "A-reg", "USE", listScope, "NEGOTIABLE", "80000", markettest.Hash("terms")).MustOK(t)

	// A trade left to lapse, a paid one P left undelivered and a delivered
	// one Q left uninspected past their deadlines, and an application whose
	// notice will be over.
	// (One open trade per buyer enterprise on a listing: the order left to lapse is on a listing of its own.)
	m.Submit("sh.P", "listings:Create", "L-lapsing", "A-reg", "USE", listScope, "FIXED", "6000", markettest.Hash("terms")).MustOK(t)
	m.Submit("sh.Q", "trades:Order", "T-lapsed", "L-lapsing").MustOK(t)
	for _, id := range []string{"T-undelivered", "T-uninspected"} {
		m.Submit("sh.Q", "trades:Order", id, "L-fixed").MustOK(t)
		m.Submit("sh.P", "trades:Accept", id).MustOK(t)
		m.SubmitWith("sh.Q", markettest.Payment("6000"), "trades:RecordPayment", id, "BANK-"+id).MustOK(t)
	}
	m.Submit("sh.P", "trades:Deliver", "T-uninspected", markettest.Hash("delivered")).MustOK(t)
	// Three more delivered and left uninspected: one of a licence whose term
	// ends after the inspection deadline, one to a buyer whose enterprise is
	// then released, one to a buyer its org then suspends (trades:Dispute
	// after the deadline).
	expiring := m.Net.Now().Add(model.TradeInspectionWindow + 24*time.Hour).UTC().Format(time.RFC3339)
	m.Submit("sh.P", "listings:Create", "L-expiring", "A-reg", "USE", `{"purpose":"`+purpose+`","regions":["shanghai"],"validUntil":"`+expiring+`"}`,
		"FIXED", "6000", markettest.Hash("terms")).MustOK(t)
	for _, sale := range []struct{ id, buyer, listing string }{{"T-expired", "sh.Q", "L-expiring"}, {"T-left", "sh.gone", "L-fixed"}, {"T-moved", "sh.moved", "L-fixed"}, {"T-halted", "sh.halted", "L-fixed"}} {
		m.Submit(sale.buyer, "trades:Order", sale.id, sale.listing).MustOK(t)
		m.Submit("sh.P", "trades:Accept", sale.id).MustOK(t)
		m.SubmitWith(sale.buyer, markettest.Payment("6000"), "trades:RecordPayment", sale.id, "BANK-"+sale.id).MustOK(t)
		m.Submit("sh.P", "trades:Deliver", sale.id, markettest.Hash("delivered")).MustOK(t)
	}
	m.Net.Submit(m.Admin(sh), "participants:ReleaseEnterprise", markettest.USCC(81), "moves to another region").MustOK(t)
	m.Net.Submit(m.Admin(sh), "participants:Suspend", "sh.halted", "audit").MustOK(t)
	// A majority releases sh.moved's enterprise from Shanghai, Jiangsu binds it, and the release is dropped:
	// Shanghai's binding is no longer the one in force (trades:Dispute after the deadline).
	majority := []chaincodetest.Identity{m.Admin(sh), m.Admin(js), m.Admin(ah)}
	for _, released := range [][]model.ReleasedEnterprise{{{USCC: markettest.USCC(82), MSPID: sh}}, nil} {
		next := rulestest.Current(t, m.Net, m.Admin(sh)).Rules
		next.Version++
		next.Released = released
		rulestest.Change(t, m.Net, majority, &next)
		if released != nil {
			m.Join(t, js, "js.moved", "buyer", markettest.USCC(82))
		}
	}
	// The rules as they are now, for market:Init and market:Approve.
	current := rulestest.Current(t, m.Net, m.Admin(sh))
	first := current.Rules
	first.Version = 1
	w.rulesV1 = rulestest.JSON(t, &first) // a valid first version: Init is refused as the rules are set
	next := current.Rules
	next.Version++
	next.NoticePeriodSeconds = 86400
	w.rulesV2 = rulestest.JSON(t, &next)
	w.newcomerCert = string(rulestest.Member(m.CA(sh), "newcomer", markettest.USCC(90), "buyer", "Newcomer Ltd").CertPEM)
	w.pNewKeyCert = string(rulestest.Member(m.CA(sh), "sh.P", markettest.USCC(1), strings.Join(model.Roles, ","), "Enterprise sh.P").CertPEM)
	m.Submit("sh.P", "assets:Apply", "A-ready", "Ready", "finance", "shanghai", "d", markettest.Hash("A-ready")).MustOK(t)
	m.Submit("sh.op", "assets:Review", "A-ready", "APPROVE", "").MustOK(t)
	// Q objects to P's record R-pub, CO1, overdue by the time the cells are evaluated (a regulator answers only
	// an overdue objection).
	m.SubmitWith("sh.P", record(), "credit:StageRecord", "R-pub", w.q).MustOK(t)
	m.Submit("sh.P", "credit:Publish", "R-pub", w.q).MustOK(t)
	m.Submit("sh.Q", "credit:RaiseObjection", "CO1", "R-pub", "we paid on time").MustOK(t)
	m.Net.Advance(max(model.DefaultNoticePeriodSeconds*time.Second+max(model.TradeResponseWindow, model.TradeDeliveryWindow, model.TradeInspectionWindow),
		model.ObjectionAnswerWindow+time.Second))

	// P's holding of A-sold sold to Q while another buyer's order waits.
	m.RegisterAsset(t, "sh.P", "sh.op", "A-sold", "finance", "shanghai")
	m.Submit("sh.P", "listings:Create", "L-hold", "A-sold", "HOLDING", "", "FIXED", "900000", markettest.Hash("terms")).MustOK(t)
	m.Submit("sh.own", "trades:Order", "T-waiting", "L-hold").MustOK(t)
	m.Submit("sh.Q", "trades:Order", "T-sold", "L-hold").MustOK(t)
	m.Submit("sh.P", "trades:Accept", "T-sold").MustOK(t)
	m.SubmitWith("sh.Q", markettest.Payment("900000"), "trades:RecordPayment", "T-sold", "BANK-sold").MustOK(t)
	m.Submit("sh.P", "trades:Deliver", "T-sold", markettest.Hash("delivered")).MustOK(t)
	m.Submit("sh.Q", "trades:Confirm", "T-sold").MustOK(t)

	// Applications pending and in public notice, with an open objection.
	m.Submit("sh.P", "assets:Apply", "A-pending", "Pending", "finance", "shanghai", "d", markettest.Hash("A-pending")).MustOK(t)
	m.Submit("sh.P", "assets:Apply", "A-notice", "Notice", "finance", "shanghai", "d", markettest.Hash("A-notice")).MustOK(t)
	m.Submit("sh.op", "assets:Review", "A-notice", "APPROVE", "").MustOK(t)
	m.Submit("ah.x", "assets:Object", "O1", "A-notice", "this is ours").MustOK(t)

	// Trades in every state a function acts on.
	do := func(who, fn string, args ...string) { m.Submit(who, "trades:"+fn, args...).MustOK(t) }
	// Q's enterprise holds one open trade on a listing at a time: the order
	// and the negotiation left open come after the ones accepted there.
	do("sh.Q", "Order", "T-accepted", "L-fixed")
	do("sh.P", "Accept", "T-accepted")
	for _, id := range []string{"T-paid", "T-delivered", "T-disputed"} {
		do("sh.Q", "Order", id, "L-fixed")
		do("sh.P", "Accept", id)
		m.SubmitWith("sh.Q", markettest.Payment("6000"), "trades:RecordPayment", id, "BANK-"+id).MustOK(t)
	}
	do("sh.Q", "Order", "T-ordered", "L-fixed")
	do("sh.P", "Deliver", "T-delivered", markettest.Hash("delivered"))
	do("sh.Q", "Dispute", "T-disputed", "nothing came")
	// Negotiations inside Shanghai: each offer's terms staged first.
	m.StageTerms("sh.Q", "T-done-neg", "1", "L-neg", terms("76000")).MustOK(t)
	do("sh.Q", "Propose", "T-done-neg", "L-neg")
	do("sh.P", "AcceptOffer", "T-done-neg")
	m.SubmitWith("sh.Q", markettest.Payment("76000"), "trades:RecordPayment", "T-done-neg", "BANK-neg").MustOK(t)
	do("sh.P", "Deliver", "T-done-neg", markettest.Hash("delivered"))
	do("sh.Q", "Confirm", "T-done-neg")
	m.StageTerms("sh.Q", "T-neg", "1", "L-neg", terms("75000")).MustOK(t)
	do("sh.Q", "Propose", "T-neg", "L-neg")
	m.StageTerms("sh.P", "T-neg", "2", "", terms("78000")).MustOK(t)

	// Credit: P publishes about Q, stages another; Q objects and authorises.
	m.SubmitWith("sh.P", record(), "credit:StageRecord", "R-pub2", w.q).MustOK(t)
	m.Submit("sh.P", "credit:Publish", "R-pub2", w.q).MustOK(t)
	m.SubmitWith("sh.P", record(), "credit:StageRecord", "R-staged", w.q).MustOK(t)
	w.later = m.Net.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339)
	m.Submit("sh.Q", "credit:Authorize", "A1", "ah.x", "due diligence", w.later).MustOK(t)

	// P offers the holding of A-offered to Q, who has not answered.
	m.Submit("sh.P", "rights:TransferHolding", "A-offered", "sh.Q", "merger").MustOK(t)
	// ah.h offers P a licence, which P has not answered: offered last, as
	// the holding, so that neither offer has lapsed (model.OfferWindow).
	var offered model.Right
	m.Submit("ah.h", "rights:Grant", "B-reg", "sh.P", "USE", w.scope).Unmarshal(t, &offered)
	w.pOfferedRight = offered.ID
	return w
}

// caller names the participant of a relation to a principal.
func caller(principal, relation string) string {
	switch relation {
	case "own":
		return "sh.own"
	case "other":
		return "js.other"
	case "twin":
		return "sh." + principal + "T"
	}
	return "sh." + principal
}

// setRoles gives the six callers exactly one role.
func (w *world) setRoles(t *testing.T, r string) {
	t.Helper()
	for _, id := range []string{"sh.own", "sh.P", "sh.PT", "sh.Q", "sh.QT"} {
		w.m.Net.Submit(w.m.Admin(markettest.Shanghai), "participants:SetRoles", id, r).MustOK(t)
	}
	w.m.Net.Submit(w.m.Admin(markettest.Jiangsu), "participants:SetRoles", "js.other", r).MustOK(t)
}

// evaluate runs a row's call as who, on a peer of who's org, committing
// nothing.
func (w *world) evaluate(rw row, who chaincodetest.Identity) chaincodetest.Result {
	call := chaincodetest.Call{Function: rw.fn, Args: rw.args(w), Evaluate: true}
	if rw.transient != nil {
		call.Transient = rw.transient(w)
	}
	return w.m.Net.Invoke(who, call)
}

// got turns a result into the outcome it is, with the whole message for
// comparison against a fragment.
func got(r chaincodetest.Result) (outcome, string) {
	if r.Err == nil {
		return ok, ""
	}
	e, parsed := ledgererr.Parse(r.Err.Error())
	if !parsed {
		return outcome{code: "NO CODE"}, r.Err.Error()
	}
	return outcome{code: e.Code, field: e.Field}, e.Message
}

func TestAuthorizationMatrix(t *testing.T) {
	w := newWorld(t)
	rows := matrix()
	mismatches := 0
	check := func(rw row, rowName, relation string, want outcome, r chaincodetest.Result) {
		t.Helper()
		have, msg := got(r)
		match := have.code == want.code && have.field == want.field && strings.Contains(msg, want.fragment)
		if !match {
			mismatches++
			t.Errorf("%-32s %-12s %-5s want %-40s got %s: %s", rw.fn, rowName, relation, want, have, msg)
		}
	}
	expected := func(rw row, rowName string) cells {
		if c, ok := rw.outcomes[rowName]; ok {
			return c
		}
		return defaultRows[rowName]
	}
	for _, r := range rowNames[:5] {
		w.setRoles(t, r)
		for _, rw := range rows {
			for i, relation := range relations {
				who := w.m.As(caller(rw.principal, relation))
				check(rw, r, relation, expected(rw, r)[i], w.evaluate(rw, who))
			}
		}
	}
	strangers := map[string]chaincodetest.Identity{"own": w.m.Stranger(markettest.Shanghai), "other": w.m.Stranger(markettest.Jiangsu)}
	admins := map[string]chaincodetest.Identity{"own": w.m.Admin(markettest.Shanghai), "other": w.m.Admin(markettest.Jiangsu)}
	for _, rw := range rows {
		for i, relation := range relations[:2] {
			check(rw, "admin", relation, expected(rw, "admin")[i], w.evaluate(rw, admins[relation]))
			check(rw, "unregistered", relation, expected(rw, "unregistered")[i], w.evaluate(rw, strangers[relation]))
		}
		for _, name := range rowNames {
			c := expected(rw, name)
			if name == "admin" || name == "unregistered" {
				assert.Equal(t, na, c[2], "%s %s twin", rw.fn, name)
				assert.Equal(t, na, c[3], "%s %s party", rw.fn, name)
			}
		}
	}
	t.Logf("%d functions x %d rows x 4 relations, %d mismatches", len(rows), len(rowNames), mismatches)
}

// Every state-changing function of the chaincode is in the matrix, at least
// once: a new function must say who may call it.
func TestAuthorizationMatrixCoversEveryStateChangingFunction(t *testing.T) {
	m := markettest.New(t)
	var submit []string
	for name, transactions := range m.Net.Transactions(t, m.Stranger(markettest.Shanghai)) {
		for _, tx := range transactions {
			if slices.Contains(tx.Tag, "submit") {
				submit = append(submit, name+":"+tx.Name)
			}
		}
	}
	var inMatrix []string
	for _, rw := range matrix() {
		inMatrix = append(inMatrix, rw.fn)
	}
	slices.Sort(submit)
	slices.Sort(inMatrix)
	// A function whose callers change with its case's state has a row per case.
	assert.Equal(t, submit, slices.Compact(inMatrix))
}

// symbol is an outcome in the document's notation.
func (o outcome) symbol() string {
	switch o {
	case ok:
		return "✓"
	case na:
		return "·"
	case role:
		return "R"
	case reg:
		return "G"
	case ownCase, ownEnt, ownOrg:
		return "S"
	case admin:
		return "A"
	case unreg:
		return "U"
	}
	switch o.code {
	case ledgererr.Forbidden:
		return "F"
	case ledgererr.Conflict:
		return "C"
	case ledgererr.NotFound:
		return "N"
	case ledgererr.InvalidArgument:
		return "I"
	}
	return "?"
}

// document renders the matrix as Markdown: one line per function, a cell per
// row with the outcomes for own, other, twin and party.
func document() string {
	var b strings.Builder
	b.WriteString(`# Who may do what: the authorisation matrix

Generated from the table of ` + "`chaincode/contracts/matrix_test.go`" + ` (TestAuthorizationMatrix checks every cell
against the chaincode; TestAuthorizationMatrixDocument checks this file: regenerate it with
` + "`UPDATE_AUTHORIZATION_MATRIX=1 go test ./chaincode/contracts/`" + `). Every state-changing function, called by a
participant holding exactly one role, by the org's admin and by an unregistered identity, from four relations to
the case's principal party P or Q (both of Shanghai, whose exchange supervises the cases; "other" is Jiangsu):

- **own**: a participant of the principal's org with no stake in the case;
- **other**: a participant of another org with no stake in the case;
- **twin**: a participant acting for the principal's enterprise (same USCC);
- **party**: the principal party itself.

P applies for, holds, lists and sells assets and issues credit records; Q buys and is the credit subject. Each
cell shows own, other, twin, party: ✓ allowed; R refused for lacking the role; G the regulator changes nothing;
S nobody decides their own case (an impartial operator, an agency about its own enterprise, or a regulator acting for a party or of a party's org); A only the org's
admin; U not a registered participant; F refused otherwise (not a party, not entitled, another region); C
conflict with the case's state; N not found (or a trade the caller may not read, which reads as a missing one); I
invalid argument; · no such caller.

| function | case | principal | operator | holder | buyer | agency | regulator | admin | unregistered |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
`)
	for _, rw := range matrix() {
		fmt.Fprintf(&b, "| `%s` | %s | %s |", rw.fn, rw.about, rw.principal)
		for _, name := range rowNames {
			c, ok := rw.outcomes[name]
			if !ok {
				c = defaultRows[name]
			}
			b.WriteString(" ")
			for _, o := range c {
				b.WriteString(o.symbol())
			}
			b.WriteString(" |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// The document of the matrix is the table's own rendering.
func TestAuthorizationMatrixDocument(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "authorization.md")
	want := document()
	if os.Getenv("UPDATE_AUTHORIZATION_MATRIX") == "1" {
		require.NoError(t, os.WriteFile(path, []byte(want), 0o644))
	}
	have, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, want, string(have), "docs/authorization.md is stale: regenerate it with UPDATE_AUTHORIZATION_MATRIX=1 go test ./chaincode/contracts/")
}
