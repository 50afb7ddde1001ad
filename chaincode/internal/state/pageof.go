package state

import "github.com/deltaledger/deltaledger/model"

// WirePage is every page a list function returns (model's AssetPage,
// TracePage, ListingPage and the rest): a type of its own that embeds
// model.Page, so that the contract metadata names what a list holds; the
// constraint lets one function build any of them, or read its items.
type WirePage[V any] interface {
	~struct{ model.Page[V] }
}

// PageOf returns items and next as the page P a list function returns, or
// err: it takes the results of a page read (IndexedPage, IndexItems) as
// they come, as in
//
//	return state.PageOf[model.AssetPage](state.IndexedPage(...))
func PageOf[P WirePage[V], V any](items []V, next string, err error) (*P, error) {
	if err != nil {
		return nil, err
	}
	return &P{Page: model.Page[V]{Items: items, Bookmark: next}}, nil
}

// ItemsOf returns the items of page p, whichever page type it is (a type
// parameter reaches no field: p is read as the model.Page it embeds).
func ItemsOf[P WirePage[V], V any](p *P) []V {
	return struct{ model.Page[V] }(*p).Items
}
