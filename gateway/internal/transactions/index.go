package transactions

import "time"

// txIndex holds outcomes by transaction ID, at most max of them, shared by every member: when it is full, the
// heaviest member (the one that holds the most) loses its oldest first, so that one member's volume pushes out its
// own outcomes, never those of a member that holds fewer. (One FIFO for everyone let a member's 10,000 submits, about
// 100 s of its write budget, evict every other member's results.) A member holding h outcomes loses one only when no
// member holds more than h. Every operation costs O(1) amortised: each member's IDs are queued in the order they came,
// and members are grouped by how many they hold (byCount), so the heaviest is found without a scan.
type txIndex struct {
	max     int
	entries map[string]Outcome
	queues  map[string]*ownerQueue
	// byCount groups the members by how many outcomes they hold; top is at least the largest count in use.
	byCount map[int]map[string]struct{}
	top     int
}

// ownerQueue is a member's transaction IDs in the order they were indexed. IDs removed since (Abandon) stay in it,
// stale, until they reach its front or the next sweep; live counts the member's outcomes in entries.
type ownerQueue struct {
	ids  []string
	head int
	live int
}

func newTxIndex(max int) *txIndex {
	return &txIndex{max: max, entries: map[string]Outcome{}, queues: map[string]*ownerQueue{}, byCount: map[int]map[string]struct{}{}}
}

// ownerOf is whose share of the index an outcome counts in: the member who submitted it, a member who signs itself by
// its identity (Outcome.Share) as in every other limit of the gateway, so that re-enrolling for a certificate a
// transaction does not make it the lightest member each time, and its volume push out the others' outcomes.
func ownerOf(o Outcome) string {
	if o.Share != "" {
		return o.Share
	}
	return o.Member
}

// put indexes o by its transaction ID (replacing what it held under that ID, in its place), then evicts the
// heaviest member's oldest outcomes while the index holds more than max.
func (x *txIndex) put(o Outcome) {
	if _, ok := x.entries[o.TransactionID]; ok {
		x.entries[o.TransactionID] = o
		return
	}
	x.entries[o.TransactionID] = o
	owner := ownerOf(o)
	q := x.queues[owner]
	if q == nil {
		q = &ownerQueue{}
		x.queues[owner] = q
	}
	q.ids = append(q.ids, o.TransactionID)
	x.recount(owner, q, q.live+1)
	for len(x.entries) > x.max {
		x.evictHeaviest()
	}
}

// get returns the outcome indexed under id.
func (x *txIndex) get(id string) (Outcome, bool) {
	o, ok := x.entries[id]
	return o, ok
}

// remove forgets id's outcome; its queue entry is left stale.
func (x *txIndex) remove(id string) {
	o, ok := x.entries[id]
	if !ok {
		return
	}
	delete(x.entries, id)
	owner := ownerOf(o)
	q := x.queues[owner]
	x.recount(owner, q, q.live-1)
}

// evictHeaviest forgets the oldest outcome of a member that holds the most.
func (x *txIndex) evictHeaviest() {
	for x.top > 0 && len(x.byCount[x.top]) == 0 {
		x.top--
	}
	var owner string
	for owner = range x.byCount[x.top] {
		break // any of the heaviest
	}
	q := x.queues[owner]
	for q.head < len(q.ids) {
		id := q.ids[q.head]
		q.ids[q.head] = ""
		q.head++
		if o, ok := x.entries[id]; ok && ownerOf(o) == owner {
			delete(x.entries, id)
			x.recount(owner, q, q.live-1)
			return
		}
	}
}

// recount moves owner from the group of its old count to that of n, and forgets its queue at 0; a queue whose
// front half is spent is compacted.
func (x *txIndex) recount(owner string, q *ownerQueue, n int) {
	if group := x.byCount[q.live]; group != nil {
		if delete(group, owner); len(group) == 0 {
			delete(x.byCount, q.live)
		}
	}
	q.live = n
	if n == 0 {
		delete(x.queues, owner)
		return
	}
	if x.byCount[n] == nil {
		x.byCount[n] = map[string]struct{}{}
	}
	x.byCount[n][owner] = struct{}{}
	x.top = max(x.top, n)
	if q.head > len(q.ids)/2 {
		q.ids = append(q.ids[:0:0], q.ids[q.head:]...)
		q.head = 0
	}
}

// sweep forgets the outcomes expired at now and rebuilds the queues without stale entries (periodic: it reads
// every entry).
func (x *txIndex) sweep(now time.Time) {
	seen := make(map[string]struct{}, len(x.entries))
	for owner, q := range x.queues {
		kept := q.ids[:0:0]
		for _, id := range q.ids[q.head:] {
			o, ok := x.entries[id]
			_, twice := seen[id]
			switch {
			case !ok || twice || ownerOf(o) != owner:
			case !o.Expires.After(now):
				delete(x.entries, id)
			default:
				seen[id] = struct{}{}
				kept = append(kept, id)
			}
		}
		q.ids, q.head = kept, 0
		x.recount(owner, q, len(kept))
	}
}
