// Command market-rules sets or checks the market rules of the local network
// after the chaincode is deployed (scripts/up.sh and scripts/deploy.sh run
// it): see package network/marketrules. With -joining it checks, without
// the network, the -divisions a region about to join would hold
// (scripts/add-region.sh; marketrules.CheckJoining).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
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
	joining := flag.String("joining", "", "check the divisions of the region about to join, of this key, and stop")
	divisions := flag.String("divisions", "", "the division prefixes of the region about to join, space-separated")
	flag.Parse()
	cfg, err := fabricnet.LoadConfig("")
	if err != nil {
		return err
	}
	if *joining != "" {
		return marketrules.CheckJoining(cfg, *joining, strings.Fields(*divisions))
	}
	net := fabricnet.New(cfg)
	defer net.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	return marketrules.Ensure(ctx, net, os.Stdout)
}
