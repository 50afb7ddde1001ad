package fabricnet

import (
	"crypto/x509"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"github.com/deltaledger/deltaledger/internal/fabricca"
)

// Timeouts of the Gateways that Network hands out (each can be overridden per call with a context).
const (
	EvaluateTimeout     = 10 * time.Second
	EndorseTimeout      = 30 * time.Second
	SubmitTimeout       = 30 * time.Second
	CommitStatusTimeout = time.Minute
)

// Network hands out Gateways to the running network. It keeps one gRPC connection per org peer; Close ends them.
// Safe for concurrent use.
type Network struct {
	cfg   *Config
	mu    sync.Mutex
	conns map[string]*grpc.ClientConn // by org key
}

// New returns a Network for cfg; connections are made on first use.
func New(cfg *Config) *Network {
	return &Network{cfg: cfg, conns: map[string]*grpc.ClientConn{}}
}

// Config returns the network description.
func (n *Network) Config() *Config { return n.cfg }

// Conn returns the shared TLS gRPC connection to org's peer.
func (n *Network) Conn(org string) (*grpc.ClientConn, error) {
	o, err := n.cfg.Org(org)
	if err != nil {
		return nil, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if conn, ok := n.conns[o.Key]; ok {
		return conn, nil
	}
	caPEM, err := os.ReadFile(n.cfg.TLSRootCertFile(o))
	if err != nil {
		return nil, fmt.Errorf("TLS CA of %s (is the network up?): %w", o.MSPID, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, fmt.Errorf("no certificate in %s", n.cfg.TLSRootCertFile(o))
	}
	conn, err := grpc.NewClient(o.PeerEndpoint, grpc.WithTransportCredentials(credentials.NewClientTLSFromCert(pool, "")))
	if err != nil {
		return nil, fmt.Errorf("connecting to the peer of %s at %s: %w", o.MSPID, o.PeerEndpoint, err)
	}
	n.conns[o.Key] = conn
	return conn, nil
}

// Identity loads the X.509 identity and signer of a user of org ("Admin", "User3" or a role of identities.env).
func (n *Network) Identity(org, user string) (*identity.X509Identity, identity.Sign, error) {
	o, err := n.cfg.Org(org)
	if err != nil {
		return nil, nil, err
	}
	msp, err := fabricca.ReadMSPIdentity(n.cfg.UserMSPDir(o, user))
	if err != nil {
		return nil, nil, fmt.Errorf("identity of %s in %s: %w", user, o.MSPID, err)
	}
	cert, err := identity.CertificateFromPEM(msp.CertificatePEM)
	if err != nil {
		return nil, nil, err
	}
	id, err := identity.NewX509Identity(o.MSPID, cert)
	if err != nil {
		return nil, nil, err
	}
	sign, err := identity.NewPrivateKeySign(msp.Key)
	if err != nil {
		return nil, nil, err
	}
	return id, sign, nil
}

// Gateway connects user of org ("jiangsu" or "JiangsuMSP"; "buyer", "User3" or "Admin") through the org's peer.
// Close the Gateway when done; the gRPC connection stays open for the next one. Options are applied after the
// defaults (timeouts above).
func (n *Network) Gateway(org, user string, options ...client.ConnectOption) (*client.Gateway, error) {
	id, sign, err := n.Identity(org, user)
	if err != nil {
		return nil, err
	}
	conn, err := n.Conn(org)
	if err != nil {
		return nil, err
	}
	opts := append([]client.ConnectOption{
		client.WithSign(sign),
		client.WithClientConnection(conn),
		client.WithEvaluateTimeout(EvaluateTimeout),
		client.WithEndorseTimeout(EndorseTimeout),
		client.WithSubmitTimeout(SubmitTimeout),
		client.WithCommitStatusTimeout(CommitStatusTimeout),
	}, options...)
	return client.Connect(id, opts...)
}

// Contract returns the DeltaLedger chaincode on the channel, as gw's user sees it.
func (n *Network) Contract(gw *client.Gateway) *client.Contract {
	return gw.GetNetwork(n.cfg.Channel).GetContract(n.cfg.Chaincode)
}

// Close ends the gRPC connections.
func (n *Network) Close() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	var first error
	for key, conn := range n.conns {
		if err := conn.Close(); err != nil && first == nil {
			first = err
		}
		delete(n.conns, key)
	}
	return first
}
