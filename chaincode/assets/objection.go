package assets

import (
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func getObjection(ctx state.Context, assetID, id string) (*model.Objection, error) {
	o, _, err := state.Find[model.Objection](ctx, func() error { return ledgererr.NotFoundf("objection %q against asset %q does not exist", id, assetID) }, keyObjection, assetID, id)
	return o, err
}

// putObjection writes an objection and puts its key under a majority of the
// orgs of rules, the market rules in force, as the application's own key is
// (putApplication): a key of the applicant's org would let that org alone
// dismiss or delete an objection to its own application and have it
// certified. No policy names the exchange's org either: which org's
// operators run the exchange of the asset's region follows the market rules
// in force (DecideObjection, exchangeOperator), which a majority may change
// while the objection is open.
func putObjection(ctx state.Context, o *model.Objection, rules *model.Rules) error {
	key, err := state.Key(ctx, keyObjection, o.AssetID, o.ID)
	if err != nil {
		return err
	}
	return state.PutUnderMajority(ctx, key, o, rules.MSPIDs())
}

// objectionsOf reads every objection against an asset. Objections can be
// filed only during one notice period, and each participant has at most one
// open at a time (Object), so the set grows no faster than the exchange
// decides them; it is read whole, also by Certify inside its transaction:
// the range read makes an objection committed concurrently invalidate the
// certification.
func objectionsOf(ctx state.Context, assetID string) ([]*model.Objection, error) {
	ids, err := state.CollectIDs(ctx, keyObjection, []string{assetID})
	if err != nil {
		return nil, err
	}
	list := make([]*model.Objection, 0, len(ids))
	for _, id := range ids {
		o, err := getObjection(ctx, assetID, id)
		if err != nil {
			return nil, err
		}
		list = append(list, o)
	}
	return list, nil
}

// registeredObjector returns the objector of o for the impartiality check of
// decision, or "" when o names no registered participant. Object files an
// objection only in its caller's name, but an objection is a new key, which
// orgs running chaincode of their own can write (a majority: the
// chaincode-level policy): one naming nobody would hold the application's
// certification (Certify waits for every OPEN objection) for good, were it
// refused a judge for want of a party to be impartial towards. The exchange
// dismisses such a record; it upholds none, which would withdraw an
// application on the word of no participant.
func registeredObjector(ctx state.Context, o *model.Objection, decision string) (string, error) {
	if o.ObjectorID != "" {
		// Bytes at the objector's record, its org's alone to write, are no participant either (participants.Lookup):
		// read strictly, they failed every decision, and the objector's org alone held the application up for good.
		if p, err := participants.Lookup(ctx, o.ObjectorID); err != nil {
			return "", err
		} else if p != nil {
			return o.ObjectorID, nil
		}
	}
	if decision == model.DecisionUphold {
		return "", ledgererr.Conflictf("objection %q names %q, who is no registered participant: no participant filed it, and the exchange may only dismiss it", o.ID, o.ObjectorID)
	}
	return "", nil
}
