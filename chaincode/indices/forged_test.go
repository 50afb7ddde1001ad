package indices_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
)

// forgeRecord has a majority of the fixture's orgs, running code of their
// own, write record as the publication record of period p, with the index
// entry that lists it: a new key needs only the chaincode's policy (a
// majority of the orgs; the defences stand against such a majority).
func (f *fixture) forgeRecord(t *testing.T, p string, record model.Publication) {
	t.Helper()
	f.forgers(model.ChaincodeEndorsers(len(f.orgs)), func(stub shim.ChaincodeStubInterface) error {
		b, _ := json.Marshal(record)
		if err := stub.PutState(chaincodetest.Key("indices.publication", p), b); err != nil {
			return err
		}
		return stub.PutState(chaincodetest.Key("indices~published", p), []byte{0})
	}).MustOK(t)
}

// A record vouches for the period of its key alone. Forgers copy a real
// publication (a majority attested it) under the key of a period nobody
// published: no reader takes it as that period's publication, and no list
// answers the real one twice.
func TestARecordVouchesOnlyForItsOwnPeriod(t *testing.T) {
	f := newProductionFixture(t)
	f.forgeRecord(t, forgedPeriod, f.openPublished(t, 3))

	f.requireOnlyTheRealPublication(t)
	assert.Equal(t, []string{period}, periodsOf(t, f.Evaluate("holder", "indices:GetPublished", forgedPeriod+","+period)))
}

// A period's record reads OPEN only as indices:Open writes it: forgers
// writing an OPEN record that carries figures (or a status the contract
// never writes) publish nothing a reader takes; and such a record, or one
// that reads PUBLISHED without a majority behind it, does not stop the
// regulator publishing the figures a majority attested.
func TestAForgedRecordNeitherPublishesNorBlocksAPeriod(t *testing.T) {
	f := newProductionFixture(t)
	sh, js, zj := f.orgs[0], f.orgs[1], f.orgs[2]
	forged := `{"period":"day:2026-03-04","divisions":[{"division":"31","trades":99999}]}`
	open := model.Publication{Period: period, Status: model.PublicationOpen, OpenedBy: "reg-0", OpenedAt: "2026-03-05T00:00:00Z",
		Figures: forged, FiguresHash: model.FiguresHash(forged)}
	f.forgeRecord(t, period, open)
	f.Evaluate("holder", "indices:Get", period).MustFail(t, "CONFLICT")
	odd := open
	odd.Status, odd.Figures, odd.FiguresHash = "WITHDRAWN", "", ""
	f.forgeRecord(t, period, odd)
	f.Evaluate("holder", "indices:Get", period).MustFail(t, "CONFLICT")
	unattested := open
	unattested.Status, unattested.Period = model.PublicationPublished, "day:2026-03-03"
	f.forgeRecord(t, period, unattested)
	f.Evaluate("holder", "indices:Get", period).MustFail(t, "CONFLICT")

	f.Submit("reg-0", "indices:Open", period).MustFail(t, "CONFLICT")
	for i := range 3 {
		f.attest(t, i, figures).MustOK(t)
	}
	f.publish(sh, js, zj).MustOK(t)
	var got model.Publication
	f.Evaluate("holder", "indices:Get", period).Unmarshal(t, &got)
	assert.Equal(t, period, got.Period)
	assert.Equal(t, figures, got.Figures)
	f.publish(sh, js, zj).MustFail(t, "already published")
}

// A period is published only once it has closed, by the publication's
// stamp and by the endorsing peer's clock (model.PeriodClosesAt), whoever
// created its record: forgers creating an OPEN record early (indices:Open
// would refuse) and a majority attesting figures counted before the close
// publish nothing until then.
func TestAPeriodIsPublishedOnlyOnceItIsClosed(t *testing.T) {
	f := newFixture(t)
	f.Net.Advance(model.ClosingRuleCutOver().Add(24 * time.Hour).Sub(f.Net.Now()))
	p := model.PeriodOf(model.PeriodMinute, f.Net.Now().Add(2*time.Minute))
	_, end, err := model.ParsePeriod(p)
	require.NoError(t, err)
	closesAt := model.PeriodClosesAt(end)
	f.forgeRecord(t, p, model.Publication{Period: p, Status: model.PublicationOpen, OpenedBy: "reg-0", OpenedAt: model.FormatTime(f.Net.Now())})
	early := figuresOf(p)
	for i := range f.orgs {
		f.attestOf(t, i, p, early).MustOK(t)
	}
	publish := func(stamp time.Time) chaincodetest.Result {
		return f.Net.Invoke(f.As("reg-0"), chaincodetest.Call{Function: "indices:Publish", Args: []string{p, "3", "40", input, early},
			Timestamp: stamp, PeerMSP: f.orgs[0], Endorsers: f.orgs[:2]})
	}
	refused := func(r chaincodetest.Result, why string) { t.Helper(); requireNotClosed(t, r, closesAt, why) }
	refused(publish(f.Net.Now()), "published before the period ended")
	f.Net.Advance(closesAt.Add(-time.Second).Sub(f.Net.Now()))
	refused(publish(f.Net.Now()), "published a second before it closed")
	refused(publish(closesAt), "published by a stamp ahead before the peer's clock reached the closing instant")
	f.Net.Advance(time.Second)
	publish(f.Net.Now()).MustOK(t)
}
