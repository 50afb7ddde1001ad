package ledgererr

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// moduleRoot is the repository's root, seen from this package.
const moduleRoot = "../.."

// sources reads the Go sources (no tests) of the repository's packages on
// demand, by directory, for the walk of the chaincode's refusals.
type sources struct {
	t       *testing.T
	fset    *token.FileSet
	module  string // the module's path, from go.mod
	files   map[string][]*ast.File
	formats map[string][]string // format -> where it is made
	errs    []string
}

func newSources(t *testing.T) *sources {
	mod, err := os.ReadFile(filepath.Join(moduleRoot, "go.mod"))
	require.NoError(t, err)
	line, _, _ := strings.Cut(string(mod), "\n")
	module := strings.TrimSpace(strings.TrimPrefix(line, "module"))
	require.NotEmpty(t, module)
	return &sources{t: t, fset: token.NewFileSet(), module: module, files: map[string][]*ast.File{}, formats: map[string][]string{}}
}

// dir parses the package in dir (relative to the module root).
func (s *sources) dir(dir string) []*ast.File {
	dir = filepath.Clean(dir)
	if files, ok := s.files[dir]; ok {
		return files
	}
	pkgs, err := parser.ParseDir(s.fset, filepath.Join(moduleRoot, dir), func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	require.NoError(s.t, err)
	var files []*ast.File
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			files = append(files, f)
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Pos() < files[j].Pos() })
	s.files[dir] = files
	return files
}

// importDir is the directory of the package that name stands for in f,
// or "" for a package outside the module.
func (s *sources) importDir(f *ast.File, name string) string {
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		local := filepath.Base(path)
		if imp.Name != nil {
			local = imp.Name.Name
		}
		if local != name {
			continue
		}
		if rel, ok := strings.CutPrefix(path, s.module+"/"); ok {
			return rel
		}
		return ""
	}
	return ""
}

// constant is the value of a string constant expression in dir's file f:
// a literal, a sum of them, or a constant of the module named by it.
func (s *sources) constant(dir string, f *ast.File, e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		v, err := strconv.Unquote(e.Value)
		return v, err == nil
	case *ast.ParenExpr:
		return s.constant(dir, f, e.X)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		x, ok := s.constant(dir, f, e.X)
		y, ok2 := s.constant(dir, f, e.Y)
		return x + y, ok && ok2
	case *ast.Ident:
		return s.named(dir, e.Name)
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			if d := s.importDir(f, x.Name); d != "" {
				return s.named(d, e.Sel.Name)
			}
		}
	}
	return "", false
}

// named is the value of the string constant name declared in dir.
func (s *sources) named(dir, name string) (string, bool) {
	for _, f := range s.dir(dir) {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				v := spec.(*ast.ValueSpec)
				for i, n := range v.Names {
					if n.Name == name && i < len(v.Values) {
						return s.constant(dir, f, v.Values[i])
					}
				}
			}
		}
	}
	return "", false
}

func (s *sources) add(format string, pos token.Pos) {
	p := s.fset.Position(pos)
	rel, _ := filepath.Rel(moduleRoot, p.Filename)
	if at := fmt.Sprintf("%s:%d", rel, p.Line); !slices.Contains(s.formats[format], at) {
		s.formats[format] = append(s.formats[format], at)
	}
}

// formatOf reads and parses the constant format that argument at of a call
// to the constructor named name passes, failing the test when it is not a
// constant or does not parse.
func (s *sources) formatOf(dir string, f *ast.File, call *ast.CallExpr, at int, name string) (string, []piece, bool) {
	format, ok := s.constant(dir, f, call.Args[at])
	if !ok {
		s.fail(call.Pos(), "%s's format is not a constant", name)
		return "", nil, false
	}
	pieces, err := parseFormat(format)
	if err != nil {
		s.fail(call.Pos(), "%v", err)
		return "", nil, false
	}
	return format, pieces, true
}

func (s *sources) fail(pos token.Pos, format string, args ...any) {
	p := s.fset.Position(pos)
	rel, _ := filepath.Rel(moduleRoot, p.Filename)
	s.errs = append(s.errs, fmt.Sprintf("%s:%d: ", rel, p.Line)+fmt.Sprintf(format, args...))
}

// constructors are this package's functions that make a refusal or a
// phrase from a format, with the index of the format among their
// parameters: every exported function with a parameter named format,
// except Internalf (an internal failure stays in English, in the logs).
func constructors(t *testing.T) map[string]int {
	pkgs, err := parser.ParseDir(token.NewFileSet(), ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	require.NoError(t, err)
	found := map[string]int{}
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			for _, d := range f.Decls {
				fn, ok := d.(*ast.FuncDecl)
				if !ok || fn.Recv != nil || !fn.Name.IsExported() || fn.Name.Name == "Internalf" {
					continue
				}
				i := 0
				for _, field := range fn.Type.Params.List {
					for _, n := range field.Names {
						if n.Name == "format" {
							found[fn.Name.Name] = i
						}
						i++
					}
				}
			}
		}
	}
	require.Contains(t, found, "Forbiddenf")
	require.Contains(t, found, "Invalid")
	require.Contains(t, found, "Phrase")
	return found
}

// refusalFormats walks the chaincode and the model it uses and returns every
// format a refusal (or a phrase a refusal quotes) is made from, with where.
// A format that only passes on another error's message ("%v", err) is
// followed to the function that made that error, whose fmt.Errorf and
// errors.New formats count as the chaincode's. String constants of prose
// (isProse) quoted through %s count too: they are written in the reader's
// language where they are quoted.
func refusalFormats(t *testing.T) map[string][]string {
	s := newSources(t)
	ctors := constructors(t)
	var dirs []string
	for _, top := range []string{"chaincode", "model"} {
		require.NoError(t, filepath.WalkDir(filepath.Join(moduleRoot, top), func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(moduleRoot, path)
			if rel == filepath.Join("model", "ledgererr") || d.Name() == "testdata" {
				return nil
			}
			dirs = append(dirs, rel)
			return nil
		}))
	}
	for _, dir := range dirs {
		for _, f := range s.dir(dir) {
			for _, d := range f.Decls {
				fn, ok := d.(*ast.FuncDecl)
				if ok && fn.Body != nil {
					s.walkFunc(dir, f, fn, ctors)
				}
			}
		}
	}
	if len(s.errs) > 0 {
		t.Fatalf("refusals whose message the catalogue cannot follow:\n%s", strings.Join(s.errs, "\n"))
	}
	require.NotEmpty(t, s.formats)
	return s.formats
}

// assignment is where a function body sets a name to the result of a call.
type assignment struct {
	pos    token.Pos
	name   string
	callee ast.Expr
}

func (s *sources) walkFunc(dir string, f *ast.File, fn *ast.FuncDecl, ctors map[string]int) {
	var assigns []assignment
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if a, ok := n.(*ast.AssignStmt); ok && len(a.Rhs) == 1 {
			if call, ok := a.Rhs[0].(*ast.CallExpr); ok {
				for _, l := range a.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						assigns = append(assigns, assignment{a.Pos(), id.Name, call.Fun})
					}
				}
			}
		}
		return true
	})
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		x, ok := sel.X.(*ast.Ident)
		if !ok || s.importDir(f, x.Name) != filepath.Join("model", "ledgererr") {
			return true
		}
		at, ok := ctors[sel.Sel.Name]
		if !ok || at >= len(call.Args) {
			return true
		}
		format, pieces, ok := s.formatOf(dir, f, call, at, "ledgererr."+sel.Sel.Name)
		if !ok {
			return true
		}
		args := call.Args[at+1:]
		if len(pieces) == 1 && pieces[0].verb != 0 && len(args) == 1 {
			s.passedOn(dir, f, call, args[0], assigns)
			return true
		}
		s.add(format, call.Pos())
		for _, p := range pieces {
			if (p.verb == 's' || p.verb == 'v') && p.arg < len(args) {
				if v, ok := s.constant(dir, f, args[p.arg]); ok && isProse(v) {
					s.add(v, args[p.arg].Pos())
				}
			}
		}
		return true
	})
}

// passedOn follows the message a refusal passes on ("%v", err) to the
// function that made err, and adds the formats that function makes errors
// from.
func (s *sources) passedOn(dir string, f *ast.File, call *ast.CallExpr, arg ast.Expr, assigns []assignment) {
	id, ok := arg.(*ast.Ident)
	if !ok {
		s.fail(call.Pos(), "passes on a message the test cannot follow: give the refusal a format of its own")
		return
	}
	var from *assignment
	for i := range assigns {
		if assigns[i].name == id.Name && assigns[i].pos < call.Pos() {
			from = &assigns[i]
		}
	}
	if from == nil {
		s.fail(call.Pos(), "passes on %s, which is not the result of a call in this function", id.Name)
		return
	}
	calleeDir, name := dir, ""
	switch fn := from.callee.(type) {
	case *ast.Ident:
		name = fn.Name
	case *ast.SelectorExpr:
		if x, ok := fn.X.(*ast.Ident); ok {
			calleeDir, name = s.importDir(f, x.Name), fn.Sel.Name
		}
	}
	var decl *ast.FuncDecl
	var declFile *ast.File
	if calleeDir != "" && name != "" {
		for _, cf := range s.dir(calleeDir) {
			for _, d := range cf.Decls {
				if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == name {
					decl, declFile = fn, cf
				}
			}
		}
	}
	if decl == nil {
		s.fail(call.Pos(), "passes on the error of a function the test cannot find")
		return
	}
	made := 0
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || len(c.Args) == 0 {
			return true
		}
		sel, ok := c.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		pkg, ok := sel.X.(*ast.Ident)
		if !ok || !(pkg.Name == "fmt" && sel.Sel.Name == "Errorf" || pkg.Name == "errors" && sel.Sel.Name == "New") {
			return true
		}
		format, ok := s.constant(calleeDir, declFile, c.Args[0])
		if !ok {
			s.fail(c.Pos(), "an error a refusal passes on is made from a format that is not a constant")
			return true
		}
		s.add(format, c.Pos())
		made++
		for _, a := range c.Args[1:] {
			if v, ok := s.constant(calleeDir, declFile, a); ok && isProse(v) {
				s.add(v, a.Pos())
			}
		}
		return true
	})
	if made == 0 {
		s.fail(call.Pos(), "passes on the error of %s, which makes none with fmt.Errorf or errors.New", name)
	}
}

// isProse tells a constant a reader reads (words with spaces) from a name,
// a value or the shape of a JSON document ({"priceFen", "salt"}), which
// stay as they are in every language.
func isProse(v string) bool {
	return strings.Contains(v, " ") && !strings.HasPrefix(v, "{") && !strings.HasPrefix(v, "[")
}

// arguments returns the verb each argument of a format is printed with,
// by argument index; false when an argument is printed twice with
// different verbs or an index is skipped.
func arguments(format string) (map[int]byte, error) {
	pieces, err := parseFormat(format)
	if err != nil {
		return nil, err
	}
	verbs := map[int]byte{}
	for _, p := range pieces {
		if p.verb == 0 {
			continue
		}
		if v, seen := verbs[p.arg]; seen && v != p.verb {
			return nil, fmt.Errorf("%q prints argument %d with %%%c and %%%c", format, p.arg+1, v, p.verb)
		}
		verbs[p.arg] = p.verb
	}
	for i := range len(verbs) {
		if _, ok := verbs[i]; !ok {
			return nil, fmt.Errorf("%q does not print argument %d", format, i+1)
		}
	}
	return verbs, nil
}

// Every message the chaincode refuses with (and every phrase it quotes in
// one) has its Chinese text, printing the same arguments with the same
// verbs; and the catalogue holds nothing the chaincode no longer says.
func TestEveryRefusalOfTheChaincodeIsInTheCatalogue(t *testing.T) {
	assertCatalogueCovers(t, refusalTexts, refusalFormats(t), "refusalTexts", "the chaincode")
}

// assertCatalogueCovers holds catalogue (called name) to the formats made
// (each with where it is made) by who: every format has a Chinese text that
// prints the same arguments with the same verbs, and no text is for a
// format nobody makes.
func assertCatalogueCovers(t *testing.T, catalogue map[string]string, made map[string][]string, name, who string) {
	t.Helper()
	var missing []string
	for format, where := range made {
		zh, ok := catalogue[format]
		if !ok {
			missing = append(missing, fmt.Sprintf("%q (%s)", format, strings.Join(where, ", ")))
			continue
		}
		assert.True(t, strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }), "%q: %q is not Chinese", format, zh)
		en, err := arguments(format)
		require.NoError(t, err)
		inZh, err := arguments(zh)
		if assert.NoError(t, err) {
			assert.Equal(t, en, inZh, "%q: the Chinese text %q prints the same arguments with the same verbs", format, zh)
		}
	}
	slices.Sort(missing)
	assert.Empty(t, missing, "formats of %s without a Chinese text in %s", who, name)
	var unused []string
	for format := range catalogue {
		if _, ok := made[format]; !ok {
			unused = append(unused, strconv.Quote(format))
		}
	}
	slices.Sort(unused)
	assert.Empty(t, unused, "texts in %s for formats %s does not make", name, who)
}
