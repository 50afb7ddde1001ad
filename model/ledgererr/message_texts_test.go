package ledgererr

import (
	"fmt"
	"go/ast"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// messageConstructor is a function that makes a message of the gateway or
// the CLI from a format: Messagef, and every function of theirs with a
// parameter named format (newError, invalid, auth's unauthenticated, the
// CLI's usagef).
type messageConstructor struct {
	dir, name string
}

// messageFormats walks the gateway's, the SDK's and the CLI's source, and
// the env-file reader's and the ownership checks' (and this package's messages), and returns every format a message of theirs is made
// from, with where. A message that only passes another on ("%v", err)
// must pass the error itself, not its text: the text is English only.
func messageFormats(t *testing.T) map[string][]string {
	s := newSources(t)
	dirs := []string{filepath.Join("model", "ledgererr")}
	for _, top := range []string{"gateway", "client", filepath.Join("internal", "envfile"), filepath.Join("internal", "private")} {
		require.NoError(t, filepath.WalkDir(filepath.Join(moduleRoot, top), func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() || d.Name() == "testdata" {
				return err
			}
			rel, _ := filepath.Rel(moduleRoot, path)
			if len(s.dir(rel)) > 0 {
				dirs = append(dirs, rel)
			}
			return nil
		}))
	}
	ctors := map[messageConstructor]int{{filepath.Join("model", "ledgererr"), "Messagef"}: 0}
	for _, dir := range dirs[1:] {
		for _, f := range s.dir(dir) {
			for _, d := range f.Decls {
				fn, ok := d.(*ast.FuncDecl)
				if !ok || fn.Recv != nil {
					continue
				}
				if i := formatParam(fn); i >= 0 {
					ctors[messageConstructor{dir, fn.Name.Name}] = i
				}
			}
		}
	}
	require.Contains(t, ctors, messageConstructor{filepath.Join("gateway", "internal", "api"), "newError"})
	require.Contains(t, ctors, messageConstructor{filepath.Join("client", "cmd", "deltaledger"), "usagef"})
	for _, dir := range dirs {
		for _, f := range s.dir(dir) {
			ast.Inspect(f, func(n ast.Node) bool {
				fn, ok := n.(*ast.FuncDecl)
				if !ok || fn.Body == nil {
					return true
				}
				forwarded := ""
				if formatParam(fn) >= 0 {
					forwarded = "format"
				}
				s.walkMessages(dir, f, fn.Body, forwarded, ctors)
				return false
			})
			// Package-level messages (var ErrX = ledgererr.Messagef(...)).
			for _, d := range f.Decls {
				if g, ok := d.(*ast.GenDecl); ok {
					s.walkMessages(dir, f, g, "", ctors)
				}
			}
		}
	}
	if len(s.errs) > 0 {
		t.Fatalf("messages the catalogue cannot follow:\n%s", strings.Join(s.errs, "\n"))
	}
	require.NotEmpty(t, s.formats)
	return s.formats
}

// formatParam is the index of fn's parameter named format, or -1.
func formatParam(fn *ast.FuncDecl) int {
	i := 0
	for _, field := range fn.Type.Params.List {
		for _, n := range field.Names {
			if n.Name == "format" {
				return i
			}
			i++
		}
	}
	return -1
}

func (s *sources) walkMessages(dir string, f *ast.File, node ast.Node, forwarded string, ctors map[messageConstructor]int) {
	ast.Inspect(node, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		var callee messageConstructor
		switch fn := call.Fun.(type) {
		case *ast.Ident:
			callee = messageConstructor{dir, fn.Name}
		case *ast.SelectorExpr:
			x, ok := fn.X.(*ast.Ident)
			if !ok {
				return true
			}
			callee = messageConstructor{s.importDir(f, x.Name), fn.Sel.Name}
		default:
			return true
		}
		at, ok := ctors[callee]
		if !ok || at >= len(call.Args) {
			return true
		}
		if id, ok := call.Args[at].(*ast.Ident); ok && forwarded != "" && id.Name == forwarded {
			return true
		}
		format, pieces, ok := s.formatOf(dir, f, call, at, callee.name)
		if !ok {
			return true
		}
		args := call.Args[at+1:]
		if len(pieces) == 1 && pieces[0].verb != 0 && len(args) == 1 {
			if c, ok := args[0].(*ast.CallExpr); ok {
				if sel, ok := c.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Error" {
					s.fail(call.Pos(), "passes on the English text of an error: pass the error itself (%%v, err), a message of the catalogue is then written in the reader's language")
				}
			}
			return true
		}
		s.add(format, call.Pos())
		return true
	})
}

// Every message of the gateway and the CLI has its Chinese text, printing
// the same arguments with the same verbs; and the catalogue holds nothing
// they no longer say.
func TestEveryMessageIsInTheCatalogue(t *testing.T) {
	assertCatalogueCovers(t, messageTexts, messageFormats(t), "messageTexts", "the gateway and the CLI")
}

// A message is written in the reader's language with its arguments, an
// argument that is a message (or an error that is one) too; as an error it
// reads in English; errors.Is sees the errors among its arguments.
func TestMessagesAreWrittenInTheReadersLanguage(t *testing.T) {
	inner := Messagef("not a cursor of this list: use the next_cursor of the previous page")
	outer := Messagef("no call %s of yours waits for a %s signature (unknown, another step, or forgotten %s after its last step)", "abc", Messagef("proposal"), "10m0s")
	assert.Equal(t, "no call abc of yours waits for a proposal signature (unknown, another step, or forgotten 10m0s after its last step)", outer.Error())
	assert.Equal(t, fmt.Sprintf(messageTexts[outer.format], "abc", messageTexts["proposal"], "10m0s"), outer.In(Chinese))
	wrapped := fmt.Errorf("reading: %w", inner)
	passed := Messagef("%v", inner)
	assert.Equal(t, messageTexts[inner.format], passed.In(Chinese), "a message passed on is written in the reader's language")
	assert.Equal(t, "reading: "+inner.Error(), Messagef("%v", wrapped).In(Chinese), "an error that says more than the message stays as it is")
	assert.ErrorIs(t, passed, inner)
	committed := CommittedInvalid("0f", 12, "MVCC_READ_CONFLICT")
	assert.Equal(t, "transaction 0f was committed in block 12 as invalid: MVCC_READ_CONFLICT", committed.Error())
	assert.NotContains(t, FailureLostRace.Format(Chinese, committed), "committed in block", "a failure's argument that is a message is written in the reader's language")
}
