package ledgererr

import (
	"testing"

	"github.com/deltaledger/deltaledger/internal/glossary"
)

// The catalogue speaks the market's own terms: wherever its English says a
// right (HOLDING, USE, OPERATION), the registration certificate, public
// notice, an objection or a query trace, its Chinese uses 数据资源持有权,
// 数据加工使用权, 数据产品经营权, 登记证书, 公示, 异议 or 查询记录, and no
// ad-hoc translation of them appears in any of its Chinese texts.
func TestTheCatalogueSpeaksTheMarketsTerms(t *testing.T) {
	pairs := map[string]string{SeeLog.En: SeeLog.Zh}
	for en, zh := range refusalTexts {
		pairs[en] = zh
	}
	for en, zh := range messageTexts {
		pairs[en] = zh
	}
	for _, tx := range codeTexts {
		pairs[tx.En] = tx.Zh
	}
	for _, tx := range ruleTexts {
		pairs[tx.En] = tx.Zh
	}
	for _, tx := range failureTexts {
		pairs[tx.En] = tx.Zh
	}
	if len(pairs) < 300 {
		t.Fatalf("only %d texts read from the catalogue", len(pairs))
	}
	for en, zh := range pairs {
		for _, bad := range glossary.Pair(en, zh) {
			t.Errorf("%q -> %q: %s", en, zh, bad)
		}
	}
}
