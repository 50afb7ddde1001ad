package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model"
)

var rightColumns = []column[model.Right]{
	col("ID", func(r model.Right) string { return r.ID }),
	col("ASSET", func(r model.Right) string { return r.AssetID }),
	col("TYPE", func(r model.Right) string { return r.Type }),
	col("HOLDER", func(r model.Right) string { return r.HolderID }),
	col("ORIGIN", func(r model.Right) string { return r.Origin }),
	col("PURPOSE", func(r model.Right) string { return r.Scope.Purpose }),
	col("VALID_UNTIL", func(r model.Right) string { return r.Scope.ValidUntil }),
	col("STATUS", func(r model.Right) string { return r.Status }),
	// When a standing offer lapses unless accepted (for an offer made
	// before offers recorded it too).
	col("OFFER_EXPIRES", func(r model.Right) string {
		if r.Status != model.RightOffered {
			return ""
		}
		return r.OfferLapsesAt()
	}),
}

// scopeFlags read a right's scope.
type scopeFlags struct {
	purpose       string
	from, until   *timeFlag
	regions       []string
	maySublicense bool
}

func (s *scopeFlags) add(cmd *cobra.Command, requiredFlags bool) {
	cmd.Flags().StringVar(&s.purpose, "purpose", "", "scope: what the data may be used for")
	cmd.Flags().StringSliceVar(&s.regions, "regions", nil, "scope: regions where it may be used (comma-separated: shanghai,jiangsu,zhejiang,anhui)")
	s.from = addTimeFlag(cmd, "valid-from", "scope: start of the term (default: the transaction's time)")
	s.until = addTimeFlag(cmd, "valid-until", "scope: end of the term: RFC 3339, a date, or a time from now (1y, 6mo, 30d)")
	cmd.Flags().BoolVar(&s.maySublicense, "may-sublicense", false, "scope: the holder may license the right on")
	if requiredFlags {
		required(cmd, "purpose", "regions", "valid-until")
	}
}

// given reports whether any scope flag was given.
func (s *scopeFlags) given() bool {
	return s.purpose != "" || len(s.regions) > 0 || s.from.given() || s.until.given() || s.maySublicense
}

func (s *scopeFlags) scope() (client.Scope, error) {
	sc := client.Scope{Purpose: s.purpose, Regions: s.regions, MaySublicense: s.maySublicense}
	var err error
	if s.from.given() {
		if sc.ValidFrom, err = s.from.value(); err != nil {
			return sc, err
		}
	}
	if !s.until.given() {
		return sc, usagef("the scope needs --valid-until")
	}
	sc.ValidUntil, err = s.until.value()
	return sc, err
}

func (a *app) rightsCommand() *cobra.Command {
	return group("rights", "Right certificates: HOLDING, USE and OPERATION rights, grants and sublicences", "",
		a.rightsGrantCommand(),
		a.rightsSublicenseCommand(),
		reasonChangeCommand(a, "revoke", "RIGHT", "End an ACTIVE or RENOUNCED USE or OPERATION right, or withdraw an OFFERED one", (*client.Client).Rights, (*client.RightService).Revoke),
		changeCommand(a, "renounce", "RIGHT", "Give up a USE or OPERATION right you hold", (*client.Client).Rights, (*client.RightService).Renounce),
		changeCommand(a, "accept", "RIGHT", "Accept a right granted or sublicensed to you before its offer lapses (OFFER_EXPIRES): it becomes ACTIVE", (*client.Client).Rights, (*client.RightService).Accept),
		reasonChangeCommand(a, "decline", "RIGHT", "Decline a right granted or sublicensed to you: it never entitles you", (*client.Client).Rights, (*client.RightService).Decline),
		a.rightsTransferHoldingCommand(),
		readCommand(a, "holding-offer", "ASSET", "Show the open offer of an asset's holding", (*client.Client).Rights, (*client.RightService).HoldingOffer),
		changeCommand(a, "accept-holding", "ASSET", "Accept the holding offered to you, before the offer expires", (*client.Client).Rights, (*client.RightService).AcceptHolding),
		reasonChangeCommand(a, "refuse-holding", "ASSET", "Refuse the holding offered to you: nothing moves", (*client.Client).Rights, (*client.RightService).RefuseHolding),
		reasonChangeCommand(a, "withdraw-holding", "ASSET", "Withdraw your offer of a holding: nothing moves", (*client.Client).Rights, (*client.RightService).WithdrawHolding),
		readCommand(a, "get", "RIGHT", "Show a right certificate", (*client.Client).Rights, (*client.RightService).Get),
		readCommand(a, "history", "RIGHT", "Every committed version of a right record", (*client.Client).Rights, (*client.RightService).History),
		argListCommand(a, "by-holder", "PARTICIPANT", "List the rights a participant holds or held", rightColumns, (*client.Client).Rights, (*client.RightService).ByHolder),
		argListCommand(a, "by-asset", "ASSET", "List the rights over an asset", rightColumns, (*client.Client).Rights, (*client.RightService).ByAsset))
}

// rightsGrantCommand is `rights grant`.
func (a *app) rightsGrantCommand() *cobra.Command {
	var grant client.GrantRequest
	var gs scopeFlags
	grantCmd := &cobra.Command{
		Use:   "grant --asset ID --grantee PARTICIPANT --type USE|OPERATION --purpose TEXT --regions R1,R2 --valid-until TIME",
		Short: "Offer a USE or OPERATION right over an asset you hold; the grantee accepts or declines it",
		Args:  exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			sc, err := gs.scope()
			if err != nil {
				return nil, err
			}
			grant.Scope = sc
			return c.Rights().Grant(ctx, grant, a.submitOptions()...)
		}),
	}
	grantCmd.Flags().StringVar(&grant.AssetID, "asset", "", "the asset")
	grantCmd.Flags().StringVar(&grant.GranteeID, "grantee", "", "the participant receiving the right")
	grantCmd.Flags().StringVar(&grant.RightType, "type", "", "USE or OPERATION")
	required(grantCmd, "asset", "grantee", "type")
	gs.add(grantCmd, true)
	return grantCmd
}

// rightsSublicenseCommand is `rights sublicense`.
func (a *app) rightsSublicenseCommand() *cobra.Command {
	var subGrantee string
	var ss scopeFlags
	sublicense := &cobra.Command{
		Use:   "sublicense PARENT_RIGHT --grantee PARTICIPANT --purpose TEXT --regions R1 --valid-until TIME",
		Short: "Offer a sublicence of a right you hold, within its scope; the grantee accepts or declines it",
		Args:  exactArgs("PARENT_RIGHT"),
		RunE: a.runE(func(ctx context.Context, c *client.Client, args []string) (any, error) {
			sc, err := ss.scope()
			if err != nil {
				return nil, err
			}
			return c.Rights().Sublicense(ctx, args[0], subGrantee, sc, a.submitOptions()...)
		}),
	}
	sublicense.Flags().StringVar(&subGrantee, "grantee", "", "the participant receiving the right")
	required(sublicense, "grantee")
	ss.add(sublicense, true)
	return sublicense
}

// rightsTransferHoldingCommand is `rights transfer-holding`.
func (a *app) rightsTransferHoldingCommand() *cobra.Command {
	return a.valueReasonCommand("transfer-holding", "ASSET",
		"Offer the holding of an asset to another participant outside a trade; it moves when the recipient accepts",
		valueFlag{"to", "PARTICIPANT", "the recipient"}, "why (a gift, a merger)",
		func(ctx context.Context, c *client.Client, asset, to, reason string) (any, error) {
			return c.Rights().TransferHolding(ctx, asset, to, reason, a.submitOptions()...)
		})
}
