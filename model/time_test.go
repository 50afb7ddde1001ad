package model_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/model"
)

// A term ends at the second its validUntil names, whatever the time zone
// or the fraction of a second of the reading clock; only ACTIVE records
// expire, and rights and authorisations follow one rule.
func TestStatusAtFollowsTheTermToTheSecond(t *testing.T) {
	const until = "2026-12-02T10:00:00Z"
	end := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	shanghai := time.FixedZone("CST", 8*3600)
	for _, c := range []struct {
		now    time.Time
		stored string
		want   string
	}{
		{end.Add(-time.Second), model.RightActive, model.RightActive},
		{end.Add(-time.Millisecond), model.RightActive, model.RightActive}, // the ledger reads whole seconds
		{end, model.RightActive, model.RightExpired},
		{end.Add(time.Hour), model.RightActive, model.RightExpired},
		{end.In(shanghai), model.RightActive, model.RightExpired},
		{end.Add(-time.Second).In(shanghai), model.RightActive, model.RightActive},
		{end.Add(time.Hour), model.RightRevoked, model.RightRevoked},
		{end.Add(time.Hour), model.RightSuperseded, model.RightSuperseded},
	} {
		r := model.Right{Status: c.stored, Scope: model.Scope{ValidUntil: until}}
		assert.Equal(t, c.want, r.StatusAt(c.now), "right %s at %s", c.stored, c.now)
		assert.Equal(t, c.stored, r.Status, "reading does not change the record")
		a := model.Authorization{Status: c.stored, ValidUntil: until}
		assert.Equal(t, c.want, a.StatusAt(c.now), "authorisation %s at %s", c.stored, c.now)
		assert.Equal(t, c.want == model.RightExpired, model.TermEnded(until, c.now) && c.stored == model.RightActive)
	}
	h := model.Right{Status: model.RightActive, Scope: model.Scope{ValidUntil: model.HoldingValidUntil}}
	assert.Equal(t, model.RightActive, h.StatusAt(time.Date(9999, 12, 31, 23, 59, 58, 0, time.UTC)), "a holding does not expire")
}
