package validate

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func requireInvalid(t *testing.T, err error, field string) {
	t.Helper()
	require.Error(t, err)
	var e *ledgererr.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, ledgererr.InvalidArgument, e.Code)
	assert.Equal(t, field, e.Field)
}

func TestUSCC(t *testing.T) {
	for _, good := range []string{"9144030071526726XG", "91330100799655058B", "91110108551385082Q"} {
		assert.NoError(t, USCC("uscc", good), good)
	}
	for name, bad := range map[string]string{
		"wrong check":     "9144030071526726XA",
		"too short":       "914403007152672",
		"letter I":        "9144030071526726IG",
		"lowercase":       "9144030071526726xg",
		"empty":           "",
		"multibyte":       "9144030071526726X中",
		"check char is O": "9144030071526726XO",
	} {
		t.Run(name, func(t *testing.T) { requireInvalid(t, USCC("uscc", bad), "uscc") })
	}
}

func TestSHA256Hex(t *testing.T) {
	good := strings.Repeat("ab", 32)
	assert.NoError(t, SHA256Hex("contentHash", good))
	requireInvalid(t, SHA256Hex("contentHash", strings.ToUpper(good)), "contentHash")
	requireInvalid(t, SHA256Hex("contentHash", good[:63]), "contentHash")
	requireInvalid(t, SHA256Hex("contentHash", strings.Repeat("zz", 32)), "contentHash")
}

func TestAmountFen(t *testing.T) {
	v, err := AmountFen("priceFen", "1250000")
	require.NoError(t, err)
	assert.Equal(t, int64(1250000), v)
	v, err = AmountFen("priceFen", "1000000000000000")
	require.NoError(t, err)
	assert.Equal(t, model.MaxAmountFen, v)
	for _, bad := range []string{"", "0", "-5", "+5", "012", "12.50", "1e6", "1000000000000001", "99999999999999999999", " 5"} {
		_, err := AmountFen("priceFen", bad)
		requireInvalid(t, err, "priceFen")
	}
}

func TestID(t *testing.T) {
	for _, good := range []string{"A", "asset-001", "sh.operator_1", "trade:2026:7"} {
		assert.NoError(t, ID("id", good))
	}
	for _, bad := range []string{"", "-x", "has space", "a/b", strings.Repeat("a", 65), "名字"} {
		requireInvalid(t, ID("id", bad), "id")
	}
}

func TestTextAndTime(t *testing.T) {
	assert.NoError(t, Text("name", "上海数据交易所 数据产品", 40))
	requireInvalid(t, Text("name", "  ", 40), "name")
	requireInvalid(t, Text("name", "a\nb", 40), "name")
	// A name that reverses what follows it on its line reads as another price or holder in a table.
	for _, r := range []rune{'\u202e', '\u2066', '\u2069', '\u200f', '\u061c'} {
		err := Text("name", "数据"+string(r)+"001", 40)
		requireInvalid(t, err, "name")
		assert.Contains(t, err.Error(), "direction of text")
	}
	requireInvalid(t, Text("name", strings.Repeat("数", 41), 40), "name")
	requireInvalid(t, OptionalText("name", string([]byte{0xff}), 40), "name")

	ts, err := Time("validUntil", "2027-01-31T08:00:00+08:00")
	require.NoError(t, err)
	assert.Equal(t, "2027-01-31T00:00:00Z", ts.Format("2006-01-02T15:04:05Z07:00"))
	_, err = Time("validUntil", "2027-01-31")
	requireInvalid(t, err, "validUntil")
}

func TestOneOfAndPageSize(t *testing.T) {
	assert.NoError(t, OneOf("region", "anhui", "shanghai", "anhui"))
	requireInvalid(t, OneOf("region", "beijing", "shanghai", "anhui"), "region")
	n, err := PageSize("pageSize", "", 20, 100)
	require.NoError(t, err)
	assert.Equal(t, int32(20), n)
	for _, bad := range []string{"0", "101", "x", "-1"} {
		_, err := PageSize("pageSize", bad, 20, 100)
		requireInvalid(t, err, "pageSize")
	}
}
