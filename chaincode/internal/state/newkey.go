package state

// NewKey returns the composite key of objectType and attrs for a record
// about to be created. Where a value is already stored under it, it returns
// taken(): the CONFLICT refusal of that kind of record, which names it in the
// catalogue's words, so that a create never overwrites what is there.
func NewKey(ctx Context, taken func() error, objectType string, attrs ...string) (string, error) {
	key, err := Key(ctx, objectType, attrs...)
	if err != nil {
		return "", err
	}
	exists, err := Exists(ctx, key)
	if err != nil {
		return "", err
	}
	if exists {
		return "", taken()
	}
	return key, nil
}
