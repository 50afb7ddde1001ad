package jsonschema_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/jsonschema"
)

// TestEveryListReturnsAPageNamedAfterItsOwnType: a list function (one that
// takes a bookmark) returns a page whose schema is a component named after
// the page's own Go type (RecordPage, not an instance of model.Page, whose
// reflected name carries a package path) and holds exactly the items and
// the bookmark, both required: the names and shape clients generated from
// the contract metadata and the OpenAPI document rely on.
func TestEveryListReturnsAPageNamedAfterItsOwnType(t *testing.T) {
	lists := 0
	for _, c := range model.Contracts() {
		for _, f := range c.Functions {
			if len(f.Params) == 0 || f.Params[len(f.Params)-1].Name != model.BookmarkField.Name {
				continue
			}
			lists++
			typ := reflect.TypeOf(f.Returns)
			name := typ.Name()
			require.True(t, strings.HasSuffix(name, "Page") && !strings.Contains(name, "["),
				"%s returns %s, which is not a page type of its own", f.FullName(), typ)
			reg := jsonschema.NewRegistry()
			assert.Equal(t, jsonschema.Ref(name), reg.Of(f.Returns), f.FullName())
			page := reg.Components()[name]
			assert.Equal(t, []string{"items", "bookmark"}, page["required"], name)
			props := page["properties"].(jsonschema.Schema)
			assert.Len(t, props, 2, name)
			assert.Equal(t, jsonschema.Schema{"type": "string"}, props["bookmark"], name)
			assert.Equal(t, "array", props["items"].(jsonschema.Schema)["type"], name)
		}
	}
	assert.Positive(t, lists)
}
