package main

import (
	"testing"

	"github.com/deltaledger/deltaledger/internal/glossary"
)

// The Chinese help speaks the market's own terms: wherever the English help
// says a right (HOLDING, USE, OPERATION), the registration certificate,
// public notice, an objection or a query trace, the Chinese uses
// 数据资源持有权, 数据加工使用权, 数据产品经营权, 登记证书, 公示, 异议 or
// 查询记录, and no ad-hoc translation of them appears in it.
func TestTheChineseHelpSpeaksTheMarketsTerms(t *testing.T) {
	if len(helpInChinese) < 200 {
		t.Fatalf("only %d help texts", len(helpInChinese))
	}
	for en, zh := range helpInChinese {
		for _, bad := range glossary.Pair(en, zh) {
			t.Errorf("%q -> %q: %s", en, zh, bad)
		}
	}
}
