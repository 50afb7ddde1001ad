//go:build e2e

package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/internal/readmetest"
)

// chineseREADME is the Chinese README, whose walkthroughs run as written
// under a Chinese locale.
const chineseREADME = "README.zh-CN.md"

// underChinese is the environment of a Chinese user's shell: LANG names
// a Chinese locale and nothing overrides it; no member is preset.
var underChinese = []string{"LANG=zh_CN.UTF-8", "LC_ALL=", "LC_MESSAGES=",
	"DELTALEDGER_GATEWAY=", "DELTALEDGER_API_KEY=", "DELTALEDGER_ORG=", "DELTALEDGER_ROLE=", "DELTALEDGER_PROFILE="}

// The Chinese README's auditor's walk works as written under a Chinese
// locale: it shows what the English walk shows, and the CLI's answers to the
// refused steps (an unknown transaction, the operator asking for the whole
// market) are written in Chinese.
func TestChineseReadmeAuditorsWalk(t *testing.T) {
	errs := runChineseSection(t, "## 审计方的核查（The auditor's walk）", "auditor's walk", auditorsWalkShows)
	assert.Len(t, errs, 2, "two refused steps: %q", errs)
	assert.True(t, hasPrefixed(errs, "错误： 404 NOT_FOUND: "), "the unknown transaction: %q", errs)
	assert.True(t, hasPrefixed(errs, "错误： 403 FORBIDDEN: "), "the operator's whole market: %q", errs)
}

// The Chinese README's client section works as written under a Chinese
// locale, as the English one does, and nothing it writes on its standard
// error is English.
func TestChineseReadmeClientSection(t *testing.T) {
	runChineseSection(t, "## 客户端（The client）", "client section", clientSectionShows)
}

// runChineseSection runs the Chinese README's section under heading as written, under a Chinese locale, with the
// gateways up; its output must show each of shows and be Chinese (assertChinese), whose errors it returns. what
// names the section in the test's messages.
func runChineseSection(t *testing.T, heading, what string, shows []string) []string {
	t.Helper()
	demoKeys(t)
	out := readmetest.RunFile(t, testNet.Config().Root, chineseREADME, heading, underChinese...)
	t.Logf("the Chinese README %s's output:\n%s", what, out)
	for _, want := range shows {
		assert.Contains(t, out, want, "the Chinese README %s's output:\n%s", what, out)
	}
	return assertChinese(t, out)
}

// englishPrefixes start a line the CLI writes in English: an error, a
// warning or a note.
var englishPrefixes = []string{"Error: ", "Warning: ", "note: ", "Note: ", "Usage:"}

// notWords are what an answer written in Chinese still holds verbatim: IDs
// and values in quotes, codes and enums, hexadecimal IDs, field paths,
// query parameters (region=anhui), flags, commands, URLs and units.
var notWords = regexp.MustCompile(`"[^"]*"|'[^']*'|https?://\S+|\b[A-Z][A-Z0-9_]+\b|\b[0-9a-f]{16,}\b|--?[a-z][a-z-]*|\b[a-z][A-Za-z]*=[a-z0-9-]+|` +
	`\bdeltaledger(?: [a-z-]+)*|\b[a-z]+[A-Z][A-Za-z0-9]*\b|\b[0-9]+(?:\.[0-9]+)?[a-zµ]+\b|\b[a-z0-9-]+\.[a-z0-9.-]+\b`)

// assertChinese fails the test on an English line of the CLI's (an error,
// warning or note) and on English words inside its Chinese errors; it
// returns the errors ("错误： " lines).
func assertChinese(t *testing.T, out string) []string {
	t.Helper()
	var errs []string
	for _, line := range strings.Split(out, "\n") {
		for _, p := range englishPrefixes {
			if strings.HasPrefix(line, p) {
				t.Errorf("English under a Chinese locale: %q", line)
			}
		}
		if !strings.HasPrefix(line, "错误： ") {
			continue
		}
		errs = append(errs, line)
		if words := regexp.MustCompile(`[A-Za-z]{2,}`).FindAllString(notWords.ReplaceAllString(line, ""), -1); len(words) > 0 {
			t.Errorf("English words %q inside a Chinese error: %q", words, line)
		}
	}
	return errs
}

func hasPrefixed(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}
