// Command deltaledger-cc-config writes the configuration files of the
// chaincode's deployment from the code that defines them, so that no script
// restates a rule of the chaincode or writes JSON by hand:
//
//	deltaledger-cc-config collections -out FILE MSPID...
//
// writes the private data collection configuration of the chaincode
// definition (the peer CLI's --collections-config file) for a channel of the
// orgs with those MSP IDs: the terms collection of every pair of orgs, as
// trades.TermsCollections defines it.
//
//	deltaledger-cc-config ccaas -dir DIR -label LABEL -address HOST:PORT -root-cert PEM -client-cert PEM -client-key PEM
//
// writes DIR/metadata.json and DIR/src/connection.json of one peer's
// chaincode-as-a-service package. A file is replaced only when its bytes
// change.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/deltaledger/deltaledger/internal/atomicfile"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "deltaledger-cc-config:", err)
		os.Exit(2)
	}
}

const usage = "usage: deltaledger-cc-config collections -out FILE MSPID... | " +
	"ccaas -dir DIR -label LABEL -address HOST:PORT -root-cert PEM -client-cert PEM -client-key PEM"

// run runs one subcommand with its arguments.
func run(args []string, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "collections":
		return runCollections(args[1:], stderr)
	case "ccaas":
		return runCCaaS(args[1:], stderr)
	default:
		return fmt.Errorf("unknown subcommand %q; %s", args[0], usage)
	}
}

// runCollections writes the collection configuration.
func runCollections(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("collections", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "the file to write (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("collections: -out is required; %s", usage)
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("collections: name the channel's orgs by MSP ID; %s", usage)
	}
	b, err := collectionsConfig(fs.Args())
	if err != nil {
		return fmt.Errorf("collections: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return err
	}
	_, err = atomicfile.WriteIfChanged(*out, b, 0o644)
	return err
}
