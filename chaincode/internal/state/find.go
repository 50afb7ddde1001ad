package state

import "github.com/deltaledger/deltaledger/model"

// Keyed is a record that names the attributes of the key it is stored under
// (model's KeyAttrs methods).
type Keyed = model.Keyed

// Find reads the JSON record stored under the composite key of objectType
// and attrs into a new T, and returns it with its key. Where there is none
// it returns missing(): the NOT_FOUND refusal of that kind of record, which
// names it in the catalogue's words. A Keyed record that names other
// attributes than its key's is missing too: a new key needs only the
// chaincode-level policy, so orgs running chaincode of their own could store
// under a key of their choosing a copy of another record, changed, and every
// step on that key would write the record it names, with the owners' peers
// endorsing what they read alike.
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
	if !found || !namesItsKey(v, attrs) {
		return nil, "", missing()
	}
	return v, key, nil
}

// namesItsKey reports whether record v, if Keyed, names the key attributes
// it was read under.
func namesItsKey(v any, attrs []string) bool {
	k, ok := v.(Keyed)
	return !ok || model.NamesItsKey(k, attrs)
}

// Lookup reads the JSON record stored under the composite key of objectType
// and attrs into a new T, or returns nil where there is none: for records
// whose absence is an answer rather than a refusal.
func Lookup[T any](ctx Context, objectType string, attrs ...string) (*T, error) {
	v, _, err := Find[T](ctx, func() error { return nil }, objectType, attrs...)
	return v, err
}
