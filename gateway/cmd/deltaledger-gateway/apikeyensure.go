package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/config"
)

func newAPIKeyEnsureCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ensure",
		Short: "Print a valid API key of a wallet member: the one read on standard input if it still is, else a new one",
		Long: "ensure reads a key from standard input (one line; empty for none). If it is a key of --member (and --scope) in the key file,\n" +
			"not revoked and not expiring within " + durationInDays(auth.ExpiringSoon) + ", it prints it again; otherwise it creates a key for --member,\n" +
			"as create does (--valid-for), and prints that. The key travels on standard input so that it never shows in a\n" +
			"process list.",
		Args: cobra.NoArgs,
	}
	flags := newKeyFlags(cmd, "what a new key is for")
	runConfigured(cmd, func(cmd *cobra.Command, _ []string, cfg config.Config) error {
		if err := flags.check(); err != nil {
			return err
		}
		line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("reading the key on standard input: %w", err)
		}
		old := strings.TrimSpace(line)
		return withKeyStore(cfg, func(store *auth.KeyStore) error {
			// A key about to expire is replaced, not kept: a run of `make up` must not hand out demo keys that
			// stop working in the middle of what follows it.
			if rec, ok := store.Verify(old); ok && rec.Member == flags.member && rec.Scope == flags.scope && !store.ExpiresSoon(rec) {
				fmt.Fprintln(cmd.OutOrStdout(), old)
				return nil
			}
			if err := checkMember(cfg, flags.member); err != nil {
				return err
			}
			return createKey(cmd, cfg, store, flags, "")
		})
	})
	return cmd
}
