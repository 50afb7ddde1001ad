package model_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/model"
)

// Rules.Place puts a participant in its org's region and leaves it the regulator role only where the rules name it;
// a participant of an org the rules do not name is not placed, and keeps what it had (its caller refuses it).
func TestPlaceTakesRegionAndRegulatorFromTheRules(t *testing.T) {
	rules := &model.Rules{
		Orgs:       []model.MarketOrg{{MSPID: "ShanghaiMSP", Region: "zhejiang"}},
		Regulators: []model.Regulator{{MSPID: "ShanghaiMSP", ParticipantID: "named"}},
	}
	named := model.Participant{ID: "named", MSPID: "ShanghaiMSP", Region: "shanghai", Roles: []string{model.RoleRegulator}}
	assert.True(t, rules.Place(&named))
	assert.Equal(t, "zhejiang", named.Region, "the region of the rules, not the one it was registered in")
	assert.Equal(t, []string{model.RoleRegulator}, named.Roles)

	roles := []string{model.RoleOperator, model.RoleRegulator}
	unnamed := model.Participant{ID: "unnamed", MSPID: "ShanghaiMSP", Roles: roles}
	assert.True(t, rules.Place(&unnamed))
	assert.Equal(t, []string{model.RoleOperator}, unnamed.Roles, "a regulator the rules do not name")
	assert.Equal(t, []string{model.RoleOperator, model.RoleRegulator}, roles, "the caller's slice is left alone")

	removed := model.Participant{ID: "x", MSPID: "AnhuiMSP", Region: "anhui", Roles: []string{model.RoleOperator}}
	assert.False(t, rules.Place(&removed), "an org the rules do not name")
	assert.Equal(t, "anhui", removed.Region)
}

// A participant whose division the rules no longer give its org's region (the org moved) is placed in the region's
// own division, so that what it applies for counts in its region now; one the region holds stays where it is.
func TestPlaceKeepsADivisionOfTheRegionOnly(t *testing.T) {
	rules := &model.Rules{Orgs: []model.MarketOrg{{MSPID: "AnhuiMSP", Region: "zhejiang"}, {MSPID: "ShanghaiMSP", Region: "shanghai"}}}
	moved := model.Participant{ID: "carol", MSPID: "AnhuiMSP", Region: "anhui", Division: "340102"}
	assert.True(t, rules.Place(&moved))
	assert.Equal(t, "330000", moved.Division, "Hefei's district is no longer its region's")
	stayed := model.Participant{ID: "alice", MSPID: "ShanghaiMSP", Region: "shanghai", Division: "310115"}
	assert.True(t, rules.Place(&stayed))
	assert.Equal(t, "310115", stayed.Division)
	unplaced := model.Participant{ID: "dan", MSPID: "AnhuiMSP"}
	assert.True(t, rules.Place(&unplaced))
	assert.Empty(t, unplaced.Division, "no division to fall back from")
}
