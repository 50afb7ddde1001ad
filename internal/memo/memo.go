// Package memo is the one get-or-make of a value kept by key: the network
// tools connect as a member, or open a gateway or a REST client, once per
// org and role and reuse the connection for every later call.
package memo

// Get returns cache[key], making it with create and keeping it in cache
// when it is not there yet. A failed create keeps nothing and returns V's
// zero value with its error, so the next Get tries again. Get does no
// locking: a cache shared between goroutines is read and written under the
// caller's lock.
func Get[K comparable, V any](cache map[K]V, key K, create func() (V, error)) (V, error) {
	if v, ok := cache[key]; ok {
		return v, nil
	}
	v, err := create()
	if err != nil {
		var zero V
		return zero, err
	}
	cache[key] = v
	return v, nil
}
