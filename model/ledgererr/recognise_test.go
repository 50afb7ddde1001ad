package ledgererr

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

// The recogniser is built once at a gateway's start; a refusal answered in
// Chinese is recognised against every format until one matches.
func BenchmarkRefusals(b *testing.B) {
	b.Run("compile", func(b *testing.B) {
		for range b.N {
			NewRefusals()
		}
	})
	refusals := NewRefusals()
	for name, message := range map[string]string{
		"first":   `participant "p-1" is SUSPENDED, not ACTIVE`,
		"nested":  `cannot sublicense: right "r-1" is valid from 2026-01-01T00:00:00Z until 2026-06-30T00:00:00Z, not at 2026-12-02T06:00:00Z`,
		"unknown": `something the chaincode never says`,
	} {
		b.Run("translate/"+name, func(b *testing.B) {
			for range b.N {
				refusals.Translate(message, Chinese)
			}
		})
	}
}

// englishWords finds English left in a Chinese text once quoted arguments
// (IDs, names) and upper-case words (statuses, codes, org names) are set
// aside.
var englishWords = regexp.MustCompile(`[a-z]{2,}`)

func englishIn(text string) []string {
	text = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`).ReplaceAllString(text, "")
	return englishWords.FindAllString(text, -1)
}

// The action a refusal names, the states a trade may be in and several
// reasons joined in one argument are written in the reader's language: no
// English word is left inside the Chinese sentence.
func TestNoEnglishInsideChineseRefusals(t *testing.T) {
	refusals := NewRefusals()
	for _, c := range []struct {
		err *Error
		zh  string
	}{
		{Forbiddenf("only the seller %q may %s trade %q", "s-1", Phrase("deliver"), "t-1"), `只有卖方 "s-1" 可以对交易 "t-1" 进行交付`},
		{Forbiddenf("only the buyer %q or the seller %q may %s trade %q", "b-1", "s-1", Phrase("purge the terms of"), "t-1"),
			`只有买方 "b-1" 或卖方 "s-1" 可以对交易 "t-1" 清除其条款`},
		{Conflictf("trade %q is %s; only a trade that is %s can be %s", "t-1", "PAID", Alternatives.Join([]string{"NEGOTIATING", "ORDERED", "ACCEPTED"}), Phrase("cancelled")),
			`交易 "t-1" 的状态为 PAID；只有状态为 NEGOTIATING 或 ORDERED 或 ACCEPTED 的交易才能被取消`},
		{Forbiddenf("participant %q may not process source asset %q: it neither holds it nor holds a usable USE right over it for the purpose %q covering region %q (%s)",
			"p-1", "a-1", "research", "310000", Reasons.Join([]string{Phrase("right %q is %s", "r-1", "REVOKED"), Phrase("right %q does not cover region %s", "r-2", "320000")})),
			`参与方 "p-1" 不得加工源数据资产 "a-1"：它既不持有该资产，也不持有其上用途为 "research"、覆盖区域 "310000" 的有效数据加工使用权（权利 "r-1" 的状态为 REVOKED；权利 "r-2" 不覆盖区域 320000）`},
	} {
		got, ok := refusals.Translate(c.err.Message, Chinese)
		require.True(t, ok, c.err.Message)
		assert.Equal(t, c.zh, got)
		assert.Empty(t, englishIn(got), "English inside %q", got)
	}
	// Text that merely contains a separator stays as it is: a list's items
	// are messages of the catalogue or single words.
	got, ok := refusals.Translate(Forbiddenf("participant %q is suspended: %s", "p-1", "late payment; or fraud").Message, Chinese)
	require.True(t, ok)
	assert.Equal(t, `参与方 "p-1" 已被暂停：late payment; or fraud`, got)
}
