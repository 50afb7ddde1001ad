package trades

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/canonical"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// keyTerms is the key type of private terms: tradeId, round.
const keyTerms = "trade~terms"

// TermsCollection names the private data collection that holds the terms of
// trades between two orgs: "terms-<A>-<B>" with the two MSP IDs sorted, so
// the pair has one collection whichever side buys; for two parties of the
// same org, that org's implicit collection. TermsCollections defines every
// pair's collection as the chaincode definition carries it: exactly those
// two orgs as members, memberOnlyRead and memberOnlyWrite, and an
// endorsement policy requiring both orgs' peers, so that terms enter the
// collection only with both sides' peers holding them.
func TermsCollection(buyerMSP, sellerMSP string) string {
	if buyerMSP == sellerMSP {
		return "_implicit_org_" + buyerMSP
	}
	a, b := min(buyerMSP, sellerMSP), max(buyerMSP, sellerMSP)
	return "terms-" + a + "-" + b
}

// transientTerms returns the raw transient terms of the proposal, if any.
func transientTerms(ctx state.Context) ([]byte, bool, error) {
	transient, err := ctx.GetStub().GetTransient()
	if err != nil {
		return nil, false, ledgererr.Internalf(err, "reading transient data")
	}
	raw, ok := transient[model.TransientTermsKey]
	return raw, ok, nil
}

// optionalTerms reads and parses the transient terms of the proposal, if
// any; whether the trade needs them is decided once its orgs are known
// (offerTerms).
func optionalTerms(ctx state.Context, priceRequired bool) (model.OfferTerms, bool, error) {
	raw, ok, err := transientTerms(ctx)
	if err != nil || !ok {
		return model.OfferTerms{}, false, err
	}
	terms, err := parseTerms(raw, priceRequired)
	return terms, err == nil, err
}

// requiredTerms reads and parses the terms that must come with a call.
func requiredTerms(ctx state.Context) (model.OfferTerms, error) {
	terms, ok, err := optionalTerms(ctx, true)
	if err == nil && !ok {
		err = ledgererr.Invalid("terms", "is required as transient data: %s", model.OfferTermsShape)
	}
	return terms, err
}

// parseTerms parses transient terms strictly: one JSON object, no unknown
// fields. priceFen may be omitted only when priceRequired is false (a fixed
// price order, whose price is the listing's).
func parseTerms(raw []byte, priceRequired bool) (model.OfferTerms, error) {
	var in model.OfferTerms
	if err := validate.Object("terms", raw, &in, model.OfferTermsShape); err != nil {
		return model.OfferTerms{}, err
	}
	if in.PriceFen != 0 || priceRequired {
		if err := validate.Amount("terms.priceFen", in.PriceFen); err != nil {
			return model.OfferTerms{}, err
		}
	}
	if err := validate.OptionalText("terms.conditions", in.Conditions, model.MaxTermsConditionsLength); err != nil {
		return model.OfferTerms{}, err
	}
	if err := checkSalt("terms.salt", in.Salt); err != nil {
		return model.OfferTerms{}, err
	}
	return in, nil
}

// checkSalt checks the salt of private terms: lowercase hex of 16 to 64
// random bytes.
func checkSalt(field, s string) error {
	if len(s) < model.MinSaltLength || len(s) > model.MaxSaltLength {
		return ledgererr.Invalid(field, "must be %d to %d lowercase hexadecimal characters of client randomness, got %d characters", model.MinSaltLength, model.MaxSaltLength, len(s))
	}
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return ledgererr.Invalid(field, "must be lowercase hexadecimal")
		}
	}
	return nil
}

// termsKey is the private key of one round of a trade's terms.
func termsKey(ctx state.Context, tradeID string, round int) (string, error) {
	return state.Key(ctx, keyTerms, tradeID, strconv.Itoa(round))
}

// sameOrg tells whether buyer and seller are members of one org. Their terms
// are then kept in that org's implicit collection and offered in two steps
// (StageTerms endorsed by the org alone, then the public step), because a
// transaction that creates public keys needs a second org's endorsement,
// and that org's peer must never receive the terms.
func sameOrg(t *model.Trade) bool { return t.BuyerMSP == t.SellerMSP }

// termsLocation is where round's terms offered by party by are kept: in the
// pair collection of two orgs under (tradeId, round); in the implicit
// collection of one org under (tradeId, round, by), so that only the party
// itself can stage them there.
func termsLocation(ctx state.Context, t *model.Trade, round int, by string) (collection, key string, err error) {
	collection = TermsCollection(t.BuyerMSP, t.SellerMSP)
	if sameOrg(t) {
		key, err = state.Key(ctx, keyTerms, t.ID, strconv.Itoa(round), by)
	} else {
		key, err = termsKey(ctx, t.ID, round)
	}
	return collection, key, err
}

// termsRecord is the stored form of one round of terms.
func termsRecord(tradeID string, round int, by string, in model.OfferTerms) ([]byte, error) {
	b, err := canonical.JSON(model.Terms{TradeID: tradeID, Round: round, By: by, PriceFen: in.PriceFen, Conditions: in.Conditions, Salt: in.Salt})
	if err != nil {
		return nil, ledgererr.Internalf(err, "encoding terms")
	}
	return b, nil
}

// offer records the next round of terms of a trade between two orgs: the
// terms, which arrived as transient data, go into the pair's collection,
// and their public trace is appended to the trade.
func offer(ctx state.Context, t *model.Trade, by string, in model.OfferTerms, now time.Time) error {
	round := len(t.Offers) + 1
	b, err := termsRecord(t.ID, round, by, in)
	if err != nil {
		return err
	}
	collection, key, err := termsLocation(ctx, t, round, by)
	if err != nil {
		return err
	}
	if err := ctx.GetStub().PutPrivateData(collection, key, b); err != nil {
		return ledgererr.Internalf(err, "writing the terms of trade %q round %d", t.ID, round)
	}
	t.Offers = append(t.Offers, model.Offer{Round: round, By: by, At: state.Format(now), TxID: ctx.GetStub().GetTxID(), TermsHash: canonical.SHA256Hex(b)})
	return nil
}

// offerStaged records the next round of terms of a trade inside one org:
// the terms the party staged with StageTerms stay where they are, and their
// hash, which every peer holds, becomes the offer's public hash. Reading
// only the hash, the public step runs alike on any org's peer; Fabric
// versions the hash read, so terms staged again before this commits
// invalidate it and the public hash always matches the private bytes.
func offerStaged(ctx state.Context, t *model.Trade, by string, now time.Time) error {
	round := len(t.Offers) + 1
	collection, key, err := termsLocation(ctx, t, round, by)
	if err != nil {
		return err
	}
	hash, err := ctx.GetStub().GetPrivateDataHash(collection, key)
	if err != nil {
		return ledgererr.Internalf(err, "reading the hash of the staged terms of trade %q round %d", t.ID, round)
	}
	if hash == nil {
		return ledgererr.NotFoundf("participant %q staged no terms for round %d of trade %q: call StageTerms first, endorsed by %s alone", by, round, t.ID, t.BuyerMSP)
	}
	t.Offers = append(t.Offers, model.Offer{Round: round, By: by, At: state.Format(now), TxID: ctx.GetStub().GetTxID(), TermsHash: hex.EncodeToString(hash)})
	return nil
}

// offerTerms records the next round of terms by party by, as the trade's
// orgs require: hasTerms tells whether terms arrived as transient data.
// Between two orgs they must; inside one org they must not, since the
// public step's endorsers include another org's peer.
func offerTerms(ctx state.Context, t *model.Trade, by string, in model.OfferTerms, hasTerms bool, now time.Time) error {
	if sameOrg(t) {
		if hasTerms {
			return ledgererr.Invalid("terms", "must not be sent with the public step of a trade inside %s: stage them first with StageTerms, endorsed by %s alone, so that no other org's peer receives them", t.BuyerMSP, t.BuyerMSP)
		}
		return offerStaged(ctx, t, by, now)
	}
	if !hasTerms {
		return ledgererr.Invalid("terms", `is required as transient data: {"priceFen", "conditions", "salt"}`)
	}
	return offer(ctx, t, by, in, now)
}

// requireOffered checks that the last offer of a trade (of a negotiation,
// or an order's terms) is held where its party's step put it, under its
// public hash; a trade with no offer has nothing to accept. Between two orgs that is
// their pair collection, which only a transaction both orgs' peers endorsed
// can write, a new key too (the collection's endorsement policy); a trade
// record other orgs wrote (a new key needs only the chaincode-level policy)
// could name an offer "by" the seller that the seller never made, and
// accepting it would lock the seller's holding; or an order "by" the buyer
// whose terms the seller's peer never received, though the buyer could
// later show terms of that hash as agreed. Inside one org it is the
// offering party's own staged terms. Only the hash is read, which every
// org's peer holds.
func requireOffered(ctx state.Context, t *model.Trade) error {
	last, ok := t.LastOffer()
	if !ok {
		return ledgererr.Conflictf("trade %q holds no offer: it cannot be accepted", t.ID)
	}
	collection, key, err := termsLocation(ctx, t, last.Round, last.By)
	if err != nil {
		return err
	}
	hash, err := ctx.GetStub().GetPrivateDataHash(collection, key)
	if err != nil {
		return ledgererr.Internalf(err, "reading the hash of the terms of trade %q round %d", t.ID, last.Round)
	}
	if hex.EncodeToString(hash) != last.TermsHash {
		return ledgererr.Conflictf("round %d of trade %q is not held in the terms of its orgs under its public hash: it cannot be accepted", last.Round, t.ID)
	}
	return nil
}

// readTerms reads one round of a trade's terms from the collection and
// checks them against the public hash. It works only on a peer of the
// buyer's or the seller's org, the collection's members.
func readTerms(ctx state.Context, t *model.Trade, round int) (*model.Terms, error) {
	if t.TermsPurged {
		return nil, ledgererr.NotFoundf("the terms of trade %q were purged at both parties' request", t.ID)
	}
	if round < 1 || round > len(t.Offers) {
		return nil, ledgererr.NotFoundf("trade %q has no round %d of terms", t.ID, round)
	}
	collection, key, err := termsLocation(ctx, t, round, t.Offers[round-1].By)
	if err != nil {
		return nil, err
	}
	b, err := ctx.GetStub().GetPrivateData(collection, key)
	if err != nil {
		return nil, ledgererr.Internalf(err, "reading the terms of trade %q round %d", t.ID, round)
	}
	if b == nil {
		return nil, ledgererr.NotFoundf("this peer holds no terms of trade %q round %d", t.ID, round)
	}
	if got, want := canonical.SHA256Hex(b), t.Offers[round-1].TermsHash; got != want {
		return nil, ledgererr.Internalf(fmt.Errorf("SHA-256 %s, public hash %s", got, want), "the stored terms of trade %q round %d do not match their public hash", t.ID, round)
	}
	var terms model.Terms
	if err := json.Unmarshal(b, &terms); err != nil {
		return nil, ledgererr.Internalf(err, "decoding the terms of trade %q round %d", t.ID, round)
	}
	return &terms, nil
}

// purgeTerms removes every round of a trade's terms from the collection and
// from its history on the members' peers; the public hashes remain. Inside
// one org it also removes the next round's terms if the party who could
// answer the last offer staged them (StageTerms) and never offered them:
// they are terms of the trade too, which no round names.
func purgeTerms(ctx state.Context, t *model.Trade) error {
	for _, o := range t.Offers {
		if err := purgeRound(ctx, t, o.Round, o.By); err != nil {
			return err
		}
	}
	if !sameOrg(t) {
		return nil
	}
	last, _ := t.LastOffer()
	answerer := t.SellerID
	if last.By == t.SellerID {
		answerer = t.BuyerID
	}
	collection, key, err := termsLocation(ctx, t, last.Round+1, answerer)
	if err != nil {
		return err
	}
	hash, err := ctx.GetStub().GetPrivateDataHash(collection, key)
	if err != nil {
		return ledgererr.Internalf(err, "reading the hash of the staged terms of trade %q round %d", t.ID, last.Round+1)
	}
	if hash == nil {
		return nil
	}
	return purgeRound(ctx, t, last.Round+1, answerer)
}

// purgeRound purges round's terms offered, or staged, by party by.
func purgeRound(ctx state.Context, t *model.Trade, round int, by string) error {
	collection, key, err := termsLocation(ctx, t, round, by)
	if err != nil {
		return err
	}
	if err := ctx.GetStub().PurgePrivateData(collection, key); err != nil {
		return ledgererr.Internalf(err, "purging the terms of trade %q round %d", t.ID, round)
	}
	return nil
}
