package model_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// subsets are the value lists that name on purpose only some constants of
// their block.
var subsets = []string{"TradeWaitingStatuses", "TradeOpenStatuses", "TradeEndedStatuses", "EnterpriseRoles", "StaffRoles"}

// TestEveryValueListHoldsItsWholeBlock: a value list built of constants (the
// closed value sets model.FieldValues publishes as enums, RightStatuses,
// AssetStatuses...) holds every constant of the block that declares them,
// unless it is a declared subset: a status added to its block but not to its
// list would be answered by the chaincode and rejected by every client that
// validates answers against the published enum.
func TestEveryValueListHoldsItsWholeBlock(t *testing.T) {
	sources, err := filepath.Glob("*.go")
	require.NoError(t, err)
	blockOf := map[string][]string{} // constant name -> the names of its block
	var lists []*ast.ValueSpec
	for _, src := range sources {
		if strings.HasSuffix(src, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), src, nil, 0)
		require.NoError(t, err)
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || (g.Tok != token.CONST && g.Tok != token.VAR) {
				continue
			}
			var names []string
			for _, spec := range g.Specs {
				v := spec.(*ast.ValueSpec)
				if g.Tok == token.CONST {
					for _, n := range v.Names {
						names = append(names, n.Name)
					}
				} else if g.Tok == token.VAR && len(v.Values) == 1 {
					lists = append(lists, v)
				}
			}
			for _, n := range names {
				blockOf[n] = names
			}
		}
	}
	checked := 0
	for _, v := range lists {
		lit, ok := v.Values[0].(*ast.CompositeLit)
		if !ok || len(lit.Elts) == 0 || slices.Contains(subsets, v.Names[0].Name) {
			continue
		}
		var members []string
		for _, e := range lit.Elts {
			if id, ok := e.(*ast.Ident); ok && blockOf[id.Name] != nil {
				members = append(members, id.Name)
			}
		}
		if len(members) != len(lit.Elts) {
			continue // not a list of constants
		}
		checked++
		assert.ElementsMatch(t, blockOf[members[0]], members, "%s lists some constants of a block, not all", v.Names[0].Name)
	}
	assert.GreaterOrEqual(t, checked, 22) // the lists there are (HistoryActions, Outcomes, the decisions among them)
}
