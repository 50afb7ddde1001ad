// Command seed-demo brings the demo market onto the running network: the
// demo participants of every region, registered assets with listings, a
// completed trade and a credit record with a traced lookup. scripts/up.sh
// runs it; it skips what an earlier run created.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/deltaledger/deltaledger/network/demo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cfg, err := fabricnet.LoadConfig("")
	if err != nil {
		fmt.Fprintln(os.Stderr, "seed-demo:", err)
		os.Exit(1)
	}
	net := fabricnet.New(cfg)
	defer net.Close()
	if err := demo.Seed(ctx, net, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "seed-demo:", err)
		os.Exit(1)
	}
}
