package trades

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/ledger"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// keyTerms is the key type of private terms: tradeId, round.
const keyTerms = "trade~terms"

// TermsCollection names the private data collection that holds the terms of
// trades between two orgs: "terms-<A>-<B>" with the two MSP IDs sorted, so
// the pair has one collection whichever side buys; for two parties of the
// same org, that org's implicit collection. The chaincode's collection
// configuration must define "terms-<A>-<B>" for every pair of orgs: exactly
// those two orgs as members, memberOnlyRead and memberOnlyWrite, and an
// endorsementPolicy requiring both orgs' peers, so that terms enter the
// collection only with both sides' peers holding them.
func TermsCollection(buyerMSP, sellerMSP string) string {
	if buyerMSP == sellerMSP {
		return "_implicit_org_" + buyerMSP
	}
	a, b := min(buyerMSP, sellerMSP), max(buyerMSP, sellerMSP)
	return "terms-" + a + "-" + b
}

// transientTerms returns the raw transient terms of the proposal, if any.
func transientTerms(ctx ledger.Context) ([]byte, bool, error) {
	transient, err := ctx.GetStub().GetTransient()
	if err != nil {
		return nil, false, ledgererr.Internalf(err, "reading transient data")
	}
	raw, ok := transient[model.TransientTermsKey]
	return raw, ok, nil
}

// requiredTerms reads and parses the terms an offer must carry.
func requiredTerms(ctx ledger.Context) (model.OfferTerms, error) {
	raw, ok, err := transientTerms(ctx)
	if err != nil {
		return model.OfferTerms{}, err
	}
	if !ok {
		return model.OfferTerms{}, ledgererr.Invalid("terms", `is required as transient data: {"priceFen", "conditions", "salt"}`)
	}
	return parseTerms(raw, true)
}

// parseTerms parses transient terms strictly: one JSON object, no unknown
// fields. priceFen may be omitted only when priceRequired is false (a fixed
// price order, whose price is the listing's).
func parseTerms(raw []byte, priceRequired bool) (model.OfferTerms, error) {
	var in model.OfferTerms
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return model.OfferTerms{}, ledgererr.Invalid("terms", `must be a JSON object {"priceFen", "conditions", "salt"}: %v`, err)
	}
	if dec.More() {
		return model.OfferTerms{}, ledgererr.Invalid("terms", "must hold exactly one JSON object")
	}
	if in.PriceFen != "" || priceRequired {
		if _, err := validate.AmountFen("terms.priceFen", in.PriceFen); err != nil {
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
func termsKey(ctx ledger.Context, tradeID string, round int) (string, error) {
	return ledger.Key(ctx, keyTerms, tradeID, strconv.Itoa(round))
}

// offer stores the next round of terms in the trade's collection and
// appends its public trace to the trade.
func offer(ctx ledger.Context, t *model.Trade, by string, in model.OfferTerms, now time.Time) error {
	round := len(t.Offers) + 1
	b, err := json.Marshal(model.Terms{TradeID: t.ID, Round: round, By: by, PriceFen: in.PriceFen, Conditions: in.Conditions, Salt: in.Salt})
	if err != nil {
		return ledgererr.Internalf(err, "encoding terms")
	}
	key, err := termsKey(ctx, t.ID, round)
	if err != nil {
		return err
	}
	if err := ctx.GetStub().PutPrivateData(TermsCollection(t.BuyerMSP, t.SellerMSP), key, b); err != nil {
		return ledgererr.Internalf(err, "writing the terms of trade %q round %d", t.ID, round)
	}
	t.Offers = append(t.Offers, model.Offer{Round: round, By: by, At: ledger.Format(now), TxID: ctx.GetStub().GetTxID(), TermsHash: hashHex(b)})
	return nil
}

// readTerms reads one round of a trade's terms from the collection and
// checks them against the public hash. It works only on a peer of the
// buyer's or the seller's org, the collection's members.
func readTerms(ctx ledger.Context, t *model.Trade, round int) (*model.Terms, error) {
	if t.TermsPurged {
		return nil, ledgererr.NotFoundf("the terms of trade %q were purged at both parties' request", t.ID)
	}
	if round < 1 || round > len(t.Offers) {
		return nil, ledgererr.NotFoundf("trade %q has no round %d of terms", t.ID, round)
	}
	key, err := termsKey(ctx, t.ID, round)
	if err != nil {
		return nil, err
	}
	b, err := ctx.GetStub().GetPrivateData(TermsCollection(t.BuyerMSP, t.SellerMSP), key)
	if err != nil {
		return nil, ledgererr.Internalf(err, "reading the terms of trade %q round %d", t.ID, round)
	}
	if b == nil {
		return nil, ledgererr.NotFoundf("this peer holds no terms of trade %q round %d", t.ID, round)
	}
	if got, want := hashHex(b), t.Offers[round-1].TermsHash; got != want {
		return nil, ledgererr.Internalf(fmt.Errorf("SHA-256 %s, public hash %s", got, want), "the stored terms of trade %q round %d do not match their public hash", t.ID, round)
	}
	var terms model.Terms
	if err := json.Unmarshal(b, &terms); err != nil {
		return nil, ledgererr.Internalf(err, "decoding the terms of trade %q round %d", t.ID, round)
	}
	return &terms, nil
}

// purgeTerms removes every round of a trade's terms from the collection and
// from its history on the members' peers; the public hashes remain.
func purgeTerms(ctx ledger.Context, t *model.Trade) error {
	collection := TermsCollection(t.BuyerMSP, t.SellerMSP)
	for _, o := range t.Offers {
		key, err := termsKey(ctx, t.ID, o.Round)
		if err != nil {
			return err
		}
		if err := ctx.GetStub().PurgePrivateData(collection, key); err != nil {
			return ledgererr.Internalf(err, "purging the terms of trade %q round %d", t.ID, o.Round)
		}
	}
	return nil
}

// hashHex is the hex SHA-256 of b, the form of every public hash.
func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
