package credit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/eventschema"
	"github.com/deltaledger/deltaledger/chaincode/internal/peerclock"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The four regional orgs, as on the channel.
const (
	mspShanghai = "ShanghaiMSP" // org A: the credit agencies
	mspJiangsu  = "JiangsuMSP"  // org B: the subject enterprise
	mspZhejiang = "ZhejiangMSP" // org C: the banks
	mspAnhui    = "AnhuiMSP"    // org D: the regulator, a stranger, a second agency
)

// Enterprise codes (valid USCCs).
const (
	usccSubject   = "9144030071526726XG"
	usccAgency    = "91330100799655058B"
	usccRival     = "91110108551385082Q"
	usccBank      = "91310000MA1FL0000N"
	usccOtherBank = "91320000MA1FL0001X"
	usccRegulator = "91330000MA1FL00025"
	usccStranger  = "91340000MA1FL0003C"
	usccAgency3   = "91310000MA1FL00043"
	usccNobody    = "91330000MA1FL0005E" // an enterprise with no participant
)

const (
	evidence       = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	secretSummary  = "Late payments to three suppliers in 2025"
	purposeLending = "loan application 2026-17"
)

// contentsJSON is a valid transient "record" document.
func contentsJSON(grade, summary string) string {
	return `{"type":"RATING","grade":"` + grade + `","score":"750","evidenceHash":"` + evidence +
		`","validUntil":"2027-03-01T00:00:00+08:00","summary":"` + summary + `"}`
}

// fixture is a four-org channel with the credit and participants contracts,
// the channel's endorsement policy (a majority of the orgs) and gateway-like planning
// of endorsers, and one participant per part in the story.
type fixture struct {
	t   *testing.T
	net *chaincodetest.Network
	cas map[string]*chaincodetest.CA

	agency, colleague, rival     chaincodetest.Identity // org A; colleague acts for the same agency
	subject, subjectColleague    chaincodetest.Identity // org B
	bank, otherBank              chaincodetest.Identity // org C
	regulator, stranger, agency3 chaincodetest.Identity // org D
	unregistered                 chaincodetest.Identity // org C, never registered
	ids                          map[string]chaincodetest.Identity

	// spy sees what every peer's run of the chaincode was given.
	spy *transientSpy

	// wallOffset is how far the peers' clock (peerclock.Now) is ahead of
	// the network's clock, which stamps the proposals.
	wallOffset time.Duration
}

func newFixture(t *testing.T) *fixture {
	cas := map[string]*chaincodetest.CA{}
	var ordered []*chaincodetest.CA
	for _, msp := range []string{mspShanghai, mspJiangsu, mspZhejiang, mspAnhui} {
		cas[msp] = chaincodetest.NewCA(msp)
		ordered = append(ordered, cas[msp])
	}
	cc, err := contractapi.NewChaincode(participants.New(), market.New(), New())
	require.NoError(t, err)
	f := &fixture{t: t, cas: cas, ids: map[string]chaincodetest.Identity{}, spy: &transientSpy{Chaincode: cc}}
	f.net = chaincodetest.NewNetwork(f.spy,
		chaincodetest.WithOrgs(ordered...),
		chaincodetest.WithEndorsementPolicy(chaincodetest.OutOf(model.ChaincodeEndorsers(4), mspShanghai, mspJiangsu, mspZhejiang, mspAnhui)),
		chaincodetest.WithEndorsementPlanning(),
	)
	eventschema.Watch(t, f.net)

	savedClock, savedMSP := peerclock.Now, localMSPID
	peerclock.Now = func() time.Time { return f.net.Now().Add(f.wallOffset) }
	t.Cleanup(func() { peerclock.Now, localMSPID = savedClock, savedMSP })

	regions := map[string]string{mspShanghai: "shanghai", mspJiangsu: "jiangsu", mspZhejiang: "zhejiang", mspAnhui: "anhui"}
	var orgs []rulestest.Org
	for _, ca := range ordered {
		orgs = append(orgs, rulestest.Org{CA: ca, Region: regions[ca.MSPID()]})
	}
	rulestest.Init(t, f.net, rulestest.Admin(cas[mspShanghai]), rulestest.Rules(orgs, model.Regulator{MSPID: mspAnhui, ParticipantID: "regulator1"}))
	register := func(msp, id, roles, uscc string) chaincodetest.Identity {
		who := rulestest.Member(cas[msp], id, uscc, roles, id)
		admin := cas[msp].Issue("admin."+id, "admin")
		f.net.Submit(admin, "participants:Register", id, string(who.CertPEM), roles, uscc, id, regions[msp]).MustOK(t)
		f.ids[id] = who
		return who
	}
	f.agency = register(mspShanghai, "agency1", "agency", usccAgency)
	f.colleague = register(mspShanghai, "agency2", "agency", usccAgency)
	f.rival = register(mspShanghai, "rival1", "agency", usccRival)
	f.subject = register(mspJiangsu, "subject1", "holder", usccSubject)
	f.subjectColleague = register(mspJiangsu, "subject2", "buyer", usccSubject)
	f.bank = register(mspZhejiang, "bank1", "buyer", usccBank)
	f.otherBank = register(mspZhejiang, "bank2", "buyer", usccOtherBank)
	f.regulator = register(mspAnhui, "regulator1", "regulator", usccRegulator)
	f.stranger = register(mspAnhui, "stranger1", "holder", usccStranger)
	f.agency3 = register(mspAnhui, "agency3", "agency", usccAgency3)
	f.unregistered = cas[mspZhejiang].Issue("nobody", "client")
	return f
}

// suspend has the participant's org admin suspend it.
func (f *fixture) suspend(id chaincodetest.Identity) {
	admin := f.cas[id.MSPID].Issue("admin.suspender", "admin")
	f.net.Submit(admin, "participants:Suspend", id.Cert.Subject.CommonName, "under investigation").MustOK(f.t)
}

// asAdmin submits a participants function as an admin of id's org.
func (f *fixture) asAdmin(id chaincodetest.Identity, fn string, args ...string) chaincodetest.Result {
	return f.net.Submit(f.cas[id.MSPID].Issue("admin.racer", "admin"), "participants:"+fn, args...)
}

// submit submits a credit function as id, with endorsers planned like the
// gateway plans them.
func (f *fixture) submit(id chaincodetest.Identity, fn string, args ...string) chaincodetest.Result {
	return f.net.Invoke(id, chaincodetest.Call{Function: "credit:" + fn, Args: args})
}

// stage submits StageRecord as agency with the contents as transient
// "record". The endorsers are planned like the gateway plans them: the
// agency's own org is asked first, and the planner adds no other because
// the only write, to that org's implicit collection, needs that org alone.
func (f *fixture) stage(agency chaincodetest.Identity, contents, recordID, subject string) chaincodetest.Result {
	return f.submitWithTransient(agency, contents, "StageRecord", recordID, subject)
}

// submitWithTransient submits a credit function as id with contents as
// transient "record", endorsers planned like the gateway plans them.
func (f *fixture) submitWithTransient(id chaincodetest.Identity, contents, fn string, args ...string) chaincodetest.Result {
	return f.net.Invoke(id, chaincodetest.Call{
		Function: "credit:" + fn, Args: args,
		Transient: map[string][]byte{model.TransientRecordKey: []byte(contents)},
	})
}

// publish stages valid contents and publishes them as agency.
func (f *fixture) publish(agency chaincodetest.Identity, recordID, subject string) *model.Record {
	f.stage(agency, contentsJSON("AA", secretSummary), recordID, subject).MustOK(f.t)
	var r model.Record
	f.submit(agency, "Publish", recordID, subject).Unmarshal(f.t, &r)
	return &r
}

// evaluate evaluates a credit function as id on a peer of its own org.
func (f *fixture) evaluate(id chaincodetest.Identity, fn string, args ...string) chaincodetest.Result {
	return f.net.Evaluate(id, "credit:"+fn, args...)
}

// read evaluates ReadRecords as id on a peer of peerMSP, the chaincode
// believing itself to serve that org's peer.
func (f *fixture) read(id chaincodetest.Identity, peerMSP, traceID string) chaincodetest.Result {
	localMSPID = func() (string, error) { return peerMSP, nil }
	return f.net.Invoke(id, chaincodetest.Call{Function: "credit:ReadRecords", Args: []string{traceID}, PeerMSP: peerMSP, Evaluate: true})
}

// readsOnly asserts that id, reading trace traceID on a peer of peerMSP,
// reads one record, recordID, whose contents match its hash.
func (f *fixture) readsOnly(t *testing.T, id chaincodetest.Identity, peerMSP, traceID, recordID string) {
	t.Helper()
	read := decode[model.ReadResult](t, f.read(id, peerMSP, traceID))
	require.Len(t, read.Records, 1)
	assert.Equal(t, recordID, read.Records[0].Record.RecordID)
	assert.True(t, read.Records[0].Verified)
}

// peerSequence plays, for consecutive endorsements of one proposal, the
// peers of the given orgs, each of which knows its own MSP.
func peerSequence(msps ...string) func() (string, error) {
	next := 0
	return func() (string, error) {
		msp := msps[next%len(msps)]
		next++
		return msp, nil
	}
}

// authorize has the subject authorise the bank for purposeLending.
func (f *fixture) authorize(authID, granteeID, validUntil string) {
	f.submit(f.subject, "Authorize", authID, granteeID, purposeLending, validUntil).MustOK(f.t)
}

// authorizeUntilAMinuteAway publishes record R1 about the subject, has the
// subject authorise the bank (A1) for an hour, and lets time pass until the
// authorisation is a minute from its expiry, which it returns.
func (f *fixture) authorizeUntilAMinuteAway() time.Time {
	f.publish(f.agency, "R1", usccSubject)
	expiry := f.net.Now().Add(time.Hour).UTC().Truncate(time.Second)
	f.authorize("A1", "bank1", expiry.Format(time.RFC3339))
	f.net.Advance(expiry.Sub(f.net.Now()) - time.Minute)
	return expiry
}

// requestQuery runs step 1 and returns its trace.
func (f *fixture) requestQuery(id chaincodetest.Identity, traceID, subject, purpose, authID string) *model.Trace {
	var trace model.Trace
	f.submit(id, "RequestQuery", traceID, subject, purpose, authID).Unmarshal(f.t, &trace)
	return &trace
}

// lookUp runs step 1, then step 2 on a peer of id's own org, and returns
// the records in force that peer lists.
func (f *fixture) lookUp(id chaincodetest.Identity, traceID, subject, purpose, authID string) []*model.Record {
	f.requestQuery(id, traceID, subject, purpose, authID)
	records := []*model.Record{}
	for _, read := range decode[model.ReadResult](f.t, f.read(id, id.MSPID, traceID)).Records {
		records = append(records, read.Record)
	}
	return records
}

// snapshot is everything a transaction could have written.
type snapshot struct {
	state    map[string]string
	policies map[string]string
	private  map[string]map[string]string
	txs      int
}

func (f *fixture) snapshot() snapshot {
	l := f.net.Ledger()
	s := snapshot{state: map[string]string{}, policies: map[string]string{}, private: map[string]map[string]string{}, txs: len(l.Transactions())}
	for _, k := range l.StateKeys() {
		s.state[k] = string(l.State(k))
		s.policies[k] = string(l.ValidationParameter(k))
	}
	for _, msp := range []string{mspShanghai, mspJiangsu, mspZhejiang, mspAnhui} {
		coll := chaincodetest.ImplicitCollection(msp)
		s.private[coll] = map[string]string{}
		for _, k := range l.PrivateDataKeys(coll) {
			s.private[coll][k] = string(l.PrivateData(coll, k))
		}
	}
	return s
}

func (s snapshot) equal(o snapshot) bool {
	if s.txs != o.txs || !maps.Equal(s.state, o.state) || !maps.Equal(s.policies, o.policies) {
		return false
	}
	for coll, kv := range s.private {
		if !maps.Equal(kv, o.private[coll]) {
			return false
		}
	}
	return true
}

// refusal is what a refused call must report.
type refusal struct {
	code  ledgererr.Code
	field string // for INVALID_ARGUMENT: the field named
	text  string // a fragment of the message
}

// skewed is the refusal of a transaction stamped further from the peers'
// clock than model.MaxClockSkew.
var skewed = refusal{ledgererr.InvalidArgument, state.TimestampField, "after the endorsing peer's clock"}

// mustRefuse runs call and checks that it failed with the refusal and wrote
// nothing at all: no state, no private data, no policy, no transaction.
func (f *fixture) mustRefuse(want refusal, call func() chaincodetest.Result) {
	f.t.Helper()
	before := f.snapshot()
	r := call()
	require.Error(f.t, r.Err, "call succeeded, want %s", want.code)
	e, ok := ledgererr.Parse(r.Err.Error())
	require.True(f.t, ok, "error carries no code: %v", r.Err)
	assert.Equal(f.t, want.code, e.Code, "error: %v", r.Err)
	if want.field != "" {
		assert.Equal(f.t, want.field, e.Field, "error: %v", r.Err)
	}
	assert.Contains(f.t, e.Message, want.text, "error: %v", r.Err)
	assert.True(f.t, before.equal(f.snapshot()), "a refused call wrote to the ledger: %v", r.Err)
}

// recordKey is the composite key of a record's public metadata.
func recordKey(id string) string {
	return "\x00" + keyRecord + "\x00" + id + "\x00"
}

// privateKey is the composite key of a record's contents in its agency
// org's implicit collection.
func privateKey(recordID, subject, agencyID string) string {
	return "\x00" + keyContents + "\x00" + recordID + "\x00" + subject + "\x00" + agencyID + "\x00"
}

// transientSpy wraps the chaincode and logs, for every run on any peer, the
// transaction and the transient data the peer was given. The network runs
// one simulation at a time, so the log needs no lock.
type transientSpy struct {
	shim.Chaincode
	runs []spiedRun
}

type spiedRun struct {
	txID      string
	transient map[string][]byte
}

// Invoke logs the run and passes it on to the chaincode.
func (s *transientSpy) Invoke(stub shim.ChaincodeStubInterface) *peer.Response {
	tm, _ := stub.GetTransient()
	s.runs = append(s.runs, spiedRun{txID: stub.GetTxID(), transient: tm})
	return s.Chaincode.Invoke(stub)
}

// orgsGivenTransient returns, for the committed transactions, the orgs whose
// peers were given transient data, sorted. A transaction's runs are its
// endorsements, in the order of its Endorsers.
func (f *fixture) orgsGivenTransient() []string {
	f.t.Helper()
	runs := map[string][]spiedRun{}
	for _, r := range f.spy.runs {
		runs[r.txID] = append(runs[r.txID], r)
	}
	var orgs []string
	for _, tx := range f.net.Ledger().Transactions() {
		require.Len(f.t, runs[tx.TxID], len(tx.Endorsers), "runs of transaction %s", tx.TxID)
		for i, r := range runs[tx.TxID] {
			if len(r.transient) > 0 {
				orgs = append(orgs, tx.Endorsers[i])
			}
		}
	}
	slices.Sort(orgs)
	return slices.Compact(orgs)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// getRecord reads a record's public metadata as the regulator.
func (f *fixture) getRecord(id string) *model.Record {
	var r model.Record
	f.evaluate(f.regulator, "GetRecord", id).Unmarshal(f.t, &r)
	return &r
}

func decode[T any](t *testing.T, r chaincodetest.Result) *T {
	t.Helper()
	var v T
	r.Unmarshal(t, &v)
	return &v
}

// requireListsOfSubject checks that each of readers lists the subject's
// items want by calling fn (subjectUscc, pageSize, bookmark), and that the
// first reader, one item a page, reads them in that order, each page's
// bookmark leading to the next.
func requireListsOfSubject[T any](t *testing.T, f *fixture, fn string, readers []chaincodetest.Identity, want []T) {
	t.Helper()
	for _, id := range readers {
		page := decode[model.Page[T]](t, f.evaluate(id, fn, usccSubject, "", ""))
		assert.Equal(t, want, page.Items, "as %s", id)
	}
	bookmark := ""
	for i, item := range want {
		page := decode[model.Page[T]](t, f.evaluate(readers[0], fn, usccSubject, "1", bookmark))
		assert.Equal(t, []T{item}, page.Items, "page %d", i+1)
		bookmark = page.Bookmark
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
