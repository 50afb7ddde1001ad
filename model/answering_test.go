package model_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/model"
)

// Only a query says which peers answer it: a transaction is endorsed, and
// its endorsement says where it runs.
func TestOnlyQueriesDeclareTheirAnsweringPeers(t *testing.T) {
	for f := range everyFunction() {
		if !f.Evaluate {
			assert.Empty(t, f.AnsweredBy, "%s is submitted: its endorsement says which peers run it", f.FullName())
		}
	}
}

func TestAnsweringInWords(t *testing.T) {
	assert.Equal(t, "any peer", model.Answering{}.String())
	assert.Equal(t, "a peer of the caller's org", model.Answering{Parties: []model.Party{model.PartyCaller}}.String())
	assert.Equal(t, "a peer of the buyer's or the seller's org", model.Answering{Parties: []model.Party{model.PartyBuyer, model.PartySeller}}.String())
	assert.Equal(t, "any peer; the private data only on a peer of the agency's org", model.Answering{Parties: []model.Party{model.PartyAgency}, Everywhere: true}.String())
}
