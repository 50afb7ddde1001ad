package trades

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/canonical"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// StageTerms is the first step of an offer between a buyer and a seller of
// the same org: it stores the caller's terms for round round of trade
// tradeId, which arrive as transient "terms" {"priceFen", "conditions",
// "salt"}, in the implicit collection of the caller's org, and writes
// nothing public. Submit it endorsed by the peers of the caller's own org
// alone (the client names that org as the only endorsing organization), so
// that no other org's peer receives the terms; then submit the public step
// without transient data: Propose for round 1, Counter for a later round.
//
// Why two steps: the public step creates or changes public keys, which the
// chaincode's policy (or the trade's) has a second org endorse, and the
// Fabric gateway never sends transient data to an org outside the
// collection. Between two orgs the pair's collection has both as members,
// so their terms travel with the public step itself.
//
// Round 1 opens a trade: the trade must not exist yet and the caller must
// hold the buyer role; whether the listing is negotiable and in the caller's
// org is checked by Propose. A later round must be the trade's next one, of
// a NEGOTIATING trade inside one org whose last offer was the other
// party's. Staging the same round again before the public step replaces the
// terms; the public step reads the hash of what is staged when it commits.
// StageTerms emits no event: nothing public changed.
func (c *Contract) StageTerms(ctx contractapi.TransactionContextInterface, tradeId, round string) (*model.StagedTerms, error) {
	if err := validate.ID("tradeId", tradeId); err != nil {
		return nil, err
	}
	n, err := validate.IntRange("round", round, 1, model.MaxRounds)
	if err != nil {
		return nil, err
	}
	terms, err := requiredTerms(ctx)
	if err != nil {
		return nil, err
	}
	var caller *model.Participant
	if n == 1 {
		if caller, err = participants.CallerWithRole(ctx, model.RoleBuyer); err != nil {
			return nil, err
		}
		// Reading the trade key makes Fabric invalidate this staging if a
		// Propose of the same trade commits first.
		if taken, err := exists(ctx, tradeId); err != nil {
			return nil, err
		} else if taken {
			return nil, ledgererr.Conflictf("trade %q already exists; round 1 opens a trade", tradeId)
		}
	} else {
		var t *model.Trade
		caller, t, _, err = begin(ctx, tradeId)
		if err != nil {
			return nil, err
		}
		if err := requireStageable(t, caller, n); err != nil {
			return nil, err
		}
	}
	b, err := termsRecord(tradeId, n, caller.ID, terms)
	if err != nil {
		return nil, err
	}
	key, err := state.Key(ctx, keyTerms, tradeId, round, caller.ID)
	if err != nil {
		return nil, err
	}
	if err := ctx.GetStub().PutPrivateData(TermsCollection(caller.MSPID, caller.MSPID), key, b); err != nil {
		return nil, ledgererr.Internalf(err, "writing the staged terms of trade %q round %d", tradeId, n)
	}
	return &model.StagedTerms{TradeID: tradeId, Round: n, TermsHash: canonical.SHA256Hex(b)}, nil
}

// requireStageable checks that the caller may stage round n of an existing
// trade: a party to a NEGOTIATING trade inside one org, answering the other
// party's last offer with the next round.
func requireStageable(t *model.Trade, caller *model.Participant, n int) error {
	if err := requireParty(t, caller, ledgererr.Phrase("offer terms on")); err != nil {
		return err
	}
	if !sameOrg(t) {
		return ledgererr.Conflictf("trade %q is between %s and %s: its terms travel with Counter as transient data, not staged", t.ID, t.BuyerMSP, t.SellerMSP)
	}
	if t.Status != model.TradeNegotiating {
		return ledgererr.Conflictf("trade %q is %s; only a NEGOTIATING trade takes new terms", t.ID, t.Status)
	}
	if next := len(t.Offers) + 1; n != next {
		return ledgererr.Conflictf("trade %q has %d rounds; the next is round %d, not %d", t.ID, len(t.Offers), next, n)
	}
	if last, _ := t.LastOffer(); last.By == caller.ID {
		return ledgererr.Forbiddenf("round %d of trade %q is %q's own offer; the other party answers it", last.Round, t.ID, caller.ID)
	}
	return nil
}
