package main

import (
	"context"
	"iter"

	"github.com/spf13/cobra"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model"
)

var listingColumns = []column[model.Listing]{
	col("ID", func(l model.Listing) string { return l.ID }),
	col("ASSET", func(l model.Listing) string { return l.AssetID }),
	col("RIGHT", func(l model.Listing) string { return l.RightType }),
	col("PRICING", func(l model.Listing) string { return l.Pricing }),
	col("PRICE_FEN", func(l model.Listing) string { return price(l.PriceFen) }),
	col("CATEGORY", func(l model.Listing) string { return l.Category }),
	col("SOURCE", func(l model.Listing) string { return l.SourceRegion }),
	col("SELLER", func(l model.Listing) string { return l.SellerID }),
	col("STATUS", func(l model.Listing) string { return l.Status }),
}

func (a *app) listingsCommand() *cobra.Command {
	return group("listings", "Listings: rights offered at a price, and browsing the market", "",
		a.listingsCreateCommand(),
		readCommand(a, "get", "ID", "Show a listing", (*client.Client).Listings, (*client.ListingService).Get),
		a.listingsUpdatePriceCommand(),
		reasonChangeCommand(a, "delist", "ID", "Withdraw an ACTIVE listing (seller or operator)", (*client.Client).Listings, (*client.ListingService).Delist),
		readCommand(a, "price-history", "ID", "Every price a listing has had, oldest first", (*client.Client).Listings, (*client.ListingService).PriceHistory),
		a.listingsBrowseCommand())
}

// listingsCreateCommand is `listings create`.
func (a *app) listingsCreateCommand() *cobra.Command {
	var req client.CreateListingRequest
	var sf scopeFlags
	var terms *hashFlags
	create := &cobra.Command{
		Use:   "create --id ID --asset ASSET --right USE|OPERATION|HOLDING --pricing FIXED|NEGOTIABLE --price-fen N (--terms-file FILE | --terms-hash HEX) [scope flags]",
		Short: "List a right over an asset at a price (holder)",
		Long: `List one right over one asset at a price in fen (CNY cents). A USE or
OPERATION listing names the scope a buyer receives (--purpose, --regions,
--valid-until, ...); a HOLDING listing sells the holding itself and takes no
scope. The terms document is identified by its SHA-256, computed here from
--terms-file.`,
		Example: `  deltaledger --org shanghai --role holder listings create --id port-use --asset port-2026 --right USE \
    --pricing FIXED --price-fen 150000 --terms-file terms.pdf --purpose "route analytics" \
    --regions shanghai,jiangsu --valid-until 1y`,
		Args: exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			h, err := terms.value()
			if err != nil {
				return nil, err
			}
			r := req
			r.TermsHash = h
			if sf.given() {
				sc, err := sf.scope()
				if err != nil {
					return nil, err
				}
				r.Scope = &sc
			}
			return c.Listings().Create(ctx, r, a.submitOptions()...)
		}),
	}
	create.Flags().StringVar(&req.ID, "id", "", "the new listing's ID")
	create.Flags().StringVar(&req.AssetID, "asset", "", "the asset")
	create.Flags().StringVar(&req.RightType, "right", "", "HOLDING (sells the holding), USE or OPERATION (licenses a right)")
	create.Flags().StringVar(&req.Pricing, "pricing", "FIXED", "FIXED (bought by ordering) or NEGOTIABLE (trades negotiate)")
	create.Flags().Int64Var(&req.PriceFen, "price-fen", 0, "the price in integer fen (CNY cents)")
	terms = a.addHash(create, "terms-hash", "the listing's terms document", true)
	required(create, "id", "asset", "right", "price-fen")
	sf.add(create, false)
	return create
}

// listingsUpdatePriceCommand is `listings update-price`.
func (a *app) listingsUpdatePriceCommand() *cobra.Command {
	var price int64
	var priceReason string
	updatePrice := &cobra.Command{
		Use: "update-price ID --price-fen N --reason TEXT", Short: "Set a new price on an ACTIVE listing (seller)", Args: exactArgs("ID"),
		RunE: a.runE(func(ctx context.Context, c *client.Client, args []string) (any, error) {
			return c.Listings().UpdatePrice(ctx, args[0], price, priceReason, a.submitOptions()...)
		}),
	}
	updatePrice.Flags().Int64Var(&price, "price-fen", 0, "the new price in fen")
	updatePrice.Flags().StringVar(&priceReason, "reason", "", "why the price changes")
	required(updatePrice, "price-fen", "reason")
	return updatePrice
}

// listingsBrowseCommand is `listings browse`.
func (a *app) listingsBrowseCommand() *cobra.Command {
	var category, region, seller string
	browse := listCommand(a, &cobra.Command{
		Use:   "browse (--category SLUG | --region REGION | --seller PARTICIPANT)",
		Short: "Browse the market: the ACTIVE listings of a category or region, or a seller's listings",
		Example: `  deltaledger --org anhui --role buyer listings browse --category transport -o table
  deltaledger --org anhui --role buyer listings browse --region shanghai --limit 0`,
		Args: exactArgs(),
	}, listingColumns, func(ctx context.Context, c *client.Client, _ []string, opts []client.ListOption) iter.Seq2[model.Listing, error] {
		switch {
		case category != "":
			return c.Listings().ByCategory(ctx, category, opts...)
		case region != "":
			return c.Listings().ByRegion(ctx, region, opts...)
		default:
			return c.Listings().BySeller(ctx, seller, opts...)
		}
	})
	browse.Flags().StringVar(&category, "category", "", "a data category, e.g. transport")
	browse.Flags().StringVar(&region, "region", "", "the region the data comes from")
	browse.Flags().StringVar(&seller, "seller", "", "a seller's participant ID (listings of every status)")
	browse.MarkFlagsMutuallyExclusive("category", "region", "seller")
	browse.MarkFlagsOneRequired("category", "region", "seller")
	return browse
}
