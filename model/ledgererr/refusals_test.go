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
// (with a space) quoted through %s count too: they are written in the
// reader's language where they are quoted.
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
		format, ok := s.constant(dir, f, call.Args[at])
		if !ok {
			s.fail(call.Pos(), "ledgererr.%s's format is not a constant", sel.Sel.Name)
			return true
		}
		pieces, err := parseFormat(format)
		if err != nil {
			s.fail(call.Pos(), "%v", err)
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
				if v, ok := s.constant(dir, f, args[p.arg]); ok && strings.Contains(v, " ") {
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
			if v, ok := s.constant(calleeDir, declFile, a); ok && strings.Contains(v, " ") {
				s.add(v, a.Pos())
			}
		}
		return true
	})
	if made == 0 {
		s.fail(call.Pos(), "passes on the error of %s, which makes none with fmt.Errorf or errors.New", name)
	}
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
	made := refusalFormats(t)
	var missing []string
	for format, where := range made {
		zh, ok := refusalTexts[format]
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
	assert.Empty(t, missing, "refusals of the chaincode without a Chinese text in refusalTexts")
	for format := range refusalTexts {
		assert.Contains(t, made, format, "the catalogue has a text for a message the chaincode does not make")
	}
}

// sampleArgs are arguments for format's verbs, each argument different:
// plain words, or words with spaces and, for %q, quotes to escape. (An
// argument holding the very text that separates two arguments in a format
// is split where the format allows: the message is ambiguous itself.)
func sampleArgs(t *testing.T, format string, plain bool) []any {
	verbs, err := arguments(format)
	require.NoError(t, err)
	args := make([]any, len(verbs))
	for i, v := range verbs {
		switch {
		case v == 'd':
			args[i] = -7 + 100*i
		case plain:
			args[i] = fmt.Sprintf("arg%d", i+1)
		case v == 'q':
			args[i] = fmt.Sprintf("say \"%d\", it's %d", i+1, i+1)
		default:
			args[i] = fmt.Sprintf("x %d y", i+1)
		}
	}
	return args
}

// Each refusal, formatted with arguments, is recognised and written in
// Chinese with the same arguments where the Chinese text puts them; in
// English it is the message as the chaincode made it.
func TestRefusalsAreWrittenInTheReadersLanguage(t *testing.T) {
	refusals := NewRefusals()
	for en, zh := range refusalTexts {
		for _, plain := range []bool{true, false} {
			args := sampleArgs(t, en, plain)
			message := fmt.Sprintf(en, args...)
			got, ok := refusals.Translate(message, Chinese)
			if assert.True(t, ok, "%q is not recognised (from %q)", message, en) {
				assert.Equal(t, fmt.Sprintf(zh, args...), got, "from %q", en)
			}
			got, ok = refusals.Translate(message, English)
			assert.True(t, ok)
			assert.Equal(t, message, got)
		}
	}
	for _, message := range []string{"", "something the chaincode never says", "asset \"a1\" does not exist!", "participant p-1 does not exist"} {
		_, ok := refusals.Translate(message, Chinese)
		assert.False(t, ok, "%q is not a refusal of the catalogue", message)
	}
}

func TestQuotedReasonsAreWrittenInTheReadersLanguage(t *testing.T) {
	refusals := NewRefusals()
	got, ok := refusals.Translate(`cannot sublicense: right "r-1" is valid from 2026-01-01T00:00:00Z until 2026-06-30T00:00:00Z, not at 2026-12-02T06:00:00Z`, Chinese)
	require.True(t, ok)
	assert.Equal(t, `不能转许可：权利 "r-1" 的有效期为 2026-01-01T00:00:00Z 至 2026-06-30T00:00:00Z，不含 2026-12-02T06:00:00Z`, got)
	got, ok = refusals.Translate(`participant "op-1" is a party of the dispute of trade "t-9" and cannot decide it`, Chinese)
	require.True(t, ok)
	assert.Equal(t, `参与方 "op-1" 是交易 "t-9" 的争议的当事方，不能对其作出决定`, got)
	got, ok = refusals.Translate(`must be 1-64 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit, got "a b"`, Chinese)
	require.True(t, ok)
	assert.Equal(t, `必须是 1 到 64 个字符（A-Z a-z 0-9 . _ : -），以字母或数字开头，实际为 "a b"`, got)
	got, ok = refusals.Translate(`participant "p-1" is suspended: is required`, Chinese)
	require.True(t, ok)
	assert.Equal(t, `参与方 "p-1" 已被暂停：为必填项`, got, "an argument that reads like a refusal is one, to a depth")
}

func TestAFormatOfTheCatalogueIsParsedStrictly(t *testing.T) {
	for _, bad := range []string{"%x", "%5d", "%[0]s", "%[1s", "%"} {
		_, err := parseFormat("a " + bad)
		assert.Error(t, err, bad)
	}
	pieces, err := parseFormat("%[2]q is 100%% %s")
	require.NoError(t, err)
	assert.Equal(t, []piece{{verb: 'q', arg: 1}, {literal: " is 100% "}, {verb: 's', arg: 2}}, pieces)
	_, err = arguments("%[2]s only")
	assert.Error(t, err, "an argument skipped")
	_, err = arguments("%[1]s and %[1]d")
	assert.Error(t, err, "an argument printed with two verbs")
}

// nfa is the language of the messages a format makes with words for
// arguments: %d an integer, %q a quoted string, %s and %v a word (no space,
// no double quote). Two formats that can make the same message from words
// are ambiguous; the matcher's order (the longest format first) tells
// apart the rest, messages whose arguments hold spaces, which the round
// trip checks with such arguments.
type nfa struct {
	eps   [][]int
	edges [][]nfaEdge
}

type nfaEdge struct {
	accepts func(rune) bool
	to      int
}

func (a *nfa) state() int {
	a.eps = append(a.eps, nil)
	a.edges = append(a.edges, nil)
	return len(a.eps) - 1
}

func (a *nfa) edge(from int, accepts func(rune) bool) int {
	to := a.state()
	a.edges[from] = append(a.edges[from], nfaEdge{accepts, to})
	return to
}

func is(c rune) func(rune) bool { return func(r rune) bool { return r == c } }

func anyRune(rune) bool { return true }

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// newNFA builds the automaton of pieces; its last state accepts.
func newNFA(pieces []piece) *nfa {
	a := &nfa{}
	at := a.state()
	for _, p := range pieces {
		switch p.verb {
		case 0:
			for _, c := range p.literal {
				at = a.edge(at, is(c))
			}
		case 's', 'v': // a word: an ID, a status, an org, a time, a number
			loop := a.state()
			a.eps[at] = append(a.eps[at], loop)
			a.edges[loop] = append(a.edges[loop], nfaEdge{func(r rune) bool { return r != ' ' && r != '"' }, loop})
			at = loop
		case 'd': // -?[0-9]+
			sign := a.edge(at, is('-'))
			a.eps[at] = append(a.eps[at], sign)
			digits := a.edge(sign, isDigit)
			a.edges[digits] = append(a.edges[digits], nfaEdge{isDigit, digits})
			at = digits
		case 'q': // "(?:[^"\\]|\\.)*"
			inside := a.edge(at, is('"'))
			a.edges[inside] = append(a.edges[inside], nfaEdge{func(r rune) bool { return r != '"' && r != '\\' }, inside})
			escaped := a.edge(inside, is('\\'))
			a.edges[escaped] = append(a.edges[escaped], nfaEdge{anyRune, inside})
			at = a.edge(inside, is('"'))
		}
	}
	return a
}

func (a *nfa) closure(s int) []int {
	seen := map[int]bool{s: true}
	stack, out := []int{s}, []int{s}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, y := range a.eps[x] {
			if !seen[y] {
				seen[y] = true
				stack = append(stack, y)
				out = append(out, y)
			}
		}
	}
	return out
}

// alphabet is the runes that stand for every rune in messages of x and y:
// those the formats spell, and one of each kind the verbs tell apart.
func alphabet(x, y []piece) []rune {
	set := map[rune]bool{'"': true, '\\': true, '-': true, '0': true, 'x': true, ' ': true, '\uE000': true}
	for _, ps := range [][]piece{x, y} {
		for _, p := range ps {
			for _, c := range p.literal {
				set[c] = true
			}
		}
	}
	runes := make([]rune, 0, len(set))
	for c := range set {
		runes = append(runes, c)
	}
	slices.Sort(runes)
	return runes
}

// step is the states of a reached from states on r, closed.
func (a *nfa) step(states []int, r rune) []int {
	seen := map[int]bool{}
	var out []int
	for _, s := range states {
		for _, e := range a.edges[s] {
			if e.accepts(r) {
				for _, c := range a.closure(e.to) {
					if !seen[c] {
						seen[c] = true
						out = append(out, c)
					}
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// within reports whether every message of x (with words for arguments) is
// a message of y: y reads the same messages and more, so x refines it.
func within(x, y []piece) bool {
	a, b := newNFA(x), newNFA(y)
	acceptA, acceptB := len(a.eps)-1, len(b.eps)-1
	runes := alphabet(x, y)
	type state struct {
		a []int
		b []int
	}
	key := func(s state) string { return fmt.Sprint(s.a, s.b) }
	start := state{a.closure(0), b.closure(0)}
	slices.Sort(start.a)
	slices.Sort(start.b)
	seen := map[string]bool{key(start): true}
	queue := []state{start}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if slices.Contains(s.a, acceptA) && !slices.Contains(s.b, acceptB) {
			return false
		}
		for _, r := range runes {
			next := state{a.step(s.a, r), b.step(s.b, r)}
			if len(next.a) == 0 {
				continue
			}
			if k := key(next); !seen[k] {
				seen[k] = true
				queue = append(queue, next)
			}
		}
	}
	return true
}

// overlap returns a message both formats match, if there is one: a search
// of the product of their automata. The runes tried stand for every rune:
// those the formats spell, and one of each kind the verbs tell apart.
func overlap(x, y []piece) (string, bool) {
	a, b := newNFA(x), newNFA(y)
	acceptA, acceptB := len(a.eps)-1, len(b.eps)-1
	runes := alphabet(x, y)
	type pair struct{ a, b int }
	from := map[pair]pair{}
	via := map[pair]rune{}
	start := pair{0, 0}
	seen := map[pair]bool{start: true}
	queue := []pair{start}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		ca, cb := a.closure(p.a), b.closure(p.b)
		if slices.Contains(ca, acceptA) && slices.Contains(cb, acceptB) {
			var text []rune
			for q := p; q != start; q = from[q] {
				text = append([]rune{via[q]}, text...)
			}
			return string(text), true
		}
		for _, r := range runes {
			for _, sa := range ca {
				for _, ea := range a.edges[sa] {
					if !ea.accepts(r) {
						continue
					}
					for _, sb := range cb {
						for _, eb := range b.edges[sb] {
							next := pair{ea.to, eb.to}
							if eb.accepts(r) && !seen[next] {
								seen[next] = true
								from[next], via[next] = p, r
								queue = append(queue, next)
							}
						}
					}
				}
			}
		}
	}
	return "", false
}

func TestOverlapFindsAMessageOfTwoFormats(t *testing.T) {
	parse := func(f string) []piece {
		p, err := parseFormat(f)
		require.NoError(t, err)
		return p
	}
	_, ok := overlap(parse("must be %s, got %q"), parse("must be one of %s, got %q"))
	assert.False(t, ok, "a word has no space: the matcher's order tells these apart")
	_, ok = overlap(parse("asset %q does not exist"), parse("right %q does not exist"))
	assert.False(t, ok)
	_, ok = overlap(parse("round %d of trade %q"), parse("round %q of trade %q"))
	assert.False(t, ok, "a number is never quoted")
	_, ok = overlap(parse("right %q is %s"), parse("right %q is already %s"))
	assert.False(t, ok, "a word has no space")
	text, ok := overlap(parse("names %q twice"), parse("names %v twice"))
	assert.False(t, ok, "a word has no quote: %s", text)
	_, ok = overlap(parse("participant %q is %s"), parse("participant %q is %s, not ACTIVE"))
	assert.False(t, ok, "a word has no space")
	text, ok = overlap(parse("%s %q does not exist"), parse("asset %q does not exist"))
	require.True(t, ok)
	assert.Equal(t, `asset "" does not exist`, text)
	assert.False(t, within(parse("participant %q is %s"), parse("participant %q is %s, not ACTIVE")))
	assert.False(t, within(parse("participant %q is %s, not ACTIVE"), parse("participant %q is %s")), "a word has no space")
	assert.True(t, within(parse("participant %q is suspended: %s"), parse("participant %q is %s: %s")))
	assert.True(t, within(parse("asset %q does not exist"), parse("%s %q does not exist")))
	assert.False(t, within(parse("%s %q does not exist"), parse("asset %q does not exist")))
}

// No two formats of the catalogue can match the same message, unless one
// refines the other (every message of one is a message of the other:
// "participant %q is suspended: %s" and "participant %q is %s: %s"), and
// the matcher tries the refinement first: which format the chaincode made
// a message from is never a guess.
func TestNoTwoRefusalsCanBeTakenForEachOther(t *testing.T) {
	order := map[string]int{}
	for i, f := range NewRefusals().formats {
		order[f.en] = i
	}
	type format struct {
		en     string
		pieces []piece
	}
	var formats []format
	for en := range refusalTexts {
		p, err := parseFormat(en)
		require.NoError(t, err)
		formats = append(formats, format{en, p})
	}
	slices.SortFunc(formats, func(a, b format) int { return strings.Compare(a.en, b.en) })
	for i, x := range formats {
		for _, y := range formats[i+1:] {
			text, ok := overlap(x.pieces, y.pieces)
			if !ok {
				continue
			}
			switch {
			case within(x.pieces, y.pieces):
				assert.Less(t, order[x.en], order[y.en], "%q refines %q: it is tried first", x.en, y.en)
			case within(y.pieces, x.pieces):
				assert.Less(t, order[y.en], order[x.en], "%q refines %q: it is tried first", y.en, x.en)
			default:
				t.Errorf("%q and %q both match %q", x.en, y.en, text)
			}
		}
	}
}
