package index

// SetAfterRows makes every batch call f after its rows are written and
// before its checkpoint is.
func (x *Index) SetAfterRows(f func() error) { x.afterRows = f }
