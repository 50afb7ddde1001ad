package main

import (
	"context"
	"iter"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model"
)

var tradeColumns = []column[model.Trade]{
	col("ID", func(t model.Trade) string { return t.ID }),
	col("LISTING", func(t model.Trade) string { return t.ListingID }),
	col("ASSET", func(t model.Trade) string { return t.AssetID }),
	col("RIGHT", func(t model.Trade) string { return t.RightType }),
	col("BUYER", func(t model.Trade) string { return t.BuyerID }),
	col("SELLER", func(t model.Trade) string { return t.SellerID }),
	col("PRICE_FEN", func(t model.Trade) string { return price(t.PriceFen) }),
	col("STATUS", func(t model.Trade) string { return t.Status }),
	col("UPDATED", func(t model.Trade) string { return t.UpdatedAt }),
}

// termsFlags read an offer's private terms.
type termsFlags struct {
	price            int64
	conditions, salt string
}

func (f *termsFlags) add(cmd *cobra.Command) {
	cmd.Flags().Int64Var(&f.price, "price-fen", 0, "private terms: the offered price in fen")
	cmd.Flags().StringVar(&f.conditions, "conditions", "", "private terms: the conditions")
	cmd.Flags().StringVar(&f.salt, "salt", "", saltUsage)
}

func (f *termsFlags) given() bool { return f.price != 0 || f.conditions != "" || f.salt != "" }

func (f *termsFlags) terms() client.OfferTerms {
	return client.OfferTerms{PriceFen: f.price, Conditions: f.conditions, Salt: f.salt}
}

// newTradeFlags are the flags of a command that starts a trade on a listing
// (order, propose): the new trade's ID, the listing and the first offer's
// private terms.
type newTradeFlags struct {
	id, listing string
	terms       termsFlags
}

func (f *newTradeFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.id, "id", "", "the new trade's ID")
	cmd.Flags().StringVar(&f.listing, "listing", "", "the listing")
	required(cmd, "id", "listing")
	f.terms.add(cmd)
}

// newTradeCommand is a command that starts a trade on a listing (order, propose): no argument, the newTradeFlags,
// and start making the trade from them.
func (a *app) newTradeCommand(use, short string, start func(ctx context.Context, c *client.Client, nf *newTradeFlags) (any, error)) *cobra.Command {
	var nf newTradeFlags
	cmd := &cobra.Command{
		Use: use, Short: short, Args: exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			return start(ctx, c, &nf)
		}),
	}
	nf.add(cmd)
	return cmd
}

// tradesLong is the trades group's Long help, a constant so that its Chinese
// translation (help_zh.go) is keyed by it rather than by a second copy.
const tradesLong = `A FIXED listing is bought with order, then the seller accepts (or rejects);
a NEGOTIABLE one with propose, counter rounds and accept-offer, the offers'
terms staying private to the two parties' orgs. Then the buyer (or an
operator) records the payment, the seller delivers, and the buyer confirms:
the trade is COMPLETED and the buyer receives its right. After the sale of a
holding, close-others cancels the other buyers' trades still waiting on it.
Deadlines (deadlineAt): a paid trade not delivered by its deadline, its buyer
may cancel; a delivery neither confirmed nor disputed by its deadline is
deemed accepted: its seller may confirm it, and nobody may dispute it.`

func (a *app) tradesCommand() *cobra.Command {
	return group("trades", "Trades: order or negotiate, accept, pay, deliver, confirm", tradesLong,
		a.tradesOrderCommand(), a.tradesProposeCommand(), a.tradesCounterCommand(),
		a.tradeStepCommand("accept-offer", "Accept the last offer of a negotiation (the other party)", (*client.TradeService).AcceptOffer),
		a.tradeStepCommand("accept", "Accept an order (seller)", (*client.TradeService).Accept),
		a.tradeStepWithReasonCommand("reject", "Turn an order down (seller)", (*client.TradeService).Reject),
		a.tradesPayCommand(), a.tradesDeliverCommand(),
		a.tradeStepCommand("confirm", "Confirm the delivery (buyer; seller after the inspection deadline): the trade is COMPLETED and the buyer receives the right", (*client.TradeService).Confirm),
		a.tradesCloseOthersCommand(),
		a.tradeStepWithReasonCommand("cancel", "End a trade before payment (buyer; seller only before acceptance), or a paid one undelivered past its deadline (buyer)", (*client.TradeService).Cancel),
		a.tradeStepCommand("expire", "End a trade that waited too long without a step", (*client.TradeService).Expire),
		a.tradeStepWithReasonCommand("dispute", "Put a PAID trade, a DELIVERED one before its inspection deadline, or after it one whose conveyance is refused (buyer), before the seller's exchange", (*client.TradeService).Dispute),
		a.tradesResolveCommand(), a.tradesMarketCommand(),
		a.tradeStepCommand("purge-request", "Ask for a finished trade's private terms to be purged (both parties must ask)", (*client.TradeService).RequestPurge),
		a.tradesWithdrawTermsCommand(),
		readCommand(a, "get", "TRADE", "Show a trade (its parties, operators, the regulator)", (*client.Client).Trades, (*client.TradeService).Get),
		a.tradesTermsCommand(), a.tradesListCommand())
}

// tradeStepCommand is a trade transition that takes only the trade.
func (a *app) tradeStepCommand(use, short string, step func(s *client.TradeService, ctx context.Context, id string, opts ...client.SubmitOption) (*client.Submitted[model.Trade], error)) *cobra.Command {
	return changeCommand(a, use, "TRADE", short, (*client.Client).Trades, step)
}

// tradeStepWithReasonCommand is a trade transition that takes the trade and
// a reason.
func (a *app) tradeStepWithReasonCommand(use, short string, step func(s *client.TradeService, ctx context.Context, id, reason string, opts ...client.SubmitOption) (*client.Submitted[model.Trade], error)) *cobra.Command {
	return reasonChangeCommand(a, use, "TRADE", short, (*client.Client).Trades, step)
}

// tradesCloseOthersCommand is `trades close-others`.
func (a *app) tradesCloseOthersCommand() *cobra.Command {
	var bookmark string
	cmd := a.argCommand("close-others", "TRADE", "After the sale of a holding, cancel the other buyers' trades still waiting on it (seller or operator of its region), a page at a time",
		func(ctx context.Context, c *client.Client, trade string) (any, error) {
			return c.Trades().CloseOthersFrom(ctx, trade, bookmark, a.submitOptions()...)
		})
	cmd.Flags().StringVar(&bookmark, "from", "", "continue where the previous call ended: its answer's bookmark")
	return cmd
}

// stageTerms stages an offer's private terms, the step before the public
// one (order, propose, counter), which records their hash. It waits for the
// commit, since the public step reads what is staged, and takes an
// idempotency key of its own derived from the command's: it is another
// request.
func (a *app) stageTerms(ctx context.Context, c *client.Client, tradeID string, round int, listingID string, terms client.OfferTerms) error {
	_, err := c.Trades().StageTerms(ctx, tradeID, round, listingID, terms, client.WithIdempotencyKey(a.commandKey()+stageKeySuffix))
	return err
}

// stageKeySuffix makes the staging step's idempotency key from the command's.
const stageKeySuffix = ".terms"

// tradesOrderCommand is `trades order`.
func (a *app) tradesOrderCommand() *cobra.Command {
	return a.newTradeCommand("order --id TRADE --listing LISTING [--conditions TEXT]",
		"Order from a FIXED listing at its price (buyer); the seller then accepts or rejects",
		func(ctx context.Context, c *client.Client, nf *newTradeFlags) (any, error) {
			if nf.terms.given() {
				if err := a.stageTerms(ctx, c, nf.id, 1, nf.listing, nf.terms.terms()); err != nil {
					return nil, err
				}
			}
			return c.Trades().Order(ctx, client.OrderRequest{TradeID: nf.id, ListingID: nf.listing}, a.submitOptions()...)
		})
}

// tradesProposeCommand is `trades propose`.
func (a *app) tradesProposeCommand() *cobra.Command {
	return a.newTradeCommand("propose --id TRADE --listing LISTING --price-fen N [--conditions TEXT]",
		"Open a negotiation on a NEGOTIABLE listing with a first offer (buyer); the terms stay private",
		func(ctx context.Context, c *client.Client, nf *newTradeFlags) (any, error) {
			if err := a.stageTerms(ctx, c, nf.id, 1, nf.listing, nf.terms.terms()); err != nil {
				return nil, err
			}
			return c.Trades().Propose(ctx, client.ProposeRequest{TradeID: nf.id, ListingID: nf.listing}, a.submitOptions()...)
		})
}

// tradesCounterCommand is `trades counter`.
func (a *app) tradesCounterCommand() *cobra.Command {
	var counterTerms termsFlags
	counter := &cobra.Command{
		Use: "counter TRADE --price-fen N [--conditions TEXT]", Short: "Answer the last offer with new private terms", Args: exactArgs("TRADE"),
		RunE: a.runE(func(ctx context.Context, c *client.Client, args []string) (any, error) {
			t, err := c.Trades().Get(ctx, args[0])
			if err != nil {
				return nil, err
			}
			last, _ := t.LastOffer()
			if err := a.stageTerms(ctx, c, args[0], last.Round+1, "", counterTerms.terms()); err != nil {
				return nil, err
			}
			return c.Trades().Counter(ctx, args[0], a.submitOptions()...)
		}),
	}
	counterTerms.add(counter)

	return counter
}

// tradesPayCommand is `trades pay`.
func (a *app) tradesPayCommand() *cobra.Command {
	var pay client.PaymentRequest
	payCmd := &cobra.Command{
		Use: "pay TRADE --settlement-ref REF --amount-fen N", Short: "Record the off-chain settlement of an ACCEPTED trade (buyer or operator)",
		Args: exactArgs("TRADE"),
		RunE: a.runE(func(ctx context.Context, c *client.Client, args []string) (any, error) {
			return c.Trades().Pay(ctx, args[0], pay, a.submitOptions()...)
		}),
	}
	payCmd.Flags().StringVar(&pay.SettlementRef, "settlement-ref", "", "the settlement reference of the exchange or the payer's bank")
	payCmd.Flags().Int64Var(&pay.AmountFen, "amount-fen", 0, "the amount paid in fen; must equal the agreed price")
	required(payCmd, "settlement-ref", "amount-fen")
	return payCmd
}

// tradesDeliverCommand is `trades deliver`.
func (a *app) tradesDeliverCommand() *cobra.Command {
	var delivery *hashFlags
	deliver := &cobra.Command{
		Use: "deliver TRADE (--delivery-file FILE | --delivery-hash HEX)", Short: "Record the delivery of a PAID trade (seller)",
		Args: exactArgs("TRADE"),
		RunE: a.runE(func(ctx context.Context, c *client.Client, args []string) (any, error) {
			h, err := delivery.value()
			if err != nil {
				return nil, err
			}
			return c.Trades().Deliver(ctx, args[0], h, a.submitOptions()...)
		}),
	}
	delivery = a.addHash(deliver, "delivery-hash", "the delivered data or its manifest", true)
	return deliver
}

// tradesResolveCommand is `trades resolve`.
func (a *app) tradesResolveCommand() *cobra.Command {
	return a.valueReasonCommand("resolve", "TRADE", "Decide a dispute (operator of the seller's region)",
		valueFlag{"outcome", outcomeValue, outcomeUsage}, "why",
		func(ctx context.Context, c *client.Client, trade, outcome, reason string) (any, error) {
			return c.Trades().Resolve(ctx, trade, outcome, reason, a.submitOptions()...)
		})
}

// tradesTermsCommand is `trades terms`.
func (a *app) tradesTermsCommand() *cobra.Command {
	terms := &cobra.Command{
		Use: "terms TRADE ROUND", Short: "Show one round of a trade's private terms (its parties, through their own org's gateway)",
		Args: exactArgs("TRADE", "ROUND"),
		RunE: a.runE(func(ctx context.Context, c *client.Client, args []string) (any, error) {
			round, err := roundArg(args[1])
			if err != nil {
				return nil, err
			}
			return c.Trades().Terms(ctx, args[0], round)
		}),
	}
	return terms
}

// roundArg reads a ROUND argument: a round of a trade, from 1.
func roundArg(arg string) (int, error) {
	round, err := strconv.Atoi(arg)
	if err != nil || round < 1 {
		return 0, usagef("ROUND must be a number from 1")
	}
	return round, nil
}

// tradesWithdrawTermsCommand is `trades withdraw-terms`.
func (a *app) tradesWithdrawTermsCommand() *cobra.Command {
	var listing string
	withdraw := &cobra.Command{
		Use:   "withdraw-terms TRADE ROUND [--listing LISTING]",
		Short: "Take back private terms you staged for a round and never offered (round 1 needs its listing)",
		Args:  exactArgs("TRADE", "ROUND"),
		RunE: a.runE(func(ctx context.Context, c *client.Client, args []string) (any, error) {
			round, err := roundArg(args[1])
			if err != nil {
				return nil, err
			}
			return c.Trades().WithdrawTerms(ctx, args[0], round, listing, a.submitOptions()...)
		}),
	}
	withdraw.Flags().StringVar(&listing, "listing", "", "the listing the terms were staged for (round 1)")
	return withdraw
}

// tradesListCommand is `trades list`.
func (a *app) tradesListCommand() *cobra.Command {
	var participant, listing string
	list := listCommand(a, &cobra.Command{
		Use: "list (--participant ID | --listing ID)", Short: "List a participant's trades (as buyer or seller) or a listing's", Args: exactArgs(),
	}, tradeColumns, func(ctx context.Context, c *client.Client, _ []string, opts []client.ListOption) iter.Seq2[model.Trade, error] {
		if listing != "" {
			return c.Trades().ByListing(ctx, listing, opts...)
		}
		return c.Trades().ByParticipant(ctx, participant, opts...)
	})
	list.Flags().StringVar(&participant, "participant", "", "a participant ID")
	list.Flags().StringVar(&listing, "listing", "", "a listing ID")
	list.MarkFlagsMutuallyExclusive("participant", "listing")
	list.MarkFlagsOneRequired("participant", "listing")
	return list
}

// tradesMarketCommand is `trades market`.
func (a *app) tradesMarketCommand() *cobra.Command {
	var filter client.MarketFilter
	var from, before string
	market := listCommand(a, &cobra.Command{
		Use: "market [--region R] [--status S] [--from T] [--before T]", Args: exactArgs(),
		Short: "List the market's trades, oldest first (regulator; an operator for its own region)",
		PreRunE: func(*cobra.Command, []string) error {
			for _, b := range []struct {
				flag, value string
				t           *time.Time
			}{{"from", from, &filter.OpenedFrom}, {"before", before, &filter.OpenedBefore}} {
				if b.value == "" {
					continue
				}
				t, err := time.Parse(time.RFC3339, b.value)
				if err != nil {
					return usagef("--%s must be an RFC 3339 instant such as 2027-01-31T00:00:00Z", b.flag)
				}
				*b.t = t
			}
			return nil
		},
	}, tradeColumns, func(ctx context.Context, c *client.Client, _ []string, opts []client.ListOption) iter.Seq2[model.Trade, error] {
		return c.Trades().Market(ctx, filter, opts...)
	})
	market.Flags().StringVar(&filter.Region, "region", "", "only the trades this region is involved in (empty: the whole market, regulator only)")
	market.Flags().StringVar(&filter.Status, "status", "", "only the trades in this status")
	market.Flags().StringVar(&from, "from", "", "only the trades opened at or after this RFC 3339 instant")
	market.Flags().StringVar(&before, "before", "", "only the trades opened before this RFC 3339 instant")
	return market
}
