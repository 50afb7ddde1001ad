// Command bench measures the ledger on the running network and compares
// every path side by side (package bench): it prints a table and writes the
// figures to bench-results/latest.json, earlier runs kept beside it by date.
// scripts/bench.sh (`make bench`) runs it after deploying the probe
// chaincode and starting the gateways without rate limits.
//
//	bench [-n 1000] [-reads 3000] [-c 50] [-rounds 3] [-paths rest,direct] [-check]
//	bench -growth 1000,10000,100000      registration and reads at each ledger size
//	bench -load 100000                   only fill the ledger
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/deltaledger/deltaledger/network/bench"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	var s bench.Settings
	flag.IntVar(&s.Writes, "n", 1000, "operations of each path that writes (registrations, trades)")
	flag.IntVar(&s.Reads, "reads", 0, "operations of each read path (default 3 x -n)")
	flag.IntVar(&s.InFlight, "c", 50, "operations in flight at once")
	flag.IntVar(&s.Rounds, "rounds", 3, "rounds; each runs every path once, in a rotated order")
	flag.IntVar(&s.Warmup, "warmup", -1, "operations of each path before the first round, not counted (default -c)")
	flag.DurationVar(&s.OpTimeout, "op-timeout", 2*time.Minute, "bound of one operation")
	only := flag.String("paths", "", "comma-separated paths to run (default all)")
	results := flag.String("results", "", "directory of the results (default bench-results at the repository root)")
	check := flag.Bool("check", false, "exit 1 unless every path succeeded at least once, with no read conflict and no answer that a block contradicts")
	growth := flag.String("growth", "", "comma-separated ledger sizes: measure registration and reads at each (loading assets first)")
	load := flag.Int("load", 0, "only fill the ledger up to this many loader assets")
	loadInFlight := flag.Int("load-c", 100, "registrations in flight while loading")
	flag.Parse()
	if s.Reads == 0 {
		s.Reads = 3 * s.Writes
	}
	if s.Warmup < 0 {
		s.Warmup = s.InFlight
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := fabricnet.LoadConfig("")
	if err != nil {
		return err
	}
	env := bench.Open(cfg)
	defer env.Close()
	if *results == "" {
		*results = filepath.Join(cfg.Root, "bench-results")
	}

	var res *bench.Results
	switch {
	case *load > 0:
		took, err := env.Load(ctx, *load, *loadInFlight, os.Stdout)
		if err != nil {
			return err
		}
		fmt.Printf("the ledger holds the loader's %d assets (this load took %s)\n", *load, took.Round(time.Second))
		return nil
	case *growth != "":
		sizes, err := parseSizes(*growth)
		if err != nil {
			return err
		}
		// Each stage's table and results as soon as it is measured: loading
		// 100,000 assets takes most of an hour on a loaded machine.
		stageDone := func(res *bench.Results, stage *bench.GrowthStage) error {
			fmt.Printf("\n%d assets:\n", stage.Assets)
			bench.PrintTable(os.Stdout, stage.Paths, nil, nil)
			latest, err := res.Write(*results)
			if err == nil {
				fmt.Printf("results so far: %s (load average %.1f)\n\n", latest, res.Machine.LoadAverageEnd[0])
			}
			return err
		}
		if res, err = env.Growth(ctx, sizes, s, *loadInFlight, os.Stdout, stageDone); err != nil {
			return err
		}
	default:
		var names []string
		if *only != "" {
			names = strings.Split(*only, ",")
		}
		if res, err = env.Run(ctx, s, names, os.Stdout); err != nil {
			return err
		}
		fmt.Println()
		bench.PrintTable(os.Stdout, res.Paths, res.Ratios, res.RatioRounds)
	}
	fmt.Printf("\n%d cores, load average %.1f at the start, %.1f at the end; MVCC conflicts: %d\n",
		res.Machine.Cores, res.Machine.LoadAverageStart[0], res.Machine.LoadAverageEnd[0], res.MVCCConflicts)
	latest, err := res.Write(*results)
	if err != nil {
		return err
	}
	fmt.Println("results:", latest)
	if *check {
		return bench.Check(res)
	}
	return nil
}

func parseSizes(s string) ([]int, error) {
	var sizes []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, errors.New("-growth takes comma-separated positive ledger sizes, e.g. 1000,10000,100000")
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}
