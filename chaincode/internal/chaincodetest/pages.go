package chaincodetest

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
