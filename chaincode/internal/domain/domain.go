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

// ValidateRegion checks one region name.
func ValidateRegion(field, region string) error {
	return validate.OneOf(field, region, model.Regions...)
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
