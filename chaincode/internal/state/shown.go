package state

import "github.com/deltaledger/deltaledger/model"

// Scanned is one entry a list scanned: its ledger key, the item it names,
// whether the caller may read it (Readable: a trade an operator may not
// read, an entry naming no record or a record it does not describe is not)
// and whether the page shows it (Shown: Readable, and the list's filter,
// such as a status, keeps it).
type Scanned[T any] struct {
	Key      string
	Item     T
	Readable bool
	Shown    bool
}

// ShownPage reads one page of a list whose entries the caller may not all
// read: the Shown items among the next pageSize Readable entries from
// bookmark on, and as the next page's bookmark the key of the Readable entry
// after them ("" when there is none). scan reads n entries from a bookmark
// in key order, with the peer's bookmark after them.
//
// The peer's own bookmark is the key of the entry after a page, whichever
// it is: handed out, it would name a trade (its ID, its opening time) that
// trades:Get answers the caller NOT_FOUND, and a caller paging one entry at
// a time would collect them all. So no key of an entry that is not Readable
// leaves this function, and nothing else in the answer depends on one: the
// scan passes over such entries, however many, until it has the page and
// the entry after it, or reaches the end. A bound on that scan would tell
// the caller that many entries it may not read lie ahead (a short page, an
// error), which it may not learn; the walk of a whole list still reads
// each entry once, and hidden entries cost only the evaluating peer.
//
// The page is deterministic: it depends on the committed entries and the
// caller alone, not on where the peer's pages end.
func ShownPage[T any](pageSize int32, bookmark string, scan func(n int32, bookmark string) ([]Scanned[T], string, error)) ([]T, string, error) {
	items := []T{}
	readable := int32(0)
	// The first read is the page and the entry after it; a page that
	// passes over hidden entries reads on in the largest pages there are.
	for n := pageSize + 1; ; n = model.MaxPageSize {
		entries, next, err := scan(n, bookmark)
		if err != nil {
			return nil, "", err
		}
		for _, e := range entries {
			if !e.Readable {
				continue
			}
			if readable == pageSize {
				return items, e.Key, nil
			}
			readable++
			if e.Shown {
				items = append(items, e.Item)
			}
		}
		if next == "" {
			return items, "", nil
		}
		bookmark = next
	}
}
