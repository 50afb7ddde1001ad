package model

import (
	"fmt"
	"strings"
)

// Type is the JSON type of a field in a request or document. A chaincode
// function receives every argument as a string: the value's decimal or
// JSON text (see Field).
type Type string

const (
	// TypeString is a JSON string, passed as is.
	TypeString Type = "string"
	// TypeInteger is a JSON integer, passed in decimal (amounts in fen).
	TypeInteger Type = "integer"
	// TypeStringList is a JSON array of strings, passed comma-separated.
	TypeStringList Type = "stringList"
	// TypeObject is a JSON object, passed as its compact JSON text.
	TypeObject Type = "object"
)

// Field is one named input of the market: a parameter of a chaincode
// function, or a transient document it reads. It says what the value means
// and the rules it must follow, once, for the chaincode's validation, the
// gateway's early checks and its OpenAPI document, and the contract
// metadata.
type Field struct {
	// Name is the parameter's name, which is also its key in a request
	// body or in the transient map.
	Name string
	// Description says what the value is.
	Description string
	// Type is the value's JSON type.
	Type Type
	// Optional means an empty (or absent) value is allowed.
	Optional bool
	// Pattern is a regular expression a string (or each item of a string
	// list) must match.
	Pattern string
	// Enum lists the allowed values of a string, or of a list's items.
	Enum []string
	// MaxLength bounds a string's length in characters; 0 means no bound
	// beyond the request's size.
	MaxLength int
	// Minimum and Maximum bound an integer, when set.
	Minimum, Maximum *int64
	// Schema is a value of the Go type of an object (only its type
	// matters).
	Schema any
}

// Describe returns a copy of the field with another description.
func (f Field) Describe(description string) Field {
	f.Description = description
	return f
}

// AsOptional returns a copy of the field that may be empty.
func (f Field) AsOptional() Field {
	f.Optional = true
	return f
}

// Named returns a copy of the field under another name.
func (f Field) Named(name string) Field {
	f.Name = name
	return f
}

// bound returns a pointer to n, for Minimum and Maximum.
func bound(n int64) *int64 { return &n }

// idField is the ID of an existing record.
func idField(name, what string) Field {
	return Field{Name: name, Type: TypeString, Pattern: IDPattern, Description: "ID of the " + what + "."}
}

// newIDField is the caller-chosen ID of a record a function creates.
func newIDField(name, what string) Field {
	return Field{Name: name, Type: TypeString, Pattern: IDPattern,
		Description: "ID of the new " + what + ", chosen by the caller: " + IDRule + ". Reusing an ID is a CONFLICT."}
}

// textField is a required single-line human text of at most max
// characters.
func textField(name string, max int, description string) Field {
	return Field{Name: name, Type: TypeString, MaxLength: max, Description: description}
}

// hashField is a SHA-256 digest in lowercase hex.
func hashField(name, description string) Field {
	return Field{Name: name, Type: TypeString, Pattern: SHA256Pattern, Description: description}
}

// usccField is an enterprise's Unified Social Credit Code.
func usccField(name, description string) Field {
	return Field{Name: name, Type: TypeString, Pattern: USCCPattern, Description: description}
}

// timeField is an instant in RFC 3339, such as 2027-01-31T00:00:00Z.
func timeField(name, description string) Field {
	return Field{Name: name, Type: TypeString, Pattern: TimePattern, Description: description}
}

// enumField is one of a closed set of values.
func enumField(name string, values []string, description string) Field {
	return Field{Name: name, Type: TypeString, Enum: values, Description: description}
}

// OneOf says an enumeration's values as alternatives, for descriptions and
// help: OneOf(Answers, ", ", " or ") is "UPHOLD, CORRECT or DISMISS".
func OneOf(values []string, comma, or string) string {
	if len(values) < 2 {
		return strings.Join(values, comma)
	}
	return strings.Join(values[:len(values)-1], comma) + or + values[len(values)-1]
}

// amountField is an amount of money in integer fen.
func amountField(name, description string) Field {
	return Field{Name: name, Type: TypeInteger, Minimum: bound(1), Maximum: bound(MaxAmountFen), Description: description}
}

// Pagination parameters, the last two of every list function.
var (
	// PageSizeField is the page size of a list: 1 to MaxPageSize, default
	// DefaultPageSize.
	PageSizeField = Field{Name: "pageSize", Type: TypeInteger, Optional: true, Minimum: bound(1), Maximum: bound(MaxPageSize),
		Description: fmt.Sprintf("Page size, 1 to %d (default %d).", MaxPageSize, DefaultPageSize)}
	// BookmarkField continues a list where the previous page ended.
	BookmarkField = Field{Name: "bookmark", Type: TypeString, Optional: true,
		Description: "Where the previous page ended; empty for the first page."}
)

// CategoryField is a data category: a lowercase slug.
var CategoryField = Field{Name: "category", Type: TypeString, MaxLength: MaxCategoryLength, Pattern: SlugPattern,
	Description: "Data category, a lowercase slug such as finance or smart-city."}

// RegionField is a region: its form is checked everywhere, its existence by
// the chaincode against the market rules in force (model.RegionsRule).
var RegionField = Field{Name: "region", Type: TypeString, Pattern: RegionPattern, MaxLength: MaxRegionLength,
	Description: "A region: " + RegionsRule + "."}

// DivisionField is where a participant is, as DivisionRule says.
var DivisionField = Field{Name: "division", Type: TypeString, Pattern: DivisionPattern,
	Description: "Where the enterprise is: " + DivisionRule + "."}

// RoleField is one participant role.
var RoleField = enumField("role", Roles, "A participant role: "+strings.Join(Roles, ", ")+".")
