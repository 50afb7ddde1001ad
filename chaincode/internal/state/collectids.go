package state

// CollectIDs is Collect for an index whose entries name one ID after
// prefix: the first attribute after prefix of every entry, in key order.
func CollectIDs(ctx Context, objectType string, prefix []string) ([]string, error) {
	rows, err := Collect(ctx, objectType, prefix)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(rows))
	for _, row := range rows {
		ids = append(ids, row[0])
	}
	return ids, nil
}
