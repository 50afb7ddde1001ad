package versionrecord_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/versionrecord"
)

// recorder is a testing.TB that records a failure instead of ending the test, so that Check's refusals can be
// tried; FailNow panics to stop Check, as testing's Goexit would.
type recorder struct {
	testing.TB
	failed bool
}

type stopped struct{}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true; panic(stopped{}) }
func (r *recorder) FailNow()              { r.failed = true; panic(stopped{}) }

// fails runs check and says whether it failed.
func fails(t *testing.T, check func(tb testing.TB)) (failed bool) {
	t.Helper()
	r := &recorder{TB: t}
	defer func() {
		if p := recover(); p != nil {
			if _, ok := p.(stopped); !ok {
				panic(p)
			}
		}
		failed = r.failed
	}()
	check(r)
	return r.failed
}

// TestCheckKeepsTheVersionHonest tries each way around the record: a changed digest under the recorded version,
// a raised version without its changelog section, a version lowered, a raise re-recorded without the update
// variable; and checks that a raised version with its section is re-recorded only with it.
func TestCheckKeepsTheVersionHonest(t *testing.T) {
	dir := t.TempDir()
	g := versionrecord.Guard{What: "the test API", VersionName: "Version", Record: filepath.Join(dir, "record.json"),
		Changelog: filepath.Join(dir, "changes.md"), ChangelogName: "changes.md", Minor: "an addition",
		Update: "UPDATE_TEST_RECORD", Rerun: "go test"}
	require.NoError(t, os.WriteFile(g.Record, []byte(`{"version": "1.2.0", "digest": "sha256:a"}`), 0o644))
	require.NoError(t, os.WriteFile(g.Changelog, []byte("# Changes\n\n## 1.3.0 (2026-12-06)\n\n## 1.2.0 (2026-12-01)\n"), 0o644))
	t.Setenv(g.Update, "")

	assert.False(t, fails(t, func(tb testing.TB) { g.Check(tb, "1.2.0", "sha256:a") }), "nothing changed")
	assert.True(t, fails(t, func(tb testing.TB) { g.Check(tb, "1.2.0", "sha256:b") }), "changed under the same version")
	assert.True(t, fails(t, func(tb testing.TB) { g.Check(tb, "1.4.0", "sha256:b") }), "raised without a changelog section")
	assert.True(t, fails(t, func(tb testing.TB) { g.Check(tb, "1.1.0", "sha256:b") }), "lowered")
	assert.True(t, fails(t, func(tb testing.TB) { g.Check(tb, "1.3", "sha256:b") }), "not major.minor.patch")
	assert.True(t, fails(t, func(tb testing.TB) { g.Check(tb, "1.3.0", "sha256:b") }), "raised, not re-recorded")
	t.Setenv(g.Update, "1")
	assert.True(t, fails(t, func(tb testing.TB) { g.Check(tb, "1.2.0", "sha256:b") }), "the update variable re-records no unraised version")
	assert.True(t, fails(t, func(tb testing.TB) { g.Check(tb, "1.4.0", "sha256:b") }), "nor one without its section")
	raw, err := os.ReadFile(g.Record)
	require.NoError(t, err)
	assert.JSONEq(t, `{"version": "1.2.0", "digest": "sha256:a"}`, string(raw), "a refused update writes nothing")

	assert.False(t, fails(t, func(tb testing.TB) { g.Check(tb, "1.3.0", "sha256:b") }), "raised with its section")
	raw, err = os.ReadFile(g.Record)
	require.NoError(t, err)
	assert.JSONEq(t, `{"version": "1.3.0", "digest": "sha256:b"}`, string(raw))
	t.Setenv(g.Update, "")
	assert.False(t, fails(t, func(tb testing.TB) { g.Check(tb, "1.3.0", "sha256:b") }), "the new record holds")
}

// TestWithoutProseKeepsNames: prose and an info's version go, except where a key is a name (a property called
// "description", or a key of a map the caller names); required lists become sorted.
func TestWithoutProseKeepsNames(t *testing.T) {
	doc := map[string]any{
		"info":        map[string]any{"title": "T", "version": "1.0.0", "x": "kept"},
		"description": "gone",
		"properties":  map[string]any{"description": map[string]any{"type": "string", "description": "gone"}},
		"required":    []any{"b", "a"},
		"events":      map[string]any{"summary": map[string]any{"example": 1}},
	}
	got := versionrecord.WithoutProse(doc, "events")
	assert.Equal(t, map[string]any{
		"info":       map[string]any{"x": "kept"},
		"properties": map[string]any{"description": map[string]any{"type": "string"}},
		"required":   []any{"a", "b"},
		"events":     map[string]any{"summary": map[string]any{}},
	}, got)
	a, err := versionrecord.Digest(got)
	require.NoError(t, err)
	b, err := versionrecord.Digest(versionrecord.WithoutProse(doc, "events"))
	require.NoError(t, err)
	assert.Equal(t, a, b)
}
