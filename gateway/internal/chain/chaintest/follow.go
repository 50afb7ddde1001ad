package chaintest

import "context"

// follow is a reader of an append-only log, as the fakes' streams of blocks
// and events are: from index next on it hands each entry to send, in order,
// then waits for the log to change, until ctx is done or send returns false.
// read returns, under the log's lock, its entries from next on and the
// channel that the next append closes.
func follow[T any](ctx context.Context, next int, read func(next int) ([]T, <-chan struct{}), send func(T) bool) {
	for {
		pending, changed := read(next)
		for _, e := range pending {
			next++
			if !send(e) {
				return
			}
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return
		}
	}
}

// sendOrDone sends v on out unless ctx is done first, and reports whether it
// was sent.
func sendOrDone[T any](ctx context.Context, out chan<- T, v T) bool {
	select {
	case out <- v:
		return true
	case <-ctx.Done():
		return false
	}
}
