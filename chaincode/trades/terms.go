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

// requiredTerms reads and parses the terms that must come with StageTerms:
// with a price unless they are the terms of an order on a FIXED listing.
func requiredTerms(ctx state.Context, pricing string) (model.OfferTerms, error) {
	raw, ok, err := transientTerms(ctx)
	if err != nil {
		return model.OfferTerms{}, err
	}
	if !ok {
		return model.OfferTerms{}, ledgererr.Invalid("terms", "is required as transient data: %s", model.OfferTermsShape)
	}
	return parseTerms(raw, pricing == model.PricingFixed)
}

// refuseSentTerms refuses terms sent with a public step (Order, Propose,
// Counter): its endorsers may include an org that is no party of the trade,
// whose peer would receive them. The terms are staged first (StageTerms),
// endorsed by the buyer's and the seller's orgs alone.
func refuseSentTerms(ctx state.Context) error {
	_, sent, err := transientTerms(ctx)
	if err == nil && sent {
		err = ledgererr.Invalid("terms", "must not be sent with Order, Propose or Counter: stage them first with StageTerms, endorsed by the buyer's and the seller's orgs alone, so that no other org's peer receives them")
	}
	return err
}

// parseTerms parses transient terms strictly: one JSON object, no unknown
// fields. priceFen is required, except in the terms of an order on a FIXED
// listing (fixed), where it must be omitted: the order's price is the
// listing's public one.
func parseTerms(raw []byte, fixed bool) (model.OfferTerms, error) {
	var in model.OfferTerms
	if err := validate.Object("terms", raw, &in, model.OfferTermsShape); err != nil {
		return model.OfferTerms{}, err
	}
	if fixed && in.PriceFen != 0 {
		return model.OfferTerms{}, ledgererr.Invalid("terms.priceFen", "must be omitted in the terms of an order on a FIXED listing: its price is the listing's")
	}
	if !fixed {
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

// sameOrg tells whether buyer and seller are members of one org. Their terms
// are then kept in that org's implicit collection.
func sameOrg(t *model.Trade) bool { return t.BuyerMSP == t.SellerMSP }

// stagedLocation is where StageTerms keeps round's terms of trade tradeID
// staged by party by: in the collection of the buyer's and the seller's
// orgs (TermsCollection) under (tradeId, round, by), so that each party
// stages only its own terms; round 1, which opens the trade, under
// (tradeId, 1, by, listingId), so that Order or Propose on listingID finds
// only terms staged for it: terms staged for another listing of a seller of
// the same org (the same collection) would carry a price on a FIXED order,
// or none on a NEGOTIABLE proposal, and the public step, which reads only
// their hash, could not tell.
func stagedLocation(ctx state.Context, orgs model.TermsOrgs, listingID, tradeID string, round int, by string) (collection, key string, err error) {
	attributes := []string{tradeID, strconv.Itoa(round), by}
	if round == 1 {
		attributes = append(attributes, listingID)
	}
	key, err = state.Key(ctx, keyTerms, attributes...)
	return TermsCollection(orgs.BuyerMSP, orgs.SellerMSP), key, err
}

// termsLocation is where round's terms of trade t staged by party by are
// kept (stagedLocation).
func termsLocation(ctx state.Context, t *model.Trade, round int, by string) (collection, key string, err error) {
	return stagedLocation(ctx, tradeOrgs(t), t.ListingID, t.ID, round, by)
}

// formerLocation is where interface 6 kept round's terms of trade t offered
// by party by: between two orgs under (tradeId, round), where the public
// step itself wrote them; inside one org under (tradeId, round, by), where
// the party staged them. Nothing writes there since 7.0.0.
func formerLocation(ctx state.Context, t *model.Trade, round int, by string) (collection, key string, err error) {
	attributes := []string{t.ID, strconv.Itoa(round)}
	if sameOrg(t) {
		attributes = append(attributes, by)
	}
	key, err = state.Key(ctx, keyTerms, attributes...)
	return TermsCollection(t.BuyerMSP, t.SellerMSP), key, err
}

// heldTerms finds where round's offered terms of trade t are held, and
// reads their hash (nil when none are): where their party staged them, or,
// for an offer made before interface 7.0.0, where that version kept them
// (formerLocation), so that no older trade loses its terms. The former
// location is written by nothing since, and a staged round is never staged
// again once offered (requireStageable), so an offered round is held at one
// of the two only; its callers check the hash against the offer's.
func heldTerms(ctx state.Context, t *model.Trade, round int, by string) (collection, key string, hash []byte, err error) {
	collection, key, err = termsLocation(ctx, t, round, by)
	if err == nil {
		hash, err = privateHash(ctx, t.ID, round, collection, key)
	}
	if err != nil || hash != nil {
		return collection, key, hash, err
	}
	former, formerKey, err := formerLocation(ctx, t, round, by)
	if err != nil || formerKey == key {
		return collection, key, nil, err
	}
	hash, err = privateHash(ctx, t.ID, round, former, formerKey)
	return former, formerKey, hash, err
}

// privateHash reads the hash of round's terms of trade tradeID at key of
// collection, which every org's peer holds; nil when none are there.
func privateHash(ctx state.Context, tradeID string, round int, collection, key string) ([]byte, error) {
	hash, err := ctx.GetStub().GetPrivateDataHash(collection, key)
	if err != nil {
		return nil, ledgererr.Internalf(err, "reading the hash of the terms of trade %q round %d", tradeID, round)
	}
	return hash, nil
}

// termsRecord is the stored form of one round of terms.
func termsRecord(tradeID string, round int, by string, in model.OfferTerms) ([]byte, error) {
	b, err := canonical.JSON(model.Terms{TradeID: tradeID, Round: round, By: by, PriceFen: in.PriceFen, Conditions: in.Conditions, Salt: in.Salt})
	if err != nil {
		return nil, ledgererr.Internalf(err, "encoding terms")
	}
	return b, nil
}

// stagedHash reads the hash of the terms party by staged for the next
// round of trade t, nil when it staged none. Reading only the hash, which
// every org's peer holds, the public step runs alike on any org's peer, a
// third org's too; Fabric versions the hash read, so terms staged again
// before the public step commits invalidate it, and the public hash always
// matches the private bytes.
func stagedHash(ctx state.Context, t *model.Trade, by string) ([]byte, error) {
	round := len(t.Offers) + 1
	collection, key, err := termsLocation(ctx, t, round, by)
	if err != nil {
		return nil, err
	}
	return privateHash(ctx, t.ID, round, collection, key)
}

// recordOffer appends the next round, whose staged terms hash to hash, to
// the public offers of trade t.
func recordOffer(ctx state.Context, t *model.Trade, by string, hash []byte, now time.Time) {
	t.Offers = append(t.Offers, model.Offer{Round: len(t.Offers) + 1, By: by, At: state.Format(now), TxID: ctx.GetStub().GetTxID(), TermsHash: hex.EncodeToString(hash)})
}

// offerStaged records the next round of terms of trade t, which party by
// must have staged with StageTerms: they stay where they are, and their
// hash becomes the offer's public hash.
func offerStaged(ctx state.Context, t *model.Trade, by string, now time.Time) error {
	hash, err := stagedHash(ctx, t, by)
	if err != nil {
		return err
	}
	if hash == nil {
		return ledgererr.NotFoundf("participant %q staged no terms for round %d of trade %q: call StageTerms first, endorsed by the buyer's and the seller's orgs alone", by, len(t.Offers)+1, t.ID)
	}
	recordOffer(ctx, t, by, hash, now)
	return nil
}

// requireOffered checks that the last offer of a trade (of a negotiation,
// or an order's terms) is held where its party staged it (heldTerms), under
// its public hash; a trade with no offer has nothing to accept. That is the
// collection of the buyer's and the seller's orgs, which only a transaction
// their peers endorsed can write, a new key too (the collection's
// endorsement policy): a trade record other orgs wrote (a new key needs only
// the chaincode-level policy) could name an offer "by" the seller that the
// seller never made, and accepting it would lock the seller's holding; or an
// order "by" the buyer whose terms the seller's peer never received, though
// the buyer could later show terms of that hash as agreed. Only the hash is
// read, which every org's peer holds.
func requireOffered(ctx state.Context, t *model.Trade) error {
	last, ok := t.LastOffer()
	if !ok {
		return ledgererr.Conflictf("trade %q holds no offer: it cannot be accepted", t.ID)
	}
	_, _, hash, err := heldTerms(ctx, t, last.Round, last.By)
	if err != nil {
		return err
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
	collection, key, _, err := heldTerms(ctx, t, round, t.Offers[round-1].By)
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
// from its history on the members' peers; the public hashes remain. It also
// removes the next round's terms if the party who could answer the last
// offer staged them (StageTerms) and never offered them: they are terms of
// the trade too, which no round names.
func purgeTerms(ctx state.Context, t *model.Trade) error {
	for _, o := range t.Offers {
		if err := purgeRound(ctx, t, o.Round, o.By); err != nil {
			return err
		}
	}
	last, _ := t.LastOffer()
	answerer := t.SellerID
	if last.By == t.SellerID {
		answerer = t.BuyerID
	}
	return purgeRound(ctx, t, last.Round+1, answerer)
}

// purgeRound purges round's terms offered, or staged, by party by, where
// they are held (heldTerms); nothing when none are.
func purgeRound(ctx state.Context, t *model.Trade, round int, by string) error {
	collection, key, hash, err := heldTerms(ctx, t, round, by)
	if err != nil || hash == nil {
		return err
	}
	if err := ctx.GetStub().PurgePrivateData(collection, key); err != nil {
		return ledgererr.Internalf(err, "purging the terms of trade %q round %d", t.ID, round)
	}
	return nil
}
