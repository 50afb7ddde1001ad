package indices_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

const (
	period = "day:2026-03-04"
	input  = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
)

// figures are well-formed figures of the period, blocks 3 to 40.
var figures = figuresOf(period)

// figuresOf is the canonical text of well-formed figures of period p,
// blocks 3 to 40 (the block range the fixture attests and publishes).
func figuresOf(p string) string { return markettest.Figures(markettest.PeriodFigures(p, 3, 40)) }

type fixture struct {
	*markettest.Market
	orgs []string
}

func newFixture(t testing.TB) *fixture { return newFixtureOf(t, markettest.New(t), markettest.Orgs) }

// newProductionFixture is a fixture on the four production orgs, whose
// market rules are set, so that a majority is three orgs of four.
func newProductionFixture(t *testing.T) *fixture {
	m := markettest.NewProduction(t)
	rulestest.Init(t, m.Net, m.Admin(markettest.Shanghai), m.FirstRules())
	return newFixtureOf(t, m, markettest.ProductionOrgs)
}

// newFixtureOf joins a regulator and an operator of each of orgs, the
// market's, and a holder of the first, and lets the period end.
func newFixtureOf(t testing.TB, m *markettest.Market, orgs []string) *fixture {
	for i, msp := range orgs {
		m.Join(t, msp, "reg-"+strconv.Itoa(i), "regulator", markettest.USCC(100+i))
		m.Join(t, msp, "op-"+strconv.Itoa(i), "operator", markettest.USCC(200+i))
	}
	m.Join(t, orgs[0], "holder", "holder", markettest.USCC(300))
	// The period has ended.
	end, _ := time.Parse(time.RFC3339, "2026-03-05T00:00:00+08:00")
	if d := end.Sub(m.Net.Now()); d > 0 {
		m.Net.Advance(d + time.Hour)
	}
	return &fixture{Market: m, orgs: orgs}
}

// attest records org i's attestation of the figures, endorsed by its own
// peer alone.
func (f *fixture) attest(t *testing.T, i int, figures string) chaincodetest.Result {
	return f.attestOf(t, i, period, figures)
}

// attestOf records org i's attestation of the figures of period p.
func (f *fixture) attestOf(t testing.TB, i int, p, figures string) chaincodetest.Result {
	msp := f.orgs[i]
	return f.Net.Invoke(f.As("reg-"+strconv.Itoa(i)), chaincodetest.Call{Function: "indices:Attest",
		Args: []string{p, "3", "40", input, model.FiguresHash(figures)}, PeerMSP: msp, Endorsers: []string{msp}})
}

// openAttestedBy opens the period and has the first n orgs attest the
// figures.
func (f *fixture) openAttestedBy(t *testing.T, n int) {
	f.Submit("reg-0", "indices:Open", period).MustOK(t)
	for i := range n {
		f.attest(t, i, figures).MustOK(t)
	}
}

// openPublished opens the period, has the first n orgs attest the figures
// and publishes them, endorsed by the first three orgs (a majority of a
// production fixture's four), and answers the publication.
func (f *fixture) openPublished(t *testing.T, n int) model.Publication {
	t.Helper()
	f.openAttestedBy(t, n)
	var p model.Publication
	f.publish(f.orgs[:3]...).Unmarshal(t, &p)
	return p
}

func (f *fixture) publish(endorsers ...string) chaincodetest.Result {
	return f.publishOf(period, figures, endorsers...)
}

// publishOf publishes the figures of period p, endorsed by endorsers.
func (f *fixture) publishOf(p, figures string, endorsers ...string) chaincodetest.Result {
	return f.Net.Invoke(f.As("reg-0"), chaincodetest.Call{Function: "indices:Publish",
		Args: []string{p, "3", "40", input, figures}, PeerMSP: endorsers[0], Endorsers: endorsers})
}

// colluders runs fn in a transaction that the first two orgs' peers,
// running code of their own, endorse: on the production channel enough
// neither for the chaincode's policy (a majority) nor for a key under a
// majority policy.
func (f *fixture) colluders(fn func(stub shim.ChaincodeStubInterface) error) chaincodetest.Result {
	return f.forgers(2, fn)
}

// forgers runs fn in a transaction that the first n orgs' peers, running
// code of their own, endorse.
func (f *fixture) forgers(n int, fn func(stub shim.ChaincodeStubInterface) error) chaincodetest.Result {
	return f.Net.InvokeFunc(f.As("reg-0"), chaincodetest.Call{PeerMSP: f.orgs[0], Endorsers: f.orgs[:n]},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) { return nil, fn(stub) })
}

// forgedPeriod is the period of forgePublished's record.
const forgedPeriod = "day:2026-03-03"

// forgePublished has a majority of the orgs of a fixture of four write a
// PUBLISHED record of forgedPeriod, and the index entry that lists it, for
// figures only the first two attested (each its own attestation, genuine):
// no majority of attestations.
func (f *fixture) forgePublished(t *testing.T) {
	forgedFigures := `{"period":"day:2026-03-03","divisions":[{"division":"31","trades":99999}]}`
	digest := model.IndicesDigest(forgedPeriod, 1, 2, input, model.FiguresHash(forgedFigures))
	forged := model.Publication{Period: forgedPeriod, Status: model.PublicationPublished, FromBlock: 1, ToBlock: 2, InputHash: input,
		FiguresHash: model.FiguresHash(forgedFigures), Digest: digest, Figures: forgedFigures, AttestedBy: f.orgs[:2]}
	for i := range 2 {
		f.Net.Invoke(f.As("reg-"+strconv.Itoa(i)), chaincodetest.Call{Function: "indices:Attest",
			Args: []string{forgedPeriod, "1", "2", input, model.FiguresHash(forgedFigures)}, PeerMSP: f.orgs[i], Endorsers: []string{f.orgs[i]}}).MustOK(t)
	}
	f.forgeRecord(t, forgedPeriod, forged)
}

// requireOnlyTheRealPublication checks that Get refuses the record of
// forgedPeriod and that List answers the publication of period, once.
func (f *fixture) requireOnlyTheRealPublication(t *testing.T) {
	t.Helper()
	f.Evaluate("holder", "indices:Get", forgedPeriod).MustFail(t, "CONFLICT")
	var page model.PublicationPage
	f.Evaluate("holder", "indices:List", "", "").Unmarshal(t, &page)
	require.Len(t, page.Items, 1, "only the real publication is listed, once")
	assert.Equal(t, period, page.Items[0].Period)
}

// A publication commits only when a majority of the orgs' peers endorse
// it, and a peer endorses only the figures its own org attested.
func TestPublicationNeedsAMajorityOfAttestations(t *testing.T) {
	f := newFixture(t)
	sh, js, ah := markettest.Orgs[0], markettest.Orgs[1], markettest.Orgs[2]
	f.Submit("reg-0", "indices:Open", period).MustOK(t)
	f.Submit("reg-0", "indices:Open", period).MustFail(t, "CONFLICT")

	f.publish(sh, js).MustFail(t, "has not attested")
	f.attest(t, 0, figures).MustOK(t)
	f.publish(sh).MustFail(t, "only 1 of the 3 regions")
	f.attest(t, 1, `{"other":"figures"}`).MustOK(t)
	f.publish(js, sh).MustFail(t, "JiangsuMSP has not attested these figures")
	f.publish(sh).MustFail(t, "only 1 of the 3 regions")

	f.attest(t, 2, figures).MustOK(t)
	f.publish(sh).MustFail(t, "ENDORSEMENT_POLICY_FAILURE") // two attested, but one org endorsed
	var p model.Publication
	f.publish(sh, ah).Unmarshal(t, &p)
	assert.Equal(t, []string{"AnhuiMSP", "ShanghaiMSP"}, p.AttestedBy)
	assert.Equal(t, model.PublicationPublished, p.Status)
	assert.Equal(t, model.FiguresHash(figures), p.FiguresHash)
	assert.Equal(t, model.IndicesDigest(period, 3, 40, input, p.FiguresHash), p.Digest)
	f.publish(sh, ah).MustFail(t, "already published")

	var got model.Publication
	f.Evaluate("holder", "indices:Get", period).Unmarshal(t, &got)
	assert.Equal(t, figures, got.Figures)
	var page model.PublicationPage
	f.Evaluate("holder", "indices:List", "", "").Unmarshal(t, &page)
	require.Len(t, page.Items, 1)
	assert.Equal(t, uint64(40), page.Items[0].ToBlock)
}

// Who may do what: an attestation is recorded only on the attesting org's
// own peers; only a regulator publishes; a period is opened once it closed;
// bad input names the field.
func TestIndicesRules(t *testing.T) {
	f := newFixture(t)
	sh, js := markettest.Orgs[0], markettest.Orgs[1]
	f.Net.Invoke(f.As("reg-0"), chaincodetest.Call{Function: "indices:Attest",
		Args: []string{period, "3", "40", input, model.FiguresHash(figures)}, PeerMSP: js, Endorsers: []string{js}}).MustFail(t, "FORBIDDEN")
	f.Net.Invoke(f.As("holder"), chaincodetest.Call{Function: "indices:Attest",
		Args: []string{period, "3", "40", input, model.FiguresHash(figures)}, PeerMSP: sh, Endorsers: []string{sh}}).MustFail(t, "FORBIDDEN")
	f.Submit("holder", "indices:Open", period).MustFail(t, "FORBIDDEN")
	f.Submit("reg-0", "indices:Open", "day:2999-01-01").MustFail(t, "closes at 2999-01-01T16:07:00Z")
	f.Submit("op-0", "indices:Open", period).MustOK(t)
	f.attest(t, 0, figures).MustOK(t)
	f.Net.Invoke(f.As("op-0"), chaincodetest.Call{Function: "indices:Publish",
		Args: []string{period, "3", "40", input, figures}, PeerMSP: sh, Endorsers: []string{sh, js}}).MustFail(t, "FORBIDDEN")

	var mine model.Attestation
	f.Evaluate("reg-0", "indices:MyAttestation", period).Unmarshal(t, &mine)
	f.Net.Invoke(f.As("reg-0"), chaincodetest.Call{Function: "indices:MyAttestation", Args: []string{period}, PeerMSP: js, Evaluate: true}).
		MustFail(t, "kept by "+sh+"'s own peers")
	assert.Equal(t, model.IndicesDigest(period, 3, 40, input, model.FiguresHash(figures)), mine.Digest)

	for _, c := range []struct {
		fn    string
		args  []string
		field string
	}{
		{"indices:Open", []string{"week:2026-10"}, "period"},
		{"indices:Attest", []string{period, "x", "40", input, input}, "fromBlock"},
		{"indices:Attest", []string{period, "41", "40", input, input}, "toBlock"},
		{"indices:Attest", []string{period, "3", "40", "zz", input}, "inputHash"},
		{"indices:Publish", []string{period, "3", "40", input, "{not json"}, "figures"},
		{"indices:Get", []string{"day:2026-3-4"}, "period"},
	} {
		r := f.Submit("reg-0", c.fn, c.args...)
		markettest.RequireRefused(t, r, "INVALID_ARGUMENT", c.field)
	}
	_ = json.Valid
}

// A publication stands on the attestations of a majority of the regions,
// whoever wrote its record. A majority of the orgs whose peers run code of
// their own can create any new key (the chaincode's policy is a majority):
// a PUBLISHED record for a period nobody opened, with the index entry that
// lists it. No reader takes it. They cannot delist a real publication (its index entry
// needs a majority), and no org's later attestation takes a published
// digest back.
func TestOnlyAttestedPublicationsAreRead(t *testing.T) {
	f := newProductionFixture(t)
	f.openPublished(t, 3)
	f.forgePublished(t)

	f.requireOnlyTheRealPublication(t)

	r := f.colluders(func(stub shim.ChaincodeStubInterface) error {
		return stub.DelState(chaincodetest.Key("indices~published", period))
	})
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode, "two orgs delisted a publication: %v", r.Err)

	f.attest(t, 3, figures).MustOK(t) // a confirmation
	f.attest(t, 0, `{"other":"figures"}`).MustFail(t, "CONFLICT")
	var got model.Publication
	f.Evaluate("holder", "indices:Get", period).Unmarshal(t, &got)
	assert.Equal(t, figures, got.Figures)
}

// A publication is final: no one org takes it back. Each org alone writes
// its own implicit collection (its peers alone endorse it), so an org whose
// peers run code of their own can replace or delete its attestation after
// the period is published; the publication must still read while a
// majority of the regions hold its digest.
func TestOneOrgCannotWithdrawAPublication(t *testing.T) {
	f := newProductionFixture(t)
	p := f.openPublished(t, 4)
	require.Len(t, p.AttestedBy, 4)

	// Zhejiang alone, on its own peer, replaces its attestation.
	f.rewriteOwnAttestation(t, 2, func(stub shim.ChaincodeStubInterface, collection, key string) error {
		return stub.PutPrivateData(collection, key, []byte("withdrawn"))
	})
	f.requirePublished(t, figures)
}

// rewriteOwnAttestation has org i, on its own peer running code of its own,
// change its attestation of the period (write).
func (f *fixture) rewriteOwnAttestation(t *testing.T, i int, write func(stub shim.ChaincodeStubInterface, collection, key string) error) {
	t.Helper()
	msp := f.orgs[i]
	f.Net.InvokeFunc(f.As("reg-"+strconv.Itoa(i)), chaincodetest.Call{PeerMSP: msp, Endorsers: []string{msp}},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			return nil, write(stub, "_implicit_org_"+msp, chaincodetest.Key("indices.attestation", period))
		}).MustOK(t)
}

// A publication is final from the moment it is made, not only once every
// region has attested it: a regulator's gateway publishes as soon as a
// majority attested (three of four), and until the fourth attests, one of
// the three, rewriting its own attestation on its own peer, would leave two
// of four holding the digest and take the publication back alone (and put
// it back at will). The record's AttestedBy, which Publish wrote after
// every endorsing peer read those attestations, under a majority policy,
// keeps their votes.
func TestOneOrgCannotWithdrawABareMajorityPublication(t *testing.T) {
	f := newProductionFixture(t)
	p := f.openPublished(t, 3)
	require.Len(t, p.AttestedBy, 3)

	// Zhejiang alone, on its own peer, deletes its attestation.
	f.rewriteOwnAttestation(t, 2, func(stub shim.ChaincodeStubInterface, collection, key string) error {
		return stub.DelPrivateData(collection, key)
	})
	f.requirePublished(t, figures)
	f.attest(t, 3, otherFigures).MustFail(t, "an attestation of it now can only confirm that digest")
}

// A publication is final whoever created its record. Two orgs whose peers
// run code of their own cannot create a new key (the chaincode's policy is
// a majority); three can, under no key-level policy: an OPEN record the
// regulator takes for its own and publishes. Once published, the record
// needs a majority to change, like its index entry: not the two orgs.
func TestTwoOrgsCannotUndoAPublicationOfARecordTheyCreated(t *testing.T) {
	f := newProductionFixture(t)
	sh, js, zj := f.orgs[0], f.orgs[1], f.orgs[2]
	open := model.Publication{Period: period, Status: model.PublicationOpen, OpenedBy: "reg-0", OpenedAt: "2026-03-05T00:00:00Z"}
	record := chaincodetest.Key("indices.publication", period)
	create := func(stub shim.ChaincodeStubInterface) error {
		b, _ := json.Marshal(open)
		return stub.PutState(record, b)
	}
	r := f.colluders(create)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode, "two orgs created a record: %v", r.Err)
	f.forgers(model.ChaincodeEndorsers(len(f.orgs)), create).MustOK(t)
	for i := range 4 {
		f.attest(t, i, figures).MustOK(t)
	}
	f.publish(sh, js, zj).MustOK(t)
	var got model.Publication
	f.Evaluate("holder", "indices:Get", period).Unmarshal(t, &got)
	require.Equal(t, model.PublicationPublished, got.Status)

	r = f.colluders(create)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode, "two orgs reopened a publication: %v", r.Err)
	r = f.colluders(func(stub shim.ChaincodeStubInterface) error { return stub.DelState(record) })
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode, "two orgs deleted a publication: %v", r.Err)
	f.Evaluate("holder", "indices:Get", period).Unmarshal(t, &got)
	assert.Equal(t, figures, got.Figures)
}

// A period opens only once it is closed: its opening is stamped at its
// closing instant or later (model.PeriodClosesAt: model.MaxClockSkew after
// the end of a period before model.ClosingRuleCutOver, as this one, which
// still opens where it did), so the opening itself closes the period (the
// gateways' closing rule) and a quiet market closes too. Opened
// sooner (a minute ahead of the peers' clocks, before it ended, or in the
// minutes after), the period would be open and not closed: the regulator's
// publisher, finding it open, opens nothing, and the period waits for some
// other transaction to close it.
func TestAPeriodOpensOnlyOnceItIsClosed(t *testing.T) {
	f := newFixture(t)
	p := model.PeriodOf(model.PeriodMinute, f.Net.Now().Add(2*time.Minute))
	_, end, err := model.ParsePeriod(p)
	require.NoError(t, err)
	f.Net.Advance(end.Add(-model.MaxClockLead).Sub(f.Net.Now()))
	open := func(stamp time.Time) chaincodetest.Result {
		return f.Net.Invoke(f.As("op-1"), chaincodetest.Call{Function: "indices:Open", Args: []string{p}, Timestamp: stamp,
			PeerMSP: markettest.Orgs[1], Endorsers: markettest.Orgs[:2]})
	}
	markettest.RequireRefused(t, open(end), "INVALID_ARGUMENT", "period") // stamped a minute ahead: it has not ended
	f.Net.Advance(model.MaxClockLead + time.Minute)
	markettest.RequireRefused(t, open(f.Net.Now()), "INVALID_ARGUMENT", "period") // ended, not closed
	f.Net.Advance(end.Add(model.MaxClockSkew).Sub(f.Net.Now()))
	open(f.Net.Now()).MustOK(t)
}

// From model.ClosingRuleCutOver a period closes model.MaxClockSkew +
// model.MaxClockLead after its end, and opens only then by the endorsing
// peer's clock, whatever the stamp: a regulator stamping a lead ahead of the
// peers opens no period before its closing instant, nor does one stamped
// at the old closing instant, nor one stamped before the closing instant
// when the peer's clock has reached it.
func TestAPeriodOfTheNewRuleOpensALeadLaterByThePeersClock(t *testing.T) {
	f := newFixture(t)
	f.Net.Advance(model.ClosingRuleCutOver().Add(30 * 24 * time.Hour).Sub(f.Net.Now()))
	p := model.PeriodOf(model.PeriodMinute, f.Net.Now().Add(2*time.Minute))
	_, end, err := model.ParsePeriod(p)
	require.NoError(t, err)
	closesAt := model.PeriodClosesAt(end)
	require.Equal(t, end.Add(model.MaxClockSkew+model.MaxClockLead), closesAt)
	open := func(stamp time.Time) chaincodetest.Result {
		return f.Net.Invoke(f.As("op-1"), chaincodetest.Call{Function: "indices:Open", Args: []string{p}, Timestamp: stamp,
			PeerMSP: markettest.Orgs[1], Endorsers: markettest.Orgs[:2]})
	}
	refused := func(r chaincodetest.Result, why string) { t.Helper(); requireNotClosed(t, r, closesAt, why) }
	f.Net.Advance(end.Add(model.MaxClockSkew).Sub(f.Net.Now()))
	refused(open(f.Net.Now()), "opened at the old rule's closing instant")
	f.Net.Advance(closesAt.Add(-time.Second).Sub(f.Net.Now()))
	refused(open(f.Net.Now().Add(model.MaxClockLead)), "opened by a stamp ahead before the peer's clock reached the closing instant")
	f.Net.Advance(closesAt.Sub(f.Net.Now()))
	refused(open(closesAt.Add(-time.Second)), "opened by a stamp before the closing instant")
	open(closesAt).MustOK(t)
}

// requireNotClosed checks that r was refused because its period closes
// at closesAt (naming the period).
func requireNotClosed(t *testing.T, r chaincodetest.Result, closesAt time.Time, why string) {
	t.Helper()
	markettest.RequireRefused(t, r, "INVALID_ARGUMENT", "period")
	assert.ErrorContains(t, r.Err, "closes at "+model.FormatTime(closesAt), why)
}

// periodsOf reads the periods of a GetPublished answer, in order.
func periodsOf(t *testing.T, r chaincodetest.Result) []string {
	t.Helper()
	var got model.Publications
	r.Unmarshal(t, &got)
	require.NotNil(t, got.Items, "an answer with no items holds an empty list")
	periods := []string{}
	for _, p := range got.Items {
		periods = append(periods, p.Period)
	}
	return periods
}

// GetPublished reads several periods in one evaluation and answers, in the
// order asked, only what Get would answer as a publication: not a record
// no majority attested (forged by orgs running code of their own), not a
// period still open, not one never opened.
func TestGetPublishedAnswersWhatTheChainVouchesForInOrder(t *testing.T) {
	f := newProductionFixture(t)
	sh, js, zj := f.orgs[0], f.orgs[1], f.orgs[2]
	const earlier, stillOpen, never = "day:2026-03-01", "day:2026-03-02", "day:2026-02-27"
	f.openPublished(t, 3)
	f.Submit("reg-0", "indices:Open", earlier).MustOK(t)
	for i := range 3 {
		f.attestOf(t, i, earlier, figuresOf(earlier)).MustOK(t)
	}
	f.publishOf(earlier, figuresOf(earlier), sh, js, zj).MustOK(t)
	f.Submit("reg-0", "indices:Open", stillOpen).MustOK(t)
	f.forgePublished(t)
	f.Evaluate("holder", "indices:Get", forgedPeriod).MustFail(t, "CONFLICT")

	asked := []string{period, forgedPeriod, never, stillOpen, earlier}
	got := periodsOf(t, f.Evaluate("holder", "indices:GetPublished", strings.Join(asked, ",")))
	assert.Equal(t, []string{period, earlier}, got)
	slices.Reverse(asked)
	got = periodsOf(t, f.Evaluate("holder", "indices:GetPublished", strings.Join(asked, ",")))
	assert.Equal(t, []string{earlier, period}, got, "the order asked, not the key order")
	var one model.Publication
	f.Evaluate("holder", "indices:Get", period).Unmarshal(t, &one)
	var many model.Publications
	f.Evaluate("holder", "indices:GetPublished", period).Unmarshal(t, &many)
	require.Len(t, many.Items, 1)
	assert.Equal(t, one, *many.Items[0], "the same record Get answers")

	assert.Empty(t, periodsOf(t, f.Evaluate("holder", "indices:GetPublished", "")), "no periods, no items")
}

// GetPublished takes at most model.MaxPublicationsPerRead periods, each a
// period named once, from a registered participant, and refuses the rest
// as Get does, naming the field.
func TestGetPublishedRules(t *testing.T) {
	f := newFixture(t)
	f.openAttestedBy(t, 0)
	require.GreaterOrEqual(t, model.MaxPublicationsPerRead, model.MaxPageSize, "a page of GET /v1/indices is read in one evaluation")
	minutes := make([]string, model.MaxPublicationsPerRead+1)
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range minutes {
		minutes[i] = model.PeriodOf(model.PeriodMinute, start.Add(time.Duration(i)*time.Minute))
	}
	assert.Empty(t, periodsOf(t, f.Evaluate("holder", "indices:GetPublished", strings.Join(minutes[:model.MaxPublicationsPerRead], ","))),
		"as many periods as the limit")
	for _, c := range []struct {
		periods []string
		field   string
	}{
		{minutes, "periods"},
		{[]string{period, "day:2026-3-4"}, "periods[1]"},
		{[]string{period, ""}, "periods[1]"}, // a trailing comma
		{[]string{period, "day:2026-03-01", period}, "periods[2]"},
	} {
		r := f.Evaluate("holder", "indices:GetPublished", strings.Join(c.periods, ","))
		markettest.RequireRefused(t, r, ledgererr.InvalidArgument, c.field)
	}
	refusal := func(fn string) *ledgererr.Error {
		r := f.Net.Evaluate(f.Stranger(f.orgs[0]), fn, period)
		require.Error(t, r.Err)
		e, ok := ledgererr.Parse(r.Err.Error())
		require.True(t, ok, "%v", r.Err)
		return e
	}
	assert.Equal(t, refusal("indices:Get").Code, refusal("indices:GetPublished").Code, "a stranger is refused as Get refuses one")
}

// GetPublished answers at most model.MaxPublicationsAnswerBytes of
// publications, and always one: the periods from the first it has no room
// for on are its Remaining, in the order asked, and asking them again
// answers them.
func TestGetPublishedAnswersWhatFitsAndNamesTheRest(t *testing.T) {
	f := newFixture(t)
	// A publication made before 11.0.0 could hold any JSON: over the bound
	// alone once each < is six bytes of JSON (\u003c).
	escaped := `{"pad":"` + strings.Repeat("<", 600_000) + `"}`
	const one, two, three, four, alone, never = "day:2026-03-01", "day:2026-03-02", "day:2026-03-03", "day:2026-03-04", "day:2026-03-05", "day:2026-02-27"
	f.Net.Advance(48 * time.Hour)
	for _, p := range []string{one, two, three, four} {
		big := sizedFigures(t, p, 800_000) // about 0.93 MB once its quotes are escaped in the answer
		f.Submit("reg-0", "indices:Open", p).MustOK(t)
		f.attestOf(t, 0, p, big).MustOK(t)
		f.attestOf(t, 1, p, big).MustOK(t)
		f.publishOf(p, big, f.orgs[0], f.orgs[1]).MustOK(t)
	}
	f.attestOf(t, 0, alone, escaped).MustOK(t)
	f.attestOf(t, 1, alone, escaped).MustOK(t)
	f.forgeRecord(t, alone, model.Publication{Period: alone, Status: model.PublicationPublished, FromBlock: 3, ToBlock: 40, InputHash: input,
		FiguresHash: model.FiguresHash(escaped), Digest: model.IndicesDigest(alone, 3, 40, input, model.FiguresHash(escaped)), Figures: escaped,
		AttestedBy: f.orgs[:2], OpenedBy: "reg-0", OpenedAt: "2026-03-06T00:00:00Z", PublishedBy: "reg-0", PublishedAt: "2026-03-06T00:00:00Z"})
	read := func(periods ...string) (items, remaining []string) {
		var got model.Publications
		f.Evaluate("holder", "indices:GetPublished", strings.Join(periods, ",")).Unmarshal(t, &got)
		for _, p := range got.Items {
			items = append(items, p.Period)
		}
		return items, got.Remaining
	}
	items, remaining := read(one, two, three, four, never)
	assert.Equal(t, []string{one, two, three}, items, "three of 0.93 MB fit in 3 MiB, not four")
	assert.Equal(t, []string{four, never}, remaining)
	items, remaining = read(remaining...)
	assert.Equal(t, []string{four}, items)
	assert.Empty(t, remaining)

	items, remaining = read(alone, one)
	assert.Equal(t, []string{alone}, items, "one publication is answered whatever its size")
	assert.Equal(t, []string{one}, remaining)
	items, remaining = read(one, alone)
	assert.Equal(t, []string{one}, items)
	assert.Equal(t, []string{alone}, remaining)
}

// BenchmarkReadingAPage compares reading a page of publications with one
// indices:Get per period (the gateway's way before GetPublished) with one
// indices:GetPublished, on the in-memory peer: the chaincode's own work and
// the per-evaluation overhead of this test peer, not a network's.
func BenchmarkReadingAPage(b *testing.B) {
	f := newFixture(b)
	f.Net.Advance(40 * 24 * time.Hour)
	var periods []string
	for day := 1; day <= 20; day++ {
		p := fmt.Sprintf("day:2026-03-%02d", day)
		figures := figuresOf(p)
		f.Submit("reg-0", "indices:Open", p).MustOK(b)
		f.attestOf(b, 0, p, figures).MustOK(b)
		f.attestOf(b, 1, p, figures).MustOK(b)
		f.publishOf(p, figures, f.orgs[0], f.orgs[1]).MustOK(b)
		periods = append(periods, p)
	}
	b.Run("Get each", func(b *testing.B) {
		for b.Loop() {
			for _, p := range periods {
				f.Evaluate("holder", "indices:Get", p).MustOK(b)
			}
		}
	})
	b.Run("GetPublished", func(b *testing.B) {
		for b.Loop() {
			f.Evaluate("holder", "indices:GetPublished", strings.Join(periods, ",")).MustOK(b)
		}
	})
}

// Once published, an attestation may only confirm the publication: an org
// that attested it attests it again, one that had not attested confirms it
// later, and neither attests other figures of the period, which stays
// published as it was.
func TestAnAttestationAfterThePublicationOnlyConfirmsIt(t *testing.T) {
	f := newFixture(t)
	sh, js := markettest.Orgs[0], markettest.Orgs[1]
	f.openAttestedBy(t, 2)
	f.publish(sh, js).MustOK(t)

	f.attest(t, 0, figures).MustOK(t)
	f.attest(t, 2, figures).MustOK(t)
	const other = `{"other":"figures"}`
	for i := range 3 {
		f.attest(t, i, other).MustFail(t, "an attestation of it now can only confirm that digest")
	}
	var got model.Publication
	f.Evaluate("holder", "indices:Get", period).Unmarshal(t, &got)
	assert.Equal(t, figures, got.Figures)
	assert.Equal(t, model.PublicationPublished, got.Status)
}

// A publication is not dated before the opening it answers: an operator
// may stamp the opening up to model.MaxClockLead ahead of the peers'
// clocks, and the regulator's publication, stamped behind them (up to
// model.MaxClockSkew), read as published before it was opened. It is
// dated at the opening instead, not refused: whoever opened would
// otherwise hold the publication off.
func TestAPublicationIsNotDatedBeforeItsOpening(t *testing.T) {
	f := newProductionFixture(t)
	ahead := f.Net.Now().Add(model.MaxClockLead)
	f.Net.Invoke(f.As("op-1"), chaincodetest.Call{Function: "indices:Open", Args: []string{period}, Timestamp: ahead,
		PeerMSP: f.orgs[1], Endorsers: f.orgs}).MustOK(t)
	for i := range 3 {
		f.attest(t, i, figures).MustOK(t)
	}
	var p model.Publication
	f.Net.Invoke(f.As("reg-0"), chaincodetest.Call{Function: "indices:Publish", Args: []string{period, "3", "40", input, figures},
		Timestamp: f.Net.Now().Add(-time.Minute), PeerMSP: f.orgs[0], Endorsers: f.orgs[:3]}).Unmarshal(t, &p)
	require.Equal(t, model.PublicationPublished, p.Status)
	assert.Equal(t, p.OpenedAt, p.PublishedAt, "dated at the opening, stamped ahead")
	assert.Equal(t, ahead.UTC().Format(time.RFC3339), p.OpenedAt)
}

// Only an opening the contract could have written dates a publication: an
// OPEN record that a majority of the orgs, running code of their own,
// created with an opening years ahead (or no instant at all) would
// otherwise date the publication there.
func TestAPlantedOpeningDatesNoPublication(t *testing.T) {
	for _, openedAt := range []string{"9999-12-31T23:59:59Z", "not an instant"} {
		t.Run(openedAt, func(t *testing.T) {
			f := newProductionFixture(t)
			f.forgers(model.ChaincodeEndorsers(len(f.orgs)), func(stub shim.ChaincodeStubInterface) error {
				b, _ := json.Marshal(model.Publication{Period: period, Status: model.PublicationOpen, OpenedBy: "op-1", OpenedAt: openedAt})
				return stub.PutState(chaincodetest.Key("indices.publication", period), b)
			}).MustOK(t)
			for i := range 3 {
				f.attest(t, i, figures).MustOK(t)
			}
			stamp := f.Net.Now()
			var p model.Publication
			f.Net.Invoke(f.As("reg-0"), chaincodetest.Call{Function: "indices:Publish", Args: []string{period, "3", "40", input, figures},
				Timestamp: stamp, PeerMSP: f.orgs[0], Endorsers: f.orgs[:3]}).Unmarshal(t, &p)
			assert.Equal(t, stamp.UTC().Format(time.RFC3339), p.PublishedAt, "dated at its stamp")
		})
	}
}
