package index

import "time"

// SetAfterRows makes every batch call f after its rows are written and
// before its checkpoint is.
func (x *Index) SetAfterRows(f func() error) { x.afterRows = f }

// SetFactsRead makes ComputePeriod call f each time it reads the facts.
func (x *Index) SetFactsRead(f func()) { x.factsRead = f }

// SetClock makes the index read time-dependent statuses at now().
func (x *Index) SetClock(now func() time.Time) { x.now = now }

// TextProbe is how many assets a text search checks one by one.
const TextProbe = textProbe
