package contracts_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/internal/envfile"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// endorsementScenario is a market on a channel defined like production's in
// which every submitted function of the chaincode runs at least once, each
// call with the participants that play its parties, so that the orgs a
// function's declared endorsement names can be compared with what the
// channel's validation of that very transaction required.
type endorsementScenario struct {
	t *testing.T
	m *markettest.Market
	// seen lists, per function, the calls made.
	seen map[string]int
}

// party says which participant plays a party of a call.
type party struct {
	role model.Party
	id   string
}

// submit runs fn as caller with the parties (the caller is always
// PartyCaller), requires it to succeed and checks the endorsement it
// required against the function's declared one.
func (s *endorsementScenario) submit(caller, fn string, parties []party, transient map[string][]byte, args ...string) chaincodetest.Result {
	s.t.Helper()
	f, ok := model.LookupFunction(fn)
	require.True(s.t, ok, fn)
	return s.check(caller, fn, f.Endorsement, parties, transient, args...)
}

// submitNoted is submit for a call that the note of its function's
// endorsement sets apart: it needs the endorsement e.
func (s *endorsementScenario) submitNoted(caller, fn string, e model.Endorsement, parties []party, transient map[string][]byte, args ...string) chaincodetest.Result {
	s.t.Helper()
	f, _ := model.LookupFunction(fn)
	require.NotEmpty(s.t, f.Endorsement.Note, "%s: a call that needs another endorsement than declared is in the declaration's note", fn)
	return s.check(caller, fn, e, parties, transient, args...)
}

// orgsOf names the org of each party of a call by caller.
func (s *endorsementScenario) orgsOf(caller string, parties []party) map[model.Party]string {
	orgs := map[model.Party]string{model.PartyCaller: s.m.As(caller).MSPID}
	for _, p := range parties {
		orgs[p.role] = s.m.As(p.id).MSPID
	}
	return orgs
}

func (s *endorsementScenario) check(caller, fn string, e model.Endorsement, parties []party, transient map[string][]byte, args ...string) chaincodetest.Result {
	s.t.Helper()
	r := s.m.SubmitWith(caller, transient, fn, args...).MustOK(s.t)
	orgs := s.orgsOf(caller, parties)
	want, err := e.Sufficient(orgs, markettest.ProductionOrgs)
	require.NoError(s.t, err, fn)
	if !assert.ObjectsAreEqual(want, r.SufficientEndorsers) {
		s.t.Errorf("%s by %s with %v: the channel required one of %v; the endorsement %q says one of %v",
			fn, caller, parties, r.SufficientEndorsers, e, want)
	}
	s.seen[fn]++
	return r
}

func TestDeclaredEndorsementIsWhatTheChannelRequires(t *testing.T) {
	m := markettest.NewProduction(t)
	s := &endorsementScenario{t: t, m: m, seen: map[string]int{}}

	// market: the deployment sets the first rules; a majority of the orgs'
	// admins approves the next version, and one of them applies it.
	rules := m.FirstRules()
	s.submitAs(m.Admin(markettest.Shanghai), "market:Init", nil, rulestest.JSON(t, rules))
	rules.Version++
	rules.NoticePeriodSeconds = 86400
	next := rulestest.JSON(t, rules)
	for _, msp := range markettest.ProductionOrgs[:3] {
		s.submitAs(m.Admin(msp), "market:Approve", nil, next)
	}
	s.submitAs(m.Admin(markettest.Shanghai), "market:Apply", nil, next)

	seller := s.join(markettest.Shanghai, "sh-seller", "holder", 1)
	shOp := s.join(markettest.Shanghai, "sh-op", "operator", 100)
	shBuyer := s.join(markettest.Shanghai, "sh-buyer", "buyer", 4)
	buyer := s.join(markettest.Jiangsu, "js-buyer", "buyer,holder", 2)
	agency := s.join(markettest.Zhejiang, "zj-agency", "agency", 6)
	licensee := s.join(markettest.Zhejiang, "zj-holder", "holder", 7)
	bank := s.join(markettest.Anhui, "ah-bank", "buyer", 3)
	objector := s.join(markettest.Anhui, "ah-holder", "holder", 8)
	p := func(role model.Party, id string) party { return party{role, id} }

	// participants: an admin registers a member of its org and manages it.
	admin := m.Admin(markettest.Anhui)
	newcomer := rulestest.Member(m.CA(markettest.Anhui), "ah-new", markettest.USCC(9), "buyer,holder", "Enterprise ah-new")
	s.submitAs(admin, "participants:Register", nil, "ah-new", string(newcomer.CertPEM), "buyer", markettest.USCC(9), "Enterprise ah-new", "anhui")
	s.submitAs(admin, "participants:SetRoles", nil, "ah-new", "buyer,holder")
	s.submitAs(admin, "participants:Suspend", nil, "ah-new", "under investigation")
	s.submitAs(admin, "participants:Reinstate", nil, "ah-new")
	s.submitAs(admin, "participants:ReleaseEnterprise", nil, markettest.USCC(9), "moving to Hangzhou")
	// A member binds the key of its new certificate itself; its org's admin binds another for it.
	keyed := s.join(markettest.Anhui, "ah-keyed", "holder", 12)
	reissue := func() string {
		return string(rulestest.Member(m.CA(markettest.Anhui), keyed, markettest.USCC(12), strings.Join(model.Roles, ","), "Enterprise "+keyed).CertPEM)
	}
	s.submit(keyed, "participants:RotateKey", nil, nil, reissue())
	s.submitAs(admin, "participants:RebindKey", nil, keyed, reissue(), "lost its key")

	// advanceTo moves the clock to at, a time a record names.
	advanceTo := func(at string) {
		t.Helper()
		m.Net.Advance(chaincodetest.ParseTime(t, at).Sub(m.Net.Now()))
	}

	// assets: registration with an objection, a derived product, the notice
	// period.
	hash := markettest.Hash
	s.submit(seller, "assets:Apply", nil, nil, "asset-1", "Dataset 1", "finance", "shanghai", "Records", hash("asset-1"))
	var a model.Asset
	require.NoError(t, json.Unmarshal(s.submit(shOp, "assets:Review", []party{p(model.PartyHolder, seller)}, nil, "asset-1", model.DecisionApprove, "").Payload, &a))
	s.submit(objector, "assets:Object", []party{p(model.PartyHolder, seller)}, nil, "obj-1", "asset-1", "the sensors are ours")
	s.submit(shOp, "assets:DecideObjection", []party{p(model.PartyHolder, seller), p(model.PartyObjector, objector)}, nil,
		"asset-1", "obj-1", "DISMISS", "the contract shows the holder owns the sensors")
	advanceTo(a.NoticeEndsAt)
	s.submit(seller, "assets:Certify", []party{p(model.PartyHolder, seller)}, nil, "asset-1")
	m.RegisterAsset(t, seller, shOp, "asset-2", "finance", "shanghai")
	m.RegisterAsset(t, seller, shOp, "asset-3", "health", "shanghai")
	m.RegisterAsset(t, seller, shOp, "asset-4", "health", "shanghai")
	s.submit(seller, "assets:Derive", []party{p(model.PartyHolder, seller)}, nil,
		"product-1", "Product 1", "finance", "shanghai", "Derived scores", hash("product-1"), "asset-1", "credit risk model")

	// rights: a licence accepted, its sublicence accepted, a revocation, an
	// offer declined, a licence accepted then renounced, a holding given away.
	wide := `{"purpose":"credit risk model","regions":["shanghai","jiangsu","zhejiang"],"validUntil":"2028-01-01T00:00:00Z","maySublicense":true}`
	narrow := `{"purpose":"credit risk model","regions":["shanghai"],"validUntil":"2027-01-01T00:00:00Z"}`
	var licence model.Right
	require.NoError(t, json.Unmarshal(s.submit(seller, "rights:Grant", []party{p(model.PartyHolder, seller), p(model.PartyGrantee, licensee)}, nil,
		"asset-1", licensee, "USE", wide).Payload, &licence))
	s.submit(licensee, "rights:Accept", []party{p(model.PartyGrantee, licensee)}, nil, licence.ID)
	var sub model.Right
	require.NoError(t, json.Unmarshal(s.submit(licensee, "rights:Sublicense", []party{p(model.PartyHolder, licensee), p(model.PartyGrantee, objector)}, nil,
		licence.ID, objector, narrow).Payload, &sub))
	s.submit(objector, "rights:Accept", []party{p(model.PartyGrantee, objector)}, nil, sub.ID)
	s.submit(licensee, "rights:Revoke", []party{p(model.PartyHolder, licensee), p(model.PartyGrantee, objector)}, nil, sub.ID, "licence fee unpaid")
	var unwanted model.Right
	require.NoError(t, json.Unmarshal(s.submit(seller, "rights:Grant", []party{p(model.PartyHolder, seller), p(model.PartyGrantee, licensee)}, nil,
		"asset-2", licensee, "OPERATION", wide).Payload, &unwanted))
	s.submit(licensee, "rights:Decline", []party{p(model.PartyGrantee, licensee)}, nil, unwanted.ID, "never asked")
	var renounced model.Right
	require.NoError(t, json.Unmarshal(s.submit(seller, "rights:Grant", []party{p(model.PartyHolder, seller), p(model.PartyGrantee, licensee)}, nil,
		"asset-2", licensee, "OPERATION", wide).Payload, &renounced))
	s.submit(licensee, "rights:Accept", []party{p(model.PartyGrantee, licensee)}, nil, renounced.ID)
	s.submit(licensee, "rights:Renounce", []party{p(model.PartyGrantee, licensee)}, nil, renounced.ID)
	// An offer's key needs a majority, neither party's org: its answers need the holder's (the asset's key).
	holding := []party{p(model.PartyHolder, seller)}
	s.submit(seller, "rights:TransferHolding", holding, nil, "asset-4", buyer, "gift")
	s.submit(buyer, "rights:RefuseHolding", holding, nil, "asset-4", "not now")
	s.submit(seller, "rights:TransferHolding", holding, nil, "asset-4", buyer, "gift")
	s.submit(seller, "rights:WithdrawHolding", holding, nil, "asset-4", "changed my mind")
	s.submit(seller, "rights:TransferHolding", holding, nil, "asset-4", buyer, "gift")
	s.submit(buyer, "rights:AcceptHolding", holding, nil, "asset-4")

	// credit: a record published, an authorised lookup, an objection.
	buyerUSCC := markettest.USCC(2)
	record := map[string][]byte{model.TransientRecordKey: []byte(`{"type":"RATING","grade":"AA","score":"750","evidenceHash":"` + hash("evidence") +
		`","validUntil":"2027-03-01T00:00:00+08:00","summary":"pays on time"}`)}
	s.submit(agency, "credit:StageRecord", nil, record, "R1", buyerUSCC)
	s.submit(agency, "credit:Publish", []party{p(model.PartyAgency, agency), p(model.PartySubject, buyer)}, nil, "R1", buyerUSCC)
	validUntil := m.Net.Now().Add(30 * 24 * time.Hour).Format(time.RFC3339)
	s.submit(buyer, "credit:Authorize", []party{p(model.PartySubject, buyer), p(model.PartyGrantee, bank)}, nil, "A1", bank, "loan application", validUntil)
	s.submit(bank, "credit:RequestQuery", []party{p(model.PartySubject, buyer)}, nil, "Q1", buyerUSCC, "loan application", "A1")
	s.submit(buyer, "credit:RevokeAuthorization", []party{p(model.PartySubject, buyer), p(model.PartyGrantee, bank)}, nil, "A1")
	s.submit(buyer, "credit:RaiseObjection", []party{p(model.PartyAgency, agency), p(model.PartySubject, buyer)}, nil, "O1", "R1", "we paid on time")
	s.submit(agency, "credit:AnswerObjection", []party{p(model.PartyAgency, agency), p(model.PartySubject, buyer)}, nil, "O1", "DISMISS", "the bank's records show the delay", "")
	// A regulator of a third org answers, once it is overdue, for an agency that can no longer answer (suspended):
	// the same orgs endorse it.
	lapsed := s.join(markettest.Zhejiang, "zj-agency2", "agency", 13)
	s.submit(lapsed, "credit:StageRecord", nil, record, "R2", buyerUSCC)
	s.submit(lapsed, "credit:Publish", []party{p(model.PartyAgency, lapsed), p(model.PartySubject, buyer)}, nil, "R2", buyerUSCC)
	s.submit(buyer, "credit:RaiseObjection", []party{p(model.PartyAgency, lapsed), p(model.PartySubject, buyer)}, nil, "O2", "R2", "we paid on time")
	s.submitAs(m.Admin(markettest.Zhejiang), "participants:Suspend", nil, lapsed, "licence withdrawn")
	m.Join(t, markettest.Shanghai, "sh-reg", "regulator", markettest.USCC(10))
	m.Net.Advance(model.ObjectionAnswerWindow + time.Second)
	s.submit("sh-reg", "credit:AnswerObjection", []party{p(model.PartyAgency, lapsed), p(model.PartySubject, buyer)}, nil, "O2", "UPHOLD", "", "")

	// listings.
	useScope := `{"purpose":"credit risk model","regions":["shanghai","jiangsu"],"validUntil":"2028-01-01T00:00:00Z"}`
	termsHash := hash("terms document")
	sellerParty := []party{p(model.PartySeller, seller), p(model.PartyHolder, seller)}
	s.submit(seller, "listings:Create", sellerParty, nil, "L-use", "asset-2", "USE", useScope, "FIXED", "50000", termsHash)
	s.submit(seller, "listings:Create", sellerParty, nil, "L-neg", "asset-2", "USE", useScope, "NEGOTIABLE", "80000", termsHash)
	s.submit(seller, "listings:Create", sellerParty, nil, "L-gone", "asset-3", "USE", useScope, "FIXED", "1000", termsHash)
	s.submit(seller, "listings:UpdatePrice", sellerParty, nil, "L-use", "60000", "demand is up")
	s.submit(seller, "listings:Delist", sellerParty, nil, "L-gone", "withdrawn")
	// A listing created before interface 18.0.0 stays under its seller's org alone.
	s.submit(seller, "listings:Create", sellerParty, nil, "L-old", "asset-3", "USE", useScope, "FIXED", "1000", termsHash)
	m.Net.InvokeFunc(m.As(seller), chaincodetest.Call{Endorsers: markettest.ProductionOrgs},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			return nil, stub.SetStateValidationParameter(chaincodetest.Key("listing", "L-old"), chaincodetest.KeyPolicy(markettest.Shanghai))
		}).MustOK(t)
	oldListing := model.Endorsement{Parties: []model.Party{model.PartySeller}, Quorum: model.QuorumMajority}
	s.submitNoted(seller, "listings:UpdatePrice", oldListing, sellerParty, nil, "L-old", "2000", "demand is up")
	s.submitNoted(seller, "listings:Delist", oldListing, sellerParty, nil, "L-old", "withdrawn")

	// trades.

	// orderPaid has buyer order the fixed-price listing as trade id, the
	// seller accept it and buyer record its payment under bankRef.
	orderPaid := func(buyer string, parties []party, id, bankRef string) {
		t.Helper()
		s.submit(buyer, "trades:Order", parties, nil, id, "L-use")
		s.submit(seller, "trades:Accept", parties, nil, id)
		s.submit(buyer, "trades:RecordPayment", parties, markettest.Payment("60000"), id, bankRef)
	}

	// settleOffer has buyer accept the standing offer of negotiation id,
	// pay priceFen under bankRef and confirm the delivery; both sides then
	// ask for the terms to be purged.
	settleOffer := func(buyer string, parties []party, id, priceFen, bankRef string) {
		t.Helper()
		s.submit(buyer, "trades:AcceptOffer", parties, nil, id)
		s.submit(buyer, "trades:RecordPayment", parties, markettest.Payment(priceFen), id, bankRef)
		s.submit(seller, "trades:Deliver", parties, nil, id, hash("delivery"))
		s.submit(buyer, "trades:Confirm", parties, nil, id)
		s.submit(buyer, "trades:RequestPurge", parties, nil, id)
		s.submitNoted(seller, "trades:RequestPurge", model.Endorsement{Parties: []model.Party{model.PartyBuyer, model.PartySeller}}, parties, nil, id)
	}

	// negotiate has buyer propose terms of 70000 fen on the negotiable
	// listing as negotiation id, and the seller counter at counterFen.
	negotiate := func(buyer string, parties []party, id, counterFen string) {
		t.Helper()
		s.submit(buyer, "trades:StageTerms", parties, terms("70000"), id, "1", "L-neg")
		s.submit(buyer, "trades:Propose", parties, nil, id, "L-neg")
		s.submit(seller, "trades:StageTerms", parties, terms(counterFen), id, "2", "")
		s.submit(seller, "trades:Counter", parties, nil, id)
	}

	// stageWithdrawn has buyer stage terms as negotiation id and withdraw
	// them without offering them: a purge of the pair's collection alone.
	stageWithdrawn := func(buyer string, parties []party, id string) {
		t.Helper()
		s.submit(buyer, "trades:StageTerms", parties, terms("70000"), id, "1", "L-neg")
		s.submit(buyer, "trades:WithdrawTerms", parties, nil, id, "1", "L-neg")
	}

	// orderToExpiry has buyer order the fixed-price listing as trade id and
	// lets the order run past its deadline, for the operator to expire it.
	orderToExpiry := func(buyer string, parties []party, id string) {
		t.Helper()
		var order model.Trade
		require.NoError(t, json.Unmarshal(s.submit(buyer, "trades:Order", parties, nil, id, "L-use").Payload, &order))
		advanceTo(order.DeadlineAt)
		s.submit(shOp, "trades:Expire", parties, nil, id)
	}

	// trades between two orgs.
	trade := []party{p(model.PartySeller, seller), p(model.PartyBuyer, buyer)}
	orderPaid(buyer, trade, "T1", "BANK-1")
	s.submit(seller, "trades:Deliver", trade, nil, "T1", hash("delivery"))
	s.submit(buyer, "trades:Confirm", trade, nil, "T1")
	s.submit(buyer, "trades:Order", trade, nil, "T2", "L-use")
	s.submit(seller, "trades:Reject", trade, nil, "T2", "buyer failed KYC")
	s.submit(buyer, "trades:StageTerms", trade, terms(""), "T6", "1", "L-use")
	s.submit(buyer, "trades:Order", trade, nil, "T6", "L-use")
	s.submit(buyer, "trades:Cancel", trade, nil, "T6", "ordered twice")
	s.submit(buyer, "trades:Order", trade, nil, "T3", "L-use")
	s.submit(buyer, "trades:Cancel", trade, nil, "T3", "found a cheaper source")
	orderPaid(buyer, trade, "T4", "BANK-4")
	s.submit(seller, "trades:Dispute", trade, nil, "T4", "the buyer claims non-delivery; we delivered by courier")
	s.submit(shOp, "trades:Resolve", trade, nil, "T4", model.OutcomeComplete, "courier receipt verified")
	orderToExpiry(buyer, trade, "T5")
	negotiate(buyer, trade, "N1", "76000")
	settleOffer(buyer, trade, "N1", "76000", "BANK-N1")
	stageWithdrawn(buyer, trade, "W1")

	// a holding sold while another org's buyer waits for it: the seller
	// closes that order after the sale, and the other buyer's org endorses
	// its record.
	m.RegisterAsset(t, seller, shOp, "asset-5", "finance", "shanghai")
	s.submit(seller, "listings:Create", sellerParty, nil, "L-hold", "asset-5", "HOLDING", "", "FIXED", "900000", termsHash)
	s.submit(buyer, "trades:Order", trade, nil, "H1", "L-hold")
	s.submit(bank, "trades:Order", []party{p(model.PartySeller, seller), p(model.PartyBuyer, bank)}, nil, "H2", "L-hold")
	s.submitNoted(seller, "trades:Accept", model.Endorsement{Quorum: model.QuorumMajority}, trade, nil, "H1")
	s.submit(buyer, "trades:RecordPayment", trade, markettest.Payment("900000"), "H1", "BANK-H1")
	s.submit(seller, "trades:Deliver", trade, nil, "H1", hash("holding delivery"))
	s.submit(buyer, "trades:Confirm", trade, nil, "H1")
	s.submit(seller, "trades:CloseOthers", []party{p(model.PartySeller, seller), p(model.PartyOtherBuyer, bank)}, nil, "H1", "")

	// a negotiation inside one org: terms staged on the org alone.
	local := []party{p(model.PartySeller, seller), p(model.PartyBuyer, shBuyer)}
	negotiate(shBuyer, local, "N2", "78000")
	settleOffer(shBuyer, local, "N2", "78000", "BANK-N2")
	stageWithdrawn(shBuyer, local, "W2")

	// The other steps inside one org, of FIXED trades: from 18.0.0 a
	// majority of the orgs alone changes them, that org among them or not.
	majority := model.Endorsement{Quorum: model.QuorumMajority}
	fixedLocal := func(caller, fn string, transient map[string][]byte, args ...string) {
		t.Helper()
		s.submitNoted(caller, fn, majority, local, transient, args...)
	}
	s.submit(shBuyer, "trades:Order", local, nil, "L1", "L-use")
	fixedLocal(seller, "trades:Reject", nil, "L1", "out of stock")
	s.submit(shBuyer, "trades:Order", local, nil, "L2", "L-use")
	fixedLocal(shBuyer, "trades:Cancel", nil, "L2", "changed plans")
	s.submit(shBuyer, "trades:Order", local, nil, "L3", "L-use")
	fixedLocal(seller, "trades:Accept", nil, "L3")
	fixedLocal(shBuyer, "trades:RecordPayment", markettest.Payment("60000"), "L3", "BANK-L3")
	fixedLocal(shBuyer, "trades:Dispute", nil, "L3", "nothing was delivered")
	s.submitNoted(shOp, "trades:Resolve", majority, local, nil, "L3", model.OutcomeRefund, "no delivery shown")
	s.submit(shBuyer, "trades:Order", local, nil, "L5", "L-use")
	fixedLocal(seller, "trades:Accept", nil, "L5")
	fixedLocal(shBuyer, "trades:RecordPayment", markettest.Payment("60000"), "L5", "BANK-L5")
	fixedLocal(seller, "trades:Deliver", nil, "L5", hash("delivery"))
	fixedLocal(seller, "trades:Dispute", nil, "L5", "the buyer does not confirm")
	s.submit(shOp, "trades:Resolve", local, nil, "L5", model.OutcomeComplete, "delivery shown")
	var order model.Trade
	require.NoError(t, json.Unmarshal(s.submit(shBuyer, "trades:Order", local, nil, "L4", "L-use").Payload, &order))
	advanceTo(order.DeadlineAt)
	fixedLocal(shOp, "trades:Expire", nil, "L4")

	// indices: three regions attest a closed day's figures, each endorsed by
	// its own org (the attestation is in its implicit collection); the
	// regulator opens the day and publishes the figures.
	day := "day:" + m.Net.Now().Add(-48*time.Hour).In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	figures := markettest.Figures(markettest.PeriodFigures(day, 0, 9))
	input := hash("index input")
	attesters := map[string]string{markettest.Shanghai: shOp, markettest.Jiangsu: "js-op", markettest.Anhui: "ah-op"}
	m.Join(t, markettest.Jiangsu, "js-op", "operator", markettest.USCC(101))
	m.Join(t, markettest.Anhui, "ah-op", "operator", markettest.USCC(103))
	for _, msp := range []string{markettest.Shanghai, markettest.Jiangsu, markettest.Anhui} {
		s.invoke(attesters[msp], "indices:Attest", []string{msp}, day, "0", "9", input, model.FiguresHash(figures))
	}
	s.submit("sh-reg", "indices:Open", nil, nil, day)
	s.invoke("sh-reg", "indices:Publish", []string{markettest.Shanghai, markettest.Jiangsu, markettest.Anhui}, day, "0", "9", input, figures)

	// participants: an admin places a member of its org.
	s.submitAs(m.Admin(markettest.Shanghai), "participants:SetDivision", nil, seller, "310115")

	// Every query, on a peer of every org: a lookup and a negotiation in
	// progress, for the queries of private data.
	validUntil = m.Net.Now().Add(30 * 24 * time.Hour).Format(time.RFC3339)
	s.submit(buyer, "credit:Authorize", []party{p(model.PartySubject, buyer), p(model.PartyGrantee, bank)}, nil, "A2", bank, "loan renewal", validUntil)
	s.submit(bank, "credit:RequestQuery", []party{p(model.PartySubject, buyer)}, nil, "Q2", buyerUSCC, "loan renewal", "A2")
	s.submit(buyer, "trades:StageTerms", trade, terms("71000"), "N3", "1", "L-neg")
	s.submit(buyer, "trades:Propose", trade, nil, "N3", "L-neg")
	s.submit(seller, "rights:TransferHolding", holding, nil, "asset-3", buyer, "to read the open offer")
	reg := "sh-reg"
	s.evaluate(buyer, "participants:GetEnterprise", nil, buyerUSCC)
	s.evaluate(buyer, "participants:Get", nil, buyer)
	s.evaluate(buyer, "participants:WhoAmI", nil)
	s.evaluate(reg, "participants:List", nil, markettest.Jiangsu, "buyer", "10", "")
	s.evaluate(buyer, "market:GetRules", nil)
	s.evaluate(buyer, "market:ListApprovals", nil)
	s.evaluate(buyer, "assets:Get", nil, "asset-1")
	s.evaluate(buyer, "assets:VerifyContent", nil, "asset-1", hash("asset-1"))
	s.evaluate(buyer, "assets:History", nil, "asset-1", "10", "")
	s.evaluate(buyer, "assets:Lineage", nil, "product-1")
	s.evaluate(buyer, "assets:ListDerived", nil, "asset-1", "10", "")
	s.evaluate(buyer, "assets:ListByHolder", nil, seller, "10", "")
	s.evaluate(objector, "assets:Objections", nil, "asset-1")
	s.evaluate(licensee, "rights:Get", nil, licence.ID)
	s.evaluate(licensee, "rights:ListByHolder", nil, licensee, "10", "")
	s.evaluate(seller, "rights:ListByAsset", nil, "asset-1", "10", "")
	s.evaluate(licensee, "rights:History", nil, licence.ID)
	s.evaluate(buyer, "rights:GetHoldingOffer", nil, "asset-3")
	s.evaluate(buyer, "credit:GetRecord", nil, "R1")
	s.evaluate(buyer, "credit:ListRecords", nil, buyerUSCC, "10", "")
	s.evaluate(buyer, "credit:ListAuthorizations", nil, buyerUSCC, "10", "")
	s.evaluate(bank, "credit:ListMyAuthorizations", nil, "10", "")
	s.evaluate(bank, "credit:ReadRecords", []party{p(model.PartyAgency, agency)}, "Q2")
	s.evaluate(buyer, "credit:ListTraces", nil, buyerUSCC, "10", "")
	s.evaluate(bank, "credit:ListMyTraces", nil, "10", "")
	s.evaluate(buyer, "credit:GetObjection", nil, "O1")
	s.evaluate(buyer, "credit:ListObjections", nil, buyerUSCC, "10", "")
	s.evaluate(agency, "credit:ListAgencyObjections", nil, "10", "")
	s.evaluate(buyer, "listings:Get", nil, "L-use")
	s.evaluate(buyer, "listings:PriceHistory", nil, "L-use")
	s.evaluate(buyer, "listings:ListByCategory", nil, "finance", "10", "")
	s.evaluate(buyer, "listings:ListByRegion", nil, "shanghai", "10", "")
	s.evaluate(buyer, "listings:ListBySeller", nil, seller, "10", "")
	s.evaluate(buyer, "trades:Get", nil, "T1")
	s.evaluate(buyer, "trades:GetReadable", nil, "T1,T2")
	s.evaluate(buyer, "trades:Terms", trade, "N3", "1")
	s.evaluate(buyer, "trades:TermsOrgs", nil, "N3", "2", "")
	s.evaluate(buyer, "trades:ListByParticipant", nil, buyer, "10", "")
	s.evaluate(seller, "trades:ListByListing", nil, "L-use", "10", "")
	s.evaluate(reg, "trades:ListMarket", nil, "", "", "", "", "10", "")
	s.evaluate(shOp, "indices:MyAttestation", nil, day)
	s.evaluate(buyer, "indices:Get", nil, day)
	s.evaluate(buyer, "indices:GetPublished", nil, day+",day:2026-01-01")
	s.evaluate(buyer, "indices:List", nil, "10", "")

	// Every function ran.
	var missing []string
	for _, c := range model.Contracts() {
		for _, f := range c.Functions {
			if s.seen[f.FullName()] == 0 {
				missing = append(missing, f.FullName())
			}
		}
	}
	assert.Empty(t, missing, "functions the scenario does not run")
}

// evaluate runs the query fn as caller on a peer of every org of the
// channel, with the parties of the call (the caller is always PartyCaller),
// and checks it against the function's declared answering: it answers on a
// peer of exactly the orgs the declaration names (every org if it names
// none or says Everywhere), reads private data on a peer of those orgs and
// on no other, and on any other peer refuses with FORBIDDEN, naming the orgs
// to ask.
func (s *endorsementScenario) evaluate(caller, fn string, parties []party, args ...string) {
	s.t.Helper()
	f, ok := model.LookupFunction(fn)
	require.True(s.t, ok, fn)
	orgs := s.orgsOf(caller, parties)
	var holders []string
	for _, party := range f.AnsweredBy.Parties {
		msp, ok := orgs[party]
		require.True(s.t, ok, "%s: the call names no %s", fn, party)
		holders = append(holders, msp)
	}
	for _, peerMSP := range markettest.ProductionOrgs {
		r := s.m.Net.Invoke(s.m.As(caller), chaincodetest.Call{Function: fn, Args: args, PeerMSP: peerMSP, Evaluate: true})
		if holds := slices.Contains(holders, peerMSP); len(holders) == 0 || holds || f.AnsweredBy.Everywhere {
			if assert.NoError(s.t, r.Err, "%s by %s on a peer of %s: declared to answer on %s", fn, caller, peerMSP, f.AnsweredBy) {
				assert.Equal(s.t, holds, len(r.PrivateReads) > 0,
					"%s on a peer of %s read the private data of %v; declared to answer on %s", fn, peerMSP, r.PrivateReads, f.AnsweredBy)
			}
			continue
		}
		if assert.Error(s.t, r.Err, "%s by %s on a peer of %s answered; declared to answer on %s only", fn, caller, peerMSP, f.AnsweredBy) {
			assert.Contains(s.t, r.Err.Error(), string(ledgererr.Forbidden)+":", fn)
			for _, msp := range holders {
				assert.Contains(s.t, r.Err.Error(), msp, "%s: the refusal names the org to ask", fn)
			}
		}
	}
	s.seen[fn]++
}

// invoke is submit for a call sent to the endorsers a client names (as the
// gateway names them for the indices): the channel's requirement is
// checked against the declaration as for any submit.
func (s *endorsementScenario) invoke(caller, fn string, endorsers []string, args ...string) {
	s.t.Helper()
	who := s.m.As(caller)
	r := s.m.Net.Invoke(who, chaincodetest.Call{Function: fn, Args: args, PeerMSP: endorsers[0], Endorsers: endorsers}).MustOK(s.t)
	f, _ := model.LookupFunction(fn)
	want, err := f.Endorsement.Sufficient(map[model.Party]string{model.PartyCaller: who.MSPID}, markettest.ProductionOrgs)
	require.NoError(s.t, err, fn)
	if !assert.ObjectsAreEqual(want, r.SufficientEndorsers) {
		s.t.Errorf("%s by %s: the channel required one of %v; the declared endorsement %q says one of %v",
			fn, caller, r.SufficientEndorsers, f.Endorsement, want)
	}
	s.seen[fn]++
}

// join registers the scenario's participant id in the org msp with the
// comma-separated roles, for the enterprise markettest.USCC(enterprise), and
// returns id, the name the scenario's calls use.
func (s *endorsementScenario) join(msp, id, roles string, enterprise int) string {
	s.t.Helper()
	s.m.Join(s.t, msp, id, roles, markettest.USCC(enterprise))
	return id
}

// submitAs is submit for an identity that is not a registered participant
// (an org admin): its org is the caller's.
func (s *endorsementScenario) submitAs(id chaincodetest.Identity, fn string, transient map[string][]byte, args ...string) {
	s.t.Helper()
	r := s.m.Net.Invoke(id, chaincodetest.Call{Function: fn, Args: args, Transient: transient}).MustOK(s.t)
	f, ok := model.LookupFunction(fn)
	require.True(s.t, ok, fn)
	want, err := f.Endorsement.Sufficient(map[model.Party]string{model.PartyCaller: id.MSPID}, markettest.ProductionOrgs)
	require.NoError(s.t, err, fn)
	if !assert.ObjectsAreEqual(want, r.SufficientEndorsers) {
		s.t.Errorf("%s by %s's admin: the channel required one of %v; the declared endorsement %q says one of %v",
			fn, id.MSPID, r.SufficientEndorsers, f.Endorsement, want)
	}
	s.seen[fn]++
}

// The scenario's channel is production's: the orgs of network/network.env,
// in its order, and its chaincode endorsement policy, which asks for
// model.ChaincodeEndorsers of them: a majority.
func TestProductionChannelIsTheScenarios(t *testing.T) {
	env, err := envfile.Read(filepath.Join("..", "..", "network", "network.env"))
	require.NoError(t, err)
	var orgs, peers []string
	for _, name := range strings.Fields(env["ORGS"]) {
		msp := env[strings.ToUpper(name)+"_MSPID"]
		orgs = append(orgs, msp)
		peers = append(peers, "'"+msp+".peer'")
	}
	assert.Equal(t, markettest.ProductionOrgs, orgs)
	assert.Equal(t, fmt.Sprintf("OutOf(%d,%s)", model.ChaincodeEndorsers(len(orgs)), strings.Join(peers, ",")), env["ENDORSEMENT_POLICY"])
}
