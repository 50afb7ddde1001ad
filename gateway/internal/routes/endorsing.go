package routes

import (
	"fmt"
	"strings"

	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
)

// EndorsingOrganizationsParam is the query parameter by which a request
// names the orgs whose peers endorse its call.
const EndorsingOrganizationsParam = wire.EndorsingOrganizationsParam

// mspIDForm is an MSP ID as a request may name one.
var mspIDForm = fmt.Sprintf(`[A-Za-z0-9.-]{1,%d}`, model.MaxMSPIDLength)

// endorsingOrganizations is the optional query parameter naming endorsing
// orgs, comma-separated MSP IDs; description says what the route does with
// them.
func endorsingOrganizations(description string) Param {
	return query(model.Field{Name: EndorsingOrganizationsParam, Type: model.TypeString, Optional: true, MaxLength: 400,
		Pattern: "^" + mspIDForm + "(," + mspIDForm + ")*$", Description: description})
}

// EndorsingOrganizations returns the MSP IDs of a checked
// endorsingOrganizations value, in its order; none for "".
func EndorsingOrganizations(value string) []string {
	if value == "" {
		return nil
	}
	return strings.Split(value, ",")
}
