package main

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

// The admin publishes in the market's channel: --channel, else DELTALEDGER_CHANNEL (or the member profile's), else
// the channel the network is deployed with by default (network/network.env's CHANNEL_NAME, held to
// model.DefaultChannel by package fabricnet's tests), never a channel the network does not have.
func TestChannelAdminPublishesInTheMarketsChannel(t *testing.T) {
	resolved := func(env map[string]string, args ...string) string {
		admin := map[string]string{"DELTALEDGER_CHANNEL_ADMIN": t.TempDir(), "DELTALEDGER_PEER": "p:1",
			"DELTALEDGER_ORDERER": "o:2", "DELTALEDGER_FABRIC_CACERT": "ca.pem"}
		for k, v := range env {
			admin[k] = v
		}
		a := newApp(strings.NewReader(""), io.Discard, io.Discard, func(k string) string { return admin[k] })
		cmd, _, err := a.commandTree().Find([]string{"members", "revoke"})
		require.NoError(t, err)
		require.NoError(t, cmd.ParseFlags(args))
		var c channelAdmin
		on, err := c.resolve(a, cmd)
		require.NoError(t, err)
		require.True(t, on)
		return c.channel
	}
	assert.Equal(t, model.DefaultChannel, resolved(nil))
	assert.Equal(t, "other", resolved(map[string]string{"DELTALEDGER_CHANNEL": "other"}))
	assert.Equal(t, "flag", resolved(map[string]string{"DELTALEDGER_CHANNEL": "other"}, "--channel", "flag"))
}
