package api_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
)

// Streams ended by the check at a heartbeat (a key revoked, or expired) give back everything they held: the
// member's places among its routes.EventStreamsMaxPerMember streams, taken again at once by the member's new key,
// and the delivery stream of the peer each held (none is left open). A leak of either would let a revoked key lock
// its member out of events, or hold the peer's delivery streams for nobody.
func TestStreamsEndedAtAHeartbeatGiveBackTheirPlacesAndTheirDeliveryStreams(t *testing.T) {
	for _, end := range keyLapses {
		t.Run(end.why, func(t *testing.T) {
			e, ts := streamEnv(t, programRoles)
			var open []*stream
			for range routes.EventStreamsMaxPerMember {
				s := e.openStream(t, ts, "alice", "", "")
				open = append(open, s)
			}
			require.Equal(t, routes.EventStreamsMaxPerMember, e.fake.OpenEventStreams())
			end.lapse(t, e, "alice")
			for _, s := range open {
				s.ends(end.why)
			}
			require.Eventually(t, func() bool { return e.fake.OpenEventStreams() == 0 }, 3*time.Second, 10*time.Millisecond,
				"every delivery stream of the peer is closed once its stream ended")

			key, _, err := e.store.Create("alice", "renewed", auth.DefaultKeyLifetime)
			require.NoError(t, err)
			e.keys["alice"] = key
			for range routes.EventStreamsMaxPerMember {
				e.openStream(t, ts, "alice", "", "")
			}
			assert.Equal(t, routes.EventStreamsMaxPerMember, e.fake.OpenEventStreams())
		})
	}
}

// A stream resumed with Last-Event-ID (or ?after=) after its key was revoked is refused as any refused key is: 401
// in the same words as a key nobody made, no event and no delivery stream of the peer opened.
func TestAStreamResumedAfterItsKeyWasRevokedIsRefused(t *testing.T) {
	e, ts := streamEnv(t, programRoles)
	s := e.openStream(t, ts, "alice", "", "")
	first := e.fake.Emit("AssetApplied", []byte(`{"assetId":"a1"}`))
	ev := s.next()
	require.Equal(t, first.TransactionID, ev.Data.TransactionID)
	s.Close()
	require.Eventually(t, func() bool { return e.fake.OpenEventStreams() == 0 }, 3*time.Second, 10*time.Millisecond)
	revoked := e.keys["alice"]
	revokeKeysOf(t, e, "alice")
	e.fake.Emit("AssetReviewed", []byte(`{"assetId":"a1"}`))

	refusal := func(key, header, query string) (int, string) {
		req, _ := http.NewRequestWithContext(context.Background(), "GET", ts.URL+"/v1/events"+query, nil)
		req.Header.Set("Authorization", "Bearer "+key)
		if header != "" {
			req.Header.Set("Last-Event-ID", header)
		}
		resp, err := ts.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	nobodys := "dlk_0123456789abcdef_" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	wantStatus, want := refusal(nobodys, ev.ID, "")
	require.Equal(t, http.StatusUnauthorized, wantStatus)
	for _, resume := range [][2]string{{ev.ID, ""}, {"", "?after=" + ev.ID}} {
		status, body := refusal(revoked, resume[0], resume[1])
		assert.Equal(t, http.StatusUnauthorized, status, "%s", body)
		assert.JSONEq(t, want, body, "a revoked key resuming is answered as a key nobody made")
	}
	assert.Zero(t, e.fake.OpenEventStreams(), "no delivery stream is opened for a refused key")
}

// A stream delivers no event once the credentials it was opened with no longer authenticate: each event is checked
// against the key store and the CRL before it is written, not only at the next heartbeat (here an hour off) or the
// next re-read of the standing. (Checked at those alone, a regulator's stream kept delivering credit records for up
// to a heartbeat, 15 s by default, after its key was revoked and every request with it refused.)
func TestAStreamDeliversNoEventOnceItsKeyLapses(t *testing.T) {
	for _, lapse := range keyLapses {
		t.Run(lapse.why, func(t *testing.T) {
			e, ts := streamEnv(t, programRoles, api.WithHeartbeat(time.Hour))
			s := e.openStream(t, ts, "regulator", "", "")
			defer s.Close()
			first := e.fake.Emit("AssetApplied", []byte(`{"assetId":"a1"}`))
			require.Equal(t, first.TransactionID, s.next().Data.TransactionID)

			lapse.lapse(t, e, "regulator")
			e.fake.Emit("RecordPublished", []byte(`{"recordId":"r1","subjectUscc":"91310000MA1FL0000X"}`))
			s.ends(lapse.why)
		})
	}
}
