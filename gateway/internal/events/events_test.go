package events_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/events"
	"github.com/deltaledger/deltaledger/model"
)

func TestIDRoundTrip(t *testing.T) {
	e := &chain.Event{BlockNumber: 42, TransactionID: strings.Repeat("ab", 32)}
	p, err := events.ParseID(events.ID(e))
	require.NoError(t, err)
	assert.Equal(t, chain.After(e), p)
	for _, bad := range []string{"", "42", "x-ab", "42-", "-ab", "42-AB", "42-ab-cd", "99999999999999999999999-ab"} {
		_, err := events.ParseID(bad)
		assert.Error(t, err, bad)
	}
}

func TestSSEFormat(t *testing.T) {
	var b bytes.Buffer
	w := events.NewWriter(&b)
	require.NoError(t, w.Event("1-ab", "AssetApplied", []byte("{\n\"a\":1}")))
	require.NoError(t, w.Comment("keep\nalive"))
	require.NoError(t, w.Retry(2000))
	require.NoError(t, w.Flush())
	assert.Equal(t, "id: 1-ab\nevent: AssetApplied\ndata: {\ndata: \"a\":1}\n\n: keep alive\n\nretry: 2000\n\n", b.String())
}

func TestRegulatorSeesAllOthersMarketOnly(t *testing.T) {
	v := events.DefaultVisibility()
	assert.True(t, v.Allows([]string{"regulator"}, "RecordPublished"))
	assert.True(t, v.Allows([]string{"regulator"}, "Unclassified"))
	assert.True(t, v.Allows([]string{"holder"}, "TradeCompleted"))
	assert.False(t, v.Allows([]string{"holder", "agency"}, "RecordPublished"))
	assert.False(t, v.Allows(nil, "Unclassified"), "unknown events stay hidden")
	for _, e := range model.Events() {
		assert.Equal(t, e.Audience == model.AudienceMarket, v.Allows([]string{"holder", "buyer", "agency", "operator"}, e.Name), e.Name)
	}
}
