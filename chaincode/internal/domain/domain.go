// Package domain parses the values the ledger's contracts share (regions,
// participant roles and the scope of a right, declared in package model).
package domain

import (
	"slices"
	"strings"

	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// ValidateRegion checks one region name: its form, and that it is a region
// of rules, the market rules in force (an org of them is its exchange). The
// market's regions are the rules', which a majority of the orgs may extend
// by a region that joins; no list compiled into the chaincode decides.
func ValidateRegion(field, region string, rules *model.Rules) error {
	if err := validate.Region(field, region); err != nil {
		return err
	}
	if !rules.HasRegion(region) {
		return ledgererr.Invalid(field, "must be a region of the market rules in force (version %d: %s), got %q",
			rules.Version, strings.Join(rules.Regions(), ", "), region)
	}
	return nil
}

// ParseRoles parses a comma-separated, non-empty set of roles and returns it
// sorted and without duplicates, so that equal sets are stored equally.
func ParseRoles(field, s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, ledgererr.Invalid(field, "is required: a comma-separated list of %s", strings.Join(model.Roles, ", "))
	}
	var roles []string
	for _, r := range strings.Split(s, ",") {
		r = strings.TrimSpace(r)
		if err := validate.OneOf(field, r, model.Roles...); err != nil {
			return nil, err
		}
		roles = append(roles, r)
	}
	slices.Sort(roles)
	return slices.Compact(roles), nil
}
