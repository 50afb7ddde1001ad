// Command deltaledger-wan is the wide-area link between the sites of a network of sites (scripts/lib/sites.sh runs
// it as the process proxy-wan in the bridge's namespace when `make up SITES=1 LATENCY=<d>`): it forwards each
// -link LISTEN=TARGET with every byte delayed -delay each way (package network/wan).
//
//	deltaledger-wan -delay 15ms -link 10.77.2.3:27251=10.77.2.2:27251 -link 10.77.2.3:27261=10.77.2.2:27261
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/deltaledger/deltaledger/network/wan"
)

// links collects the repeated -link flag.
type links []string

func (l *links) String() string { return strings.Join(*l, ",") }

func (l *links) Set(v string) error {
	if listen, target, ok := strings.Cut(v, "="); !ok || listen == "" || target == "" {
		return fmt.Errorf("want LISTEN=TARGET (host:port=host:port), got %q", v)
	}
	*l = append(*l, v)
	return nil
}

func main() {
	delay := flag.Duration("delay", 10*time.Millisecond, "one-way delay of every byte")
	var ls links
	flag.Var(&ls, "link", "LISTEN=TARGET: forward connections accepted on LISTEN to TARGET (repeatable)")
	flag.Parse()
	if len(ls) == 0 || *delay < 0 {
		flag.Usage()
		os.Exit(2)
	}
	var open []*wan.Link
	for _, spec := range ls {
		listen, target, _ := strings.Cut(spec, "=")
		l, err := wan.Listen(listen, target, *delay)
		if err != nil {
			log.Fatalf("link %s: %v", spec, err)
		}
		open = append(open, l)
		go func() {
			if err := l.Serve(); err != nil {
				log.Fatalf("link %s: %v", spec, err)
			}
		}()
	}
	log.Printf("%d links, %v each way", len(open), *delay)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
	for _, l := range open {
		l.Close()
	}
}
