// Package glossary holds the data market's own Chinese terms (the three
// rights of the "Data 20 measures", the registration certificate, public
// notice, objections and query records) and checks a Chinese text against
// them: where its English says the concept, the Chinese must use the term,
// and no ad-hoc alternative translation of a term may appear. The message
// catalogue's, the CLI help's and the READMEs' tests run it.
package glossary

import (
	"fmt"
	"regexp"
	"strings"
)

// Term is one concept of the domain and its Chinese term.
type Term struct {
	Chinese string         // the term: 数据资源持有权
	English *regexp.Regexp // where an English text says the concept
	// Short is a shortening of the term that may appear only inside the
	// term itself ("持有权" only as part of "数据资源持有权"): "" when none.
	Short string
	// Alternatives are ad-hoc translations of the concept that must not
	// appear anywhere.
	Alternatives []string
}

// Terms are the domain's terms (issue 16; ../shared/domain.md).
var Terms = []Term{
	{Chinese: "数据资源持有权", English: regexp.MustCompile(`\bHOLDING\b|\b(?:the|a|its|whole|of|your) holding(?: (?:of|is|moves|offered|right|transferred)\b|[,.;:)]|$)|\bholding (?:right|moves|offered)`),
		Short: "持有权", Alternatives: []string{"数据持有权", "资源持有权", "数据资源所有权", "数据所有权"}},
	{Chinese: "数据加工使用权", English: regexp.MustCompile(`\bUSE\b`),
		Short: "使用权", Alternatives: []string{"数据使用权", "加工使用权利", "数据处理使用权"}},
	{Chinese: "数据产品经营权", English: regexp.MustCompile(`\bOPERATION\b`),
		Short: "经营权", Alternatives: []string{"产品运营权", "数据运营权", "数据经营权"}},
	{Chinese: "登记证书", English: regexp.MustCompile(`(?i)\bregistration certificate`),
		Alternatives: []string{"注册证书", "登记凭证", "确权证书", "登记证明"}},
	{Chinese: "公示", English: regexp.MustCompile(`(?i)\bpublic notice\b|\bnotice period\b`),
		Alternatives: []string{"公告期", "公开期", "公示公告"}},
	{Chinese: "异议", English: regexp.MustCompile(`(?i)\bobjections?\b|\bobject(?:ed)? to\b`),
		Alternatives: []string{"反对意见", "申诉", "抗议"}},
	{Chinese: "查询记录", English: regexp.MustCompile(`(?i)\bquery traces?\b|\bleaves a trace\b|\bin the trace\b|\bquery records?\b`),
		Alternatives: []string{"查询日志", "查询痕迹", "查询轨迹", "查询留痕记录"}},
}

// Pair checks a Chinese text against the English it translates: for each
// term whose concept the English says, the Chinese must carry the term. It
// also runs Alternatives on the Chinese. It returns what is wrong, each
// naming the term.
func Pair(en, zh string) []string {
	var out []string
	for _, t := range Terms {
		if t.English.MatchString(en) && !strings.Contains(zh, t.Chinese) {
			out = append(out, fmt.Sprintf("says %q (%s) without the term %s", t.English.FindString(en), t.English, t.Chinese))
		}
	}
	return append(out, Alternatives(zh)...)
}

// Alternatives returns each ad-hoc translation of a term in a Chinese
// text: an alternative, or a term's shortening, outside the term itself.
func Alternatives(zh string) []string {
	var out []string
	for _, t := range Terms {
		rest := strings.ReplaceAll(zh, t.Chinese, "□")
		for _, a := range append([]string{t.Short}, t.Alternatives...) {
			if i := strings.Index(rest, a); a != "" && i >= 0 {
				out = append(out, fmt.Sprintf("%q instead of the term %s: %q", a, t.Chinese, around(rest, i, len(a))))
			}
		}
	}
	return out
}

// around is the text of a finding at i (n bytes) with up to 12 characters
// either side, for the message.
func around(text string, i, n int) string {
	before, after := []rune(text[:i]), []rune(text[i+n:])
	return string(before[max(0, len(before)-12):]) + text[i:i+n] + string(after[:min(len(after), 12)])
}
