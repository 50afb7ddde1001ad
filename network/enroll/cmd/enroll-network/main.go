// Command enroll-network registers and enrolls, from the regions' running Fabric CAs, every identity of the local
// network that network/.state lacks (package enroll). scripts/up.sh runs it after starting the CAs:
//
//	go run ./network/enroll/cmd/enroll-network               # every org of network.env
//	go run ./network/enroll/cmd/enroll-network -orgs jiangsu # some
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/network/enroll"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

func main() {
	orgs := flag.String("orgs", "", "comma-separated org keys (default: every org of network.env)")
	timeout := flag.Duration("timeout", 5*time.Minute, "give up after this long")
	flag.Parse()
	if err := run(*orgs, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "enroll-network:", err)
		os.Exit(1)
	}
}

func run(selection string, timeout time.Duration) error {
	cfg, err := fabricnet.LoadConfig("")
	if err != nil {
		return err
	}
	orgs := cfg.Orgs
	if selection != "" {
		orgs = nil
		for _, key := range strings.Split(selection, ",") {
			o, err := cfg.Org(key)
			if err != nil {
				return err
			}
			orgs = append(orgs, o)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, o := range orgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			issued, err := issue(ctx, cfg, o)
			mu.Lock()
			defer mu.Unlock()
			if len(issued) > 0 {
				fmt.Printf("enrolled %d certificates of %s from its CAs\n", len(issued), o.MSPID)
			}
			errs = append(errs, err)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func issue(ctx context.Context, cfg *fabricnet.Config, o fabricnet.Org) ([]string, error) {
	is, err := enroll.NewIssuer(cfg, o)
	if err != nil {
		return nil, err
	}
	return is.IssueAll(ctx)
}
