package state

// Find reads the JSON record stored under the composite key of objectType
// and attrs into a new T, and returns it with its key. Where there is none
// it returns missing(): the NOT_FOUND refusal of that kind of record, which
// names it in the catalogue's words.
func Find[T any](ctx Context, missing func() error, objectType string, attrs ...string) (*T, string, error) {
	key, err := Key(ctx, objectType, attrs...)
	if err != nil {
		return nil, "", err
	}
	v := new(T)
	found, err := Get(ctx, key, v)
	if err != nil {
		return nil, "", err
	}
	if !found {
		return nil, "", missing()
	}
	return v, key, nil
}

// Lookup reads the JSON record stored under the composite key of objectType
// and attrs into a new T, or returns nil where there is none: for records
// whose absence is an answer rather than a refusal.
func Lookup[T any](ctx Context, objectType string, attrs ...string) (*T, error) {
	v, _, err := Find[T](ctx, func() error { return nil }, objectType, attrs...)
	return v, err
}
