package events_test

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/events"
	"github.com/deltaledger/deltaledger/gateway/internal/ledger"
)

func TestIDRoundTrip(t *testing.T) {
	e := &ledger.Event{BlockNumber: 42, TransactionID: strings.Repeat("ab", 32)}
	p, err := events.ParseID(events.ID(e))
	require.NoError(t, err)
	assert.Equal(t, ledger.After(e), p)
	for _, bad := range []string{"", "42", "x-ab", "42-", "-ab", "42-AB", "42-ab-cd", "99999999999999999999999-ab"} {
		_, err := events.ParseID(bad)
		assert.Error(t, err, bad)
	}
}

func TestSSEFormat(t *testing.T) {
	var b bytes.Buffer
	w := events.NewWriter(&b)
	require.NoError(t, w.Event("1-ab", "AssetApplied", []byte("{\n\"a\":1}")))
	require.NoError(t, w.Comment("keep\nalive"))
	require.NoError(t, w.Retry(2000))
	require.NoError(t, w.Flush())
	assert.Equal(t, "id: 1-ab\nevent: AssetApplied\ndata: {\ndata: \"a\":1}\n\n: keep alive\n\nretry: 2000\n\n", b.String())
}

func TestRegulatorSeesAllOthersMarketOnly(t *testing.T) {
	v := events.DefaultVisibility()
	assert.True(t, v.Allows([]string{"regulator"}, "RecordPublished"))
	assert.True(t, v.Allows([]string{"regulator"}, "Unclassified"))
	assert.True(t, v.Allows([]string{"holder"}, "TradeCompleted"))
	assert.False(t, v.Allows([]string{"holder", "agency"}, "RecordPublished"))
	assert.False(t, v.Allows(nil, "Unclassified"), "unknown events stay hidden")
}

// TestEveryChaincodeEventIsClassified reads the chaincode's event name
// constants (Event* = "...") from its sources, so that a new event cannot
// be silently hidden from the market or shown to it by mistake.
func TestEveryChaincodeEventIsClassified(t *testing.T) {
	files, err := filepath.Glob("../../../chaincode/*/*.go")
	require.NoError(t, err)
	v := events.DefaultVisibility()
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
		require.NoError(t, err)
		for _, decl := range file.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.CONST {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !strings.HasPrefix(name.Name, "Event") || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					value, _ := strconv.Unquote(lit.Value)
					found++
					assert.True(t, v.Known(value), "%s: event %s = %q is not classified in package events", f, name.Name, value)
					if strings.Contains(f, "/credit/") {
						assert.False(t, v.Market(value), "credit event %q must not be a market event", value)
					}
				}
			}
		}
	}
	assert.Greater(t, found, 20)
}
