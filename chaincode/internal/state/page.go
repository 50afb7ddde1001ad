package state

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"

	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// PageSize parses the pageSize argument of a list function.
func PageSize(s string) (int32, error) {
	return validate.PageSize("pageSize", s, model.DefaultPageSize, model.MaxPageSize)
}

// IndexPage reads one page of index entries under a partial composite key
// and returns, for each, the attributes after the prefix, together with the
// bookmark of the next page ("" when there is none). Pagination keeps each
// read bounded however large the market grows.
//
// Fabric allows paginated queries only in transactions that are evaluated,
// not submitted; list functions are read-only by design.
//
// The peer starts a page at the bookmark without checking that it lies inside
// the queried prefix, so a crafted bookmark could page into another subject's
// entries past the caller's access check. A bookmark outside the prefix is
// therefore refused here, for every list.
func IndexPage(ctx Context, objectType string, prefix []string, pageSize int32, bookmark string) ([][]string, string, error) {
	_, rows, next, err := indexEntries(ctx, objectType, prefix, pageSize, bookmark)
	return rows, next, err
}

// indexEntries is IndexPage with the ledger key of each row.
func indexEntries(ctx Context, objectType string, prefix []string, pageSize int32, bookmark string) (keys []string, rows [][]string, next string, err error) {
	stub := ctx.GetStub()
	next, err = scanPage(ctx, objectType, prefix, pageSize, bookmark, func(key string, _ []byte) error {
		row, err := attrsAfter(stub, objectType, prefix, key)
		if err != nil {
			return err
		}
		keys = append(keys, key)
		rows = append(rows, row)
		return nil
	})
	return keys, rows, next, err
}

// RecordPage reads one page of the JSON records stored under a partial
// composite key, in key order, decoding each into a new T, with the bookmark
// of the next page ("" when there is none). Bookmarks are checked as for
// IndexPage.
func RecordPage[T any](ctx Context, objectType string, prefix []string, pageSize int32, bookmark string) ([]*T, string, error) {
	var records []*T
	next, err := scanPage(ctx, objectType, prefix, pageSize, bookmark, func(_ string, value []byte) error {
		v := new(T)
		if err := json.Unmarshal(value, v); err != nil {
			return ledgererr.Internalf(err, "decoding %T", v)
		}
		records = append(records, v)
		return nil
	})
	return records, next, err
}

// scanPage runs visit on each key and value of one page under a partial
// composite key and returns the next page's bookmark.
func scanPage(ctx Context, objectType string, prefix []string, pageSize int32, bookmark string, visit func(key string, value []byte) error) (string, error) {
	stub := ctx.GetStub()
	if bookmark != "" {
		if of, err := IsBookmarkOf(ctx, objectType, prefix, bookmark); err != nil {
			return "", err
		} else if !of {
			return "", NotABookmark("bookmark")
		}
	}
	it, meta, err := stub.GetStateByPartialCompositeKeyWithPagination(objectType, prefix, pageSize, bookmark)
	if err != nil {
		return "", ledgererr.Invalid("bookmark", "is not a bookmark of this list: %v", err)
	}
	defer it.Close()
	if err := each(it, objectType, func(kv *queryresult.KV) (bool, error) {
		return false, visit(kv.Key, kv.Value)
	}); err != nil {
		return "", err
	}
	next := ""
	if meta != nil {
		next = meta.Bookmark
	}
	return next, nil
}

// IsBookmarkOf reports whether bookmark is a key under the partial
// composite key objectType and prefix: one a list of them may start at. The
// peer starts a range at a bookmark without checking it.
func IsBookmarkOf(ctx Context, objectType string, prefix []string, bookmark string) (bool, error) {
	start, err := Key(ctx, objectType, prefix...)
	if err != nil {
		return false, err
	}
	return strings.HasPrefix(bookmark, start), nil
}

// NotABookmark refuses argument field, a bookmark that no page of the list
// handed out.
func NotABookmark(field string) error {
	return ledgererr.Invalid(field, "is not a bookmark of this list")
}

// IndexedFrom reads, inside a submitted transaction, up to n index entries
// under a partial composite key from the key from on ("" for the first),
// with their keys, the record of recordType each names in its last column
// (nil where none: readIndexed) and the key of the entry after them as next
// ("" when there is none). Fabric allows no paginated query in a
// transaction that writes, so the range starts at the prefix and the
// entries before from are passed over by their keys alone, none of their
// records read; the records read, the costly part, are n.
func IndexedFrom[T any](ctx Context, objectType string, prefix []string, from string, n int, recordType string) (keys []string, records []*T, next string, err error) {
	stub := ctx.GetStub()
	var rows [][]string
	if err := scan(objectType, func() (shim.StateQueryIteratorInterface, error) {
		return stub.GetStateByPartialCompositeKey(objectType, prefix)
	}, func(kv *queryresult.KV) (bool, error) {
		if kv.Key < from {
			return false, nil
		}
		if len(keys) == n {
			next = kv.Key
			return true, nil
		}
		row, err := attrsAfter(stub, objectType, prefix, kv.Key)
		if err != nil {
			return false, err
		}
		keys = append(keys, kv.Key)
		rows = append(rows, row)
		return false, nil
	}); err != nil {
		return nil, nil, "", err
	}
	all, err := readOrNil[T](ctx, recordType, rows)
	return keys, all, next, err
}

// KeyedFrom is IndexedFrom for an index kept as simple keys, each prefix
// followed by the ID of a record of recordType: up to n entries of the range
// from start (a key from prefix on) to the end of prefix, with their IDs,
// the record each names (nil where none) and the ID of the entry after them
// ("" when there is none). Unlike a partial composite key, a range of simple
// keys may start anywhere, so a transaction that writes reads n entries and
// the one after, however many lie before start (and the peer's first batch
// of them). The separator ending prefix is in no ID (validate.ID); a key
// whose rest is no ID names no record and is passed over, as no transaction
// of this chaincode wrote it.
func KeyedFrom[T any](ctx Context, prefix, start string, n int, recordType string) (ids []string, records []*T, next string, err error) {
	end := prefix[:len(prefix)-1] + string(prefix[len(prefix)-1]+1)
	var rows [][]string
	if err := scan(prefix, func() (shim.StateQueryIteratorInterface, error) {
		return ctx.GetStub().GetStateByRange(start, end)
	}, func(kv *queryresult.KV) (bool, error) {
		id := strings.TrimPrefix(kv.Key, prefix)
		if validate.ID("id", id) != nil {
			return false, nil
		}
		if len(ids) == n {
			next = id
			return true, nil
		}
		ids = append(ids, id)
		rows = append(rows, []string{id})
		return false, nil
	}); err != nil {
		return nil, nil, "", err
	}
	all, err := readOrNil[T](ctx, recordType, rows)
	return ids, all, next, err
}

// readOrNil is readIndexed with nil for each record that does not exist.
func readOrNil[T any](ctx Context, recordType string, rows [][]string) ([]*T, error) {
	all, found, err := readIndexed[T](ctx, recordType, rows)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if !found[i] {
			all[i] = nil
		}
	}
	return all, nil
}

// Collect reads every index entry under a partial composite key, for the
// few places where a bounded set must be read whole inside a submitted
// transaction (for example the open objections of one record).
func Collect(ctx Context, objectType string, prefix []string) ([][]string, error) {
	stub := ctx.GetStub()
	var rows [][]string
	if err := scan(objectType, func() (shim.StateQueryIteratorInterface, error) {
		return stub.GetStateByPartialCompositeKey(objectType, prefix)
	}, func(kv *queryresult.KV) (bool, error) {
		row, err := attrsAfter(stub, objectType, prefix, kv.Key)
		if err != nil {
			return false, err
		}
		rows = append(rows, row)
		return false, nil
	}); err != nil {
		return nil, err
	}
	return rows, nil
}

// AnyUnder reports whether any key lies under a partial composite key,
// reading no more of the range than its first entry.
func AnyUnder(ctx Context, objectType string, prefix []string) (bool, error) {
	found := false
	err := scan(objectType, func() (shim.StateQueryIteratorInterface, error) {
		return ctx.GetStub().GetStateByPartialCompositeKey(objectType, prefix)
	}, func(*queryresult.KV) (bool, error) {
		found = true
		return true, nil
	})
	return found, err
}

// IndexedRecords reads the records an index page names: rows as IndexPage
// returns them, whose last column is the ID of a record of recordType, each
// decoded into a new T. All of them go to the peer in one request
// (GetMultipleStates): a page of 20 costs two round trips, the index range
// and the records, where reading them one by one cost 21. missing is the ID
// of the first row whose record does not exist ("" when every one does),
// for the caller to refuse as its own Get would.
func IndexedRecords[T any](ctx Context, recordType string, rows [][]string) (records []*T, missing string, err error) {
	records, found, err := readIndexed[T](ctx, recordType, rows)
	if err != nil {
		return nil, "", err
	}
	for i, ok := range found {
		if !ok {
			return nil, rows[i][len(rows[i])-1], nil
		}
	}
	return records, "", nil
}

// readIndexed reads, in one request, the record of recordType each row names
// in its last column, and whether it exists: a Keyed record that names
// another ID than its key's does not, as for Find (a copy of a real record
// stored under another key would otherwise reach a list, or a lookup, as
// the record it names).
func readIndexed[T any](ctx Context, recordType string, rows [][]string) (records []*T, found []bool, err error) {
	return readMarked[T](ctx, recordType, rows, Mark[T]{})
}

// Mark is what a page of records reads with each of them, in the same
// request (MarkedPage): the record of key type Type under the same ID, if
// there is one, which Apply applies to the record it marks (its value as
// stored). A mark that no org writes alone (a new key, with no key-level
// policy: only a majority of the orgs writes it) says what the record,
// under one org's policy, cannot be trusted to.
type Mark[T any] struct {
	Type  string
	Apply func(record *T, value []byte) error
}

// readMarked is readIndexed that reads with each record its mark (none
// where mark's Type is "") and applies it to a record found.
func readMarked[T any](ctx Context, recordType string, rows [][]string, mark Mark[T]) (records []*T, found []bool, err error) {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r[len(r)-1]
	}
	b, err := NewBatch[T](ctx, recordType, ids)
	if err != nil {
		return nil, nil, err
	}
	reads := b.Reads()
	var marks []*Read
	if mark.Type != "" {
		for _, id := range ids {
			key, err := Key(ctx, mark.Type, id)
			if err != nil {
				return nil, nil, err
			}
			marks = append(marks, &Read{Key: key})
		}
		reads = append(slices.Clone(reads), marks...)
	}
	if err := GetAll(ctx, reads...); err != nil {
		return nil, nil, err
	}
	found = make([]bool, len(ids))
	for i := range ids {
		found[i] = b.found(i)
		if found[i] && marks != nil && marks[i].Found {
			if err := mark.Apply(b.records[i], marks[i].Value); err != nil {
				return nil, nil, err
			}
		}
	}
	return b.records, found, nil
}

// IndexItems reads one page of index entries under a partial composite key,
// as IndexPage does, and turns each row into an item with item (typically
// reading the record the row names). Items is never nil, so that an empty
// page encodes as [] as the model's pages promise.
func IndexItems[T any](ctx Context, objectType string, prefix []string, pageSize int32, bookmark string, item func(row []string) (T, error)) (items []T, next string, err error) {
	rows, next, err := IndexPage(ctx, objectType, prefix, pageSize, bookmark)
	if err != nil {
		return nil, "", err
	}
	items = make([]T, 0, len(rows))
	for _, row := range rows {
		v, err := item(row)
		if err != nil {
			return nil, "", err
		}
		items = append(items, v)
	}
	return items, next, nil
}

// IndexedPage reads one page of an index whose rows name records of
// recordType, never nil: the next pageSize records that exist and agree with
// their entry (agrees), read in one request per stretch of the index (as
// IndexedRecords), with the key of the next such entry as the bookmark
// (ShownPage). An index entry is only a pointer: a new one needs only the
// chaincode-level policy, so orgs running a chaincode of their own could
// plant one naming no record, or a record it does not describe, and the list
// must neither show it, nor fail on it, nor hand out its key. agrees also
// leaves out the records the caller may not read, where a list hides some.
func IndexedPage[T any](ctx Context, objectType string, prefix []string, pageSize int32, bookmark, recordType string, agrees func(*T) bool) ([]*T, string, error) {
	return MarkedPage(ctx, objectType, prefix, pageSize, bookmark, recordType, Mark[T]{}, agrees)
}

// MarkedPage is IndexedPage that reads each record with its mark, in the
// same request, and applies it before agrees judges the record.
func MarkedPage[T any](ctx Context, objectType string, prefix []string, pageSize int32, bookmark, recordType string, mark Mark[T], agrees func(*T) bool) ([]*T, string, error) {
	return ShownPage(pageSize, bookmark, func(n int32, bookmark string) ([]Scanned[*T], string, error) {
		keys, rows, next, err := indexEntries(ctx, objectType, prefix, n, bookmark)
		if err != nil {
			return nil, "", err
		}
		records, found, err := readMarked(ctx, recordType, rows, mark)
		if err != nil {
			return nil, "", err
		}
		entries := make([]Scanned[*T], len(rows))
		for i, record := range records {
			shown := found[i] && agrees(record)
			entries[i] = Scanned[*T]{Key: keys[i], Item: record, Readable: shown, Shown: shown}
		}
		return entries, next, nil
	})
}

// AgreeingRecords reads, in one request, the records of recordType that rows
// name in their last column, and keeps, never nil, those that exist and agree
// with their row (agrees), as IndexedPage does with its page.
func AgreeingRecords[T any](ctx Context, recordType string, rows [][]string, agrees func(*T) bool) ([]*T, error) {
	records, found, err := readIndexed[T](ctx, recordType, rows)
	if err != nil {
		return nil, err
	}
	items := []*T{}
	for i, record := range records {
		if found[i] && agrees(record) {
			items = append(items, record)
		}
	}
	return items, nil
}
