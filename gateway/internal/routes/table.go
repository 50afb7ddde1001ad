package routes

import (
	"net/http"
	"slices"

	"github.com/deltaledger/deltaledger/model"
)

// Table returns every operation of the gateway's API, in the order the
// document lists them.
func Table() []Route {
	var t []Route
	for _, group := range [][]Route{
		gatewayRoutes(),
		participantRoutes(),
		memberRoutes(),
		marketRuleRoutes(),
		signingRoutes(),
		assetRoutes(),
		rightRoutes(),
		listingRoutes(),
		tradeRoutes(),
		marketRoutes(),
		ledgerIndexRoutes(),
		indicesRoutes(),
		creditRoutes(),
	} {
		t = append(t, group...)
	}
	for i, r := range t {
		if c, ok := r.(ChaincodeRoute); ok {
			t[i] = fromModel(c)
		}
	}
	return t
}

// RoleOrgAdmin is not a participant role: it is the org's Fabric admin
// identity (NodeOU "admin"), named in Operation.Roles.
const RoleOrgAdmin = "org admin"

// cursorDescription documents the cursor that wraps a list's bookmark.
const cursorDescription = "Opaque cursor of the next page, from the previous page's next_cursor; omit for the first page."

// fromModel completes a chaincode route from its function's declaration:
// each parameter is a {placeholder} of the path, the limit or cursor of a
// list, a query parameter of a GET, or else a body field; the function's
// transient documents are body fields passed as transient data.
func fromModel(r ChaincodeRoute) ChaincodeRoute {
	fn, ok := model.LookupFunction(r.Function)
	if !ok {
		panic("routes: " + r.ID + " runs " + r.Function + ", which package model does not declare")
	}
	path := placeholders(r.Path)
	r.Params = nil
	for _, f := range fn.Params {
		p := Param{Field: f, Required: !f.Optional}
		switch {
		case slices.Contains(path, f.Name):
			p.In, p.Required = InPath, true
		case fn.Paginated() && f.Name == model.PageSizeField.Name:
			p.In = InLimit
		case fn.Paginated() && f.Name == model.BookmarkField.Name:
			p.In, p.Description = InCursor, cursorDescription
		case r.Method == http.MethodGet:
			p.In = InQuery
		default:
			p.In = InBody
		}
		r.Params = append(r.Params, p)
	}
	for _, f := range fn.Transient {
		r.Params = append(r.Params, Param{Field: f, In: InTransient, Required: !f.Optional})
	}
	r.Params = slices.DeleteFunc(r.Params, func(p Param) bool {
		return slices.ContainsFunc(r.Refused, func(f Refused) bool { return f.Name == p.Name })
	})
	r.Query = slices.Clone(r.Query)
	for i := range r.Query {
		r.Query[i].Gateway = true
	}
	r.Submit, r.List, r.Result = !fn.Evaluate, fn.Paginated(), fn.Returns
	if r.List {
		r.Result = fn.ItemOf()
	}
	return r
}

// query is a documented query parameter of an operation the gateway
// answers itself.
func query(f model.Field) Param {
	return Param{Field: f, In: InQuery, Required: !f.Optional}
}

// paramOf returns a parameter of a declared function, by name.
func paramOf(function, name string) model.Field {
	fn, _ := model.LookupFunction(function)
	for _, f := range fn.Params {
		if f.Name == name {
			return f
		}
	}
	panic("routes: " + function + " has no parameter " + name)
}
