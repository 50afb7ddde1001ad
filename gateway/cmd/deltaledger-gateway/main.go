// Command deltaledger-gateway is the REST gateway each DeltaLedger
// organisation runs next to its peer. Exchanges, buyers, data holders, credit
// agencies and the regulator use the ledger through it over HTTPS and JSON;
// it signs each transaction as the calling member.
//
//	deltaledger-gateway serve --config gateway.yaml
//	deltaledger-gateway config write --out gateway.yaml --msp-id ShanghaiMSP ...
//	deltaledger-gateway apikey create --member User2@shanghai.deltaledger.local --label "holder app"
//	deltaledger-gateway apikey ensure --member User2@shanghai.deltaledger.local < old-key
//	deltaledger-gateway apikey list
//	deltaledger-gateway apikey revoke <id>
//	deltaledger-gateway openapi > openapi.json
//
// Run any command with --help for its flags; every setting can also be given
// in the YAML file or as a DLGW_ environment variable.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := newRootCommand()
	if err := cmd.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}
