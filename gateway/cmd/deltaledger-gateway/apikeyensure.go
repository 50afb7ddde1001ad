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
		Long: "ensure reads a key from standard input (one line; empty for none). If it is a key of --member in the key file\n" +
			"and not revoked, it prints it again; otherwise it creates a key for --member, as create does, and prints that.\n" +
			"The key travels on standard input so that it never shows in a process list.",
		Args: cobra.NoArgs,
	}
	member, label := keyMemberFlags(cmd, "what a new key is for")
	runConfigured(cmd, func(cmd *cobra.Command, _ []string, cfg config.Config) error {
		line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("reading the key on standard input: %w", err)
		}
		old := strings.TrimSpace(line)
		return withKeyStore(cfg, func(store *auth.KeyStore) error {
			if rec, ok := store.Verify(old); ok && rec.Member == *member {
				fmt.Fprintln(cmd.OutOrStdout(), old)
				return nil
			}
			if err := checkMember(cfg, *member); err != nil {
				return err
			}
			return createKey(cmd, cfg, store, *member, *label, "")
		})
	})
	return cmd
}
