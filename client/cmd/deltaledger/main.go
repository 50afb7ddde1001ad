// Command deltaledger is the command-line client of DeltaLedger's REST
// gateway: register data assets (their SHA-256 is computed locally, the data
// never leaves the machine), list and buy rights, publish and look up credit
// records, follow the event stream, as one member of one region.
//
//	deltaledger --org anhui --role buyer listings browse --category transport -o table
//	DELTALEDGER_API_KEY="$KEY" deltaledger --gateway https://127.0.0.1:27180 --cacert ca.pem whoami
//
// Run `deltaledger --help` for every command and flag.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
