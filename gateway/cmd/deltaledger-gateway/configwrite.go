package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/deltaledger/deltaledger/gateway/internal/config"
)

// configHeader opens every file `config write` writes.
const configHeader = "Written by `deltaledger-gateway config write`; do not edit. Settings not written here have their\n" +
	"defaults; deltaledger-gateway serve --help lists them all."

func newConfigCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Write the gateway's configuration file",
	}
	cmd.AddCommand(newConfigWriteCommand())
	return cmd
}

func newConfigWriteCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "write",
		Short: "Write a configuration file (YAML) holding the settings given as flags; the others keep their defaults",
		Long: "write checks the settings given as flags (the same as serve's; no file and no DLGW_ variable is read) as serve\n" +
			"would, then writes them to --out, which serve --config reads back. The file is replaced only when its bytes\n" +
			"change, so writing the same settings again leaves it as it was.",
		Args: cobra.NoArgs,
	}
	cfg := config.Default()
	config.Bind(cmd.Flags(), &cfg)
	var out, comment string
	cmd.Flags().StringVar(&out, "out", "", "the file to write (required)")
	cmd.Flags().StringVar(&comment, "comment", "", "a comment line to write after the file's heading")
	_ = cmd.MarkFlagRequired("out")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
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
		return writeIfChanged(out, b, 0o644)
	}
	return cmd
}

// writeIfChanged writes b to path through a temporary file and a rename,
// so that a reader never sees half a file, and leaves the file untouched
// when it already holds b.
func writeIfChanged(path string, b []byte, mode os.FileMode) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b) {
		return nil
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
