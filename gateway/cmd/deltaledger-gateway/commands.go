package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/config"
	"github.com/deltaledger/deltaledger/gateway/internal/openapi"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/internal/service"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
)

// newRootCommand builds the command tree.
func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "deltaledger-gateway",
		Short: "REST gateway of a DeltaLedger organisation",
		Long: "deltaledger-gateway serves the DeltaLedger ledger over HTTPS and JSON to the members of one organisation,\n" +
			"signing each transaction as the calling member with the identities of its wallet.\n\n" +
			"Settings come from a YAML file (--config), then DLGW_* environment variables, then flags.",
		SilenceUsage: true,
	}
	root.AddCommand(newServeCommand(), newConfigCommand(), newAPIKeyCommand(), newOpenAPICommand(), newIndexCommand(), newIndicesCommand())
	return root
}

// configured binds every setting as a flag of cmd and returns a function
// that loads the effective configuration.
func configured(cmd *cobra.Command) func() (config.Config, error) {
	cfg := config.Default()
	var path string
	cmd.Flags().StringVarP(&path, "config", "c", os.Getenv(config.EnvPrefix+"CONFIG"), "YAML configuration file (env "+config.EnvPrefix+"CONFIG)")
	config.Bind(cmd.Flags(), &cfg)
	return func() (config.Config, error) {
		// Each call reads the file and the environment again into the defaults (serve's SIGHUP); the flags given
		// are applied again by Load.
		c := config.Default()
		err := config.Load(&c, path, cmd.Flags(), os.Environ())
		return c, err
	}
}

// runConfigured binds every setting as a flag of cmd (configured) and makes
// run its RunE, given the configuration in force: read again on each run, so
// that a command never works from settings older than its call.
func runConfigured(cmd *cobra.Command, run func(cmd *cobra.Command, args []string, cfg config.Config) error) {
	load := configured(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		cfg, err := load()
		if err != nil {
			return err
		}
		return run(cmd, args, cfg)
	}
}

func newServeCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the API until interrupted (SIGINT or SIGTERM shut it down gracefully; SIGHUP reloads tls.clientCAs)",
		Long: "serve serves the API until SIGINT or SIGTERM, which shut it down gracefully. On SIGHUP it reads its\n" +
			"configuration again (file, environment, flags) and trusts the client CAs of tls.clientCAs, and the enrolment\n" +
			"CAs of the MSP folder tls.orgMSP, from the next connection on, without a restart (a region that joined the\n" +
			"network, a renewed enrolment CA); a CA file or folder that cannot be read keeps\n" +
			"the CAs in force and the log says why. Other settings take effect on restart.",
		Args: cobra.NoArgs,
	}
	load := configured(cmd)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		// Before anything else: SIGHUP's default action ends the process.
		hup := make(chan os.Signal, 1)
		signal.Notify(hup, syscall.SIGHUP)
		defer signal.Stop(hup)
		cfg, err := load()
		if err != nil {
			return err
		}
		svc, err := service.New(cfg)
		if err != nil {
			return err
		}
		go svc.ReloadOn(cmd.Context(), hup, load)
		return svc.Serve(cmd.Context())
	}
	return cmd
}

// group is a command that only holds subcommands.
func group(use, short string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{Use: use, Short: short}
	cmd.AddCommand(subs...)
	return cmd
}

func newAPIKeyCommand() *cobra.Command {
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an API key for a wallet member, valid --valid-for (" + durationInDays(auth.DefaultKeyLifetime) + " by default), and print it once",
		Args:  cobra.NoArgs,
	}
	flags := newKeyFlags(create, "what the key is for")
	runConfigured(create, func(cmd *cobra.Command, _ []string, cfg config.Config) error {
		if err := flags.check(); err != nil {
			return err
		}
		if err := checkMember(cfg, flags.member); err != nil {
			return err
		}
		return withKeyStore(cfg, func(store *auth.KeyStore) error {
			return createKey(cmd, cfg, store, flags, "; it is shown once, store it now:")
		})
	})

	list := &cobra.Command{
		Use:   "list",
		Short: "List API keys (IDs, members, labels, scopes, dates, expiries marked EXPIRED or SOON; never the keys)",
		Long: "list shows every API key: its ID, member, label, scope (- for none), when it was created, when it expires and when it was revoked.\n" +
			"An expiry is marked EXPIRED once passed and SOON within " + durationInDays(auth.ExpiringSoon) + " of it: rotate such a key (create a\n" +
			"new one, give it to the member's application, revoke the old one).",
		Args: cobra.NoArgs,
	}
	runConfigured(list, func(cmd *cobra.Command, _ []string, cfg config.Config) error {
		return withKeyStore(cfg, func(store *auth.KeyStore) error {
			keys, err := store.List()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tMEMBER\tLABEL\tSCOPE\tCREATED\tEXPIRES\tREVOKED")
			for _, k := range keys {
				revoked := "-"
				if !k.Revoked.IsZero() {
					revoked = k.Revoked.Format(time.RFC3339)
				}
				scope := k.Scope
				if scope == "" {
					scope = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Member, k.Label, scope, k.Created.Format(time.RFC3339), expiry(store, k), revoked)
			}
			return tw.Flush()
		})
	})

	revoke := &cobra.Command{
		Use:   "revoke <id>",
		Short: "Revoke an API key; a running gateway refuses it within a second",
		Args:  cobra.ExactArgs(1),
	}
	runConfigured(revoke, func(cmd *cobra.Command, args []string, cfg config.Config) error {
		return withKeyStore(cfg, func(store *auth.KeyStore) error {
			if err := store.Revoke(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "revoked API key %s\n", args[0])
			return nil
		})
	})
	return group("apikey", "Create, list and revoke members' API keys, which expire (only their SHA-256 is stored)",
		create, newAPIKeyEnsureCommand(), list, revoke)
}

// withKeyStore runs run on the API key store of cfg (apikeys), the one
// place the apikey commands open it; a command opens it only once what it
// checks or reads first has passed.
func withKeyStore(cfg config.Config, run func(store *auth.KeyStore) error) error {
	store, err := auth.OpenKeyStore(cfg.APIKeys)
	if err != nil {
		return err
	}
	return run(store)
}

// keyFlags are the flags of a command that creates keys: what the new key is.
type keyFlags struct {
	// member is the wallet member the key authenticates as (--member, required).
	member string
	// label says what it is for (--label).
	label string
	// validFor is its lifetime (--valid-for).
	validFor time.Duration
	// scope narrows what it may call (--scope; "" for everything its member may).
	scope string
}

// newKeyFlags binds the required --member, --label (labelUsage) and --valid-for, whose default is
// auth.DefaultKeyLifetime.
func newKeyFlags(cmd *cobra.Command, labelUsage string) *keyFlags {
	f := &keyFlags{}
	cmd.Flags().StringVar(&f.member, "member", "", "wallet member the key authenticates as (required)")
	cmd.Flags().StringVar(&f.label, "label", "", labelUsage)
	cmd.Flags().DurationVar(&f.validFor, "valid-for", auth.DefaultKeyLifetime, fmt.Sprintf(
		"lifetime of a new key, in Go's duration syntax (720h is 30 days; default %s), at most %s (%s)",
		durationInDays(auth.DefaultKeyLifetime), auth.MaxKeyLifetime, durationInDays(auth.MaxKeyLifetime)))
	cmd.Flags().StringVar(&f.scope, "scope", "", fmt.Sprintf(
		"what the key may call: %q reads the gateway's metrics (GET /metrics) and nothing else, for a monitoring system "+
			"(Prometheus), whose configuration then holds no member's full credential; default: everything its member may",
		auth.ScopeMetrics))
	_ = cmd.MarkFlagRequired("member")
	return f
}

// check refuses a --valid-for no key may have, naming the flag, before anything is read or written.
func (f *keyFlags) check() error {
	if err := auth.CheckLifetime(f.validFor); err != nil {
		return fmt.Errorf("--valid-for: %w", err)
	}
	if err := auth.CheckScope(f.scope); err != nil {
		return fmt.Errorf("--scope: %w", err)
	}
	return nil
}

// durationInDays writes d, a whole number of days, as "N days".
func durationInDays(d time.Duration) string {
	return fmt.Sprintf("%d days", d/(24*time.Hour))
}

// expiry shows when k expires, marked EXPIRED once it has by the store's clock, or SOON when it will within
// auth.ExpiringSoon.
func expiry(store *auth.KeyStore, k *auth.APIKey) string {
	at := k.ExpiresAt().Format(time.RFC3339)
	switch {
	case !k.Revoked.IsZero():
		return at
	case store.Expired(k):
		return at + " EXPIRED"
	case store.ExpiresSoon(k):
		return at + " SOON"
	}
	return at
}

// createKey creates the API key of flags in store and prints it on
// standard output, the only place it ever shows; standard error says which
// key it is and when it expires, followed by note.
func createKey(cmd *cobra.Command, cfg config.Config, store *auth.KeyStore, flags *keyFlags, note string) error {
	key, rec, err := store.CreateScoped(flags.member, flags.label, flags.scope, flags.validFor)
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "created API key %s for %s in %s, expiring at %s%s\n", rec.ID, flags.member, cfg.APIKeys,
		rec.ExpiresAt().Format(time.RFC3339), note)
	fmt.Fprintln(cmd.OutOrStdout(), key)
	return nil
}

// checkMember checks that the configured wallet, if any, has member.
func checkMember(cfg config.Config, member string) error {
	if cfg.Wallet == "" {
		return nil
	}
	w, err := wallet.Load(cfg.Wallet, cfg.MSPID)
	if err != nil {
		return err
	}
	if _, ok := w.Member(member); !ok {
		return fmt.Errorf("the wallet %s has no member %q (members: %v)", cfg.Wallet, member, w.Names())
	}
	return nil
}

func newOpenAPICommand() *cobra.Command {
	return &cobra.Command{
		Use:   "openapi",
		Short: "Print the API's OpenAPI 3.1 document (the one served at /v1/openapi.json)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b, err := openapi.JSON(routes.Table())
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), string(b))
			return err
		},
	}
}

func newIndexCommand() *cobra.Command {
	rebuild := &cobra.Command{
		Use:   "rebuild",
		Short: "Empty the ledger index and read the channel again from block 0, up to its height now",
		Long: "rebuild empties the configured ledger index (SQLite file or PostgreSQL) and projects the channel's blocks again from block 0\n" +
			"up to the channel's height when it starts, as peer.reader; it gives the same rows as the incremental feed.\n" +
			"A gateway running on the same index keeps working: its feed moves only from the checkpoint it read, so each block\n" +
			"is written once. It prints the blocks and rows it wrote and how fast.",
		Args: cobra.NoArgs,
	}
	runConfigured(rebuild, func(cmd *cobra.Command, _ []string, cfg config.Config) error {
		l, err := service.DialPeer(cfg)
		if err != nil {
			return err
		}
		defer l.Close()
		x, err := service.OpenIndex(cfg)
		if err != nil {
			return err
		}
		defer x.Close()
		blocks, rows, took, err := x.Rebuild(cmd.Context(), l)
		if err != nil {
			return err
		}
		secs := max(took.Seconds(), 1e-9)
		fmt.Fprintf(cmd.OutOrStdout(), "rebuilt the ledger index in %s: %d blocks, %d rows in %s (%.0f blocks/s, %.0f rows/s)\n",
			x.Where(), blocks, rows, took.Round(time.Millisecond), float64(blocks)/secs, float64(rows)/secs)
		return nil
	})
	return group("index", "Manage the ledger index (the projection of the channel's blocks the market operations are answered from)",
		rebuild)
}
