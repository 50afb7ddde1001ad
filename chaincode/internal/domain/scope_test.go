package domain

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

var now = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// rulesOf returns market rules (of the given version) whose orgs are the
// exchanges of regions.
func rulesOf(version int, regions ...string) *model.Rules {
	r := &model.Rules{Version: version}
	for _, region := range regions {
		r.Orgs = append(r.Orgs, model.MarketOrg{MSPID: region + "MSP", Region: region})
	}
	return r
}

// founding are the rules the deployment sets: the four founding regions.
var founding = rulesOf(1, model.FoundingRegions...)

// TestRegionsAreTheRulesRegions: a region is valid when the rules in force
// name it, and only then: a fifth region is refused under the founding rules
// and accepted once the rules name it; a region the rules dropped is refused;
// a malformed name is refused for its form before the rules are asked.
func TestRegionsAreTheRulesRegions(t *testing.T) {
	withSuzhou := rulesOf(2, "shanghai", "jiangsu", "zhejiang", "anhui", "suzhou")
	require.NoError(t, ValidateRegion("region", "jiangsu", founding))
	require.NoError(t, ValidateRegion("region", "suzhou", withSuzhou))

	err := ValidateRegion("sourceRegion", "suzhou", founding)
	var e *ledgererr.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, ledgererr.InvalidArgument, e.Code)
	assert.Equal(t, "sourceRegion", e.Field)
	assert.Contains(t, e.Message, "market rules in force (version 1: anhui, jiangsu, shanghai, zhejiang)")
	assert.Contains(t, e.Message, `"suzhou"`)

	withoutAnhui := rulesOf(3, "shanghai", "jiangsu", "zhejiang")
	require.Error(t, ValidateRegion("region", "anhui", withoutAnhui), "a region the rules no longer name")

	for _, bad := range []string{"", "Suzhou", "su zhou", "su-zhou", "2suzhou", "s", "abcdefghijklmnopqrstu"} {
		err := ValidateRegion("region", bad, withSuzhou)
		require.ErrorAs(t, err, &e, "%q", bad)
		assert.Equal(t, "region", e.Field)
		assert.Contains(t, e.Message, model.RegionRule, "%q is refused for its form", bad)
	}

	s, err := ParseScope("scope", `{"purpose":"p","regions":["suzhou","anhui"],"validUntil":"2027-01-01T00:00:00Z"}`, now, withSuzhou)
	require.NoError(t, err)
	assert.Equal(t, []string{"anhui", "suzhou"}, s.Regions)
	_, err = ParseScope("scope", `{"purpose":"p","regions":["anhui","suzhou"],"validUntil":"2027-01-01T00:00:00Z"}`, now, founding)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "scope.regions[1]", e.Field)
}

func TestParseScope(t *testing.T) {
	s, err := ParseScope("scope", `{"purpose":"credit risk model","regions":["zhejiang","shanghai","shanghai"],"validUntil":"2027-03-01T00:00:00+08:00"}`, now, founding)
	require.NoError(t, err)
	assert.Equal(t, model.Scope{Purpose: "credit risk model", Regions: []string{"shanghai", "zhejiang"},
		ValidFrom: "2026-03-01T08:00:00Z", ValidUntil: "2027-02-28T16:00:00Z"}, s)
	assert.True(t, s.ActiveAt(now))
	assert.False(t, s.ActiveAt(now.Add(-time.Second)))
	assert.False(t, s.ActiveAt(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)))
}

func TestParseScopeRefusals(t *testing.T) {
	cases := map[string]struct{ raw, field string }{
		"not json":       {`purpose`, "scope"},
		"unknown field":  {`{"purpose":"p","regions":["anhui"],"validUntil":"2027-01-01T00:00:00Z","price":1}`, "scope"},
		"two objects":    {`{"purpose":"p","regions":["anhui"],"validUntil":"2027-01-01T00:00:00Z"}{}`, "scope"},
		"no purpose":     {`{"regions":["anhui"],"validUntil":"2027-01-01T00:00:00Z"}`, "scope.purpose"},
		"no regions":     {`{"purpose":"p","regions":[],"validUntil":"2027-01-01T00:00:00Z"}`, "scope.regions"},
		"bad region":     {`{"purpose":"p","regions":["anhui","beijing"],"validUntil":"2027-01-01T00:00:00Z"}`, "scope.regions[1]"},
		"region form":    {`{"purpose":"p","regions":["Anhui"],"validUntil":"2027-01-01T00:00:00Z"}`, "scope.regions[0]"},
		"bad from":       {`{"purpose":"p","regions":["anhui"],"validFrom":"soon","validUntil":"2027-01-01T00:00:00Z"}`, "scope.validFrom"},
		"no until":       {`{"purpose":"p","regions":["anhui"]}`, "scope.validUntil"},
		"ends in past":   {`{"purpose":"p","regions":["anhui"],"validUntil":"2026-01-01T00:00:00Z"}`, "scope.validUntil"},
		"ends before":    {`{"purpose":"p","regions":["anhui"],"validFrom":"2027-06-01T00:00:00Z","validUntil":"2027-01-01T00:00:00Z"}`, "scope.validUntil"},
		"too long":       {`{"purpose":"p","regions":["anhui"],"validUntil":"2090-01-01T00:00:00Z"}`, "scope.validUntil"},
		"wrong type":     {`{"purpose":"p","regions":"anhui","validUntil":"2027-01-01T00:00:00Z"}`, "scope.regions"},
		"bool as string": {`{"purpose":"p","regions":["anhui"],"validUntil":"2027-01-01T00:00:00Z","maySublicense":"yes"}`, "scope.maySublicense"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseScope("scope", tc.raw, now, founding)
			var e *ledgererr.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, ledgererr.InvalidArgument, e.Code)
			assert.Equal(t, tc.field, e.Field)
		})
	}
}

func TestCovers(t *testing.T) {
	outer := model.Scope{Purpose: "p", Regions: []string{"anhui", "shanghai"}, ValidFrom: "2026-01-01T00:00:00Z", ValidUntil: "2028-01-01T00:00:00Z", MaySublicense: true}
	inner := model.Scope{Purpose: "p", Regions: []string{"anhui"}, ValidFrom: "2026-06-01T00:00:00Z", ValidUntil: "2027-01-01T00:00:00Z"}
	assert.NoError(t, outer.Covers(inner))
	assert.NoError(t, outer.Covers(outer))

	bad := map[string]func(s *model.Scope){
		"purpose": func(s *model.Scope) { s.Purpose = "q" },
		"region":  func(s *model.Scope) { s.Regions = []string{"jiangsu"} },
		"early":   func(s *model.Scope) { s.ValidFrom = "2025-01-01T00:00:00Z" },
		"late":    func(s *model.Scope) { s.ValidUntil = "2029-01-01T00:00:00Z" },
	}
	for name, mutate := range bad {
		s := inner
		mutate(&s)
		assert.Error(t, outer.Covers(s), name)
	}
	noSub := outer
	noSub.MaySublicense = false
	sub := inner
	sub.MaySublicense = true
	assert.Error(t, noSub.Covers(sub))
}

func TestParseRoles(t *testing.T) {
	roles, err := ParseRoles("roles", "buyer, holder,buyer")
	require.NoError(t, err)
	assert.Equal(t, []string{"buyer", "holder"}, roles)
	for _, bad := range []string{"", " , ", "buyer,admin"} {
		_, err := ParseRoles("roles", bad)
		assert.Error(t, err, bad)
	}
}

// FuzzParseScope checks that the parser never panics and that an accepted
// scope is normalised: sorted unique regions and a term that is active now
// or later.
func FuzzParseScope(f *testing.F) {
	f.Add(`{"purpose":"p","regions":["anhui"],"validUntil":"2027-01-01T00:00:00Z"}`)
	f.Add(`{"purpose":"p","regions":["shanghai","anhui"],"validFrom":"2026-05-01T00:00:00+08:00","validUntil":"2027-01-01T00:00:00Z","maySublicense":true}`)
	f.Add(`{}`)
	f.Add(`[`)
	f.Fuzz(func(t *testing.T, raw string) {
		s, err := ParseScope("scope", raw, now, founding)
		if err != nil {
			return
		}
		for i := 1; i < len(s.Regions); i++ {
			if s.Regions[i-1] >= s.Regions[i] {
				t.Fatalf("regions not sorted and unique: %v", s.Regions)
			}
		}
		if !s.ActiveAt(now) && s.ValidFrom <= now.Format(time.RFC3339) {
			t.Fatalf("accepted a scope that already ended: %+v", s)
		}
		if err := s.Covers(s); err != nil {
			t.Fatalf("scope does not cover itself: %v", err)
		}
	})
}
