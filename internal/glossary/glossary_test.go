package glossary

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestPairWantsTheTerm(t *testing.T) {
	for _, c := range []struct {
		en, zh string // zh carries the terms en says: no findings
		wrong  string // another translation of en ("" for none)
		found  int    // the findings of wrong
	}{
		{"right %q is a HOLDING right", "权利 %[1]q 是数据资源持有权", "权利 %[1]q 是持有权", 2}, // no term, and the shortening alone
		{"Offer the holding of an asset", "要约转让数据资产的数据资源持有权", "", 0},
		{"Grant a USE or OPERATION right", "授予数据加工使用权或数据产品经营权", "授予使用权或经营权", 4},
		{"the public notice of asset %q ended", "数据资产 %[1]q 的公示已结束", "数据资产 %[1]q 的公告期已结束", 2},
		{"Object to an application", "对申请提出异议", "对申请提出申诉", 2},
		{"List the query traces", "列出查询记录", "列出查询日志", 2},
		{"the registration certificate", "登记证书", "注册证书", 2},
		{"the holder's certificate", "持有方的证书", "", 0},
	} {
		if got := Pair(c.en, c.zh); len(got) != 0 {
			t.Errorf("Pair(%q, %q) = %q, want no findings", c.en, c.zh, got)
		}
		if c.wrong == "" {
			continue
		}
		if got := Pair(c.en, c.wrong); len(got) != c.found {
			t.Errorf("Pair(%q, %q) = %q, want %d findings", c.en, c.wrong, got, c.found)
		}
	}
}

func TestAlternativesNameTheShorteningsPlace(t *testing.T) {
	got := Alternatives("数据资源持有权的转移；出售持有权本身")
	if len(got) != 1 || !strings.Contains(got[0], "出售持有权本身") {
		t.Fatalf("Alternatives = %q", got)
	}
}

// section is one "## " section of a README: its English title (the
// Chinese README's heading carries it in （）) and its text.
type section struct{ title, text string }

var englishTitle = regexp.MustCompile(`（([^）]+)）\s*$`)

func sections(t *testing.T, path string, chinese bool) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	title := ""
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if h, ok := strings.CutPrefix(line, "## "); ok {
			title = h
			if chinese {
				m := englishTitle.FindStringSubmatch(h)
				if m == nil {
					t.Fatalf("%s: heading %q does not carry its English title in （）", path, line)
				}
				title = m[1]
			}
			continue
		}
		out[title] += line + "\n"
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// The Chinese README uses the domain's terms: each section whose English
// says a concept carries the term in Chinese, and no ad-hoc translation of
// a term appears anywhere in it.
func TestTheChineseReadmeUsesTheTerms(t *testing.T) {
	root := filepath.Join("..", "..")
	en := sections(t, filepath.Join(root, "README.md"), false)
	zh := sections(t, filepath.Join(root, "README.zh-CN.md"), true)
	for title, text := range en {
		z, ok := zh[title]
		if !ok {
			t.Errorf("README.zh-CN.md has no section (%s)", title)
			continue
		}
		for _, t2 := range Terms {
			if t2.English.MatchString(text) && !strings.Contains(z, t2.Chinese) {
				t.Errorf("README section %q says %q; its Chinese section lacks the term %s", title, t2.English.FindString(text), t2.Chinese)
			}
		}
		for _, bad := range Alternatives(z) {
			t.Errorf("README.zh-CN.md section (%s): %s", title, bad)
		}
	}
}
