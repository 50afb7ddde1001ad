package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func (a *app) rulesCommand() *cobra.Command {
	return group("rules", "The market rules: regions, CA certificates, regulators, notice period (a majority changes them)",
		`The deployment sets the market rules; a change needs more than half of the
orgs: each org's admin approves the exact new document (rules approve), then
one of them applies it (rules apply). "rules show -o json" prints the rules
in force, a starting point for the next version.`,
		a.rulesShowCommand(),
		a.rulesApprovalsCommand(),
		a.rulesApproveCommand(),
		a.rulesApplyCommand())
}

// rulesShowCommand is `rules show`.
func (a *app) rulesShowCommand() *cobra.Command {
	return &cobra.Command{
		Use: "show", Short: "Show the market rules in force (regions, CA certificates, regulators, notice period)", Args: exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) { return c.MarketRules().Get(ctx) }),
	}
}

// rulesApprovalsCommand is `rules approvals`.
func (a *app) rulesApprovalsCommand() *cobra.Command {
	return &cobra.Command{
		Use: "approvals", Short: "Show every org's latest approval of new rules", Args: exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			return c.MarketRules().Approvals(ctx)
		}),
	}
}

// rulesApproveCommand is `rules approve`.
func (a *app) rulesApproveCommand() *cobra.Command {
	return a.rulesFileCommand("approve", "Approve, for your org, exactly these rules (org admin)",
		"the whole new rules document (JSON), version one more than in force",
		func(ctx context.Context, c *client.Client, r model.Rules) (any, error) {
			return c.MarketRules().Approve(ctx, r, a.submitOptions()...)
		})
}

// rulesApplyCommand is `rules apply`.
func (a *app) rulesApplyCommand() *cobra.Command {
	return a.rulesFileCommand("apply", "Put in force rules a majority of the orgs approved (org admin)",
		"the rules document the orgs approved (JSON)",
		func(ctx context.Context, c *client.Client, r model.Rules) (any, error) {
			return c.MarketRules().Apply(ctx, r, a.submitOptions()...)
		})
}

// rulesFileCommand is `NAME --file RULES.json`: it reads the rules document
// of --file (fileUsage says which) and prints what submit answers for it.
// Approving and applying rules both take a whole document, read alike.
func (a *app) rulesFileCommand(name, short, fileUsage string, submit func(ctx context.Context, c *client.Client, r model.Rules) (any, error)) *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use: name + " --file RULES.json", Short: short, Args: exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			r, err := readRulesFile(file)
			if err != nil {
				return nil, err
			}
			return submit(ctx, c, r)
		}),
	}
	cmd.Flags().StringVar(&file, "file", "", fileUsage)
	required(cmd, "file")
	return cmd
}

// readRulesFile reads a rules document (JSON) as `rules show -o json` prints it. A field that market rules do not
// have is refused, naming it, rather than dropped: what the admin approves or applies is the file's whole document.
// The rules in force as shown carry their hash, time and transaction, which are not rules and are not sent.
func readRulesFile(file string) (model.Rules, error) {
	var shown model.MarketRules
	b, err := os.ReadFile(file)
	if err != nil {
		return shown.Rules, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&shown); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return shown.Rules, ledgererr.Messagef("%s is not valid JSON at byte %d", file, syntax.Offset)
		}
		if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return shown.Rules, ledgererr.Messagef("%s: %s is not a field of market rules (as 'deltaledger rules show -o json' prints them)", file, field)
		}
		return shown.Rules, ledgererr.Messagef("%s is not a rules document as 'deltaledger rules show -o json' prints it", file)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return shown.Rules, ledgererr.Messagef("%s is not a rules document as 'deltaledger rules show -o json' prints it", file)
	}
	return shown.Rules, nil
}
