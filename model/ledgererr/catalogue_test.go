package ledgererr

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// declared returns the values of the package's constants of the named type,
// read from its source: a code or rule added without its texts fails the
// test below.
func declared(t *testing.T, typeName string) []string {
	t.Helper()
	pkgs, err := parser.ParseDir(token.NewFileSet(), ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	require.NoError(t, err)
	var values []string
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				v, ok := n.(*ast.ValueSpec)
				if !ok {
					return true
				}
				if id, ok := v.Type.(*ast.Ident); !ok || id.Name != typeName {
					return true
				}
				for _, val := range v.Values {
					s, err := strconv.Unquote(val.(*ast.BasicLit).Value)
					require.NoError(t, err)
					values = append(values, s)
				}
				return true
			})
		}
	}
	require.NotEmpty(t, values, typeName)
	return values
}

var verb = regexp.MustCompile(`%(\[\d+\])?[a-z]`)

// checkText requires a text in every language, with the same arguments.
func checkText(t *testing.T, name string, text Text) {
	t.Helper()
	assert.NotEmpty(t, text.En, name)
	assert.True(t, strings.ContainsFunc(text.Zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }), "%s: %q is not Chinese", name, text.Zh)
	en, zh := verb.FindAllString(text.En, -1), verb.FindAllString(text.Zh, -1)
	slices.Sort(en)
	slices.Sort(zh)
	assert.Equal(t, en, zh, "%s: the same arguments in every language", name)
	if len(en) > 1 {
		for _, v := range en {
			assert.Contains(t, v, "[", "%s: several arguments are indexed (%%[1]d), so that a language may reorder them", name)
		}
	}
}

func TestEveryCodeAndRuleIsInTheCatalogue(t *testing.T) {
	for _, c := range declared(t, "Code") {
		text, ok := codeTexts[Code(c)]
		require.True(t, ok, "code %s has no text", c)
		checkText(t, c, text)
	}
	for _, r := range declared(t, "Rule") {
		text, ok := ruleTexts[Rule(r)]
		require.True(t, ok, "rule %s has no text", r)
		checkText(t, r, text)
	}
	for _, f := range declared(t, "Failure") {
		text, ok := failureTexts[Failure(f)]
		require.True(t, ok, "failure %s has no text", f)
		checkText(t, f, text)
	}
	checkText(t, "SeeLog", SeeLog)
	assert.Len(t, codeTexts, len(declared(t, "Code")), "no text for a code that does not exist")
	var codes []string
	for _, c := range Codes() {
		codes = append(codes, string(c))
	}
	assert.ElementsMatch(t, declared(t, "Code"), codes, "Codes is every code declared")
	assert.True(t, slices.IsSorted(codes))
	assert.Len(t, ruleTexts, len(declared(t, "Rule")), "no text for a rule that does not exist")
	assert.Len(t, failureTexts, len(declared(t, "Failure")), "no text for a failure that does not exist")
}

func TestTextsInEachLanguage(t *testing.T) {
	assert.Equal(t, "不得超过 200 个字符", RuleMaxLength.Format(Chinese, 200))
	assert.Equal(t, "must be at most 200 characters", RuleMaxLength.Format(English, 200))
	assert.Equal(t, `must be one of a, b, got "c"`, RuleEnum.Format(English, "a, b", "c"))
	assert.Equal(t, "must be at most 200 characters", RuleMaxLength.Format(Language("fr"), 200), "English for a language the catalogue lacks")
	assert.Equal(t, "记录不存在", NotFound.Text().In(Chinese))
	assert.Equal(t, "the record does not exist", NotFound.Text().In(English))
	assert.Equal(t, Internal.Text(), Code("NO_SUCH_CODE").Text())
	// A rule or failure the catalogue lacks reads as its name, in every language.
	assert.Equal(t, "noSuchRule", Rule("noSuchRule").Format(Chinese))
	assert.Equal(t, "noSuchFailure", Failure("noSuchFailure").Format(English))
	assert.Equal(t, "另一笔交易先修改了本请求涉及的记录（tx 1 MVCC_READ_CONFLICT），本请求未产生任何效果：请重新读取这些记录，仅在请求仍然适用时重试",
		FailureLostRace.Format(Chinese, "tx 1 MVCC_READ_CONFLICT"))
	assert.Equal(t, "the ledger did not answer in time", FailureTimeout.Format(Language("fr")))
	assert.Equal(t, English, Languages[0], "English is the default")
}
