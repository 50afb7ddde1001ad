package signing

import "time"

// expiry is when a call (by transaction ID) or an outcome (by key) expires. seq tells the entry of the call's or
// outcome's last change from the stale ones its earlier changes left.
type expiry struct {
	id      string
	outcome bool
	at      time.Time
	seq     uint64
}

// expiries is a FIFO queue of expiries. Everything in the store that expires (a waiting call, an outcome) lives the
// same TTL after its last change, so the queue is in the order of expiry and the expired ones are at its front. A
// call whose step runs has no entry: it expires only once put back.
type expiries struct {
	queue []expiry
	head  int
	seq   uint64
}

// minCompaction is how many stale entries the queue holds at least before it is compacted.
const minCompaction = 64

// push queues an expiry and returns its sequence number, which the call or outcome keeps to know its entry.
func (q *expiries) push(id string, outcome bool, at time.Time) uint64 {
	q.seq++
	q.queue = append(q.queue, expiry{id: id, outcome: outcome, at: at, seq: q.seq})
	return q.seq
}

// add queues an expiry queued already in another queue, under its sequence number there: a member's queue of its
// own outcomes (Store.answers) holds the store's entries of them.
func (q *expiries) add(e expiry) { q.queue = append(q.queue, e) }

func (q *expiries) front() (expiry, bool) {
	if q.head == len(q.queue) {
		return expiry{}, false
	}
	return q.queue[q.head], true
}

// pop drops the front, and the popped half of the queue once it is half, so that each push is copied at most once
// on average.
func (q *expiries) pop() {
	q.queue[q.head] = expiry{}
	q.head++
	if q.head*2 >= len(q.queue) {
		q.queue = append(q.queue[:0], q.queue[q.head:]...)
		q.head = 0
	}
}

// compact drops the stale entries once they are more than the current ones (kept, and minCompaction), keeping the
// order: a call changed many times within its TTL (a member sending bad signatures in a loop) leaves one entry a
// change, which would otherwise stay until its time passed. Each compaction drops at least half the queue, so each
// push is copied at most once on average.
func (q *expiries) compact(kept int, current func(expiry) bool) {
	if len(q.queue)-q.head <= 2*kept+minCompaction {
		return
	}
	live := q.queue[:0]
	for _, e := range q.queue[q.head:] {
		if current(e) {
			live = append(live, e)
		}
	}
	clear(q.queue[len(live):])
	q.queue, q.head = live, 0
}
