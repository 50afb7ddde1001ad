package chaincodetest

import "testing"

// EachPage walks a paginated list from its first page to its last, the way
// a client does: read is given the bookmark of each page in turn (empty for
// the first), handles that page, and returns the bookmark the page carries,
// which is empty after the last. A read that wants to stop early, such as
// at an empty page, returns an empty bookmark.
func EachPage(read func(bookmark string) (next string)) {
	for bookmark := read(""); bookmark != ""; {
		bookmark = read(bookmark)
	}
}

// Items reads every page of a list with EachPage and returns the items of
// all its pages in order, decoded as T. read evaluates the list at the
// bookmark given; each answer must be a page, a JSON object with the
// page's "items" and the "bookmark" of the next (as model.AssetPage,
// model.RightPage, ...).
func Items[T any](t testing.TB, read func(bookmark string) Result) []*T {
	t.Helper()
	var all []*T
	EachPage(func(bookmark string) string {
		var page struct {
			Items    []*T   `json:"items"`
			Bookmark string `json:"bookmark"`
		}
		read(bookmark).Unmarshal(t, &page)
		all = append(all, page.Items...)
		return page.Bookmark
	})
	return all
}
