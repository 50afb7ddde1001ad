// Command market-rules sets or checks the market rules of the local network
// after the chaincode is deployed (scripts/up.sh and scripts/deploy.sh run
// it): see package network/marketrules.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/deltaledger/deltaledger/network/fabricnet"
	"github.com/deltaledger/deltaledger/network/marketrules"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "market-rules:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := fabricnet.LoadConfig("")
	if err != nil {
		return err
	}
	net := fabricnet.New(cfg)
	defer net.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	return marketrules.Ensure(ctx, net, os.Stdout)
}
