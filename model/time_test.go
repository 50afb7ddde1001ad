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

// A right reads the first status up its chain that is not ACTIVE, nearest
// first: its own (stored or expired) before any parent's, a parent's before
// a grandparent's.
func TestStatusInChainIsTheNearestThatStops(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	right := func(id, status, until string) *model.Right {
		return &model.Right{ID: id, Status: status, Scope: model.Scope{ValidUntil: until}}
	}
	const later, ended = "2027-01-01T00:00:00Z", "2026-12-02T10:00:00Z"
	for _, c := range []struct {
		name       string
		chain      []*model.Right
		want, from string
	}{
		{"alone", []*model.Right{right("c", model.RightActive, later)}, model.RightActive, ""},
		{"all active", []*model.Right{right("c", model.RightActive, later), right("p", model.RightActive, later), right("g", model.RightActive, later)}, model.RightActive, ""},
		{"parent revoked", []*model.Right{right("c", model.RightActive, later), right("p", model.RightRevoked, later)}, model.RightRevoked, "p"},
		{"grandparent revoked", []*model.Right{right("c", model.RightActive, later), right("p", model.RightActive, later), right("g", model.RightRevoked, later)}, model.RightRevoked, "g"},
		{"parent before grandparent", []*model.Right{right("c", model.RightActive, later), right("p", model.RightRevoked, later), right("g", model.RightRevoked, later)}, model.RightRevoked, "p"},
		{"own term before a revoked parent", []*model.Right{right("c", model.RightActive, ended), right("p", model.RightRevoked, later)}, model.RightExpired, "c"},
		{"own revocation first", []*model.Right{right("c", model.RightRevoked, later), right("p", model.RightRevoked, later)}, model.RightRevoked, "c"},
		{"parent expired", []*model.Right{right("c", model.RightActive, later), right("p", model.RightActive, ended)}, model.RightExpired, "p"},
	} {
		status, from := model.StatusInChain(c.chain, now)
		assert.Equal(t, c.want, status, c.name)
		assert.Equal(t, c.from, from, c.name)
	}
}

// A right its holder renounced does not end a right it sold (origin TRADE),
// which only the exchange revokes: over it, it counts as ACTIVE, but for its
// term, and the rights above it still count. Over any other right, and in
// its own chain, it reads RENOUNCED.
func TestARenouncedRightStandsForWhatItSold(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	right := func(id, origin, status, until string) *model.Right {
		return &model.Right{ID: id, Origin: origin, Status: status, Scope: model.Scope{ValidUntil: until}}
	}
	const later, ended = "2027-01-01T00:00:00Z", "2026-12-02T10:00:00Z"
	sold := right("c", model.OriginTrade, model.RightActive, later)
	sublicensed := right("c", model.OriginSublicense, model.RightActive, later)
	renounced := right("p", model.OriginSublicense, model.RightRenounced, later)
	for _, c := range []struct {
		name       string
		chain      []*model.Right
		want, from string
	}{
		{"sold", []*model.Right{sold, renounced}, model.RightActive, ""},
		{"sold, grant above", []*model.Right{sold, renounced, right("g", model.OriginGrant, model.RightActive, later)}, model.RightActive, ""},
		{"sublicensed", []*model.Right{sublicensed, renounced}, model.RightRenounced, "p"},
		{"the renounced right itself", []*model.Right{renounced}, model.RightRenounced, "p"},
		{"sold, grant above revoked", []*model.Right{sold, renounced, right("g", model.OriginGrant, model.RightRevoked, later)}, model.RightRevoked, "g"},
		{"sold, grant above renounced", []*model.Right{sold, renounced, right("g", model.OriginGrant, model.RightRenounced, later)}, model.RightRenounced, "g"},
		{"sold, the renounced right's term ended", []*model.Right{sold, right("p", model.OriginSublicense, model.RightRenounced, ended)}, model.RightExpired, "p"},
		{"sold under a revoked right", []*model.Right{sold, right("p", model.OriginSublicense, model.RightRevoked, later)}, model.RightRevoked, "p"},
		{"sold under a sublicence of a renounced right", []*model.Right{sold, right("p", model.OriginSublicense, model.RightActive, later), right("g", model.OriginGrant, model.RightRenounced, later)}, model.RightRenounced, "g"},
		{"sold, renounced, sold, renounced", []*model.Right{sold, right("p", model.OriginTrade, model.RightRenounced, later), right("g", model.OriginGrant, model.RightRenounced, later)}, model.RightActive, ""},
	} {
		status, from := model.StatusInChain(c.chain, now)
		assert.Equal(t, c.want, status, c.name)
		assert.Equal(t, c.from, from, c.name)
	}
	assert.Equal(t, model.RightActive, renounced.StatusOver(sold))
	assert.Equal(t, model.RightRenounced, renounced.StatusOver(sublicensed))
	assert.Equal(t, model.RightRenounced, renounced.StatusOver(nil))
	assert.Equal(t, model.RightRenounced, renounced.StatusAt(now))
}

// A record's open objection is overdue from the second after its due time,
// and only while the record is under objection; a record put under
// objection before LastDispute was kept is judged from its last change, the
// objection's raising.
func TestRecordObjectionOverdueAt(t *testing.T) {
	raised := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	due := raised.Add(model.ObjectionAnswerWindow)
	kept := &model.Record{Status: model.RecordUnderObjection, UpdatedAt: model.FormatTime(raised), LastDispute: &model.Dispute{Status: model.CreditObjectionOpen, DueAt: model.FormatTime(due)}}
	legacy := &model.Record{Status: model.RecordUnderObjection, UpdatedAt: model.FormatTime(raised)}
	for name, r := range map[string]*model.Record{"kept": kept, "legacy": legacy} {
		assert.False(t, r.ObjectionOverdueAt(due), name)
		assert.True(t, r.ObjectionOverdueAt(due.Add(time.Second)), name)
	}
	answered := *kept
	answered.Status = model.RecordActive
	assert.False(t, answered.ObjectionOverdueAt(due.Add(time.Hour)), "answered: no longer under objection")
}
