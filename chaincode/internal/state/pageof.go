package state

// wirePage is the shape of every page a list function returns (model's
// AssetPage, TracePage, ListingPage and the rest): the items, and the
// bookmark of the next page. Each is its own named type so that the
// contract metadata names what a list holds; the shape lets one function
// build any of them.
type wirePage[V any] interface {
	~struct {
		Items    []V    `json:"items"`
		Bookmark string `json:"bookmark"`
	}
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
	return &P{Items: items, Bookmark: next}, nil
}
