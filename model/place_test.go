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
