package main

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

var backquoted = regexp.MustCompile("`[^`]*`")

// commandLines are the lines of an example that are not comments.
func commandLines(example string) []string {
	var lines []string
	for _, l := range strings.Split(example, "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}

// Every command's Short, Long and Example, every flag's usage and every
// group's title (cobra's help and completion commands included) has its
// Chinese text; an example's commands and a usage's `NAME` (pflag's
// placeholder) are the same in both; the Chinese help holds nothing that
// is not in the English one.
func TestEveryCommandAndFlagIsHelpedInBothLanguages(t *testing.T) {
	a := newApp(strings.NewReader(""), nil, nil, func(string) string { return "" })
	texts := helpOf(a.commandTree())
	require.Greater(t, len(texts), 100)
	used := map[string]bool{}
	var missing []string
	for _, text := range texts {
		en := *text.text
		zh, ok := inChinese(text)
		if !ok {
			missing = append(missing, text.where+": "+en)
			continue
		}
		used[en] = true
		assert.True(t, hasHan(zh), "%s: %q is not Chinese", text.where, zh)
		assert.Equal(t, backquoted.FindAllString(en, -1), backquoted.FindAllString(zh, -1), "%s: the same `NAME`", text.where)
		if text.example {
			assert.Equal(t, commandLines(en), commandLines(zh), "%s: an example's commands are the same in both", text.where)
		}
	}
	slices.Sort(missing)
	assert.Empty(t, missing, "help without its Chinese text in helpInChinese")
	for en := range helpInChinese {
		assert.True(t, used[en], "helpInChinese has a text the help does not use: %q", en)
	}
}

func TestTheHelpFollowsTheLocale(t *testing.T) {
	code, en, _ := cli(t, nil, "--help")
	require.Equal(t, 0, code)
	assert.Contains(t, en, "Usage:")
	assert.Contains(t, en, exitStatusHelp(ledgererr.English))
	assert.False(t, hasHan(en), "English by default")
	for _, env := range []map[string]string{{"LANG": "C.UTF-8"}, {"LANG": "en_US.UTF-8"}, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}} {
		_, other, _ := cli(t, env, "--help")
		assert.Equal(t, en, other, "%v: the English help, byte for byte", env)
	}

	english := newApp(strings.NewReader(""), nil, nil, func(string) string { return "" }).commandTree()
	for _, env := range []map[string]string{{"LANG": "zh_CN.UTF-8"}, {"LC_MESSAGES": "zh_CN.UTF-8"}, {"LC_ALL": "zh_CN.UTF-8", "LANG": "C"}} {
		code, zh, _ := cli(t, env, "--help")
		require.Equal(t, 0, code)
		for _, want := range []string{"用法：", "选项：", helpInChinese[english.Long], exitStatusHelp(ledgererr.Chinese), helpInChinese["The market:"], helpInChinese[english.Example]} {
			assert.Contains(t, zh, want, env)
		}
		for _, english := range []string{"Usage:", "Flags:", "Available Commands:", "help for", "(default "} {
			assert.NotContains(t, zh, english, env)
		}
	}
	code, zh, _ := cli(t, map[string]string{"LANG": "zh_CN.UTF-8"}, "assets", "apply", "--help")
	require.Equal(t, 0, code)
	assert.Contains(t, zh, `（默认值："json"）`, "pflag's default after a usage")
	assert.Contains(t, zh, "全局选项：")
	assert.Contains(t, zh, "显示帮助：apply")
	assert.Contains(t, zh, "选项：")
	assert.NotContains(t, zh, "(default ")
}
