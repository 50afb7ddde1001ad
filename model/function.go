package model

import (
	"reflect"
	"slices"
)

// Contract is one contract of the chaincode: its name on the channel, its
// title and description, and its functions.
type Contract struct {
	Name        string
	Title       string
	Description string
	Functions   []Function
}

// Function is one transaction function of a contract: its parameters in the
// order the chaincode takes them, the transient data it reads, whether it
// only reads (clients evaluate it rather than submit it), and what it
// returns.
type Function struct {
	// Contract is the name of the contract it belongs to.
	Contract string
	// Name is the function's name within its contract.
	Name string
	// Params are its arguments, in order.
	Params []Field
	// Transient are the documents it reads from the proposal's transient
	// data, keyed by their Name; they never enter a block.
	Transient []Field
	// Evaluate marks a read-only function.
	Evaluate bool
	// Endorsement says which orgs must endorse a transaction of a function
	// that is not evaluated.
	Endorsement Endorsement
	// AnsweredBy says which peers answer an evaluation of the function.
	AnsweredBy Answering
	// Returns is a value of the type it returns (only the type matters).
	Returns any
}

// FullName is the name clients call the function by, "contract:Function".
func (f Function) FullName() string { return f.Contract + ":" + f.Name }

// Paginated reports whether the function returns one page of a list: its
// last two parameters are the page size and the bookmark.
func (f Function) Paginated() bool {
	n := len(f.Params)
	return n >= 2 && f.Params[n-2].Name == PageSizeField.Name && f.Params[n-1].Name == BookmarkField.Name
}

// ItemOf returns a value of the item type of the page a paginated function
// returns (the element type of its Items field, without the pointer).
func (f Function) ItemOf() any {
	page := reflect.TypeOf(f.Returns)
	field, ok := page.FieldByName("Items")
	if !ok || field.Type.Kind() != reflect.Slice {
		panic("model: " + f.FullName() + " does not return a page with Items")
	}
	t := field.Type.Elem()
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return reflect.Zero(t).Interface()
}

// Evaluated lists the names of the contract's read-only functions.
func (c Contract) Evaluated() []string {
	var names []string
	for _, f := range c.Functions {
		if f.Evaluate {
			names = append(names, f.Name)
		}
	}
	return names
}

// Version is the version of the chaincode's interface this package
// declares: its functions and their parameters, its records and its events.
// It follows semantic versioning: a new function, an optional parameter, a
// new field of a record or event payload or a new event raise the minor
// version; removing or renaming any of them, changing a type or making a rule
// stricter raises the major version. The contract metadata reports it, and
// docs/interface-changes.md says what each version changed.
//
// A test (chaincode/contracts, TestInterfaceVersionFollowsTheInterface)
// keeps a digest of the interface, the contract metadata and the event
// catalogue without their prose, and fails when it changes while Version
// does not. A rule made stricter shows in no digest: its author raises the
// major version by hand.
const Version = "18.0.0"

// Contracts are the chaincode's contracts, the default one (participants)
// first.
func Contracts() []Contract {
	return []Contract{ParticipantsContract, MarketContract, AssetsContract, RightsContract, CreditContract, ListingsContract, TradesContract, IndicesContract}
}

// LookupFunction finds a function by its full name, "contract:Function".
func LookupFunction(fullName string) (Function, bool) {
	for _, c := range Contracts() {
		if i := slices.IndexFunc(c.Functions, func(f Function) bool { return f.FullName() == fullName }); i >= 0 {
			return c.Functions[i], true
		}
	}
	return Function{}, false
}

// contract sets the contract name of each function.
func contract(name, title, description string, functions ...Function) Contract {
	for i := range functions {
		functions[i].Contract = name
	}
	return Contract{Name: name, Title: title, Description: description, Functions: functions}
}

// list appends the pagination parameters.
func list(params ...Field) []Field {
	return append(params, PageSizeField, BookmarkField)
}

// Page is the shape of every page a list function returns: the items, and
// the bookmark (BookmarkField) that fetches the next page, empty on the last.
// Each list embeds it in a type of its own (AssetPage, TracePage and the
// rest) rather than aliasing an instance, because the contract metadata and
// the OpenAPI document name a page's schema after its Go type; embedding
// keeps the JSON and the schema of the page as if its fields were its own.
type Page[T any] struct {
	Items    []T    `json:"items"`
	Bookmark string `json:"bookmark"`
}
