package eventstest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The stream as events.Writer writes it (events' TestSSEFormat) reads back
// field by field: a data field of several lines joined again, a colon in a
// value kept, comments and retry fields (no ID) skipped.
func TestReadsTheEventsOfTheStream(t *testing.T) {
	wire := "id: 1-ab\nevent: AssetApplied\ndata: {\ndata: \"a\":1}\n\n: keep alive\n\nretry: 2000\n\n" +
		"id: 2-cd\nevent: TradeCompleted\ndata: {\"b\":\"x: y\"}\n\n"
	got := make(chan Event, 10)
	read(strings.NewReader(wire), got)
	close(got)
	var all []Event
	for ev := range got {
		all = append(all, ev)
	}
	assert.Equal(t, []Event{
		{"id": "1-ab", "event": "AssetApplied", "data": "{\n\"a\":1}"},
		{"id": "2-cd", "event": "TradeCompleted", "data": `{"b":"x: y"}`},
	}, all)
}
