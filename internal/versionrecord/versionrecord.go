// Package versionrecord keeps a published interface's version honest, for the tests of the chaincode's interface
// (model.Version) and of the gateway's REST API (openapi.Version): each hashes its machine-readable description
// without the prose and the version, and compares the digest with a record committed next to the test. A changed
// digest under an unchanged version fails, and the record is refreshed only for a raised version that its changelog
// names, so that an integrator reading the version learns whenever what the code expects of them changed.
package versionrecord

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Prose are the keys whose values are text for people (a schema's or a parameter's description, a title, an
// operation's summary, an example): rewording them changes no client's code, so the digest leaves them out.
var Prose = []string{"description", "title", "summary", "$comment", "example", "examples"}

// SchemaNames are the keys of JSON Schema whose value is a map keyed by names (a record's properties, the
// definitions): its keys are the interface (a record may have a field named "description"), never prose to drop.
// A document adds its own such keys to WithoutProse.
var SchemaNames = []string{"properties", "patternProperties", "schemas", "$defs", "definitions"}

// WithoutProse copies a JSON value (of encoding/json's types) without its Prose, without the version of an
// "info", and with every "required" list of field names sorted (a set). nameMaps are the keys, beside SchemaNames,
// whose value's keys are names, kept whatever they are.
func WithoutProse(v any, nameMaps ...string) any {
	return withoutProse(v, false, append(slices.Clone(SchemaNames), nameMaps...))
}

// withoutProse is WithoutProse; names says that v's keys are names.
func withoutProse(v any, names bool, nameMaps []string) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			if !names && slices.Contains(Prose, k) {
				continue
			}
			if !names && k == "info" {
				if info, ok := x.(map[string]any); ok {
					x = without(info, "version")
				}
			}
			if !names && k == "required" {
				if list, ok := x.([]any); ok {
					x = sortedStrings(list)
				}
			}
			out[k] = withoutProse(x, !names && slices.Contains(nameMaps, k), nameMaps)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = withoutProse(x, false, nameMaps)
		}
		return out
	}
	return v
}

// without copies m without key.
func without(m map[string]any, key string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}

// sortedStrings sorts a list of names, such as a record's required fields, whose order means nothing.
func sortedStrings(list []any) []any {
	out := slices.Clone(list)
	slices.SortFunc(out, func(a, b any) int { return cmp.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	return out
}

// Plain is v through JSON and back, so that every value is of encoding/json's types (a []string a []any), as
// WithoutProse expects.
func Plain(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var plain any
	err = json.Unmarshal(b, &plain)
	return plain, err
}

// Digest is the SHA-256 of v's JSON, whose object keys encoding/json writes sorted, as "sha256:<hex>".
func Digest(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// Record is the committed file: the version last recorded and the digest of the interface at that version.
type Record struct {
	Version string `json:"version"`
	Digest  string `json:"digest"`
}

// Guard says where one interface's record and changelog are and how to name them in a failure.
type Guard struct {
	// What names the interface, e.g. "the chaincode's interface (contract metadata or events)".
	What string
	// VersionName names the version in the code and where it is, e.g. "model.Version (model/function.go)".
	VersionName string
	// Record is the record's path, Changelog the changelog's, both relative to the test's package.
	Record, Changelog string
	// ChangelogName names the changelog for people, e.g. "docs/interface-changes.md".
	ChangelogName string
	// Minor says what raises the minor version, e.g. "a new function, optional parameter, field or event".
	Minor string
	// Update is the environment variable that, set to 1, re-records a raised version.
	Update string
	// Rerun is the command that re-runs the test, e.g. "go test ./chaincode/contracts/ -run TestX".
	Rerun string
}

// Check fails t when digest differs from the record's and version equals the record's: the interface changed and
// its version did not. A version other than the record's must be above it, have a section "## <version> (" in the
// changelog, and is re-recorded (with digest) only when g.Update is 1.
func (g Guard) Check(t testing.TB, version, digest string) {
	t.Helper()
	raw, err := os.ReadFile(g.Record)
	require.NoError(t, err)
	var recorded Record
	require.NoError(t, json.Unmarshal(raw, &recorded))

	if digest != recorded.Digest && version == recorded.Version {
		t.Fatalf("%s changed (%s, recorded %s) but %s is still %s.\n"+
			"Raise %s: the minor version for an addition (%s); the major version for a removal, a rename, a changed type "+
			"or a stricter rule. Add the change to %s, then re-record with %s=1 %s",
			g.What, digest, recorded.Digest, g.VersionName, version, g.VersionName, g.Minor, g.ChangelogName, g.Update, g.Rerun)
	}
	if version == recorded.Version {
		return
	}
	raised, was := Semver(t, version), Semver(t, recorded.Version)
	assert.Positive(t, slices.Compare(raised[:], was[:]), "%s %s must be above the recorded %s", g.VersionName, version, recorded.Version)
	changelog, err := os.ReadFile(g.Changelog)
	require.NoError(t, err)
	require.Contains(t, string(changelog), "\n## "+version+" (", "%s has no section \"## %s (date)\" saying what changed", g.ChangelogName, version)
	if os.Getenv(g.Update) != "1" {
		t.Fatalf("%s is %s but %s records %s: re-record with %s=1 %s", g.VersionName, version, g.Record, recorded.Version, g.Update, g.Rerun)
	}
	out, err := json.MarshalIndent(Record{Version: version, Digest: digest}, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(g.Record, append(out, '\n'), 0o644))
}

// Semver parses "major.minor.patch".
func Semver(t testing.TB, v string) [3]int {
	t.Helper()
	var s [3]int
	n, err := fmt.Sscanf(v, "%d.%d.%d", &s[0], &s[1], &s[2])
	require.NoError(t, err, "version %q", v)
	require.Equal(t, 3, n)
	require.Equal(t, fmt.Sprintf("%d.%d.%d", s[0], s[1], s[2]), v, "version %q is not major.minor.patch", v)
	return s
}
