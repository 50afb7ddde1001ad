package main

import (
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

// Without --channel (or DELTALEDGER_CHANNEL) the admin publishes in the market's channel as deployed by default
// (network/network.env's CHANNEL_NAME, held to model.DefaultChannel by package fabricnet's tests), not in a channel
// the network does not have.
func TestChannelAdminPublishesInTheMarketsChannelByDefault(t *testing.T) {
	resolved := func(env map[string]string, args ...string) string {
		cmd := &cobra.Command{Use: "revoke", RunE: func(*cobra.Command, []string) error { return nil }}
		var c channelAdmin
		c.add(cmd)
		require.NoError(t, cmd.ParseFlags(append([]string{"--channel-admin", t.TempDir(), "--peer", "p:1", "--orderer", "o:2", "--fabric-cacert", "ca.pem"}, args...)))
		on, err := c.resolve(&app{getenv: func(k string) string { return env[k] }}, cmd)
		require.NoError(t, err)
		require.True(t, on)
		return c.channel
	}
	assert.Equal(t, model.DefaultChannel, resolved(nil))
	assert.Equal(t, "other", resolved(map[string]string{"DELTALEDGER_CHANNEL": "other"}))
	assert.Equal(t, "flag", resolved(map[string]string{"DELTALEDGER_CHANNEL": "other"}, "--channel", "flag"))
}
