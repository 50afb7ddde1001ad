package routes

import "reflect"

// Table returns every operation of the gateway's API, in the order the
// document lists them.
func Table() []Route {
	var t []Route
	for _, group := range [][]Route{
		gatewayRoutes(),
		participantRoutes(),
		assetRoutes(),
		rightRoutes(),
		listingRoutes(),
		tradeRoutes(),
		marketRoutes(),
		creditRoutes(),
	} {
		t = append(t, group...)
	}
	return t
}

// Common parameters.
var (
	limitParam = Param{Name: "pageSize", In: InLimit, Type: Integer,
		Description: "Page size, 1 to 100 (default 20)."}
	cursorParam = Param{Name: "bookmark", In: InCursor, Type: String,
		Description: "Opaque cursor of the next page, from the previous page's next_cursor; omit for the first page."}
)

// Roles of participants, as the chaincode names them.
const (
	RoleOperator  = "operator"
	RoleHolder    = "holder"
	RoleBuyer     = "buyer"
	RoleAgency    = "agency"
	RoleRegulator = "regulator"
	// RoleOrgAdmin is not a participant role: it is the org's Fabric admin
	// identity (NodeOU "admin").
	RoleOrgAdmin = "org admin"
)

// AllRoles lists the participant roles.
var AllRoles = []string{RoleOperator, RoleHolder, RoleBuyer, RoleAgency, RoleRegulator}

// Patterns of identifiers, mirrored from the chaincode's validation so that
// the document tells callers the rules.
const (
	idPattern   = `^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`
	usccPattern = `^[0-9A-HJ-NP-RTUWXY]{18}$`
	hashPattern = `^[0-9a-f]{64}$`
	regionsNote = "One of shanghai, jiangsu, zhejiang, anhui."
)

// Regions are the four regional exchanges.
var Regions = []string{"shanghai", "jiangsu", "zhejiang", "anhui"}

// idParam is a record ID in the path.
func idParam(name, what string) Param {
	return Param{Name: name, In: InPath, Type: String, Required: true, Pattern: idPattern,
		Description: "ID of the " + what + "."}
}

// bodyID is a caller-chosen record ID in the body.
func bodyID(name, what string) Param {
	return Param{Name: name, In: InBody, Type: String, Required: true, Pattern: idPattern,
		Description: "ID of the new " + what + ", chosen by the caller: 1-64 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit. Reusing an ID is a 409."}
}

// text is a required human text in the body.
func text(name, description string, max int) Param {
	return Param{Name: name, In: InBody, Type: String, Required: true, MaxLength: max, Description: description}
}

// optionalText is an optional human text in the body.
func optionalText(name, description string, max int) Param {
	return Param{Name: name, In: InBody, Type: String, MaxLength: max, Description: description}
}

// returns is a zero value of the type a contract method returns (its first
// result, without the pointer), so that the document describes the
// chaincode's own types and a renamed method or type fails to compile here.
func returns(method any) any {
	t := reflect.TypeOf(method).Out(0)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return reflect.Zero(t).Interface()
}

// items is a zero value of the item type of the page a list method returns
// (the element type of its Items field, without the pointer).
func items(method any) any {
	page := reflect.TypeOf(returns(method))
	f, ok := page.FieldByName("Items")
	if !ok || f.Type.Kind() != reflect.Slice {
		panic("routes: " + page.String() + " is not a page with Items")
	}
	t := f.Type.Elem()
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return reflect.Zero(t).Interface()
}
