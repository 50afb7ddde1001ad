package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model"
)

var assetColumns = []column[model.Asset]{
	col("ID", func(a model.Asset) string { return a.ID }),
	col("NAME", func(a model.Asset) string { return a.Name }),
	col("CATEGORY", func(a model.Asset) string { return a.Category }),
	col("SOURCE", func(a model.Asset) string { return a.SourceRegion }),
	col("HOLDER", func(a model.Asset) string { return a.HolderID }),
	col("STATUS", func(a model.Asset) string { return a.Status }),
	col("NOTICE_ENDS", func(a model.Asset) string { return a.NoticeEndsAt }),
}

var idColumns = []column[string]{col("ID", func(s string) string { return s })}

var historyColumns = []column[model.HistoryEntry]{
	col("AT", func(e model.HistoryEntry) string { return e.At }),
	col("ACTION", func(e model.HistoryEntry) string { return e.Action }),
	col("BY", func(e model.HistoryEntry) string { return e.By }),
	col("RIGHT", func(e model.HistoryEntry) string { return e.RightID }),
	col("TYPE", func(e model.HistoryEntry) string { return e.RightType }),
	col("RIGHT_HOLDER", func(e model.HistoryEntry) string { return e.RightHolderID }),
	col("STATUS", func(e model.HistoryEntry) string { return e.AssetStatus }),
	col("TX", func(e model.HistoryEntry) string { return e.TxID }),
}

// applyFlags are the fields of an application.
type applyFlags struct {
	req     client.ApplyRequest
	content *hashFlags
}

func (f *applyFlags) add(a *app, cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.req.ID, "id", "", "the new asset's ID (1-64 of A-Z a-z 0-9 . _ : -)")
	cmd.Flags().StringVar(&f.req.Name, "name", "", "the asset's name")
	cmd.Flags().StringVar(&f.req.Category, "category", "", "data category, a lowercase slug such as transport or smart-city")
	cmd.Flags().StringVar(&f.req.SourceRegion, "region", "", "where the data comes from: shanghai, jiangsu, zhejiang or anhui")
	cmd.Flags().StringVar(&f.req.Description, "description", "", "the content and its lawful source, reviewed by the exchange")
	f.content = a.addHash(cmd, "content-hash", "the data or its canonical manifest", true)
	required(cmd, "id", "name", "category", "region", "description")
}

func (f *applyFlags) request() (client.ApplyRequest, error) {
	h, err := f.content.value()
	if err != nil {
		return client.ApplyRequest{}, err
	}
	r := f.req
	r.ContentHash = h
	return r, nil
}

func (a *app) assetsCommand() *cobra.Command {
	return group("assets", "Data assets: registration (apply, review, public notice, certify), checks and lineage",
		`A data asset is registered in steps: the holder applies with the data's
SHA-256, an operator of the holder's regional exchange reviews it, an approved
application is in public notice (anyone may object), then the holder or the
operator certifies it and the holder receives the HOLDING right.`,
		a.assetsApplyCommand(),
		a.assetsDeriveCommand(),
		readCommand(a, "get", "ID", "Show an asset (public register)", (*client.Client).Assets, (*client.AssetService).Get),
		a.assetsReviewCommand(),
		a.assetsCertifyCommand(),
		a.assetsObjectCommand(),
		readCommand(a, "objections", "ASSET", "List the objections filed against an asset", (*client.Client).Assets, (*client.AssetService).Objections),
		a.assetsDecideObjectionCommand(),
		a.assetsVerifyCommand(),
		argListCommand(a, "history", "ID", "An asset's history: registration, every right over it, holding moves, products derived", historyColumns, (*client.Client).Assets, (*client.AssetService).History),
		readCommand(a, "lineage", "ID", "The sources of a data product and the products derived from it", (*client.Client).Assets, (*client.AssetService).Lineage),
		argListCommand(a, "derived", "ID", "List the IDs of the products derived from an asset", idColumns, (*client.Client).Assets, (*client.AssetService).Derived),
		argListCommand(a, "by-holder", "PARTICIPANT", "List the assets a participant holds or has applied for", assetColumns, (*client.Client).Assets, (*client.AssetService).ByHolder))
}

// assetsApplyCommand is `assets apply`.
func (a *app) assetsApplyCommand() *cobra.Command {
	var af applyFlags
	apply := &cobra.Command{
		Use:   "apply --id ID --name NAME --category SLUG --region REGION --description TEXT (--content-file FILE | --content-hash HEX)",
		Short: "Apply to register a data asset (holder); its SHA-256 is computed here",
		Long: `Apply to register a data asset: you (a holder) are the applicant and initial
holder, and your region's exchange reviews the application. --content-file
computes the data's SHA-256 on this machine: only the hash goes to the gateway
and the ledger, never the data.`,
		Example: `  deltaledger --org shanghai --role holder assets apply --id port-2026 --name "Port moves" \
    --category transport --region shanghai --description "Hourly moves per berth" --content-file moves.csv`,
		Args: exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			r, err := af.request()
			if err != nil {
				return nil, err
			}
			return c.Assets().Apply(ctx, r, a.submitOptions()...)
		}),
	}
	af.add(a, apply)
	return apply
}

// assetsDeriveCommand is `assets derive`.
func (a *app) assetsDeriveCommand() *cobra.Command {
	var df applyFlags
	var sources []string
	var purpose string
	derive := &cobra.Command{
		Use:   "derive --source ID[,ID...] --purpose TEXT (the apply flags)",
		Short: "Apply to register a data product derived from assets you may process (holder)",
		Args:  exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			r, err := df.request()
			if err != nil {
				return nil, err
			}
			return c.Assets().Derive(ctx, client.DeriveRequest{ApplyRequest: r, SourceAssetIDs: sources, Purpose: purpose}, a.submitOptions()...)
		}),
	}
	df.add(a, derive)
	derive.Flags().StringSliceVar(&sources, "source", nil, "the source assets' IDs (comma-separated or repeated)")
	derive.Flags().StringVar(&purpose, "purpose", "", "what the sources are processed for: the purpose of your USE rights over them")
	required(derive, "source")
	required(derive, "purpose")
	return derive
}

// assetsReviewCommand is `assets review`.
func (a *app) assetsReviewCommand() *cobra.Command {
	var review client.ReviewRequest
	reviewCmd := &cobra.Command{
		Use:   "review ID --decision APPROVE|REJECT [--reason TEXT]",
		Short: "Decide an application (operator of the applicant's region): APPROVE starts the public notice",
		Args:  exactArgs("ID"),
		RunE: a.runE(func(ctx context.Context, c *client.Client, args []string) (any, error) {
			return c.Assets().Review(ctx, args[0], review, a.submitOptions()...)
		}),
	}
	reviewCmd.Flags().StringVar(&review.Decision, "decision", "", "APPROVE or REJECT")
	reviewCmd.Flags().StringVar(&review.Reason, "reason", "", "why; required to reject")
	required(reviewCmd, "decision")
	return reviewCmd
}

// assetsCertifyCommand is `assets certify`.
func (a *app) assetsCertifyCommand() *cobra.Command {
	var afterNotice bool
	certify := &cobra.Command{
		Use:   "certify ID [--after-notice]",
		Short: "Complete a registration after its public notice (holder or operator): REGISTERED, with the HOLDING right",
		Args:  exactArgs("ID"),
		RunE: a.runE(func(ctx context.Context, c *client.Client, args []string) (any, error) {
			if afterNotice {
				return c.Assets().CertifyAfterNotice(ctx, args[0], a.submitOptions()...)
			}
			return c.Assets().Certify(ctx, args[0], a.submitOptions()...)
		}),
	}
	certify.Flags().BoolVar(&afterNotice, "after-notice", false, "wait until the public notice ends (the asset's noticeEndsAt), then certify")
	return certify
}

// assetsObjectCommand is `assets object`.
func (a *app) assetsObjectCommand() *cobra.Command {
	return a.valueReasonCommand("object", "ASSET", "Object to an application in public notice",
		valueFlag{"id", "OBJECTION", "the objection's ID (unique per asset)"}, "the grounds of the objection",
		func(ctx context.Context, c *client.Client, asset, objectionID, reason string) (any, error) {
			return c.Assets().Object(ctx, asset, objectionID, reason, a.submitOptions()...)
		})
}

// assetsDecideObjectionCommand is `assets decide-objection`.
func (a *app) assetsDecideObjectionCommand() *cobra.Command {
	var decide client.DecideObjectionRequest
	decideCmd := &cobra.Command{
		Use:   "decide-objection ASSET OBJECTION --decision UPHOLD|DISMISS --reason TEXT",
		Short: "Decide an objection (operator of the exchange); UPHOLD withdraws the application",
		Args:  exactArgs("ASSET", "OBJECTION"),
		RunE: a.runE(func(ctx context.Context, c *client.Client, args []string) (any, error) {
			return c.Assets().DecideObjection(ctx, args[0], args[1], decide, a.submitOptions()...)
		}),
	}
	decideCmd.Flags().StringVar(&decide.Decision, "decision", "", "UPHOLD or DISMISS")
	decideCmd.Flags().StringVar(&decide.Reason, "reason", "", "why")
	required(decideCmd, "decision", "reason")
	return decideCmd
}

// assetsVerifyCommand is `assets verify`.
func (a *app) assetsVerifyCommand() *cobra.Command {
	var check *hashFlags
	verify := &cobra.Command{
		Use:   "verify ID (--content-file FILE | --content-hash HEX)",
		Short: "Check whether data you hold is the content registered as the asset",
		Args:  exactArgs("ID"),
		RunE: a.runE(func(ctx context.Context, c *client.Client, args []string) (any, error) {
			h, err := check.value()
			if err != nil {
				return nil, err
			}
			return c.Assets().VerifyContent(ctx, args[0], h)
		}),
	}
	check = a.addHash(verify, "content-hash", "the data to check", true)
	return verify
}
