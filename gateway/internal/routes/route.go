// Package routes is the gateway's API declared as data: one table of two
// kinds of route. A ChaincodeRoute says which chaincode function an HTTP
// operation runs, how each of the function's arguments is taken from the
// request, whether it is submitted or evaluated, and what it returns; a
// GatewayRoute carries the code of an operation the gateway answers itself
// and documents what it reads and answers. What a function takes and returns comes
// from its declaration in package model. The HTTP mux (package api) and the OpenAPI
// document (package openapi) are both generated from this table, so that the
// two cannot disagree.
package routes

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Operation is what every route has, whoever answers it: how it is
// called and how the document describes it.
type Operation struct {
	// ID is the OpenAPI operationId, unique and stable, e.g. "getParticipant".
	ID string
	// Method is the HTTP method.
	Method string
	// Path is the URL path with {name} placeholders, e.g.
	// "/v1/participants/{id}".
	Path string
	// Tag groups operations in the document, e.g. "participants".
	Tag string
	// Summary is a one-line description.
	Summary string
	// Description says who may call it and what it does, in more detail.
	Description string
	// Roles names the participant roles that may make the call. It is a hint
	// for readers: the chaincode enforces the rule. Empty means any member.
	Roles []string
	// Created makes a success answer 201 Created instead of 200.
	Created bool
}

// Op returns the operation, for code that holds a Route of either kind.
func (o Operation) Op() Operation { return o }

// Pattern is the route's net/http ServeMux pattern, "METHOD /path".
func (o Operation) Pattern() string { return o.Method + " " + o.Path }

// SuccessStatus is the HTTP status of a successful answer.
func (o Operation) SuccessStatus() int {
	if o.Created {
		return http.StatusCreated
	}
	return http.StatusOK
}

// Route is one entry of the table: a ChaincodeRoute or a GatewayRoute, and
// nothing else (the interface has an unexported method). Code that needs
// what only one kind has switches on the type.
type Route interface {
	// Op returns what every route has.
	Op() Operation
	// Inputs returns every documented input of the operation, in order:
	// the chaincode function's arguments, or a gateway route's Params,
	// Query and Headers.
	Inputs() []Param
	// FromLedger reports whether the route answers from the ledger: a
	// chaincode call, the credit lookup, a transaction's status, a published
	// period's CSV or the indices' attestation and publication. Such an
	// answer names the block it reflects (model.LedgerBlockHeader), and such
	// a request may ask for a block the gateway's peer must have first
	// (model.MinBlockHeader).
	FromLedger() bool
	// kind seals the interface: only the two kinds of this package are routes.
	kind()
}

// ChaincodeRoute is an operation that runs one chaincode function. Table
// completes it from the function's declaration in package model: Submit,
// Params, Result and List are never written by hand.
type ChaincodeRoute struct {
	Operation
	// Function is the chaincode function, "contract:Function".
	Function string
	// Submit is true for functions that change the ledger: they are
	// endorsed, ordered and committed. Others are evaluated on a peer.
	// Table sets it from the function's declaration.
	Submit bool
	// Params are the function's arguments in the chaincode's order, each
	// saying where in the request it comes from. Table sets them from the
	// function's declaration: a {placeholder} of the path, the limit and
	// cursor of a list, a query parameter of a GET, otherwise a body field;
	// transient documents are body fields too.
	Params []Param
	// Result is a value of the Go type the chaincode returns (the type only
	// matters). Table sets it from the function's declaration.
	Result any
	// List marks functions that return a page {items, bookmark}: the gateway
	// answers {items, next_cursor} with Result being the item type. Table
	// sets it from the function's declaration.
	List bool
	// Endorsers names the orgs whose peers alone run the function: Fabric's
	// plan when unset.
	Endorsers Endorsers
	// Refused are body fields the route refuses with a rule that says what
	// to do instead, rather than as not a field of the request: input an
	// earlier version took here and that now goes elsewhere.
	Refused []Refused
	// Query are query parameters the gateway reads itself and passes to no
	// chaincode function (Table marks them Param.Gateway).
	Query []Param
	// CursorFields are fields of the result that hold a chaincode bookmark;
	// the gateway answers them as opaque cursors, as for lists.
	CursorFields []string
}

func (ChaincodeRoute) kind() {}

// Endorsers names the orgs whose peers run a chaincode route's function.
// The gateway learns the orgs when a request comes (package transactions).
type Endorsers int

const (
	// FabricPlan leaves the peers to Fabric's endorsement plan.
	FabricPlan Endorsers = iota
	// OwnOrg runs the function on the gateway organisation's peers alone:
	// an evaluate reads private data only its org (and a counterparty's)
	// holds; a submit is endorsed by its org alone, so that private input
	// reaches no other org.
	OwnOrg
	// TradeParties runs the function on the peers of the buyer's and the
	// seller's orgs of the trade it names alone (one org when both are in
	// one), so that private terms reach those two orgs and no third. Its
	// function takes the trade's ID, the round and, for round 1, the
	// listing (trades:StageTerms, trades:WithdrawTerms, which writes the
	// same collection alone): the gateway asks the chaincode for the two
	// orgs with those arguments (trades:TermsOrgs, as the caller). A member
	// who signs its own calls, for whom the gateway asks nothing, names the
	// two orgs itself (EndorsingOrganizationsParam).
	TradeParties
)

// Refused is a body field a route refuses, and the rule its answer gives.
type Refused struct {
	Name string
	Rule ledgererr.Rule
}

// Inputs returns the function's arguments and transient documents, then
// the query parameters the gateway reads itself.
func (r ChaincodeRoute) Inputs() []Param {
	if len(r.Query) == 0 {
		return r.Params // most routes: no copy on every request
	}
	return slices.Concat(r.Params, r.Query)
}

// FromLedger is true: a chaincode call reads or writes the ledger.
func (ChaincodeRoute) FromLedger() bool { return true }

// GatewayRoute is an operation the gateway answers itself, with code of
// its own (which may run chaincode functions, named in Uses). It is made
// with Answered, which takes that code: a gateway route without code does
// not compile, and a ChaincodeRoute has nowhere to put any.
type GatewayRoute struct {
	Operation
	// serve is the route's code, set by Answered.
	serve Serve
	// Public marks operations that need no credentials.
	Public bool
	// ReadsLedger marks a route that answers from the ledger (see
	// Route.FromLedger).
	ReadsLedger bool
	// Commits marks a route that commits a transaction on the caller's
	// behalf (the credit lookup's trace, an attestation or publication of
	// the indices): it takes from the caller's write budget.
	Commits bool
	// Recomputes marks a route whose every answer is recomputed from the
	// whole ledger index, at a cost that grows with the market's history
	// (the computed indices: their chained price index reads every sale
	// since the first): it takes from the caller's write budget, as a
	// commit does, so that nobody keeps the index busy at the rate of its
	// reads.
	Recomputes bool
	// ForSelfSigners marks a route a member who signs its own calls may use
	// (the signing steps); such a member may use every chaincode route and
	// the public ones, and no other.
	ForSelfSigners bool
	// Scope is the API key scope (auth.Scopes) whose keys may call the
	// route, besides every key of no scope; a key of a scope is refused
	// every route that does not name it.
	Scope string
	// MayBeUnready marks a public route that answers 503 with a
	// wire.HealthBody when the gateway is not ready.
	MayBeUnready bool
	// Errors documents the error answers (in the error shape) of a public
	// route's own code, status to when it is answered. The document adds
	// those of the middleware and of reading the request's inputs, which
	// every public route shares; a route with credentials documents every
	// error status, and declares none here.
	Errors map[int]string
	// Uses lists the chaincode functions the route runs.
	Uses []string
	// Response documents the success body: a Go value whose type is the
	// body's.
	Response any
	// Produces is the success media type when it is not application/json.
	Produces string
	// Params documents the path placeholders and body fields the route reads.
	Params []Param
	// Query documents the query parameters the route reads.
	Query []Param
	// Headers documents request headers the route reads.
	Headers []Param
}

// Answered makes r a route the gateway answers with serve, a method
// expression of Handlers such as Handlers.Health: the route names code the
// compiler checks.
func Answered(serve Serve, r GatewayRoute) GatewayRoute {
	r.serve = serve
	return r
}

func (GatewayRoute) kind() {}

// Handler returns the route's HTTP handler, given the code of the
// gateway's routes (package api).
func (r GatewayRoute) Handler(h Handlers) http.HandlerFunc { return r.serve(h, r) }

// Inputs returns the documented path, body, query and header inputs.
func (r GatewayRoute) Inputs() []Param {
	return slices.Concat(r.Params, r.Query, r.Headers)
}

// FromLedger reports whether the route answers from the ledger (ReadsLedger).
func (r GatewayRoute) FromLedger() bool { return r.ReadsLedger }

// FromIndex reports whether the route answers from the gateway's ledger
// index: it takes ?minBlock, and, like it, model.MinBlockHeader, which asks
// for a block the index must have read first.
func (r GatewayRoute) FromIndex() bool {
	return slices.ContainsFunc(r.Query, func(p Param) bool { return p.Name == minBlockParam.Name })
}

// In says where an argument comes from.
type In string

const (
	// InPath is a {placeholder} of the path.
	InPath In = "path"
	// InQuery is a query parameter.
	InQuery In = "query"
	// InBody is a field of the JSON request body.
	InBody In = "body"
	// InTransient is a field of the JSON request body that is passed to the
	// chaincode as transient data under Param.Name, never as a public
	// argument. The chaincode's argument at this position (if it has one) is
	// not filled from it: Transient params take no argument position.
	InTransient In = "transient"
	// InLimit is the page size, the "limit" query parameter (1 to 100,
	// default 20).
	InLimit In = "limit"
	// InCursor is the opaque "cursor" query parameter that wraps the
	// chaincode's bookmark.
	InCursor In = "cursor"
	// InHeader is a request header (gateway routes only).
	InHeader In = "header"
)

// Param is one argument of a chaincode function (or a documented input of
// an operation the gateway answers itself), with where in the request it
// comes from.
type Param struct {
	model.Field
	// In is where the argument comes from.
	In In
	// Required makes a missing value a 400 naming the field. An optional
	// argument that is missing is passed as "".
	Required bool
	// Gateway marks an input of a chaincode route that the gateway reads
	// itself (ChaincodeRoute.Query): it is no argument of the function.
	Gateway bool
}

// RequestKey is the argument's name in the request.
func (p Param) RequestKey() string {
	switch p.In {
	case InLimit:
		return "limit"
	case InCursor:
		return "cursor"
	}
	return p.Name
}

// InRequestBody reports whether the argument is a field of the JSON body.
func (p Param) InRequestBody() bool {
	return p.In == InBody || p.In == InTransient
}

// InChaincodeArgs reports whether the argument has a position among the
// chaincode function's public arguments.
func (p Param) InChaincodeArgs() bool {
	return p.In != InTransient && p.In != InHeader && !p.Gateway
}

// BodyParams returns the route's body fields, public and transient.
func BodyParams(r Route) []Param {
	return slices.DeleteFunc(slices.Clone(r.Inputs()), func(p Param) bool { return !p.InRequestBody() })
}

// BodyRequired reports whether the route needs a JSON body: one of its body
// fields is required. A route whose body fields are all optional takes an
// empty body as none given, so that an optional field added to a route
// that had none leaves its callers' requests as they were.
func BodyRequired(r Route) bool {
	return slices.ContainsFunc(BodyParams(r), func(p Param) bool { return p.Required })
}

// QueryParams returns the route's query parameters, including limit and
// cursor.
func QueryParams(r Route) []Param {
	return slices.DeleteFunc(slices.Clone(r.Inputs()), func(p Param) bool {
		return p.In != InQuery && p.In != InLimit && p.In != InCursor
	})
}

// HeaderParams returns the request headers the route documents.
func HeaderParams(r Route) []Param {
	return slices.DeleteFunc(slices.Clone(r.Inputs()), func(p Param) bool { return p.In != InHeader })
}

// PathParams returns the placeholders of the path, as parameters.
func PathParams(r Route) []Param {
	out := slices.DeleteFunc(slices.Clone(r.Inputs()), func(p Param) bool { return p.In != InPath })
	for _, name := range placeholders(r.Op().Path) {
		if !slices.ContainsFunc(out, func(p Param) bool { return p.RequestKey() == name }) {
			out = append(out, Param{Field: model.Field{Name: name, Type: model.TypeString}, In: InPath, Required: true})
		}
	}
	return out
}

func placeholders(path string) []string {
	var out []string
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, strings.TrimSuffix(strings.TrimPrefix(seg, "{"), "}"))
		}
	}
	return out
}

// Check reports the first inconsistency of a route table that only run
// time can see (the kinds' field sets are the compiler's business):
// duplicate IDs or patterns, a parameter twice or outside the path, a body
// on a GET, and, for a chaincode route, placeholders without a parameter,
// and a list, a submit or a result its function's declaration does not
// allow.
func Check(table []Route) error {
	ids := map[string]bool{}
	patterns := map[string]bool{}
	for _, rt := range table {
		r := rt.Op()
		if r.ID == "" || ids[r.ID] {
			return fmt.Errorf("route %s: empty or duplicate ID %q", r.Pattern(), r.ID)
		}
		ids[r.ID] = true
		if patterns[r.Pattern()] {
			return fmt.Errorf("route %s: duplicate pattern", r.ID)
		}
		patterns[r.Pattern()] = true
		cc, chaincode := rt.(ChaincodeRoute)
		keys := map[string]bool{}
		var hasLimit, hasCursor bool
		for _, p := range rt.Inputs() {
			key := string(p.In) + ":" + p.RequestKey()
			if p.InRequestBody() {
				key = "body:" + p.RequestKey()
			}
			if keys[key] {
				return fmt.Errorf("route %s: parameter %s appears twice", r.ID, key)
			}
			keys[key] = true
			if p.In == InPath && !strings.Contains(r.Path, "{"+p.RequestKey()+"}") {
				return fmt.Errorf("route %s: path parameter %s is not in the path", r.ID, p.RequestKey())
			}
			if p.InRequestBody() && r.Method == http.MethodGet {
				return fmt.Errorf("route %s: a GET cannot take body field %s", r.ID, p.RequestKey())
			}
			if p.In == InTransient && !cc.Submit && r.Method != http.MethodPost {
				return fmt.Errorf("route %s: transient field %s needs a POST", r.ID, p.RequestKey())
			}
			hasLimit = hasLimit || p.In == InLimit
			hasCursor = hasCursor || p.In == InCursor
		}
		if chaincode {
			for _, name := range placeholders(r.Path) {
				if !keys["path:"+name] {
					return fmt.Errorf("route %s: placeholder {%s} has no parameter", r.ID, name)
				}
			}
		}
		if cc.List != (hasLimit && hasCursor) {
			return fmt.Errorf("route %s: a list takes limit and cursor, and only a list does", r.ID)
		}
		if len(cc.CursorFields) > 0 && cc.Submit {
			return fmt.Errorf("route %s: CursorFields are for evaluated functions", r.ID)
		}
		if cc.List && cc.Submit {
			return fmt.Errorf("route %s: lists are evaluated, never submitted", r.ID)
		}
		if cc.Result != nil && reflect.TypeOf(cc.Result).Kind() == reflect.Pointer {
			return fmt.Errorf("route %s: Result must be a value, not a pointer", r.ID)
		}
		if err := checkPublic(rt); err != nil {
			return fmt.Errorf("route %s: %w", r.ID, err)
		}
	}
	return nil
}

// checkPublic keeps a public route to what the OpenAPI document derives its
// error answers from (package openapi): its inputs, its method and the
// Errors its code declares. A route that reads the ledger or its index,
// commits or recomputes from the index, answers what Fabric and the index do, which a route without
// credentials has no business asking for; only a public route declares
// Errors, as every other route documents every error status.
func checkPublic(rt Route) error {
	gw, ok := rt.(GatewayRoute)
	switch {
	case !ok || !gw.Public:
		if ok && len(gw.Errors) > 0 {
			return fmt.Errorf("only a public route declares Errors (the others document every error status)")
		}
		return nil
	case gw.ReadsLedger || gw.Commits || gw.Recomputes || gw.FromIndex():
		return fmt.Errorf("a public route neither reads the ledger or its index nor commits")
	}
	for status := range gw.Errors {
		if status < 400 || status > 599 {
			return fmt.Errorf("status %d of Errors is not an error status", status)
		}
	}
	return nil
}
