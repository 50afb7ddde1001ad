// Command bench measures the ledger on the running network (`make up` first)
// and prints the figures: registrations of different assets with many in
// flight (every one must commit VALID: the chaincode has no hot keys) and
// reads of one asset.
//
//	go run ./network/bench/cmd/bench -n 1000 -c 50
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/deltaledger/deltaledger/network/bench"
	"github.com/deltaledger/deltaledger/network/demo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

func main() {
	n := flag.Int("n", 1000, "transactions per run")
	inFlight := flag.Int("c", 50, "transactions in flight at once")
	flag.Parse()
	if err := run(*n, *inFlight); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(n, inFlight int) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	cfg, err := fabricnet.LoadConfig("")
	if err != nil {
		return err
	}
	net := fabricnet.New(cfg)
	defer net.Close()
	if err := demo.RegisterParticipants(ctx, net, discard{}); err != nil {
		return err
	}
	holder, err := demo.Connect(net, "shanghai", "holder")
	if err != nil {
		return err
	}
	defer holder.Close()

	prefix := fmt.Sprintf("bench%d", time.Now().Unix())
	apply := bench.Run(ctx, "assets:Apply (different assets)", holder, n, inFlight, bench.ApplyCall(prefix))
	apply.Print(os.Stdout)

	reads := bench.RunEvaluate(ctx, "assets:Get (evaluate)", holder, n, inFlight, func(i int) (string, []string) {
		return "assets:Get", []string{fmt.Sprintf("%s-%d", prefix, i%n)}
	})
	reads.Print(os.Stdout)
	if conflicts := apply.Codes["MVCC_READ_CONFLICT"] + apply.Codes["PHANTOM_READ_CONFLICT"]; conflicts > 0 {
		return fmt.Errorf("%d registrations hit read conflicts", conflicts)
	}
	return nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
