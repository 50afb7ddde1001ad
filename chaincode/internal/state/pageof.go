package state

import "github.com/deltaledger/deltaledger/model"

// wirePage is every page a list function returns (model's AssetPage,
// TracePage, ListingPage and the rest): a type of its own that embeds
// model.Page, so that the contract metadata names what a list holds; the
// constraint lets one function build any of them.
type wirePage[V any] interface {
	~struct{ model.Page[V] }
}

// PageOf returns items and next as the page P a list function returns, or
// err: it takes the results of a page read (IndexedPage, IndexItems) as
// they come, as in
//
//	return state.PageOf[model.AssetPage](state.IndexedPage(...))
func PageOf[P wirePage[V], V any](items []V, next string, err error) (*P, error) {
	if err != nil {
		return nil, err
	}
	return &P{Page: model.Page[V]{Items: items, Bookmark: next}}, nil
}
