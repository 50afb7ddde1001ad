// Package domain holds the value types shared by the ledger's contracts:
// regions, participant roles and the scope of a right.
package domain

import (
	"slices"
	"strings"

	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/ledgererr"
)

// Regions are the four regional data exchanges of the Yangtze River Delta.
var Regions = []string{"shanghai", "jiangsu", "zhejiang", "anhui"}

// ValidateRegion checks one region name.
func ValidateRegion(field, region string) error {
	return validate.OneOf(field, region, Regions...)
}

// Participant roles. A participant may hold several.
const (
	RoleOperator  = "operator"  // the staff of a regional data exchange
	RoleHolder    = "holder"    // a data holder or seller
	RoleBuyer     = "buyer"     // a buyer of data rights
	RoleAgency    = "agency"    // a licensed credit agency
	RoleRegulator = "regulator" // reads everything, writes nothing of the market
)

// Roles lists every role in a fixed order.
var Roles = []string{RoleOperator, RoleHolder, RoleBuyer, RoleAgency, RoleRegulator}

// ParseRoles parses a comma-separated, non-empty set of roles and returns it
// sorted and without duplicates, so that equal sets are stored equally.
func ParseRoles(field, s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, ledgererr.Invalid(field, "is required: a comma-separated list of %s", strings.Join(Roles, ", "))
	}
	var roles []string
	for _, r := range strings.Split(s, ",") {
		r = strings.TrimSpace(r)
		if err := validate.OneOf(field, r, Roles...); err != nil {
			return nil, err
		}
		roles = append(roles, r)
	}
	slices.Sort(roles)
	return slices.Compact(roles), nil
}
