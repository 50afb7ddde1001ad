package model_test

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

// TestDivisionTable checks the shipped table: every code of the form, in
// a region, its city and province present, the examples of the plan named
// as the statistics office names them.
func TestDivisionTable(t *testing.T) {
	all := model.Divisions()
	require.Len(t, all, 374, "4 provinces, 41 cities, 329 county-level divisions (NBS 2023)")
	form := regexp.MustCompile(model.DivisionPattern)
	levels := map[string]int{}
	for _, d := range all {
		assert.Regexp(t, form, d.Code)
		assert.NotEmpty(t, d.Name, d.Code)
		assert.Regexp(t, englishName, d.NameEn, d.Code)
		levels[d.Level]++
		assert.Equal(t, model.FoundingDivisions[d.Region], []string{d.Code[:2]}, d.Code)
		for _, up := range model.RollUp(d.Code)[1:] {
			if up.Level != model.LevelDelta {
				_, ok := model.LookupDivision(up.Code)
				assert.True(t, ok, "%s rolls up to %s, which the table lacks", d.Code, up.Code)
			}
		}
	}
	assert.Equal(t, map[string]int{model.LevelProvince: 4, model.LevelCity: 41, model.LevelDistrict: 329}, levels)
	for code, names := range map[string][2]string{"320000": {"江苏省", "Jiangsu"}, "320500": {"苏州市", "Suzhou"},
		"320576": {"苏州工业园区", "Suzhou Industrial Park"}, "320507": {"相城区", "Xiangcheng District"},
		"310100": {"上海市", "Shanghai"}, "310115": {"浦东新区", "Pudong New Area"}, "310112": {"闵行区", "Minhang District"},
		"330100": {"杭州市", "Hangzhou"}, "330382": {"乐清市", "Yueqing"}, "331127": {"景宁畲族自治县", "Jingning She Autonomous County"},
		"340100": {"合肥市", "Hefei"}, "341500": {"六安市", "Lu'an"}, "341021": {"歙县", "She County"},
		"340711": {"郊区", "Suburban District"}, "341171": {"中新苏滁高新技术产业开发区", "China-Singapore Suchu High-tech Industrial Development Zone"}} {
		d, ok := model.LookupDivision(code)
		require.True(t, ok, code)
		assert.Equal(t, names, [2]string{d.Name, d.NameEn}, code)
	}
	_, ok := model.LookupDivision("110101") // Beijing's Dongcheng: outside the delta
	assert.False(t, ok)
}

// englishName is the form of an English name: capitalised words of Latin
// letters (an apostrophe between syllables, a hyphen in China-Singapore,
// "and" in Economic and Technological Development Zone),
// never a Chinese character or a tone mark.
var englishName = regexp.MustCompile(`^[A-Z][a-z']*(-[A-Z][a-z]*)?( ([A-Z][a-z'-]*|and))*$`)

// foundingRules are rules of the four founding orgs, which name no divisions.
func foundingRules() *model.Rules {
	r := &model.Rules{Version: 1}
	for _, region := range model.FoundingRegions {
		r.Orgs = append(r.Orgs, model.MarketOrg{MSPID: region + "MSP", Region: region})
	}
	return r
}

// withSuzhou are the founding rules and Suzhou holding 3205.
func withSuzhou() *model.Rules {
	r := foundingRules()
	r.Version = 2
	r.Orgs = append(r.Orgs, model.MarketOrg{MSPID: "SuzhouMSP", Region: "suzhou", Divisions: []string{"3205"}})
	return r
}

func TestCheckDivision(t *testing.T) {
	founding := foundingRules()
	assert.NoError(t, model.CheckDivision(founding, "320576", "jiangsu"))
	assert.NoError(t, model.CheckDivision(founding, "320500", "jiangsu"))
	assert.NoError(t, model.CheckDivision(founding, "310100", "shanghai"))
	for code, phrase := range map[string]string{
		"320000": "whole province", "330106": "lies in zhejiang, not jiangsu", "320599": "not a division",
		"": "not a division", "3205761": "not a division",
	} {
		err := model.CheckDivision(founding, code, "jiangsu")
		require.Error(t, err, code)
		assert.Contains(t, err.Error(), phrase, code)
		assert.Contains(t, err.Error(), model.DivisionRule, "the message says the rule")
	}
}

// TestCheckDivisionByTheRules tries to place members across the line the
// rules draw when Suzhou holds 3205: the longest prefix wins.
func TestCheckDivisionByTheRules(t *testing.T) {
	// Before the rules name suzhou, its divisions are Jiangsu's and Suzhou has none.
	founding := foundingRules()
	assert.NoError(t, model.CheckDivision(founding, "320576", "jiangsu"))
	err := model.CheckDivision(founding, "320576", "suzhou")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "lies in jiangsu, not suzhou")

	rules := withSuzhou()
	assert.NoError(t, model.CheckDivision(rules, "320576", "suzhou"))
	assert.NoError(t, model.CheckDivision(rules, "320500", "suzhou"), "the city itself")
	assert.NoError(t, model.CheckDivision(rules, "320106", "jiangsu"), "Nanjing stays Jiangsu's")
	// Who asks to place a member where, and the words of the refusal.
	refusals := map[[2]string]string{
		{"jiangsu", "320576"}: "lies in suzhou, not jiangsu", {"jiangsu", "320500"}: "lies in suzhou, not jiangsu",
		{"suzhou", "310101"}: "lies in shanghai, not suzhou", {"suzhou", "320106"}: "lies in jiangsu, not suzhou",
		{"suzhou", "320000"}: "whole province", {"suzhou", "110101"}: "not a division",
	}
	for asked, phrase := range refusals {
		err := model.CheckDivision(rules, asked[1], asked[0])
		require.Error(t, err, asked)
		assert.Contains(t, err.Error(), phrase, asked)
	}

	// A code no org of the rules holds is refused all the same, named by its province's founding region.
	err = model.CheckDivision(&model.Rules{Orgs: []model.MarketOrg{{MSPID: "Org1MSP", Region: "shanghai"}}}, "320576", "shanghai")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "lies in jiangsu, not shanghai")
}

func TestRulesRegionOfAndRegionDivision(t *testing.T) {
	rules := withSuzhou()
	for code, region := range map[string]string{"320576": "suzhou", "320500": "suzhou", "320000": "jiangsu", "320106": "jiangsu",
		"310101": "shanghai", "330106": "zhejiang", "341021": "anhui", "110101": ""} {
		assert.Equal(t, region, rules.RegionOf(code), code)
	}
	assert.Equal(t, "jiangsu", foundingRules().RegionOf("320576"))
	for region, code := range map[string]string{"suzhou": "320500", "jiangsu": "320000", "shanghai": "310000", "anhui": "340000", "hubei": ""} {
		assert.Equal(t, code, rules.RegionDivision(region), region)
	}
	assert.Empty(t, foundingRules().RegionDivision("suzhou"))
}

// TestRulesWithoutDivisionsKeepTheirHash: rules written before divisions
// were ruled encode, and so hash, as they did.
func TestRulesWithoutDivisionsKeepTheirHash(t *testing.T) {
	b, err := json.Marshal(foundingRules())
	require.NoError(t, err)
	assert.NotContains(t, string(b), "divisions")
	b, err = json.Marshal(withSuzhou())
	require.NoError(t, err)
	assert.Contains(t, string(b), `"divisions":["3205"]`)
}

func TestCheckDivisionPrefix(t *testing.T) {
	for _, p := range []string{"31", "32", "3205", "3401"} {
		assert.NoError(t, model.CheckDivisionPrefix(p), p)
	}
	for _, p := range []string{"", "3", "11", "3299", "320", "320576", "32050", "320500", "ab"} {
		err := model.CheckDivisionPrefix(p)
		require.Error(t, err, p)
		assert.Contains(t, err.Error(), model.DivisionPrefixRule, p)
	}
	assert.Equal(t, "320500", model.PrefixDivision("3205"))
	assert.Equal(t, "320000", model.PrefixDivision("32"))
}

func TestRollUp(t *testing.T) {
	codes := func(ds []model.Division) (out []string) {
		for _, d := range ds {
			out = append(out, d.Code+" "+d.Level)
		}
		return out
	}
	assert.Equal(t, []string{"320576 district", "320500 city", "320000 province", "YRD delta"}, codes(model.RollUp("320576")))
	assert.Equal(t, []string{"320500 city", "320000 province", "YRD delta"}, codes(model.RollUp("320500")))
	assert.Equal(t, []string{"340000 province", "YRD delta"}, codes(model.RollUp("340000")))
	assert.Equal(t, []string{"YRD delta"}, codes(model.RollUp("")))
}
