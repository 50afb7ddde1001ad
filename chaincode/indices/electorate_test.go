package indices_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
)

// otherFigures are well-formed figures of the period that no publication
// holds.
var otherFigures = func() string {
	f := markettest.PeriodFigures(period, 3, 40)
	f.Divisions[0].Registrations = 99999
	return markettest.Figures(f)
}()

// requirePublished checks that Get, GetPublished and List answer the
// publication of period with figures.
func (f *fixture) requirePublished(t *testing.T, figures string) {
	t.Helper()
	var got model.Publication
	f.Evaluate("holder", "indices:Get", period).Unmarshal(t, &got)
	assert.Equal(t, figures, got.Figures)
	assert.Equal(t, []string{period}, periodsOf(t, f.Evaluate("holder", "indices:GetPublished", period)))
	var page model.PublicationPage
	f.Evaluate("holder", "indices:List", "", "").Unmarshal(t, &page)
	require.Len(t, page.Items, 1)
	assert.Equal(t, period, page.Items[0].Period)
}

// newJoiningFixture is a production fixture of the four founding regions,
// with Suzhou and Ningbo on the channel, not yet in the rules
// (joinTwoRegions).
func newJoiningFixture(t *testing.T) *fixture {
	return newFixtureOf(t, markettest.NewProductionJoining(t, markettest.Suzhou, markettest.Ningbo), markettest.ProductionOrgs)
}

// joinTwoRegions admits Suzhou and Ningbo to the rules, each with a
// regulator (reg-4, reg-5): six regions, of which four are a majority.
func (f *fixture) joinTwoRegions(t *testing.T) {
	f.Admit(t, markettest.Suzhou)
	f.Admit(t, markettest.Ningbo)
	f.orgs = append(f.orgs, markettest.Suzhou, markettest.Ningbo)
	f.Join(t, markettest.Suzhou, "reg-4", "regulator", markettest.USCC(104))
	f.Join(t, markettest.Ningbo, "reg-5", "regulator", markettest.USCC(105))
}

// A publication's majority is counted over the orgs of its day (its
// electorate), not over those of the rules at a read. A period three of
// the four founding regions attested stays published when two regions join
// (three of six would be no majority): Get, GetPublished and List answer
// it, no org, old or new, attests other figures of it, and a majority of
// the six cannot publish other figures over it. A record without an
// electorate whose key is under no key-level policy (as none that
// indices:Publish wrote is: TestALegacyPublicationStandsWhenRegionsJoin)
// is still counted over the orgs of the rules now, as it was: after the
// join it is none.
func TestAPublicationStandsWhenRegionsJoin(t *testing.T) {
	f := newJoiningFixture(t)
	sh, js, zj, ah := f.orgs[0], f.orgs[1], f.orgs[2], f.orgs[3]
	f.openAttestedBy(t, 3)
	var p model.Publication
	f.publish(sh, js, zj).Unmarshal(t, &p)
	assert.Equal(t, []string{ah, js, sh, zj}, p.Electorate, "the orgs of the rules, sorted")
	assert.Equal(t, []string{js, sh, zj}, p.AttestedBy)
	legacy := p
	legacy.Period, legacy.Electorate = forgedPeriod, nil
	legacy.Digest = model.IndicesDigest(forgedPeriod, legacy.FromBlock, legacy.ToBlock, legacy.InputHash, legacy.FiguresHash)
	for i := range 3 {
		f.attestOf(t, i, forgedPeriod, figures).MustOK(t)
	}
	f.forgeRecord(t, forgedPeriod, legacy)
	f.Evaluate("holder", "indices:Get", forgedPeriod).MustOK(t)

	f.joinTwoRegions(t)

	f.requirePublished(t, figures)
	f.Evaluate("holder", "indices:Get", forgedPeriod).MustFail(t, "a majority of the regions did not attest")

	// Five of the six (a majority of them, and of the four) would attest
	// other figures and publish them.
	for _, i := range []int{0, 1, 3, 4, 5} {
		f.attest(t, i, otherFigures).MustFail(t, "an attestation of it now can only confirm that digest")
	}
	f.publishOf(period, otherFigures, sh, js, ah, markettest.Suzhou).MustFail(t, "already published")
	f.publish(sh, js, zj, markettest.Suzhou).MustFail(t, "already published")
	f.attest(t, 4, figures).MustOK(t) // a joining region confirms it
	f.requirePublished(t, figures)
}

// A record's electorate is one of the form indices:Publish writes (the
// orgs of the rules, sorted, each once, at most model.MaxRulesOrgs; its
// AttestedBy a sorted majority of them), or the record is no publication,
// even one whose digest a majority of the orgs attested. A majority of the
// orgs, running code of their own, can create the record of a period nobody
// opened (the chaincode's policy): one they plant in that form reads, as
// the publication they could have made by the rules; none other does, and
// none that reads OPEN with an electorate.
func TestAPlantedElectorateOfAnotherFormIsNoPublication(t *testing.T) {
	f := newProductionFixture(t)
	sh, js, zj, ah := f.orgs[0], f.orgs[1], f.orgs[2], f.orgs[3]
	for i := range 3 {
		f.attestOf(t, i, period, figures).MustOK(t)
	}
	planted := model.Publication{Period: period, Status: model.PublicationPublished, FromBlock: 3, ToBlock: 40, InputHash: input,
		FiguresHash: model.FiguresHash(figures), Digest: model.IndicesDigest(period, 3, 40, input, model.FiguresHash(figures)), Figures: figures,
		AttestedBy: []string{js, sh, zj}, Electorate: []string{ah, js, sh, zj}, OpenedBy: "reg-0", OpenedAt: "2026-03-05T00:00:00Z"}
	f.forgeRecord(t, period, planted)
	f.requirePublished(t, figures)
	// An org of the electorate the rules do not name now (here one never
	// on the channel, whose implicit collection a read could not find) has
	// no vote: it is not read (no failed read), and the majority is counted
	// over the rest of the electorate, as an org the rules dropped left the
	// count before records kept an electorate. Counted as not attesting,
	// the removal of one attester would unpublish what three of the four
	// orgs still on the channel attest.
	absent := planted
	absent.Electorate = []string{ah, js, sh, "XMSP", zj}
	f.forgeRecord(t, period, absent)
	f.requirePublished(t, figures)
	absent.Electorate = []string{ah, js, sh, "XMSP", "YMSP", zj}
	absent.AttestedBy = []string{js, sh, "XMSP", zj}
	f.forgeRecord(t, period, absent)
	f.requirePublished(t, figures) // three of the four voters hold the digest
	absent.Electorate = []string{ah, js, "XMSP", "YMSP", "ZMSP"}
	absent.AttestedBy = []string{js, "XMSP", "YMSP"}
	f.forgeRecord(t, period, absent)
	f.Evaluate("holder", "indices:Get", period).MustFail(t, "a majority of the regions did not attest") // one of two voters

	tooMany := []string{}
	for i := range model.MaxRulesOrgs - 3 {
		tooMany = append(tooMany, "Z"+strings.Repeat("z", i)+"MSP")
	}
	for name, form := range map[string]func(p *model.Publication){
		"an unsorted electorate":      func(p *model.Publication) { p.Electorate = []string{js, ah, sh, zj} },
		"an org named twice":          func(p *model.Publication) { p.Electorate = []string{ah, js, sh, sh, zj} },
		"an empty org name":           func(p *model.Publication) { p.Electorate = []string{"", ah, js, sh, zj} },
		"attesters outside of it":     func(p *model.Publication) { p.AttestedBy = []string{js, sh, "XMSP", zj} },
		"attesters unsorted":          func(p *model.Publication) { p.AttestedBy = []string{sh, js, zj} },
		"attesters no majority of it": func(p *model.Publication) { p.AttestedBy = []string{js, sh} },
		"more orgs than the rules bear": func(p *model.Publication) {
			p.Electorate = slices.Sorted(slices.Values(append(slices.Clone(p.Electorate), tooMany...)))
			p.AttestedBy = slices.Sorted(slices.Values(append(slices.Clone(p.AttestedBy), tooMany...)))
		},
	} {
		p := planted
		form(&p)
		f.forgeRecord(t, period, p)
		r := f.Evaluate("holder", "indices:Get", period)
		assert.ErrorContains(t, r.Err, "is none that indices:Open or indices:Publish writes there", name)
		assert.Empty(t, periodsOf(t, f.Evaluate("holder", "indices:GetPublished", period)), name)
	}
	open := model.Publication{Period: period, Status: model.PublicationOpen, OpenedBy: "reg-0", OpenedAt: "2026-03-05T00:00:00Z", Electorate: []string{sh}}
	f.forgeRecord(t, period, open)
	f.Evaluate("holder", "indices:Get", period).MustFail(t, "is none that indices:Open or indices:Publish writes there")
}

// writeLegacy has a majority of the fixture's orgs write record as the
// publication of period p as indices:Publish wrote it before 9.0.0 (with
// no electorate), with the index entry that lists it, each key put under
// the policy set returns, as Publish put them under the majority policy of
// the orgs of its day (state.RequireMajority).
func (f *fixture) writeLegacy(t *testing.T, p string, record model.Publication, set func(ctx state.Context, key string) error) {
	t.Helper()
	f.forgers(model.ChaincodeEndorsers(len(f.orgs)), func(stub shim.ChaincodeStubInterface) error {
		ctx := &contractapi.TransactionContext{}
		ctx.SetStub(stub)
		b, _ := json.Marshal(record)
		for _, write := range []struct {
			key   string
			value []byte
		}{{chaincodetest.Key("indices.publication", p), b}, {chaincodetest.Key("indices~published", p), []byte{0}}} {
			if err := stub.PutState(write.key, write.value); err != nil {
				return err
			}
			if err := set(ctx, write.key); err != nil {
				return err
			}
		}
		return nil
	}).MustOK(t)
}

// A publication made before 9.0.0 records no electorate, but indices:Open
// and indices:Publish put its key under the majority policy of the orgs of
// the rules of their day, which only a majority of those orgs could change:
// its majority is counted over them. Three of the four founding regions
// attested it; after two regions join it stays published (Get,
// GetPublished, List), no org, old or new, attests other figures of it,
// and a majority of the six cannot publish other figures over it. A
// legacy record whose key is under a policy of another form (here every
// one of the four orgs, which no version of Publish set) is counted over
// the orgs of the rules now, as before: after the join it is none.
func TestALegacyPublicationStandsWhenRegionsJoin(t *testing.T) {
	f := newJoiningFixture(t)
	sh, js, zj, ah := f.orgs[0], f.orgs[1], f.orgs[2], f.orgs[3]
	founders := slices.Clone(f.orgs)
	legacy := model.Publication{Period: period, Status: model.PublicationPublished, FromBlock: 3, ToBlock: 40, InputHash: input,
		FiguresHash: model.FiguresHash(figures), Digest: model.IndicesDigest(period, 3, 40, input, model.FiguresHash(figures)), Figures: figures,
		AttestedBy: []string{js, sh, zj}, OpenedBy: "reg-0", OpenedAt: "2026-03-05T00:00:00Z", PublishedBy: "reg-0", PublishedAt: "2026-03-05T00:10:00Z"}
	otherForm := legacy
	otherForm.Period = forgedPeriod
	otherForm.Digest = model.IndicesDigest(forgedPeriod, 3, 40, input, model.FiguresHash(figures))
	for i := range 3 {
		f.attestOf(t, i, period, figures).MustOK(t)
		f.attestOf(t, i, forgedPeriod, figures).MustOK(t)
	}
	f.writeLegacy(t, period, legacy, func(ctx state.Context, key string) error { return state.RequireMajority(ctx, key, founders) })
	f.writeLegacy(t, forgedPeriod, otherForm, func(ctx state.Context, key string) error { return state.RequireOrgs(ctx, key, founders...) })
	f.Evaluate("holder", "indices:Get", period).MustOK(t)
	f.Evaluate("holder", "indices:Get", forgedPeriod).MustOK(t)

	f.joinTwoRegions(t)

	f.requirePublished(t, figures)
	var got model.Publication
	f.Evaluate("holder", "indices:Get", period).Unmarshal(t, &got)
	assert.Equal(t, legacy, got, "answered as it was written")
	f.Evaluate("holder", "indices:Get", forgedPeriod).MustFail(t, "a majority of the regions did not attest")
	for _, i := range []int{0, 1, 3, 4, 5} {
		f.attest(t, i, otherFigures).MustFail(t, "an attestation of it now can only confirm that digest")
	}
	f.publishOf(period, otherFigures, sh, js, ah, markettest.Suzhou).MustFail(t, "already published")
	f.requirePublished(t, figures)
}

// Before 6.0.0 indices:Publish did not put the record's key under a policy
// of its own: the key kept the majority policy indices:Open set, of the
// orgs of the day the period was opened. A period opened by the four
// founding regions and published after two regions joined, by four of the
// six (a majority of its day, but only two of the four founders), stays
// published: its key's policy names the orgs of its opening, not of its
// publication, and counted over those alone a publication a majority of
// its day attested would read as none.
func TestALegacyPublicationOpenedBeforeRegionsJoinedStands(t *testing.T) {
	f := newJoiningFixture(t)
	js, ah := f.orgs[1], f.orgs[3]
	founders := slices.Clone(f.orgs)
	f.joinTwoRegions(t)
	attesters := []string{ah, js, markettest.Ningbo, markettest.Suzhou}
	for _, i := range []int{1, 3, 4, 5} {
		f.attestOf(t, i, period, figures).MustOK(t)
	}
	legacy := model.Publication{Period: period, Status: model.PublicationPublished, FromBlock: 3, ToBlock: 40, InputHash: input,
		FiguresHash: model.FiguresHash(figures), Digest: model.IndicesDigest(period, 3, 40, input, model.FiguresHash(figures)), Figures: figures,
		AttestedBy: slices.Sorted(slices.Values(attesters)), OpenedBy: "reg-0", OpenedAt: "2026-03-05T00:00:00Z", PublishedBy: "reg-0", PublishedAt: "2026-03-05T00:10:00Z"}
	f.writeLegacy(t, period, legacy, func(ctx state.Context, key string) error { return state.RequireMajority(ctx, key, founders) })

	f.requirePublished(t, figures)
	f.publishOf(period, otherFigures, f.orgs[0], f.orgs[2], ah, markettest.Suzhou).MustFail(t, "already published")
}
