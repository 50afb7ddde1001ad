package model_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

// Every function that changes the ledger says which orgs endorse it, and a
// query says nothing.
func TestEveryFunctionThatChangesTheLedgerDeclaresItsEndorsement(t *testing.T) {
	for f := range everyFunction() {
		assert.Equal(t, f.Evaluate, f.Endorsement.IsZero(), "%s: evaluate=%v, endorsement %+v", f.FullName(), f.Evaluate, f.Endorsement)
	}
}

func TestEndorsementSufficient(t *testing.T) {
	channel := []string{"A", "B", "C", "D"}
	parties := map[model.Party]string{model.PartyCaller: "B", model.PartyBuyer: "C", model.PartySeller: "A", model.PartyHolder: "C"}
	tests := []struct {
		name string
		e    model.Endorsement
		want [][]string
		text string
	}{
		{"parties", model.Endorsement{Parties: []model.Party{model.PartyBuyer, model.PartySeller}},
			[][]string{{"A", "C"}}, "the buyer's and the seller's orgs"},
		{"parties of one org count once", model.Endorsement{Parties: []model.Party{model.PartyBuyer, model.PartyHolder}},
			[][]string{{"C"}}, "the buyer's and the holder's orgs"},
		{"majority: the chaincode policy", model.Endorsement{Quorum: model.QuorumMajority},
			[][]string{{"A", "B", "C"}, {"A", "B", "D"}, {"A", "C", "D"}, {"B", "C", "D"}}, "a majority of the orgs"},
		{"a party and a majority", model.Endorsement{Parties: []model.Party{model.PartyHolder}, Quorum: model.QuorumMajority},
			[][]string{{"A", "B", "C"}, {"A", "C", "D"}, {"B", "C", "D"}}, "the holder's org; a majority of the orgs in all"},
		{"parties that are a majority", model.Endorsement{Parties: []model.Party{model.PartyCaller, model.PartyBuyer, model.PartySeller}, Quorum: model.QuorumMajority},
			[][]string{{"A", "B", "C"}}, "the caller's, the buyer's and the seller's orgs; a majority of the orgs in all"},
		{"alone", model.Endorsement{Alone: true}, [][]string{{"B"}}, "the caller's org alone"},
		{"parties alone", model.Endorsement{Parties: []model.Party{model.PartyBuyer, model.PartySeller}, Alone: true},
			[][]string{{"A", "C"}}, "the buyer's and the seller's orgs alone"},
		{"parties of one org alone", model.Endorsement{Parties: []model.Party{model.PartyBuyer, model.PartyHolder}, Alone: true},
			[][]string{{"C"}}, "the buyer's and the holder's orgs alone"},
		{"parties or a majority: the smallest sets of either, smaller first", model.Endorsement{Parties: []model.Party{model.PartyBuyer, model.PartySeller},
			Or: &model.Endorsement{Quorum: model.QuorumMajority}},
			[][]string{{"A", "C"}, {"A", "B", "D"}, {"B", "C", "D"}}, "the buyer's and the seller's orgs, or a majority of the orgs"},
		{"parties of one org or a majority", model.Endorsement{Parties: []model.Party{model.PartyBuyer, model.PartyHolder},
			Or: &model.Endorsement{Quorum: model.QuorumMajority}},
			[][]string{{"C"}, {"A", "B", "D"}}, "the buyer's and the holder's orgs, or a majority of the orgs"},
		{"parties or one of them and a majority", model.Endorsement{Parties: []model.Party{model.PartyBuyer, model.PartySeller},
			Or: &model.Endorsement{Parties: []model.Party{model.PartySeller}, Quorum: model.QuorumMajority}},
			[][]string{{"A", "C"}, {"A", "B", "D"}}, "the buyer's and the seller's orgs, or the seller's org; a majority of the orgs in all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.e.Sufficient(parties, channel)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.text, tt.e.String())
		})
	}

	// A majority is n/2+1 of n orgs, on a channel of any size.
	for orgs, want := range map[int]int{1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 9: 5} {
		assert.Equal(t, want, model.ChaincodeEndorsers(orgs), "of %d orgs", orgs)
	}

	_, err := model.Endorsement{Parties: []model.Party{model.PartyAgency}}.Sufficient(parties, channel)
	assert.EqualError(t, err, "no org given for the agency")
	_, err = model.Endorsement{Parties: []model.Party{model.PartyCaller}}.Sufficient(map[model.Party]string{model.PartyCaller: "E"}, channel)
	assert.EqualError(t, err, "the caller's org E is not on the channel")
}
