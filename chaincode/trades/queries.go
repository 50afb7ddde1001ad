package trades

import (
	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/listings"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Get returns a trade to whom mayRead lets read it: its buyer or seller,
// the regulator, or an operator of the exchange of a region it is in.
//
// Only the orgs' admins, peers and ordering nodes read the blocks that hold
// the record (the channel's Readers), so this check is what keeps a member
// to the trades it has a reason to read; the confidential terms are not on
// the record at all.
func (c *Contract) Get(ctx contractapi.TransactionContextInterface, tradeId string) (*model.Trade, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	_, t, err := callerAndTrade(ctx, participants.Caller, tradeId, nil)
	if err != nil {
		return nil, err
	}
	return t, showSoldNotes(ctx, t)
}

// GetReadable returns, in one evaluation, of the trades tradeIds names
// (comma-separated, each once, at most model.MaxTradesPerRead) those the
// caller may read as trades:Get lets it (mayRead), in the order asked: one
// it may not read is left out as one that does not exist is, after the same
// read of its key. The caller and the market rules are read once, each
// trade once, and their notes shown as trades:Get shows them (showSoldNotes). Its reader is the gateway, which shows a viewer of the event
// of trades:CloseOthers only the closed trades it may read: one call
// whatever how many of them are hidden from it, where a trades:Get per
// trade made the event arrive later the more trades the sale closed that
// the viewer may not read.
func (c *Contract) GetReadable(ctx contractapi.TransactionContextInterface, tradeIds string) (*model.ReadableTrades, error) {
	ids, err := parseTradeIDs(tradeIds)
	if err != nil {
		return nil, err
	}
	caller, err := participants.Caller(ctx)
	if err != nil {
		return nil, err
	}
	readable, err := readableBy(ctx, caller)
	if err != nil {
		return nil, err
	}
	answer := &model.ReadableTrades{Items: []*model.Trade{}}
	for _, id := range ids {
		t, err := lookup(ctx, id, nil)
		if err != nil {
			return nil, err
		}
		if t != nil && readable(t) {
			answer.Items = append(answer.Items, t)
		}
	}
	return answer, showSoldNotes(ctx, answer.Items...)
}

// parseTradeIDs parses the trade IDs of GetReadable.
func parseTradeIDs(s string) ([]string, error) {
	return validate.List("tradeIds", s, model.MaxTradesPerRead, func(n int) error {
		return ledgererr.Invalid("tradeIds", "must name at most %d trades, got %d", model.MaxTradesPerRead, n)
	}, validate.ID)
}

// Terms returns one round of a trade's private terms, checked against the
// hash on the public record. Only the buyer and the seller may read them,
// and only on a peer of one of their two orgs, the members of the
// collection. Call it as a query (evaluate), never as a submitted
// transaction: the response of a submitted transaction is written to the
// block that every org receives.
func (c *Contract) Terms(ctx contractapi.TransactionContextInterface, tradeId, round string) (*model.Terms, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	n, err := validate.IntRange("round", round, 1, model.MaxRounds)
	if err != nil {
		return nil, err
	}
	caller, t, err := callerAndTrade(ctx, participants.Caller, tradeId, nil)
	if err != nil {
		return nil, err
	}
	if err := requireParty(t, caller, ledgererr.Phrase("read the terms of")); err != nil {
		return nil, err
	}
	peerMSP, err := shim.GetMSPID()
	if err != nil {
		return nil, ledgererr.Internalf(err, "reading the MSP ID of this peer")
	}
	if peerMSP != t.BuyerMSP && peerMSP != t.SellerMSP {
		return nil, ledgererr.Forbiddenf("the terms of trade %q are answered only by peers of %s and %s, not of %s", tradeId, t.BuyerMSP, t.SellerMSP, peerMSP)
	}
	return readTerms(ctx, t, n)
}

// ListByParticipant returns one page of the trades a participant is the
// buyer or the seller of. The participant itself, the regulator or an
// operator of the participant's region now (its org's in the market rules in
// force) may list them; an operator is listed only the trades it may read
// (mayRead), no trade it could not read with trades:Get. pageSize is 1 to
// 100 (default 20); bookmark is "" for the first page, then the bookmark the
// previous page returned. A page holds only trades that agree with their
// index entry (indexedBy) and that the caller may read; the others are
// passed over, and the bookmark is the key of the next trade the caller may
// read, never of one it may not (state.ShownPage): continue while there is a
// bookmark.
func (c *Contract) ListByParticipant(ctx contractapi.TransactionContextInterface, participantId, pageSize, bookmark string) (*model.TradePage, error) {
	if err := validate.ID("participantId", participantId); err != nil {
		return nil, err
	}
	caller, size, err := participants.CallerWithPageSize(ctx, pageSize)
	if err != nil {
		return nil, err
	}
	if caller.ID != participantId {
		if !isOverseer(caller) {
			return nil, ledgererr.Forbiddenf("participant %q may not list the trades of %q", caller.ID, participantId)
		}
		p, err := participants.Get(ctx, participantId)
		if err != nil {
			return nil, err
		}
		// The participant's region now, its org's in the rules in force, not
		// the one its record was registered in (as mayRead takes the buyer's).
		region, err := participants.RegionNow(ctx, p.MSPID)
		if err != nil {
			return nil, err
		}
		if !mayOversee(caller, region) {
			return nil, ledgererr.Forbiddenf("participant %q may not list the trades of %q", caller.ID, participantId)
		}
		// A trade of the participant's that its region's operator may not
		// read (one it sold on a listing of the region its org was moved
		// from) is left out, as trades:Get would refuse it.
		readable, err := readableBy(ctx, caller)
		if err != nil {
			return nil, err
		}
		return shownPage(ctx)(state.PageOf[model.TradePage](state.IndexedPage(ctx, idxParty, []string{participantId}, size, bookmark, keyTrade,
			func(t *model.Trade) bool { return indexedBy(idxParty, participantId, t) && readable(t) })))
	}
	return page(ctx, idxParty, participantId, size, bookmark)
}

// ListByListing returns one page of the trades made on a listing, to the
// listing's seller, the regulator or an operator of the listing's region;
// paginated like ListByParticipant.
func (c *Contract) ListByListing(ctx contractapi.TransactionContextInterface, listingId, pageSize, bookmark string) (*model.TradePage, error) {
	if err := validate.ID("listingId", listingId); err != nil {
		return nil, err
	}
	caller, size, err := participants.CallerWithPageSize(ctx, pageSize)
	if err != nil {
		return nil, err
	}
	l, err := listings.Get(ctx, listingId)
	if err != nil {
		return nil, err
	}
	if caller.ID != l.SellerID && !mayOversee(caller, l.Region) {
		return nil, ledgererr.Forbiddenf("participant %q may not list the trades on listing %q", caller.ID, listingId)
	}
	return page(ctx, idxListing, listingId, size, bookmark)
}

// isOverseer reports whether p supervises the market: an exchange operator
// or the regulator.
func isOverseer(p *model.Participant) bool {
	return p.HasRole(model.RoleOperator) || p.HasRole(model.RoleRegulator)
}
