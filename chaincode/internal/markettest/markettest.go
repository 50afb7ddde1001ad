// Package markettest is the test fixture of the market contracts (listings,
// trades): a channel of three regional exchanges running the registry, the
// asset register and the market through the real contract-api chaincode on
// the chaincodetest harness, with helpers to register participants and
// assets the way the contracts require, and to check that a refused call
// changed nothing.
package markettest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/contracts"
	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/eventschema"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/chaincode/trades"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The orgs of the test channel: three regional exchanges, and the fourth
// of the production channel (see NewProduction).
const (
	Shanghai = "ShanghaiMSP"
	Jiangsu  = "JiangsuMSP"
	Anhui    = "AnhuiMSP"
	Zhejiang = "ZhejiangMSP"
	// Suzhou is an exchange that joins the running market, a region beyond
	// the four founding ones (as `make add-region NAME=suzhou` adds one):
	// a member of the channel that the market rules name only once a
	// majority admits it (NewJoining, Admit).
	Suzhou = "SuzhouMSP"
	// Ningbo is a second exchange joining the running market
	// (NewProductionJoining).
	Ningbo = "NingboMSP"
)

// regions maps each org to the region it is the exchange of.
var regions = map[string]string{Shanghai: "shanghai", Jiangsu: "jiangsu", Anhui: "anhui", Zhejiang: "zhejiang", Suzhou: "suzhou", Ningbo: "ningbo"}

// Orgs lists the channel's orgs in a fixed order.
var Orgs = []string{Shanghai, Jiangsu, Anhui}

// ProductionOrgs lists the four orgs of the production channel.
var ProductionOrgs = []string{Shanghai, Jiangsu, Zhejiang, Anhui}

// Market is a running test channel and the identities acting on it.
type Market struct {
	Net  *chaincodetest.Network
	orgs []string
	// ruled are the orgs the market rules in force name.
	ruled  []string
	cas    map[string]*chaincodetest.CA
	people map[string]chaincodetest.Identity // participant ID -> identity
}

// New starts a market: the whole DeltaLedger chaincode (so that the
// contracts' metadata is checked together) on a channel of the three orgs,
// with the terms collections production defines (trades.TermsCollections:
// the two orgs as members, member-only reads and writes, writes endorsed by
// both), and endorsers planned like the Fabric Gateway plans them, so that
// key-level and collection endorsement policies are really exercised.
func New(t testing.TB) *Market {
	t.Helper()
	m := newMarket(t, Orgs, nil)
	rulestest.Init(t, m.Net, m.Admin(msp0), m.FirstRules())
	return m
}

// NewJoining is New with Suzhou on the channel too (its peer joined, the
// chaincode definition and the collections of its pairs name it) but not in
// the market rules: the state of a region joining a running network before
// a majority approves the rules that name it (Admit).
func NewJoining(t testing.TB) *Market {
	t.Helper()
	m := newMarket(t, append(slices.Clone(Orgs), Suzhou), nil)
	m.ruled = slices.Clone(Orgs)
	rulestest.Init(t, m.Net, m.Admin(msp0), m.FirstRules())
	return m
}

// NewProductionJoining is NewProduction with the joining orgs on the
// channel too but not in the market rules, which are set (FirstRules names
// the four production orgs): the state of regions joining the production
// network before a majority approves the rules that name them (Admit). The
// chaincode's policy stays a majority of the four (the harness keeps the
// policy it started with; the deployment raises it as regions join).
func NewProductionJoining(t testing.TB, joining ...string) *Market {
	t.Helper()
	m := newMarket(t, append(slices.Clone(ProductionOrgs), joining...),
		chaincodetest.OutOf(model.ChaincodeEndorsers(len(ProductionOrgs)), ProductionOrgs...))
	m.ruled = slices.Clone(ProductionOrgs)
	rulestest.Init(t, m.Net, m.Admin(msp0), m.FirstRules())
	return m
}

// Admit has a majority of the orgs the rules in force name approve and
// apply new rules that bind org msp, a member of the channel, to its region.
func (m *Market) Admit(t testing.TB, msp string) {
	t.Helper()
	current := rulestest.Current(t, m.Net, m.Admin(msp0))
	next := current.Rules
	next.Version++
	next.Orgs = append(slices.Clone(current.Orgs), model.MarketOrg{
		MSPID: msp, Region: regions[msp], RootCerts: []string{string(m.cas[msp].CertificatePEM())}, IntermediateCerts: []string{},
	})
	rulestest.Change(t, m.Net, m.majority(&next), &next)
	m.ruled = append(m.ruled, msp)
}

// Move has a majority of the orgs the rules in force name approve and apply
// new rules that bind each org of moves (MSP ID -> region) to its region
// instead: a region given up may be taken in the same change, so two orgs
// may swap. Participants' records keep the region they were registered in;
// what counts from then on is the rules' word.
func (m *Market) Move(t testing.TB, moves map[string]string) {
	t.Helper()
	current := rulestest.Current(t, m.Net, m.Admin(msp0))
	next := current.Rules
	next.Version++
	next.Orgs = slices.Clone(current.Orgs)
	for i := range next.Orgs {
		if region, ok := moves[next.Orgs[i].MSPID]; ok {
			next.Orgs[i].Region = region
		}
	}
	rulestest.Change(t, m.Net, m.majority(&next), &next)
}

// majority returns the admins of a majority of the orgs the rules in force
// name, which approve a change.
func (m *Market) majority(r *model.Rules) []chaincodetest.Identity {
	var admins []chaincodetest.Identity
	for _, o := range m.ruled[:len(m.ruled)/2+1] {
		admins = append(admins, m.Admin(o))
	}
	return admins
}

// NewProduction starts a market on a channel defined as the production one
// is (network/network.env, and the collections the deployment writes from
// trades.TermsCollections): the four orgs, the chaincode endorsement policy
// "a majority of them" (model.ChaincodeEndorsers) and the terms collection of every pair of orgs.
// Endorsers are planned like the Fabric Gateway plans them. The market
// rules are not set yet: an admin's market:Init with FirstRules sets them,
// as the deployment does.
func NewProduction(t testing.TB) *Market {
	t.Helper()
	return newMarket(t, ProductionOrgs, chaincodetest.OutOf(model.ChaincodeEndorsers(len(ProductionOrgs)), ProductionOrgs...))
}

// newMarket starts a market on a channel of the orgs with the chaincode
// endorsement policy (nil: any one peer) and the terms collections of
// trades.TermsCollections.
func newMarket(t testing.TB, orgs []string, policy *common.SignaturePolicyEnvelope) *Market {
	t.Helper()
	cc, err := contracts.NewChaincode()
	require.NoError(t, err)
	m := &Market{orgs: orgs, ruled: slices.Clone(orgs), cas: map[string]*chaincodetest.CA{}, people: map[string]chaincodetest.Identity{}}
	opts := []chaincodetest.Option{chaincodetest.WithEndorsementPlanning()}
	if policy != nil {
		opts = append(opts, chaincodetest.WithEndorsementPolicy(policy))
	}
	var cas []*chaincodetest.CA
	for _, msp := range orgs {
		m.cas[msp] = chaincodetest.NewCA(msp)
		cas = append(cas, m.cas[msp])
	}
	opts = append(opts, chaincodetest.WithOrgs(cas...))
	collections, err := trades.TermsCollections(orgs)
	require.NoError(t, err)
	for _, c := range collections {
		opts = append(opts, chaincodetest.WithCollectionConfig(chaincodetest.Collection{
			Name: c.Name, Members: c.Members, MemberOnlyRead: c.MemberOnlyRead, MemberOnlyWrite: c.MemberOnlyWrite,
			EndorsementPolicy: chaincodetest.AllOf(c.Endorsers...),
		}))
	}
	m.Net = chaincodetest.NewNetwork(cc, opts...)
	eventschema.Watch(t, m.Net)
	return m
}

// FirstRules are version 1 of the market's rules: the orgs they name (all
// but a joining one, NewJoining) with their CAs
// and regions.
func (m *Market) FirstRules() *model.Rules {
	var orgs []rulestest.Org
	for _, msp := range m.ruled {
		orgs = append(orgs, rulestest.Org{CA: m.cas[msp], Region: regions[msp]})
	}
	return rulestest.Rules(orgs)
}

// msp0 is the org whose admin sets the first rules.
const msp0 = Shanghai

// Admin returns an admin identity of an org.
func (m *Market) Admin(msp string) chaincodetest.Identity {
	return m.cas[msp].Issue("admin."+strings.ToLower(msp), "admin")
}

// CA returns the certificate authority of an org.
func (m *Market) CA(msp string) *chaincodetest.CA {
	return m.cas[msp]
}

// NameRegulator has a majority of the orgs (every org's admin) change the
// market rules so that they name participant id of org msp a regulator.
func (m *Market) NameRegulator(t testing.TB, msp, id string) {
	t.Helper()
	m.NameRegulators(t, model.Regulator{MSPID: msp, ParticipantID: id})
}

// NameRegulators is NameRegulator for several participants in one change.
func (m *Market) NameRegulators(t testing.TB, regulators ...model.Regulator) {
	t.Helper()
	current := rulestest.Current(t, m.Net, m.Admin(Shanghai))
	next := current.Rules
	next.Version++
	next.Regulators = append(next.Regulators, regulators...)
	var admins []chaincodetest.Identity
	for _, o := range m.ruled {
		admins = append(admins, m.Admin(o))
	}
	rulestest.Change(t, m.Net, admins, &next)
}

// Join registers a participant of an org with the given comma-separated
// roles, acting for the enterprise uscc (see USCC), and returns its
// identity, whose certificate certifies uscc as onboarding does, and every
// role, so that a test may change its roles (participants:SetRoles). A regulator is named by the market rules first (NameRegulator).
func (m *Market) Join(t testing.TB, msp, id, roles, uscc string) chaincodetest.Identity {
	t.Helper()
	ca := m.cas[msp]
	require.NotNil(t, ca, "unknown org %s", msp)
	if slices.Contains(strings.Split(roles, ","), "regulator") {
		m.NameRegulator(t, msp, id)
	}
	admin := m.Admin(msp)
	who := rulestest.Member(ca, id, uscc, strings.Join(model.Roles, ","), "Enterprise "+id)
	m.Net.Submit(admin, "participants:Register", id, string(who.CertPEM), roles, uscc, "Enterprise "+id, regions[msp]).MustOK(t)
	m.people[id] = who
	return who
}

// Reinstate reinstates suspended participant id of org msp as its admin does (participants:Reinstate) and
// returns the identity it acts with from then on, which As returns too: its suspension withdrew the key of a
// certified member, which acts again with a new certificate of its identity (ReinstateOn).
func (m *Market) Reinstate(t testing.TB, msp, id string) chaincodetest.Identity {
	t.Helper()
	m.people[id] = ReinstateOn(t, m.Net, m.Admin(msp), m.cas[msp], m.As(id), id)
	return m.people[id]
}

// ReinstateOn reinstates suspended participant id, of identity who, as admin (participants:Reinstate), and
// returns the identity it acts with from then on: who, unless its suspension withdrew its key
// (model.Participant.KeyWithdrawn), when admin binds the key of a new certificate of its identity that ca issues
// (participants:RebindKey), as after the gateway revoked its certificates.
func ReinstateOn(t testing.TB, net *chaincodetest.Network, admin chaincodetest.Identity, ca *chaincodetest.CA, who chaincodetest.Identity, id string) chaincodetest.Identity {
	t.Helper()
	var p model.Participant
	net.Submit(admin, "participants:Reinstate", id).Unmarshal(t, &p)
	if !p.KeyWithdrawn {
		return who
	}
	next := ca.Reenroll(who)
	net.Submit(admin, "participants:RebindKey", id, string(next.CertPEM), "enrolled again after its suspension").MustOK(t)
	return next
}

// Stranger returns a client identity of the org that is not registered.
func (m *Market) Stranger(msp string) chaincodetest.Identity {
	return m.cas[msp].Issue("stranger", "client")
}

// As returns the identity of a participant that joined.
func (m *Market) As(id string) chaincodetest.Identity {
	who, ok := m.people[id]
	if !ok {
		panic("markettest: no participant " + id)
	}
	return who
}

// Seed writes record, as JSON, at key in a transaction of participant id
// that runs in place of the chaincode, endorsed as the network plans it (so
// it always commits): a state the contracts would not write themselves (a
// limit almost reached, a race already lost), for a test of what the next
// call does with it. A write as chosen orgs' peers alone, which key-level
// policies may refuse, is chaincodetest.Network.Forge.
func (m *Market) Seed(t testing.TB, id, key string, record any) {
	t.Helper()
	m.Net.SubmitFunc(m.As(id), func(stub shim.ChaincodeStubInterface) error {
		b, err := json.Marshal(record)
		if err != nil {
			return err
		}
		return stub.PutState(key, b)
	}).MustOK(t)
}

// BadRecords are bytes the org of participant id (role, its role) may
// write alone into id's participant record that are no participant of that
// ID, by name: the record is its org's alone to write (PutBadRecord).
func BadRecords(id, role string) map[string]string {
	return map[string]string{
		"not JSON":         `not a participant`,
		"naming no one":    `{}`,
		"a field mistyped": `{"id":"` + id + `","roles":"` + role + `"}`,
	}
}

// PutBadRecord has the peers of org msp alone, running code of their own,
// write record (one of BadRecords) into the participant record of id, a
// member of msp.
func (m *Market) PutBadRecord(t testing.TB, msp, id, record string) {
	t.Helper()
	m.Net.PutAlone(m.Admin(msp), chaincodetest.Key("participant", id), []byte(record)).MustOK(t)
}

// Submit submits a function as participant id.
func (m *Market) Submit(id, function string, args ...string) chaincodetest.Result {
	return m.Net.Submit(m.As(id), function, args...)
}

// SubmitWith submits a function as participant id with transient data.
func (m *Market) SubmitWith(id string, transient map[string][]byte, function string, args ...string) chaincodetest.Result {
	return m.Net.Invoke(m.As(id), chaincodetest.Call{Function: function, Args: args, Transient: transient})
}

// Evaluate evaluates a function as participant id on a peer of its org.
func (m *Market) Evaluate(id, function string, args ...string) chaincodetest.Result {
	return m.Net.Evaluate(m.As(id), function, args...)
}

// RegisterAsset takes an asset through the registration procedure: the
// holder applies, an operator of its region approves, the public notice
// passes, the holder certifies. The holder then holds its HOLDING right.
func (m *Market) RegisterAsset(t testing.TB, holderID, operatorID, assetID, category, sourceRegion string) *model.Asset {
	t.Helper()
	m.Submit(holderID, "assets:Apply", assetID, "Dataset "+assetID, category, sourceRegion, "Records of "+assetID, Hash(assetID)).MustOK(t)
	var a model.Asset
	m.Submit(operatorID, "assets:Review", assetID, model.DecisionApprove, "").Unmarshal(t, &a)
	noticeEnds, err := time.Parse(time.RFC3339, a.NoticeEndsAt)
	require.NoError(t, err)
	m.Net.Advance(noticeEnds.Sub(m.Net.Now()))
	a = model.Asset{}
	m.Submit(holderID, "assets:Certify", assetID).Unmarshal(t, &a)
	return &a
}

// OperatorsOwnAsset sets up a case no operator may judge for itself: a
// Shanghai operator that also holds asset assetID (reviewed by reviewerID)
// and grants licenseeID a sublicensable OPERATION right over it, and a
// second operator acting for the same enterprise. It returns both
// operators' IDs: neither may decide as the exchange what concerns a
// licence over the asset, of which its holder is a party.
func (m *Market) OperatorsOwnAsset(t testing.TB, reviewerID, assetID, licenseeID string) (partial []string) {
	t.Helper()
	partial = []string{"sh-ophold", "sh-optwin"}
	m.Join(t, Shanghai, partial[0], "operator,holder", USCC(7))
	m.Join(t, Shanghai, partial[1], "operator", USCC(7))
	m.RegisterAsset(t, partial[0], reviewerID, assetID, "finance", "shanghai")
	sublicensable := `{"purpose":"credit risk model","regions":["shanghai","jiangsu"],"validUntil":"2029-01-01T00:00:00Z","maySublicense":true}`
	m.Grant(t, partial[0], assetID, licenseeID, model.RightOperation, sublicensable)
	return partial
}

// Grant has participant grantorID grant a right over assetID and its
// grantee accept it (a grant is only an offer until then), and returns the
// ACTIVE right.
func (m *Market) Grant(t testing.TB, grantorID, assetID, granteeID, rightType, scope string) *model.Right {
	t.Helper()
	var r model.Right
	m.Submit(grantorID, "rights:Grant", assetID, granteeID, rightType, scope).Unmarshal(t, &r)
	return m.Accept(t, &r)
}

// Sublicense has participant grantorID, the holder of right parentID,
// license it on to granteeID and the grantee accept it, and returns the
// ACTIVE right.
func (m *Market) Sublicense(t testing.TB, grantorID, parentID, granteeID, scope string) *model.Right {
	t.Helper()
	var r model.Right
	m.Submit(grantorID, "rights:Sublicense", parentID, granteeID, scope).Unmarshal(t, &r)
	return m.Accept(t, &r)
}

// Accept has the grantee of the OFFERED right r accept it, and returns the
// ACTIVE right.
func (m *Market) Accept(t testing.TB, r *model.Right) *model.Right {
	t.Helper()
	require.Equal(t, model.RightOffered, r.Status, "right %s", r.ID)
	var accepted model.Right
	m.Submit(r.HolderID, "rights:Accept", r.ID).Unmarshal(t, &accepted)
	require.Equal(t, model.RightActive, accepted.Status, "right %s", r.ID)
	return &accepted
}

// GetAsset reads an asset from the ledger as participant id.
func (m *Market) GetAsset(t testing.TB, id, assetID string) *model.Asset {
	t.Helper()
	var a model.Asset
	m.Evaluate(id, "assets:Get", assetID).Unmarshal(t, &a)
	return &a
}

// GetRight reads a right from the ledger as participant id.
func (m *Market) GetRight(t testing.TB, id, rightID string) *model.Right {
	t.Helper()
	var r model.Right
	m.Evaluate(id, "rights:Get", rightID).Unmarshal(t, &r)
	return &r
}

// Hash returns the SHA-256 hex of s, for content, terms and delivery hashes
// in tests.
func Hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// usccAlphabet and usccWeights are GB 32100-2015's check character rule.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCC returns a valid Unified Social Credit Code for the n-th enterprise of
// a test: equal n, equal enterprise.
func USCC(n int) string {
	base := "913100007" + leftPad(strconv.Itoa(n), 8)
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(usccAlphabet, base[i]) * usccWeights[i]
	}
	return base + string(usccAlphabet[(31-sum%31)%31])
}

func leftPad(s string, n int) string {
	return strings.Repeat("0", max(0, n-len(s))) + s
}

// Snapshot is the committed ledger as a test sees it: every public key and
// value, every private key and value of the terms collections, and the
// number of transactions that reached the ledger.
type Snapshot struct {
	state   map[string]string
	private map[string]string
	txs     int
}

// Snapshot captures the committed ledger.
func (m *Market) Snapshot() Snapshot {
	l := m.Net.Ledger()
	s := Snapshot{state: map[string]string{}, private: map[string]string{}, txs: len(l.Transactions())}
	for _, k := range l.StateKeys() {
		s.state[k] = string(l.State(k))
	}
	for _, c := range m.collections() {
		for _, k := range l.PrivateDataKeys(c) {
			s.private[c+"/"+k] = string(l.PrivateData(c, k))
		}
	}
	return s
}

// collections lists the terms collections of the channel, implicit ones
// included.
func (m *Market) collections() []string {
	var names []string
	for i, a := range m.orgs {
		names = append(names, trades.TermsCollection(a, a))
		for _, b := range m.orgs[i+1:] {
			names = append(names, trades.TermsCollection(a, b))
		}
	}
	return names
}

// RequireUnchanged fails the test if the ledger differs from the snapshot:
// no transaction reached it and no state changed.
func (m *Market) RequireUnchanged(t testing.TB, before Snapshot) {
	t.Helper()
	require.Equal(t, before.txs, len(m.Net.Ledger().Transactions()), "a transaction reached the ledger")
	m.RequireStateUnchanged(t, before)
}

// RequireStateUnchanged fails the test if the public state or the private
// data differ from the snapshot; a transaction that was recorded as invalid
// passes.
func (m *Market) RequireStateUnchanged(t testing.TB, before Snapshot) {
	t.Helper()
	after := m.Snapshot()
	require.Equal(t, slices.Sorted(maps.Keys(before.state)), slices.Sorted(maps.Keys(after.state)), "public keys changed")
	require.Equal(t, before.state, after.state, "public values changed")
	require.Equal(t, before.private, after.private, "private data changed")
}

// RequireRefused fails the test unless r failed with the code and, for
// INVALID_ARGUMENT, the field.
func RequireRefused(t testing.TB, r chaincodetest.Result, code ledgererr.Code, field string) {
	t.Helper()
	require.Error(t, r.Err, "call succeeded, want %s", code)
	e, ok := ledgererr.Parse(r.Err.Error())
	require.True(t, ok, "error carries no code: %v", r.Err)
	require.Equal(t, code, e.Code, "error: %v", r.Err)
	if field != "" {
		require.Equal(t, field, e.Field, "error: %v", r.Err)
	}
}

// Refuse runs call, which must be refused with code (and field for
// INVALID_ARGUMENT), and checks that it wrote nothing.
func (m *Market) Refuse(t testing.TB, code ledgererr.Code, field string, call func() chaincodetest.Result) {
	t.Helper()
	before := m.Snapshot()
	RequireRefused(t, call(), code, field)
	m.RequireUnchanged(t, before)
}
