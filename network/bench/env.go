package bench

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	fabricclient "github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/internal/memo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// Gateway is which REST gateway of an org a path goes through.
type Gateway string

const (
	// GatewayConfigured is the org's gateway that `make up` runs, with its
	// rate limits as configured (the defaults unless changed).
	GatewayConfigured Gateway = "configured"
	// GatewayUnlimited is the same gateway (same binary, configuration and
	// wallet) that scripts/bench.sh runs beside it with the rate limits out
	// of the way, on <ORG>_BENCH_GATEWAY_PORT.
	GatewayUnlimited Gateway = "unlimited"
)

// restTimeout bounds one HTTP request of the benchmark's clients: a submit
// answers once committed, which on a loaded machine can take seconds.
const restTimeout = 2 * time.Minute

// Env is the running network as the benchmark reaches it: fabric-gateway
// connections of the members (one gRPC connection per org's peer) and REST
// clients of the gateways, each made once and reused.
type Env struct {
	net  *fabricnet.Network
	cfg  *fabricnet.Config
	keys map[string]string // network/.state/gateways/demo-keys.env, read on first use

	mu       sync.Mutex
	gateways map[string]*fabricclient.Gateway // by "org/role"
	rest     map[string]*client.Client        // by "gateway/org/role"
}

// Open connects to the network of cfg. The REST gateways' URLs, CAs and the
// members' API keys come from the demo keys file `make up` writes, read
// when a REST client is first needed.
func Open(cfg *fabricnet.Config) *Env {
	return &Env{net: fabricnet.New(cfg), cfg: cfg,
		gateways: map[string]*fabricclient.Gateway{}, rest: map[string]*client.Client{}}
}

// Network returns the fabric-gateway side of the network.
func (e *Env) Network() *fabricnet.Network { return e.net }

// Close ends every connection.
func (e *Env) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, gw := range e.gateways {
		gw.Close()
	}
	return e.net.Close()
}

// orgs returns the org keys in network.env's order.
func (e *Env) orgs() []string {
	keys := make([]string, len(e.cfg.Orgs))
	for i, o := range e.cfg.Orgs {
		keys[i] = o.Key
	}
	return keys
}

// gateway returns the fabric-gateway connection of role in org, made once.
func (e *Env) gateway(org, role string) (*fabricclient.Gateway, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return memo.Get(e.gateways, org+"/"+role, func() (*fabricclient.Gateway, error) {
		return e.net.Gateway(org, role)
	})
}

// contract returns chaincode as role in org sees it through fabric-gateway.
func (e *Env) contract(org, role, chaincode string) (*fabricclient.Gateway, *fabricclient.Contract, error) {
	gw, err := e.gateway(org, role)
	if err != nil {
		return nil, nil, err
	}
	return gw, gw.GetNetwork(e.cfg.Channel).GetContract(chaincode), nil
}

// gatewayURL is the URL of org's REST gateway of kind g.
func (e *Env) gatewayURL(g Gateway, org string) (string, error) {
	if g == GatewayConfigured {
		return e.key(strings.ToUpper(org) + "_GW")
	}
	port := e.cfg.Values[strings.ToUpper(org)+"_BENCH_GATEWAY_PORT"]
	if port == "" {
		return "", fmt.Errorf("network.env has no %s_BENCH_GATEWAY_PORT", strings.ToUpper(org))
	}
	o, err := e.cfg.Org(org)
	if err != nil {
		return "", err
	}
	return "https://" + net.JoinHostPort(o.Host, port), nil
}

// key returns a value of the demo keys file; call with e.mu held.
func (e *Env) key(name string) (string, error) {
	if e.keys == nil {
		keys, err := e.cfg.DemoKeys()
		if err != nil {
			return "", err
		}
		e.keys = keys
	}
	v, ok := e.keys[name]
	if !ok || v == "" {
		return "", fmt.Errorf("the demo keys file has no %s", name)
	}
	return v, nil
}

// gatewayAddress returns the URL of org's REST gateway of kind g and the
// file of the CA that verifies it.
func (e *Env) gatewayAddress(g Gateway, org string) (url, caFile string, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.address(g, org)
}

// address is gatewayAddress; call with e.mu held.
func (e *Env) address(g Gateway, org string) (url, caFile string, err error) {
	if url, err = e.gatewayURL(g, org); err != nil {
		return "", "", err
	}
	caFile, err = e.key(strings.ToUpper(org) + "_CA")
	return url, caFile, err
}

// client returns the REST client of role in org through gateway g, made
// once. It never retries: a 429 or 503 is counted, not hidden.
func (e *Env) client(g Gateway, org, role string) (*client.Client, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return memo.Get(e.rest, string(g)+"/"+org+"/"+role, func() (*client.Client, error) {
		url, ca, err := e.address(g, org)
		if err != nil {
			return nil, err
		}
		apiKey, err := e.key(strings.ToUpper(org) + "_" + strings.ToUpper(role) + "_KEY")
		if err != nil {
			return nil, err
		}
		return client.New(url, client.WithAPIKey(apiKey), client.WithCAFile(ca), client.WithRetries(0, 0, 0),
			client.WithTimeout(restTimeout), client.WithUserAgent("deltaledger-bench"))
	})
}
