// Command market-rules sets or checks the market rules of the local network
// after the chaincode is deployed (scripts/up.sh and scripts/deploy.sh run
// it): see package network/marketrules. Without the network, -region checks
// the key of a region about to join (marketrules.CheckRegionKey) and
// -joining the -divisions it would hold (marketrules.CheckJoining), for
// scripts/add-region.sh.
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
	region := flag.String("region", "", "check the key of a region about to join, and stop")
	joining := flag.String("joining", "", "check the divisions of the region about to join, of this key, and stop")
	divisions := flag.String("divisions", "", "the division prefixes of the region about to join, space-separated")
	flag.Parse()
	checkRegion := false // -region "" is a key to refuse, not no key
	flag.Visit(func(f *flag.Flag) { checkRegion = checkRegion || f.Name == "region" })
	if checkRegion {
		return marketrules.CheckRegionKey(*region)
	}
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
