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
	var file string
	approve := &cobra.Command{
		Use: "approve --file RULES.json", Short: "Approve, for your org, exactly these rules (org admin)", Args: exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			r, err := readRulesFile(file)
			if err != nil {
				return nil, err
			}
			return c.MarketRules().Approve(ctx, r, a.submitOptions()...)
		}),
	}
	approve.Flags().StringVar(&file, "file", "", "the whole new rules document (JSON), version one more than in force")
	required(approve, "file")
	return approve
}

// rulesApplyCommand is `rules apply`.
func (a *app) rulesApplyCommand() *cobra.Command {
	var file string
	apply := &cobra.Command{
		Use: "apply --file RULES.json", Short: "Put in force rules a majority of the orgs approved (org admin)", Args: exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			r, err := readRulesFile(file)
			if err != nil {
				return nil, err
			}
			return c.MarketRules().Apply(ctx, r, a.submitOptions()...)
		}),
	}
	apply.Flags().StringVar(&file, "file", "", "the rules document the orgs approved (JSON)")
	required(apply, "file")
	return apply
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
