package trades

import (
	"strings"
	"unicode/utf8"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
)

// listingKeyPrefix starts the simple key of every trade of listing
// listingID: listingKeyPrefix/tradeId. A listing's trades are indexed so,
// as well as under idxListing, from interface 12.0.0 on (model.Listing's
// TradeKeys): the peer reads a range of simple keys from any key on, but a
// partial composite key only from its start, so a sale's closing of a page
// of the others (CloseOthers) reads that page's entries alone, not every
// entry before them. The separator is in no ID (validate.ID), so one
// listing's entries are one range, in the order of its composite ones. The
// keys name the listing and the trade as the idxListing keys do, no more.
func listingKeyPrefix(listingID string) string {
	return idxListing + "/" + listingID + "/"
}

// indexedFrom reads up to n entries of the trades index of listing l from
// the key from on ("" for the first), as state.IndexedFrom: with their
// idxListing keys, the trade each names (nil where none) and the idxListing
// key of the entry after them. A listing created before its trades had
// simple keys (TradeKeys unset) is read from the start of its composite
// entries; every other from the entry from names on, as one range.
func indexedFrom(ctx state.Context, l *model.Listing, from string, n int) (keys []string, trades []*model.Trade, next string, err error) {
	if !l.TradeKeys {
		return state.IndexedFrom[model.Trade](ctx, idxListing, []string{l.ID}, from, n, keyTrade)
	}
	start, err := keyedStart(ctx, l.ID, from)
	if err != nil {
		return nil, nil, "", err
	}
	ids, trades, nextID, err := state.KeyedFrom[model.Trade](ctx, listingKeyPrefix(l.ID), start, n, keyTrade)
	if err != nil {
		return nil, nil, "", err
	}
	for _, id := range ids {
		key, err := state.Key(ctx, idxListing, l.ID, id)
		if err != nil {
			return nil, nil, "", err
		}
		keys = append(keys, key)
	}
	if nextID != "" {
		next, err = state.Key(ctx, idxListing, l.ID, nextID)
	}
	return keys, trades, next, err
}

// keyedStart is the simple key from which listingID's simple entries are
// those whose idxListing keys lie from the bookmark from on (from is a key
// under listingID's idxListing prefix, or ""). Such a key is the prefix,
// the trade ID and the separator "\x00", the least byte, which no ID holds:
// so an entry lies from a bookmark prefix+u+"\x00" on when its ID is u or
// sorts after it, from prefix+u+"\x00"+more on when its ID sorts after u,
// and from prefix+u on (u without "\x00") when its ID does. Bookmarks keep
// their form, those CloseOthers handed out before the simple keys too.
func keyedStart(ctx state.Context, listingID, from string) (string, error) {
	prefix := listingKeyPrefix(listingID)
	if from == "" {
		return prefix, nil
	}
	composite, err := state.Key(ctx, idxListing, listingID)
	if err != nil {
		return "", err
	}
	u, more, cut := strings.Cut(strings.TrimPrefix(from, composite), "\x00")
	if !utf8.ValidString(u) {
		// No key is: the peer takes no such range bound.
		return "", state.NotABookmark("from")
	}
	if cut && more != "" {
		return prefix + u + "\x00", nil
	}
	return prefix + u, nil
}
