package publisher

import "time"

// SetClock makes the publisher read the time from now.
func (p *Publisher) SetClock(now func() time.Time) { p.now = now }
