package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/deltaledger/deltaledger/gateway/internal/config"
	"github.com/deltaledger/deltaledger/internal/atomicfile"
)

// configHeader opens every file `config write` writes.
const configHeader = "Written by `deltaledger-gateway config write`; do not edit. Settings not written here have their\n" +
	"defaults; deltaledger-gateway serve --help lists them all."

func newConfigCommand() *cobra.Command {
	return group("config", "Write the gateway's configuration file, or digest the configuration in force",
		newConfigWriteCommand(), newConfigDigestCommand())
}

func newConfigWriteCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "write",
		Short: "Write a configuration file (YAML) holding the settings given as flags; the others keep their defaults",
		Long: "write checks the settings given as flags (the same as serve's; no file and no DLGW_ variable is read) as serve\n" +
			"would, then writes them to --out (mode 600), which serve --config reads back. A DSN's password is refused as a\n" +
			"flag (the process list shows it): serve takes it from DLGW_INDEX_DSN, PGPASSWORD or ~/.pgpass.\n" +
			"The file is replaced only when its bytes change, so writing the same settings again leaves it as it was.",
		Args: cobra.NoArgs,
	}
	cfg := config.Default()
	config.Bind(cmd.Flags(), &cfg)
	var out, comment string
	cmd.Flags().StringVar(&out, "out", "", "the file to write (required)")
	cmd.Flags().StringVar(&comment, "comment", "", "a comment line to write after the file's heading")
	_ = cmd.MarkFlagRequired("out")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if err := config.CheckNoSecretFlags(cmd.Flags()); err != nil {
			return err
		}
		if err := cfg.Validate(); err != nil {
			return err
		}
		var given []string
		cmd.Flags().Visit(func(f *pflag.Flag) {
			if f.Name != "out" && f.Name != "comment" {
				given = append(given, f.Name)
			}
		})
		heading := configHeader
		if comment != "" {
			heading += "\n" + comment
		}
		b, err := config.YAML(&cfg, given, heading)
		if err != nil {
			return err
		}
		// The file is the gateway's configuration: its owner, the gateway's, alone reads it, as serve asks of a file
		// that holds a secret (a password added to index.dsn by hand).
		_, err = atomicfile.WriteIfChanged(out, b, 0o600)
		return err
	}
	return cmd
}

func newConfigDigestCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "digest",
		Short: "Print two digests of the configuration as serve would read it: of all of it, and of what a restart takes",
		Long: "digest reads the configuration as serve does (the file, then DLGW_ variables, then flags) and prints two\n" +
			"SHA-256 digests on one line: of every setting, and of the settings that take effect only when the gateway\n" +
			"restarts (all but tls.clientCAs and tls.orgMSP, which serve reads again on SIGHUP). A script that starts the gateway keeps\n" +
			"them: when the second changed, the gateway must restart; when only the first did, SIGHUP will do. Neither\n" +
			"holds index.dsn's password (a printed digest would let one test guesses of it): a change of it alone changes\n" +
			"neither, and the gateway takes it when restarted.",
		Args: cobra.NoArgs,
	}
	runConfigured(cmd, func(cmd *cobra.Command, _ []string, cfg config.Config) error {
		_, err := fmt.Fprintln(cmd.OutOrStdout(), cfg.Digest(), cfg.RestartSettings().Digest())
		return err
	})
	return cmd
}
