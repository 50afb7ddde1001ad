package state

// Batch reads records of one type by ID in one request to the peer, which
// may be another's: its Reads go to GetAll, or with a caller's resolution
// (participants.CallerReading), after which Record answers for each ID. A
// page that names records of another kind (the trades of its items) so
// costs no round trip per item.
type Batch[T any] struct {
	ids     []string
	reads   []*Read
	records []*T
}

// NewBatch prepares reading the records of recordType that ids name.
func NewBatch[T any](ctx Context, recordType string, ids []string) (*Batch[T], error) {
	reads, err := ReadsOf(ctx, recordType, ids)
	if err != nil {
		return nil, err
	}
	b := &Batch[T]{ids: ids, reads: reads, records: make([]*T, len(ids))}
	for i, r := range reads {
		b.records[i] = new(T)
		r.Into = b.records[i]
	}
	return b, nil
}

// ReadsOf prepares reading, as bytes, the keys of objectType that ids name, one Read each in their order, for
// GetAll: for a read that must not fail on bytes that are no record (which Into would decode) or of keys that hold
// no record (marks).
func ReadsOf(ctx Context, objectType string, ids []string) ([]*Read, error) {
	reads := make([]*Read, len(ids))
	for i, id := range ids {
		key, err := Key(ctx, objectType, id)
		if err != nil {
			return nil, err
		}
		reads[i] = &Read{Key: key}
	}
	return reads, nil
}

// Reads are the batch's keys, to read in one request.
func (b *Batch[T]) Reads() []*Read { return b.reads }

// found reports whether the i-th record exists once read: a Keyed record
// that names another ID than its key's does not, as for Find (a copy of a
// real record stored under another key would otherwise pass for the record
// it names).
func (b *Batch[T]) found(i int) bool {
	return b.reads[i].Found && namesItsKey(b.records[i], b.ids[i:i+1])
}

// Record returns, once the batch is read, the record id names, or nil where
// none exists (found).
func (b *Batch[T]) Record(id string) *T {
	for i, want := range b.ids {
		if want == id && b.found(i) {
			return b.records[i]
		}
	}
	return nil
}
