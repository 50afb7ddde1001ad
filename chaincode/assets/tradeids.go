package assets

import (
	"slices"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Trades is what the register and the listings need of the trades contract
// (package trades, which depends on both and so is passed in): who may read
// a trade.
type Trades interface {
	// Read prepares reading the trades tradeIDs name: reads, to make in one
	// request, after which the judge it returns tells who may read each.
	Read(ctx state.Context, tradeIDs []string) ([]*state.Read, TradeJudge, error)
}

// TradeJudge tells, once the trades of a Trades.Read are read, whether p
// may read each (trades:Get) under the market rules in force: false for an
// ID that names no trade.
type TradeJudge func(p *model.Participant, rules *model.Rules) func(tradeID string) bool

// TradeIDs shows the IDs of trades in public answers (an asset's
// HoldingLockedBy, a history entry's TradeID, a listing's SoldTradeID) only
// to a caller who may read that trade, and blanks them for everyone else:
// trades:Get answers a stranger a trade as one that does not exist, and no
// other answer tells it that the trade does. That a holding is promised or a
// listing SOLD stays public (the status, the market's statistics); only the
// link to the trade is hidden.
//
// Nor does the read set tell it: a member that sends its own proposal
// receives the keys the simulation read with the answer, so the key of a
// trade (trade|<ID>) is read only for a caller the record answered names as
// possibly one of the trade's readers (Named.concerns), never to decide
// whether to blank the ID for anyone else.
type TradeIDs struct {
	ctx    state.Context
	trades Trades
}

// Named is a trade ID in an answer, with what the record it is on says of
// who may read that trade: the parties it names and the regions whose
// operators oversee the trade. A caller it names none of is shown no ID,
// without the trade being read; one it names is shown it only if it may
// read the trade (trades:Get), which is then read to decide.
type Named struct {
	// ID points to the trade ID in the answer: blanked unless shown.
	ID *string
	// Parties are the participants the record names as the trade's parties
	// (an asset's holder is the seller of the trade its holding is promised
	// to; a right bought names its buyer and its seller).
	Parties []string
	// Orgs are the orgs of such parties the record names (an asset's or a
	// right's holder's): the operators of their regions by the market rules
	// in force are the trade's exchanges as caller resolution places them.
	Orgs []string
	// Regions are the regions the record names whose exchange supervises
	// the trade (a listing's, a trade's own Region).
	Regions []string
}

// concerns reports whether p may be one of the trade's readers as far as
// the record tells: the regulator, a party it names, or an operator of a
// region it names (under rules, those of its orgs).
func (n Named) concerns(p *model.Participant, rules *model.Rules) bool {
	switch {
	case p.HasRole(model.RoleRegulator) || slices.Contains(n.Parties, p.ID):
		return true
	case !p.HasRole(model.RoleOperator) || p.Region == "":
		return false
	}
	return slices.Contains(n.Regions, p.Region) || slices.ContainsFunc(n.Orgs, func(msp string) bool { return rules.OrgRegion(msp) == p.Region })
}

// NewTradeIDs returns the TradeIDs of one answer to ctx's caller. A caller
// that is no participant in force (an identity not registered, a member
// suspended) is shown none: the register and the listings answer every
// identity of the channel, as before.
func NewTradeIDs(ctx state.Context, trades Trades) *TradeIDs {
	return &TradeIDs{ctx: ctx, trades: trades}
}

// Show blanks each of named that the caller may not read, all of an
// answer's at once: it resolves the caller (with the market rules), reads
// for an operator the orgs of the parties named where the records name no
// region of its (partyOrgs), then reads, in one request, the trades of those
// that concern it (Named) and judges it by them. An answer so costs the same
// requests to the peer however many trades it names, one naming none costs
// none, and whether a trade is read depends on the caller and the record
// answered alone. Each call resolves the caller anew: one per answer.
func (s *TradeIDs) Show(named ...Named) error {
	if !slices.ContainsFunc(named, func(n Named) bool { return *n.ID != "" }) {
		return nil
	}
	p, rules, err := participants.CallerWithRules(s.ctx)
	switch {
	case ledgererr.CodeOf(err) == ledgererr.Forbidden:
		return blank(named)
	case err != nil:
		return err
	}
	named, err = s.partyOrgs(p, named)
	if err != nil {
		return err
	}
	var concerned []string
	for _, n := range named {
		if *n.ID != "" && n.concerns(p, rules) {
			concerned = append(concerned, *n.ID)
		}
	}
	if len(concerned) == 0 {
		return blank(named)
	}
	slices.Sort(concerned)
	reads, judge, err := s.trades.Read(s.ctx, slices.Compact(concerned))
	if err != nil {
		return err
	}
	if err := state.GetAll(s.ctx, reads...); err != nil {
		return err
	}
	may := judge(p, rules)
	for _, n := range named {
		if *n.ID != "" && !may(*n.ID) {
			*n.ID = ""
		}
	}
	return nil
}

// blank blanks every ID of named.
func blank(named []Named) error {
	for _, n := range named {
		*n.ID = ""
	}
	return nil
}

// partyOrgs returns named with, for an operator p (no regulator), the orgs
// of the parties each names too (participants.OrgsOf, one request): an
// operator of a party's region may be the trade's exchange, which a history
// entry or a right's grantor names by participant alone. The participants'
// IDs are in the answer already; no key read names a trade. They are read
// for every operator of an answer naming a trade, whether or not a region
// the records name is its, so that the requests of an answer depend on the
// caller alone.
func (s *TradeIDs) partyOrgs(p *model.Participant, named []Named) ([]Named, error) {
	if p.HasRole(model.RoleRegulator) || !p.HasRole(model.RoleOperator) {
		return named, nil // concerned by every trade, or by its parties' alone
	}
	var parties []string
	for _, n := range named {
		if *n.ID != "" {
			parties = append(parties, slices.DeleteFunc(slices.Clone(n.Parties), func(id string) bool { return id == "" })...)
		}
	}
	if len(parties) == 0 {
		return named, nil
	}
	slices.Sort(parties)
	orgOf, err := participants.OrgsOf(s.ctx, slices.Compact(parties))
	if err != nil {
		return nil, err
	}
	withOrgs := make([]Named, len(named))
	for i, n := range named {
		withOrgs[i] = n
		withOrgs[i].Orgs = slices.Clone(n.Orgs)
		for _, id := range n.Parties {
			withOrgs[i].Orgs = append(withOrgs[i].Orgs, orgOf(id))
		}
	}
	return withOrgs, nil
}

// Shown returns v as a read returned it, shown to the caller as Get shows
// it (Show of what named says of its trade), or the read's err: a function
// answering one record returns it as it comes, as in
//
//	return Shown(NewTradeIDs(ctx, c.trades), LockNamed)(GetAsset(ctx, id))
func Shown[T any](s *TradeIDs, named func(T) Named) func(T, error) (T, error) {
	return shown(s, func(v T) []Named { return []Named{named(v)} })
}

// ShownPage is Shown for a page a list read: what each of its items says of
// its trade, all in one Show, as in
//
//	return ShownPage[model.AssetPage](NewTradeIDs(ctx, c.trades), LockNamed)(state.PageOf[model.AssetPage](...))
func ShownPage[P state.WirePage[V], V any](s *TradeIDs, named func(V) Named) func(*P, error) (*P, error) {
	return shown(s, func(page *P) []Named {
		items := state.ItemsOf(page)
		all := make([]Named, len(items))
		for i, item := range items {
			all[i] = named(item)
		}
		return all
	})
}

// shown returns a read's v once Show has blanked what all(v) names that the
// caller may not read, or the read's err, or Show's.
func shown[T any](s *TradeIDs, all func(T) []Named) func(T, error) (T, error) {
	return func(v T, err error) (T, error) {
		if err == nil {
			err = s.Show(all(v)...)
		}
		if err != nil {
			var none T
			return none, err
		}
		return v, nil
	}
}

// LockNamed is the trade a's holding is promised to, as a names it: its
// holder sells it, under the exchange of the holder's region.
func LockNamed(a *model.Asset) Named {
	return Named{ID: &a.HoldingLockedBy, Parties: []string{a.HolderID}, Orgs: []string{a.HolderMSP}}
}

// saleNamed is the trade of a history entry (SOLD, HOLDING_SOLD), as the
// entry names it: its seller (By) and its buyer (RightHolderID). It names
// neither's org, so the operators of their regions are not shown it here:
// they read the trades of their regions through the trades contract.
func saleNamed(e *model.HistoryEntry) Named {
	return Named{ID: &e.TradeID, Parties: []string{e.By, e.RightHolderID}}
}
