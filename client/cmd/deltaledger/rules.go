package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"

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

// readRulesFile reads a rules document (JSON) as `rules show -o json` prints it.
func readRulesFile(file string) (model.Rules, error) {
	var r model.Rules
	b, err := os.ReadFile(file)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(b, &r); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return r, ledgererr.Messagef("%s is not valid JSON at byte %d", file, syntax.Offset)
		}
		return r, ledgererr.Messagef("%s is not a rules document as 'deltaledger rules show -o json' prints it", file)
	}
	return r, nil
}
