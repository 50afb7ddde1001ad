package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func (a *app) eventsCommand() *cobra.Command {
	var (
		from       string
		startBlock uint64
		follow     bool
		idle       time.Duration
		count      int
	)
	cmd := &cobra.Command{
		Use:   "events [--start-block N | --from EVENT_ID] [--follow] [--count N]",
		Short: "Print the ledger's events (those you may see), one per line",
		Long: `Print the chaincode events you may see (the regulator sees every event; other
members see the market's), one JSON object per line (-o json) or one line of
text each (-o table). Each event's "id" resumes the stream just after it
(--from). Without --follow the command stops once no event came for --idle
(so --start-block N prints the events from block N on, up to now); with
--follow it keeps streaming, reconnecting by itself, until interrupted or
--count events were printed.`,
		Example: `  deltaledger --org shanghai --role regulator events --start-block 1 -o table
  deltaledger --org jiangsu --role buyer events --follow`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.connect()
			if err != nil {
				return err
			}
			ctx, cancel := context.WithCancel(ctxOf(cmd))
			defer cancel()
			var opts []client.EventsOption
			if from != "" {
				opts = append(opts, client.EventsFrom(from))
			}
			if cmd.Flags().Changed("start-block") {
				opts = append(opts, client.EventsFromBlock(startBlock))
			}
			if follow {
				opts = append(opts, client.EventsMaxReconnects(-1), client.EventsOnReconnect(func(last string, err error) {
					a.say(notePrefix, ledgererr.Messagef("the event stream broke (%v): reconnecting after event %s", err, last))
				}))
			}
			var quiet *time.Timer
			if !follow {
				quiet = time.AfterFunc(idle, cancel)
				defer quiet.Stop()
			}
			n := 0
			for ev, err := range c.Events(ctx, opts...) {
				if err != nil {
					return err
				}
				if quiet != nil {
					quiet.Reset(idle)
				}
				if err := a.printEvent(ev); err != nil {
					return err
				}
				if n++; count > 0 && n >= count {
					return nil
				}
			}
			if err := ctxOf(cmd).Err(); err != nil && !errors.Is(err, context.Canceled) {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "resume just after this event ID (an event's id)")
	cmd.Flags().Uint64Var(&startBlock, "start-block", 0, "start at this block (default: the next block)")
	cmd.Flags().BoolVar(&follow, "follow", false, "keep streaming until interrupted")
	cmd.Flags().DurationVar(&idle, "idle", 3*time.Second, "without --follow: stop once no event came for this long")
	cmd.Flags().IntVar(&count, "count", 0, "stop after this many events (0: no limit)")
	return cmd
}

// printEvent prints one event on one line.
func (a *app) printEvent(ev client.Event) error {
	if a.output == outputJSON {
		b, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(a.stdout, "%s\n", b)
		return err
	}
	_, err := fmt.Fprintf(a.stdout, "%-8d %-26s %.16s  %s\n", ev.BlockNumber, ev.Name, ev.TransactionID, ev.Payload)
	return err
}

func (a *app) txCommand() *cobra.Command {
	return group("tx", "Transactions: the commit status of a submit made with --no-wait", "",
		readCommand(a, "status", "TXID", "Show a transaction's commit status (the gateway waits a few seconds for the commit)", (*client.Client).Transactions, (*client.TransactionService).Status),
		a.txWaitCommand())
}

// txWaitCommand is `tx wait`.
func (a *app) txWaitCommand() *cobra.Command {
	return a.argCommand("wait", "TXID", "Wait until a transaction is committed (after --no-wait) and show its status", func(ctx context.Context, c *client.Client, txid string) (any, error) {
		st, err := c.Transactions().Wait(ctx, txid)
		if err != nil {
			return nil, err
		}
		if !st.Valid {
			if err := a.printValue(st); err != nil {
				return nil, err
			}
			return nil, ledgererr.CommittedInvalid(st.TransactionID, st.BlockNumber, st.Code)
		}
		return st, nil
	})
}

func (a *app) gatewayCommand() *cobra.Command {
	return group("gateway", "The gateway itself: health and its API document", "", a.gatewayHealthCommand(),
		a.gatewayOpenapiCommand())
}

// gatewayHealthCommand is `gateway health`.
func (a *app) gatewayHealthCommand() *cobra.Command {
	health := &cobra.Command{
		Use: "health", Short: "Check that the gateway serves and its peer answers (readyz)", Args: exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			if err := c.Health(ctx); err != nil {
				return nil, err
			}
			if err := c.Ready(ctx); err != nil {
				return nil, err
			}
			return map[string]string{"gateway": c.BaseURL(), "status": "ready"}, nil
		}),
	}
	return health
}

// gatewayOpenapiCommand is `gateway openapi`.
func (a *app) gatewayOpenapiCommand() *cobra.Command {
	openapi := &cobra.Command{
		Use: "openapi", Short: "Print the gateway's OpenAPI 3.1 document", Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.connect()
			if err != nil {
				return err
			}
			doc, err := c.OpenAPI(ctxOf(cmd))
			if err != nil {
				return err
			}
			return writeJSON(a.stdout, doc)
		},
	}
	return openapi
}
