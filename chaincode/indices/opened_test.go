package indices_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
)

// A period opened by the four founding regions is published by a majority of the six once two regions joined, not
// by three founders: the OPEN record's key is under a majority of the orgs of its opening, which three founders
// meet, a minority of the six. Running code of their own, they rewrite it as a publication of figures nobody else
// attested, naming an electorate and attesters that give them a majority (all six regions and four of them, or the
// four founders and themselves): it is no publication (no index entry under a majority of its electorate), and the
// regulator publishes over it the figures a majority of the six attested (the key still needs three founders). It
// read as published, for good; in the form of a record made before 9.0.0 (none), too.
func TestAMinorityOfTheDayPublishesNothingOverAnOpeningBeforeRegionsJoined(t *testing.T) {
	for name, electorate := range map[string]func(f *fixture) (electorate, attestedBy []string){
		"all six":      func(f *fixture) ([]string, []string) { return f.orgs, f.orgs[:4] },
		"the founders": func(f *fixture) ([]string, []string) { return f.orgs[:4], f.orgs[:3] },
		// The form of a record made before 9.0.0: no electorate, counted over its key's policy's, the founders'.
		"none": func(f *fixture) ([]string, []string) { return nil, f.orgs[:3] },
	} {
		t.Run(name, func(t *testing.T) {
			f := newJoiningFixture(t)
			f.Submit("reg-0", "indices:Open", period).MustOK(t)
			f.joinTwoRegions(t)
			for i := range 3 {
				f.attest(t, i, otherFigures).MustOK(t)
			}
			of, by := electorate(f)
			forged := model.Publication{Period: period, Status: model.PublicationPublished, FromBlock: 3, ToBlock: 40, InputHash: input,
				FiguresHash: model.FiguresHash(otherFigures), Digest: model.IndicesDigest(period, 3, 40, input, model.FiguresHash(otherFigures)),
				Figures: otherFigures, AttestedBy: slices.Sorted(slices.Values(by)), Electorate: sorted(of),
				OpenedBy: "reg-0", OpenedAt: "2026-03-05T00:00:00Z", PublishedBy: "reg-0", PublishedAt: "2026-03-05T00:10:00Z"}
			f.forgers(3, func(stub shim.ChaincodeStubInterface) error {
				b, _ := json.Marshal(forged)
				return stub.PutState(chaincodetest.Key("indices.publication", period), b)
			}).MustOK(t)

			f.requireUnpublishedThenPublished(t, "a majority of the regions did not attest")
		})
	}
}

// requireUnpublishedThenPublished checks that the period a minority wrote over reads as unpublished (Get refused
// with refusal, GetPublished leaving it out) and that a majority of the six orgs still attests and publishes figures
// over it.
func (f *fixture) requireUnpublishedThenPublished(t *testing.T, refusal string) {
	t.Helper()
	f.Evaluate("holder", "indices:Get", period).MustFail(t, refusal)
	assert.Empty(t, periodsOf(t, f.Evaluate("holder", "indices:GetPublished", period)))
	for _, i := range []int{0, 2, 3, 4, 5} {
		f.attest(t, i, figures).MustOK(t)
	}
	f.publish(f.orgs[0], f.orgs[2], f.orgs[3], f.orgs[4]).MustOK(t)
	f.requirePublished(t, figures)
}

// sorted is names in order, nil for none (a record's Electorate before 9.0.0).
func sorted(names []string) []string {
	if names == nil {
		return nil
	}
	return slices.Sorted(slices.Values(names))
}

// The same three founders, a minority of the six, write bytes that are no publication record over the OPEN record
// of a period opened before two regions joined: the period reads as unpublished (Get CONFLICT, GetPublished leaves it
// out), its regions still attest it, and the regulator publishes over it what a
// majority of the six attested. They failed every one of those for good (INTERNAL).
func TestAMinorityOfTheDayBlocksNoPeriodWithBytesThatAreNoRecord(t *testing.T) {
	f := newJoiningFixture(t)
	f.Submit("reg-0", "indices:Open", period).MustOK(t)
	f.joinTwoRegions(t)
	f.forgers(3, func(stub shim.ChaincodeStubInterface) error {
		return stub.PutState(chaincodetest.Key("indices.publication", period), []byte("not a record"))
	}).MustOK(t)

	f.requireUnpublishedThenPublished(t, "CONFLICT")
}
