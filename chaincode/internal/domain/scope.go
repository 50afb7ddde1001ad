package domain

import (
	"slices"
	"strconv"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// ParseScope parses a scope given as JSON. Unknown fields are refused; each
// region must be one of rules, the market rules in force. A missing
// validFrom starts the term at now (the transaction time); the term must end
// after it starts and after now.
func ParseScope(field, raw string, now time.Time, rules *model.Rules) (model.Scope, error) {
	var s model.Scope
	if err := validate.Object(field, []byte(raw), &s, model.ScopeShape); err != nil {
		return model.Scope{}, err
	}
	if err := validate.Text(field+".purpose", s.Purpose, model.MaxScopePurposeLength); err != nil {
		return model.Scope{}, err
	}
	if len(s.Regions) == 0 {
		return model.Scope{}, ledgererr.Invalid(field+".regions", "must name at least one region")
	}
	for i, r := range s.Regions {
		if err := ValidateRegion(field+".regions["+strconv.Itoa(i)+"]", r, rules); err != nil {
			return model.Scope{}, err
		}
	}
	slices.Sort(s.Regions)
	s.Regions = slices.Compact(s.Regions)

	from := now.UTC()
	if s.ValidFrom != "" {
		t, err := validate.Time(field+".validFrom", s.ValidFrom)
		if err != nil {
			return model.Scope{}, err
		}
		from = t
	}
	until, err := validate.Time(field+".validUntil", s.ValidUntil)
	if err != nil {
		return model.Scope{}, err
	}
	if !until.After(from) || !until.After(now) {
		return model.Scope{}, ledgererr.Invalid(field+".validUntil", "must be after validFrom and after the transaction time")
	}
	if until.Sub(from) > model.MaxScopeTerm {
		return model.Scope{}, ledgererr.Invalid(field+".validUntil", "term must be at most 50 years")
	}
	s.ValidFrom, s.ValidUntil = from.Format(time.RFC3339), until.Format(time.RFC3339)
	return s, nil
}
