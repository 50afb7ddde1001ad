package model_test

import (
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
		assert.Equal(t, model.ProvinceDivision(d.Region)[:2], d.Code[:2], d.Code)
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

func TestCheckDivision(t *testing.T) {
	assert.NoError(t, model.CheckDivision("320576", "jiangsu"))
	assert.NoError(t, model.CheckDivision("320500", "jiangsu"))
	assert.NoError(t, model.CheckDivision("310100", "shanghai"))
	for code, phrase := range map[string]string{
		"320000": "whole province", "330106": "lies in zhejiang, not jiangsu", "320599": "not a division",
		"": "not a division", "3205761": "not a division",
	} {
		err := model.CheckDivision(code, "jiangsu")
		require.Error(t, err, code)
		assert.Contains(t, err.Error(), phrase, code)
		assert.Contains(t, err.Error(), model.DivisionRule, "the message says the rule")
	}
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
