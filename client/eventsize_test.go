package client

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A gateway (or whoever answers in its place) that sends one event over many data lines, each short, must not make
// the client hold more of it than of one line: the bound is on the event, not only on each line. The client drops
// such a connection and resumes, as after an over-long line.
func TestAnEventOverManyLinesIsBoundedAsOneLineIs(t *testing.T) {
	var conns, written atomic.Int64
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if conns.Add(1) > 1 {
			sse(w, sseEvent(2, txB, "Small"))
			<-r.Context().Done()
			return
		}
		// Valid JSON whose whitespace spans more lines than maxEventLine holds bytes: yielded whole, it would have
		// been held whole.
		sse(w, "id: 1-"+txA+"\ndata: {\"name\":\"Huge\",\n")
		blank := "data: " + strings.Repeat(" ", 64<<10) + "\n"
		for written.Load() <= 2*maxEventLine && r.Context().Err() == nil {
			sse(w, blank)
			written.Add(int64(len(blank)))
		}
		sse(w, "data: \"block_number\":1}\n\n")
		<-r.Context().Done()
	})
	for ev, err := range g.c.Events(context.Background()) {
		require.NoError(t, err)
		assert.Equal(t, "Small", ev.Name, "the event of %d bytes was held and yielded", written.Load())
		break
	}
	assert.EqualValues(t, 2, conns.Load(), "the client did not drop the connection of the over-long event")
}
