package signing

import "time"

// expiry is when a call (by transaction ID) or an outcome (by key) expires.
type expiry struct {
	id      string
	outcome bool
	at      time.Time
}

// expiries is a FIFO queue of expiries. Everything in the store lives the same TTL after its last change, so the
// queue is in the order of expiry and the expired ones are at its front.
type expiries struct {
	queue []expiry
	head  int
}

func (q *expiries) push(id string, outcome bool, at time.Time) {
	q.queue = append(q.queue, expiry{id: id, outcome: outcome, at: at})
}

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

// next is when the front expires; now when the queue is empty.
func (q *expiries) next() time.Time {
	if e, ok := q.front(); ok {
		return e.at
	}
	return time.Time{}
}
