// Command chaos runs DeltaLedger's fault test (package chaos) against the
// running network (`make up` first; `make chaos` does both) and writes its
// report under chaos-results/. It exits 1 when the checker found a problem.
//
//	go run ./network/chaos/cmd/chaos -duration 5m -seed 1
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/deltaledger/deltaledger/network/chaos"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

func main() {
	opts := chaos.DefaultOptions()
	flag.DurationVar(&opts.Duration, "duration", opts.Duration, "how long the clients submit (the faults are spread over it)")
	flag.Uint64Var(&opts.Seed, "seed", opts.Seed, "seed of the fault schedule (order, targets, lengths)")
	flag.IntVar(&opts.WorkersPerRegion, "workers", opts.WorkersPerRegion, "clients per region, each with one submit in flight")
	flag.DurationVar(&opts.Hold, "hold", opts.Hold, "how long a fault lasts before it is healed (on average)")
	flag.DurationVar(&opts.RecoveryBound, "recovery-bound", opts.RecoveryBound, "service must resume within this time after each heal")
	flag.StringVar(&opts.ResultsDir, "results", opts.ResultsDir, "directory of the reports")
	flag.Parse()
	opts.Log = os.Stderr

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := fabricnet.LoadConfig("")
	if err != nil {
		fmt.Fprintln(os.Stderr, "chaos:", err)
		os.Exit(2)
	}
	rep, err := chaos.Run(ctx, cfg, opts)
	if rep != nil {
		fmt.Print(rep.Summary())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "chaos:", err)
		os.Exit(2)
	}
	if !rep.Valid {
		os.Exit(1)
	}
}
