package model

import (
	"slices"
	"time"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// FoundingRegions are the four regional data exchanges of the Yangtze River
// Delta that founded the market: the regions of the rules the deployment
// sets. The regions of the market are those of the market rules in force
// (Rules.Regions), which a majority of the orgs may extend by a region that
// joins (README "A region joins"); the chaincode checks every region against
// them, never against this list.
var FoundingRegions = []string{"shanghai", "jiangsu", "zhejiang", "anhui"}

// RegionsRule says which regions a region argument may name, for field
// descriptions.
const RegionsRule = "a region of the market rules in force (market:GetRules): " +
	"shanghai, jiangsu, zhejiang, anhui, and any region a majority of the orgs added"

// Participant roles. A participant may hold several.
const (
	RoleOperator  = "operator"  // the staff of a regional data exchange
	RoleHolder    = "holder"    // a data holder or seller
	RoleBuyer     = "buyer"     // a buyer of data rights
	RoleAgency    = "agency"    // a licensed credit agency
	RoleRegulator = "regulator" // reads everything, writes nothing of the market but indices and credit answers for agencies that cannot answer
)

// Roles lists every role in a fixed order.
var Roles = []string{RoleOperator, RoleHolder, RoleBuyer, RoleAgency, RoleRegulator}

// Scope bounds what the holder of a right may do: for which purpose, in which
// regions, during which term, and whether it may license the right on.
type Scope struct {
	Purpose       string   `json:"purpose"`
	Regions       []string `json:"regions"`
	ValidFrom     string   `json:"validFrom"`
	ValidUntil    string   `json:"validUntil"`
	MaySublicense bool     `json:"maySublicense"`
}

// MaxScopeTerm bounds a right's term; longer licences are written as renewals.
const MaxScopeTerm = 50 * 365 * 24 * time.Hour

// ScopeShape lists a scope document's fields.
const ScopeShape = "{purpose, regions, validFrom, validUntil, maySublicense}"

// ScopeRule describes a scope document in words.
const ScopeRule = "a JSON object " + ScopeShape + ": purpose text, " +
	"regions a non-empty list of regions of the market rules in force, validFrom (optional, default now) and validUntil as RFC 3339"

// ActiveAt reports whether t lies inside the scope's term.
func (s Scope) ActiveAt(t time.Time) bool {
	from, err1 := time.Parse(time.RFC3339, s.ValidFrom)
	until, err2 := time.Parse(time.RFC3339, s.ValidUntil)
	return err1 == nil && err2 == nil && !t.Before(from) && t.Before(until)
}

// CoversRegion reports whether the scope includes the region.
func (s Scope) CoversRegion(region string) bool {
	return slices.Contains(s.Regions, region)
}

// Covers reports whether every use that inner allows is allowed by s: the
// same purpose, a subset of the regions, and a term inside s's term. It is
// the rule for sublicensing and for listing a licence one holds.
func (s Scope) Covers(inner Scope) error {
	if inner.Purpose != s.Purpose {
		return ledgererr.Invalid("scope.purpose", "must be %q, the purpose of the right it derives from", s.Purpose)
	}
	for _, r := range inner.Regions {
		if !s.CoversRegion(r) {
			return ledgererr.Invalid("scope.regions", "region %q is outside the regions of the right it derives from", r)
		}
	}
	if inner.ValidFrom < s.ValidFrom || inner.ValidUntil > s.ValidUntil {
		// RFC 3339 in UTC with a fixed layout orders as text does.
		return ledgererr.Invalid("scope.validUntil", "term must lie within %s to %s, the term of the right it derives from", s.ValidFrom, s.ValidUntil)
	}
	if inner.MaySublicense && !s.MaySublicense {
		return ledgererr.Invalid("scope.maySublicense", "cannot be true: the right it derives from may not be sublicensed")
	}
	return nil
}

// scopeField is a right's scope, as a JSON object.
func scopeField(description string) Field {
	return Field{Name: "scope", Type: TypeObject, Schema: Scope{}, Description: description + " " + ScopeRule + "."}
}
