// Package ccaas runs a chaincode the way the local network deploys it: as a
// chaincode service (CCaaS) when CHAINCODE_SERVER_ADDRESS is set, else in the
// classic mode where the peer launches it. The environment it reads:
//
//	CHAINCODE_SERVER_ADDRESS     host:port the service listens on (CCaaS mode)
//	CHAINCODE_ID                 the package ID the peer knows it by (CCaaS mode)
//	CHAINCODE_TLS_DISABLED       "true" to serve without TLS (default TLS on)
//	CHAINCODE_TLS_CERT           PEM file of the server certificate
//	CHAINCODE_TLS_KEY            PEM file of the server key
//	CHAINCODE_TLS_CLIENT_CACERT  PEM file of the certificates peers' client
//	                             certificates must chain to (the network's
//	                             scripts give the peer's pinned, self-signed
//	                             client certificate); when set, peers must
//	                             present one
//	DLCC_PPROF_LISTEN            loopback host:port serving Go's runtime profiles
//	                             (net/http/pprof) in either mode; empty: off
//
// The market chaincode (chaincode/) and the benchmark's probe chaincode
// (network/bench/probe) share it, so that both are deployed alike.
package ccaas

import (
	"fmt"
	"log"
	"os"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"

	"github.com/deltaledger/deltaledger/internal/profiling"
)

// ProfilesEnv names the variable that turns the profile listener on, the
// chaincode's counterpart of the gateway's debug.pprofListen.
const ProfilesEnv = "DLCC_PPROF_LISTEN"

// StartProfiles serves the runtime profiles on the loopback address
// ProfilesEnv names, so that the chaincode can be profiled under `make bench`;
// with the variable unset it does nothing and returns an empty address. The
// listener is outside every transaction: it cannot change what the chaincode
// computes.
func StartProfiles() (addr string, stop func() error, err error) {
	want := os.Getenv(ProfilesEnv)
	if want == "" {
		return "", func() error { return nil }, nil
	}
	addr, stop, err = profiling.Serve(want)
	if err != nil {
		return "", nil, fmt.Errorf("%s %w", ProfilesEnv, err)
	}
	log.Printf("serving runtime profiles on %s (%s); unset it when done", addr, ProfilesEnv)
	return addr, stop, nil
}

// Run serves cc until the process ends, in the mode the environment selects.
func Run(cc shim.Chaincode) error {
	_, stopProfiles, err := StartProfiles()
	if err != nil {
		return err
	}
	defer stopProfiles()
	address := os.Getenv("CHAINCODE_SERVER_ADDRESS")
	if address == "" {
		if err := shim.Start(cc); err != nil {
			return fmt.Errorf("starting chaincode launched by the peer: %w", err)
		}
		return nil
	}
	tls, err := tlsProperties()
	if err != nil {
		return err
	}
	server := &shim.ChaincodeServer{
		CCID:     os.Getenv("CHAINCODE_ID"),
		Address:  address,
		CC:       cc,
		TLSProps: tls,
	}
	if server.CCID == "" {
		return fmt.Errorf("CHAINCODE_ID must be set with CHAINCODE_SERVER_ADDRESS")
	}
	log.Printf("chaincode service %s listening on %s (TLS %t)", server.CCID, address, !tls.Disabled)
	if err := server.Start(); err != nil {
		return fmt.Errorf("serving chaincode: %w", err)
	}
	return nil
}

// tlsProperties reads the service's TLS material from the files the
// environment names.
func tlsProperties() (shim.TLSProperties, error) {
	if os.Getenv("CHAINCODE_TLS_DISABLED") == "true" {
		return shim.TLSProperties{Disabled: true}, nil
	}
	var props shim.TLSProperties
	var err error
	if props.Cert, err = readEnvFile("CHAINCODE_TLS_CERT", true); err != nil {
		return props, err
	}
	if props.Key, err = readEnvFile("CHAINCODE_TLS_KEY", true); err != nil {
		return props, err
	}
	if props.ClientCACerts, err = readEnvFile("CHAINCODE_TLS_CLIENT_CACERT", false); err != nil {
		return props, err
	}
	return props, nil
}

func readEnvFile(name string, required bool) ([]byte, error) {
	path := os.Getenv(name)
	if path == "" {
		if required {
			return nil, fmt.Errorf("%s must name a PEM file (or set CHAINCODE_TLS_DISABLED=true)", name)
		}
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return b, nil
}
