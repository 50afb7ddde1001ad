package domain

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/ledgererr"
)

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

// MaxPurposeLen bounds the purpose of a scope, in characters.
const MaxPurposeLen = 200

// ParseScope parses a scope given as JSON. Unknown fields are refused. A
// missing validFrom starts the term at now (the transaction time); the term
// must end after it starts and after now.
func ParseScope(field, raw string, now time.Time) (Scope, error) {
	var s Scope
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Scope{}, ledgererr.Invalid(field, "must be a JSON object {purpose, regions, validFrom, validUntil, maySublicense}: %v", err)
	}
	if dec.More() {
		return Scope{}, ledgererr.Invalid(field, "must hold exactly one JSON object")
	}
	if err := validate.Text(field+".purpose", s.Purpose, MaxPurposeLen); err != nil {
		return Scope{}, err
	}
	if len(s.Regions) == 0 {
		return Scope{}, ledgererr.Invalid(field+".regions", "must name at least one region")
	}
	for i, r := range s.Regions {
		if err := ValidateRegion(field+".regions["+strconv.Itoa(i)+"]", r); err != nil {
			return Scope{}, err
		}
	}
	slices.Sort(s.Regions)
	s.Regions = slices.Compact(s.Regions)

	from := now.UTC()
	if s.ValidFrom != "" {
		t, err := validate.Time(field+".validFrom", s.ValidFrom)
		if err != nil {
			return Scope{}, err
		}
		from = t
	}
	until, err := validate.Time(field+".validUntil", s.ValidUntil)
	if err != nil {
		return Scope{}, err
	}
	if !until.After(from) || !until.After(now) {
		return Scope{}, ledgererr.Invalid(field+".validUntil", "must be after validFrom and after the transaction time")
	}
	if until.Sub(from) > MaxScopeTerm {
		return Scope{}, ledgererr.Invalid(field+".validUntil", "term must be at most 50 years")
	}
	s.ValidFrom, s.ValidUntil = from.Format(time.RFC3339), until.Format(time.RFC3339)
	return s, nil
}

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
