package canonical_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model/canonical"
)

// record has its fields out of name order and strings that encoding/json
// escapes differently from RFC 8785.
type record struct {
	TradeID    string `json:"tradeId"`
	Round      int    `json:"round"`
	By         string `json:"by"`
	Conditions string `json:"conditions"`
	Empty      string `json:"empty,omitempty"`
}

// The canonical form follows RFC 8785: members sorted by name, no
// whitespace, only '"', '\' and control characters escaped (with the short
// forms \b \t \n \f \r, else \u00xx in lowercase hex), everything else
// written as UTF-8, integers in decimal.
func TestJSONIsRFC8785(t *testing.T) {
	r := record{TradeID: "t-1", Round: 12, By: "sh.buyer", Conditions: "<b>&</b> \"q\" \\ \u2028 é 中 😀 \x01\t\n"}
	got, err := canonical.JSON(r)
	require.NoError(t, err)
	want := "{\"by\":\"sh.buyer\",\"conditions\":\"<b>&</b> \\\"q\\\" \\\\ \u2028 é 中 😀 \\u0001\\t\\n\",\"round\":12,\"tradeId\":\"t-1\"}"
	assert.Equal(t, want, string(got))
}

// Members are sorted by the UTF-16 code units of their names, which differs
// from UTF-8 byte order above the Basic Multilingual Plane (RFC 8785
// section 3.2.3's example).
func TestJSONSortsByUTF16(t *testing.T) {
	got, err := canonical.JSON(map[string]int{"\u20ac": 1, "\U0001F600": 2, "\uFB33": 3, "a": 4})
	require.NoError(t, err)
	assert.Equal(t, "{\"a\":4,\"\u20ac\":1,\"\U0001F600\":2,\"\uFB33\":3}", string(got))
}

func TestHash(t *testing.T) {
	h, err := canonical.Hash(map[string]string{"b": "2", "a": "1"})
	require.NoError(t, err)
	assert.Equal(t, canonical.SHA256Hex([]byte(`{"a":"1","b":"2"}`)), h)
	assert.Equal(t, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", canonical.SHA256Hex(nil))
}
