package validate

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// goNoise matches what encoding/json says in Go's terms and a caller in
// another language cannot act on.
var goNoise = regexp.MustCompile(`Go (struct|value)|of type|json: |model\.|\bint64\b|unexpected EOF|invalid character`)

// Every way a JSON object can be wrong is refused naming the field path in
// JSON terms, never in encoding/json's Go terms.
func TestObjectErrorsSpeakJSON(t *testing.T) {
	const shape = "{purpose, regions, validFrom, validUntil, maySublicense}"
	cases := []struct {
		raw, field, message string
	}{
		{`{"purpose":5}`, "scope.purpose", "must be a JSON string, got a JSON number"},
		{`{"regions":"anhui"}`, "scope.regions", "must be a JSON list of JSON strings, got a JSON string"},
		{`{"regions":["anhui", 7]}`, "scope.regions", "must be a JSON list of JSON strings, got a JSON number"},
		{`{"maySublicense":"yes"}`, "scope.maySublicense", "must be true or false, got a JSON string"},
		{`{"purpose":{"a":1}}`, "scope.purpose", "must be a JSON string, got a JSON object"},
		{`["anhui"]`, "scope", "must be a JSON object " + shape + ", got a JSON list"},
		{`"scope"`, "scope", "must be a JSON object " + shape + ", got a JSON string"},
		{`{"purpose":"x","Regions ":[]}`, "scope", `has unknown field "Regions "; it must be a JSON object ` + shape},
		{`{"purpose":`, "scope", "must be a JSON object " + shape + "; it is incomplete JSON"},
		{``, "scope", "must be a JSON object " + shape + "; it is incomplete JSON"},
		{`{purpose}`, "scope", "must be a JSON object " + shape + "; it is not valid JSON at byte 2"},
		{`{} {}`, "scope", "must hold exactly one JSON object " + shape},
	}
	for _, tc := range cases {
		t.Run(tc.raw, func(t *testing.T) {
			var s model.Scope
			err := Object("scope", []byte(tc.raw), &s, shape)
			var e *ledgererr.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, ledgererr.InvalidArgument, e.Code)
			assert.Equal(t, tc.field, e.Field)
			assert.Equal(t, tc.message, e.Message)
			assert.NotRegexp(t, goNoise, err.Error())
		})
	}
	var s model.Scope
	require.NoError(t, Object("scope", []byte(`{"purpose":"p","regions":["anhui"]}`), &s, shape))
	assert.Equal(t, model.Scope{Purpose: "p", Regions: []string{"anhui"}}, s)
}

// A nested object's fields are named by their full path.
func TestObjectNamesNestedFields(t *testing.T) {
	var v struct {
		Offer struct {
			Terms *model.OfferTerms `json:"terms"`
		} `json:"offer"`
	}
	err := Object("body", []byte(`{"offer":{"terms":{"priceFen":"100"}}}`), &v, "{offer}")
	var e *ledgererr.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "body.offer.terms.priceFen", e.Field)
	assert.Equal(t, "must be a whole JSON number, got a JSON string", e.Message)
}

// Every field of every object document the contracts declare, given a value
// of the wrong JSON type, is refused naming its path in JSON terms.
func TestObjectSweepOfDeclaredDocuments(t *testing.T) {
	tried := 0
	for _, c := range model.Contracts() {
		for _, fn := range c.Functions {
			for _, f := range append(append([]model.Field(nil), fn.Params...), fn.Transient...) {
				if f.Schema == nil || reflect.TypeOf(f.Schema) == reflect.TypeOf(model.CreditContents{}) {
					continue // credit contents have their own strict decoder (credit.stringObject)
				}
				typ := reflect.TypeOf(f.Schema)
				for sf := range typ.Fields() {
					name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
					wrong := `5`
					if sf.Type.Kind() != reflect.String {
						wrong = `"5"`
					}
					err := Object(f.Name, []byte(`{"`+name+`":`+wrong+`}`), reflect.New(typ).Interface(), "{...}")
					var e *ledgererr.Error
					require.ErrorAs(t, err, &e, "%s %s.%s", fn.FullName(), f.Name, name)
					assert.Equal(t, f.Name+"."+name, e.Field)
					assert.NotRegexp(t, goNoise, err.Error())
					tried++
				}
			}
		}
	}
	assert.Greater(t, tried, 10)
}
