//go:build e2e

package e2e

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/status"
)

// direct evaluates a query at org's peer as the enterprise, with a Fabric client of its own (fabric-gateway, its
// own key): around the region's REST gateway, which the member needs for nothing. The query is the contract's
// metadata, which the chaincode answers to anybody, so that only the peer's check of the caller's certificate can
// refuse it. It returns the error with the details the peer gave.
func direct(t *testing.T, ctx context.Context, e enterprise, org string) error {
	t.Helper()
	return directCall(t, ctx, e, org, "org.hyperledger.fabric:GetMetadata")
}

// directCall evaluates function fn (namespace:name, no arguments) at org's peer as the enterprise, as direct does
// (a Fabric client of its own, around the REST gateway), and returns the error with the details the peer gave,
// the chaincode's refusal among them (ledgererr.Parse finds its code).
func directCall(t *testing.T, ctx context.Context, e enterprise, org, fn string) error {
	t.Helper()
	cfg := testNet.Config()
	o, err := cfg.Org(org)
	require.NoError(t, err)
	id, err := identity.NewX509Identity("JiangsuMSP", e.cert)
	require.NoError(t, err)
	keyPEM, err := os.ReadFile(filepath.Join(e.home, "msp", "keystore", "priv_sk"))
	require.NoError(t, err)
	key, err := identity.PrivateKeyFromPEM(keyPEM)
	require.NoError(t, err)
	sign, err := identity.NewPrivateKeySign(key)
	require.NoError(t, err)
	conn, err := testNet.Conn(org)
	require.NoError(t, err)
	gw, err := client.Connect(id, client.WithSign(sign), client.WithClientConnection(conn), client.WithEvaluateTimeout(30*time.Second))
	require.NoError(t, err)
	defer gw.Close()
	proposal, err := testNet.Contract(gw).NewProposal(fn, client.WithEndorsingOrganizations(o.MSPID))
	require.NoError(t, err)
	_, err = proposal.EvaluateWithContext(ctx)
	if err == nil {
		return nil
	}
	text := []string{err.Error()}
	for _, d := range status.Convert(err).Details() {
		if detail, ok := d.(*gateway.ErrorDetail); ok {
			text = append(text, detail.GetMspId()+": "+detail.GetMessage())
		}
	}
	return errors.New(strings.Join(text, "; "))
}

// channelAdminFlags are the flags with which Jiangsu's admin publishes its CA's CRL in the channel: its own MSP
// folder (its key signs on this machine), its peer, its orderer and their TLS CA.
func channelAdminFlags(t *testing.T) []string {
	cfg := testNet.Config()
	o, err := cfg.Org("jiangsu")
	require.NoError(t, err)
	return []string{"--channel-admin", cfg.UserMSPDir(o, "Admin"), "--peer", o.PeerEndpoint,
		"--orderer", o.Host + ":" + cfg.Values["JIANGSU_ORDERER_PORT"], "--fabric-cacert", cfg.TLSRootCertFile(o), "--channel", cfg.Channel}
}

// A suspended member's certificate, revoked at its region's CA, is still accepted by the peers: they check
// certificates against the org's MSP in the channel configuration, not against the CA. Once the org's admin has
// published the CA's CRL there (a configuration update only Jiangsu's admin signs, by `members revoke
// --channel-admin`), Jiangsu's peer refuses the certificate at once (the command waits for its commit), every other
// org's peer as soon as it has committed the configuration block, while another member of the same org goes on.
func TestPeersRefuseARevokedCertificateOnceTheCRLIsInTheChannel(t *testing.T) {
	ctx := callCtx(t)
	bin := buildCLI(t)
	victim, bystander := onboard(t, bin), onboard(t, bin)
	cfg := testNet.Config()
	var orgs []string
	for _, o := range cfg.Orgs {
		orgs = append(orgs, o.Key)
	}

	// Suspended and revoked at the CA (the gateway refuses it), the member still gets answers from every peer.
	out := asJiangsuAdmin(t, bin, "participants", "suspend", victim.participant, "--reason", "licence withdrawn by the exchange")
	revocation, _ := out["revocation"].(map[string]any)
	require.NotNil(t, revocation, "%v", out)
	require.Equal(t, []any{victim.cert.SerialNumber.Text(16)}, revocation["revoked"])
	assert.Contains(t, revocation["crl"], "BEGIN X509 CRL")
	assert.Nil(t, out["channel"], "no channel admin given, nothing published: %v", out)
	for _, org := range orgs {
		require.NoError(t, direct(t, ctx, victim, org), "before the CRL is in the channel, %s's peer accepts the revoked certificate", org)
	}

	// Jiangsu's admin publishes the CA's CRL in the channel.
	started := time.Now()
	out = asJiangsuAdmin(t, bin, append([]string{"members", "revoke", victim.participant}, channelAdminFlags(t)...)...)
	channel, _ := out["channel"].(map[string]any)
	require.NotNil(t, channel, "%v", out)
	assert.Equal(t, true, channel["updated"], "%v", out)
	assert.Equal(t, "JiangsuMSP", channel["mspId"])
	assert.Equal(t, cfg.Channel, channel["channel"])
	assert.GreaterOrEqual(t, channel["revoked"], float64(1))
	published := time.Now()
	t.Logf("figure: members revoke --channel-admin (revocation call, config read, update, commit on Jiangsu's peer) took %v", published.Sub(started).Round(time.Millisecond))

	// Jiangsu's peer has committed it: it refuses the revoked certificate; the bystander goes on.
	err := direct(t, ctx, victim, "jiangsu")
	require.Error(t, err, "Jiangsu's peer accepted a certificate its org's CRL lists")
	assert.Contains(t, err.Error(), "access denied")
	require.NoError(t, direct(t, ctx, bystander, "jiangsu"))

	// Every other org's peer refuses it once it has committed the configuration block.
	for _, org := range orgs {
		deadline := time.Now().Add(30 * time.Second)
		for {
			err := direct(t, ctx, victim, org)
			if err != nil {
				assert.Contains(t, err.Error(), "access denied", org)
				t.Logf("figure: %s's peer refuses the certificate %v after the command returned", org, time.Since(published).Round(time.Millisecond))
				break
			}
			require.True(t, time.Now().Before(deadline), "%s's peer still accepts the revoked certificate 30 s after the update", org)
			time.Sleep(200 * time.Millisecond)
		}
		require.NoError(t, direct(t, ctx, bystander, org), "%s's peer refuses a member the CRL does not list", org)
	}

	// Publishing again changes nothing.
	out = asJiangsuAdmin(t, bin, append([]string{"members", "revoke", victim.participant}, channelAdminFlags(t)...)...)
	channel, _ = out["channel"].(map[string]any)
	require.NotNil(t, channel, "%v", out)
	assert.Equal(t, false, channel["updated"], "%v", out)
}
