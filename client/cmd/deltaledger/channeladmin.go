package main

import (
	"context"
	"crypto/x509"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/client/channelmsp"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// channelAdmin holds the settings with which the org's admin publishes its CA's CRL in the channel (package
// client/channelmsp): its own MSP folder (the key signs here, never at the gateway), its org's peer, an orderer,
// their TLS CA, and the market's channel (--channel). Each flag falls back to its environment variable.
type channelAdmin struct {
	mspDir, peer, orderer, tlsCA string
	channel                      string // the market's (app.deployment)
}

// channelAdminFlags are the flags and their environment variables.
var channelAdminFlags = []struct{ flag, env, usage string }{
	{"channel-admin", "DELTALEDGER_CHANNEL_ADMIN", "your org admin's MSP folder (signcerts/, keystore/priv_sk): publish the CA's CRL in the channel as that admin, so that the peers refuse the revoked certificates too"},
	{"peer", "DELTALEDGER_PEER", "host:port of your org's peer (with --channel-admin)"},
	{"orderer", "DELTALEDGER_ORDERER", "host:port of an orderer of the channel (with --channel-admin)"},
	{"fabric-cacert", "DELTALEDGER_FABRIC_CACERT", "the TLS CA (PEM) of that peer and orderer (with --channel-admin)"},
}

// add declares the flags on cmd.
func (c *channelAdmin) add(cmd *cobra.Command) {
	for i, v := range []*string{&c.mspDir, &c.peer, &c.orderer, &c.tlsCA} {
		f := channelAdminFlags[i]
		cmd.Flags().StringVar(v, f.flag, "", f.usage+" (env "+f.env+")")
	}
}

// resolve fills what the flags left empty from the environment; it reports whether the admin publishes at all.
func (c *channelAdmin) resolve(a *app, cmd *cobra.Command) (bool, error) {
	for i, v := range []*string{&c.mspDir, &c.peer, &c.orderer, &c.tlsCA} {
		if f := channelAdminFlags[i]; !cmd.Flags().Changed(f.flag) {
			*v = a.getenv(f.env)
		}
	}
	if c.mspDir == "" {
		return false, nil
	}
	c.channel, _ = a.deployment()
	for _, need := range []struct{ value, flag string }{{c.peer, "--peer"}, {c.orderer, "--orderer"}, {c.tlsCA, "--fabric-cacert"}} {
		if need.value == "" {
			return false, usagef("--channel-admin needs %s", need.flag)
		}
	}
	return true, nil
}

// publish puts crl into mspID's MSP definition of the channel, signed with the admin's key, and waits for the
// admin's peer to commit it.
func (c *channelAdmin) publish(ctx context.Context, mspID string, crl []byte) (*channelmsp.Publication, error) {
	certPEM, err := os.ReadFile(filepath.Join(c.mspDir, client.MSPCertFile))
	if err != nil {
		return nil, ledgererr.Messagef("the admin's certificate: %v", err)
	}
	key, err := client.LoadKeyFile(filepath.Join(c.mspDir, client.MSPKeyFile))
	if err != nil {
		return nil, err
	}
	caPEM, err := os.ReadFile(c.tlsCA)
	if err != nil {
		return nil, ledgererr.Messagef("--fabric-cacert: %v", err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		return nil, ledgererr.Messagef("--fabric-cacert %s holds no PEM certificate", c.tlsCA)
	}
	// What the admin's own folder trusts is what the update may keep of the org's MSP definition as the peer gives it.
	own, err := channelmsp.ReadOwn(c.mspDir, mspID, caPEM)
	if err != nil {
		return nil, ledgererr.Messagef("--channel-admin %s: %v", c.mspDir, err)
	}
	dial := func(target string) (*grpc.ClientConn, error) {
		return grpc.NewClient(target, grpc.WithTransportCredentials(credentials.NewClientTLSFromCert(roots, "")))
	}
	peer, err := dial(c.peer)
	if err != nil {
		return nil, ledgererr.Messagef("--peer %s: %v", c.peer, err)
	}
	defer peer.Close()
	orderer, err := dial(c.orderer)
	if err != nil {
		return nil, ledgererr.Messagef("--orderer %s: %v", c.orderer, err)
	}
	defer orderer.Close()
	return channelmsp.New(peer, orderer, c.channel, own, certPEM, key).PublishCRL(ctx, crl)
}

// revokedEverywhere is what a revocation answers when the org's admin also published the CRL in the channel.
type revokedEverywhere struct {
	*client.Revocation
	Channel *channelmsp.Publication `json:"channel"`
}

// revokeAndPublish has the gateway revoke participantID's certificates at the CA and, when the admin's settings are
// given (publishing, from resolve), publishes the CA's CRL in the channel; without them it says on stderr that the
// peers still accept the certificates.
func (a *app) revokeAndPublish(ctx context.Context, c *client.Client, admin *channelAdmin, publishing bool, participantID string) (*client.Revocation, *channelmsp.Publication, error) {
	revoked, err := c.Members().Revoke(ctx, participantID)
	if err != nil {
		return nil, nil, err
	}
	if !publishing {
		a.say(notePrefix, ledgererr.Messagef("the peers accept %s's revoked certificates until your org's admin publishes the CA's CRL in the channel: "+
			"run 'deltaledger members revoke %s --channel-admin DIR --peer HOST:PORT --orderer HOST:PORT --fabric-cacert FILE'", participantID, participantID))
		return revoked, nil, nil
	}
	published, err := admin.publish(ctx, revoked.MSPID, []byte(revoked.CRL))
	if err != nil {
		return revoked, nil, ledgererr.Messagef("%s's certificates are revoked at the CA, but the CRL is not in the channel: %v; run 'deltaledger members revoke %s' with --channel-admin again",
			participantID, err, participantID)
	}
	return revoked, published, nil
}
