package contracts_test

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/contracts"
	"github.com/deltaledger/deltaledger/model"
	modelschema "github.com/deltaledger/deltaledger/model/jsonschema"
)

// The interface record: the version of the chaincode's interface last
// recorded and the digest of that interface. Re-record it with
// UPDATE_INTERFACE_RECORD=1, which refuses to while the interface changed
// and model.Version did not.
var (
	interfaceRecordPath = filepath.Join("testdata", "interface.json")
	interfaceChangelog  = filepath.Join("..", "..", "docs", "interface-changes.md")
)

const updateInterfaceRecord = "UPDATE_INTERFACE_RECORD"

// interfaceRecord is testdata/interface.json.
type interfaceRecord struct {
	Version string `json:"version"`
	Digest  string `json:"digest"`
}

// prose are the keys whose values are text for people (a schema's or a
// parameter's description, a contract's title): rewording them changes no
// client's code, so the digest leaves them out.
var prose = []string{"description", "title", "summary", "$comment"}

// nameMaps are the keys whose value is a map keyed by names (a record's
// properties, the components, the contracts, the events): its keys are the
// interface (a record may have a field named "description"), never prose to
// drop.
var nameMaps = []string{"properties", "patternProperties", "schemas", "contracts", "events", "$defs", "definitions"}

// canonicalInterface is the interface with its prose and its own version
// taken out, in an order that only a change of the interface changes:
// the contract metadata (an "info" keeps nothing but prose and the
// version) and the event catalogue (each event's contract, audience and
// payload schema), functions and events sorted by name and the required
// fields of each record as a set. Parameters keep their order: a function
// takes its arguments by position.
func canonicalInterface(metadata []byte, events []model.Event) (map[string]any, error) {
	var doc map[string]any
	if err := json.Unmarshal(metadata, &doc); err != nil {
		return nil, err
	}
	for _, c := range doc["contracts"].(map[string]any) {
		txs := c.(map[string]any)["transactions"].([]any)
		slices.SortFunc(txs, func(a, b any) int {
			return cmp.Compare(a.(map[string]any)["name"].(string), b.(map[string]any)["name"].(string))
		})
	}
	byName := map[string]any{}
	for _, e := range events {
		payload, err := modelschema.EventPayload(e)
		if err != nil {
			return nil, err
		}
		byName[e.Name] = map[string]any{"contract": e.Contract, "audience": string(e.Audience), "payload": map[string]any(payload)}
	}
	doc["events"] = byName
	// Through JSON again, so that every value is of encoding/json's types
	// (a schema's required fields a []any, as in the metadata).
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var plain map[string]any
	if err := json.Unmarshal(b, &plain); err != nil {
		return nil, err
	}
	return withoutProse(plain, false).(map[string]any), nil
}

// withoutProse copies v without its prose and without the version of an
// "info"; names says that v's keys are names (kept whatever they are).
func withoutProse(v any, names bool) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			if !names && slices.Contains(prose, k) {
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
			out[k] = withoutProse(x, !names && slices.Contains(nameMaps, k))
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = withoutProse(x, false)
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

// sortedStrings sorts a list of names, such as a record's required fields,
// whose order means nothing.
func sortedStrings(list []any) []any {
	out := slices.Clone(list)
	slices.SortFunc(out, func(a, b any) int { return cmp.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	return out
}

// digestOf is the SHA-256 of the canonical interface's JSON, whose object
// keys encoding/json writes sorted.
func digestOf(canonical map[string]any) (string, error) {
	b, err := json.Marshal(canonical)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// interfaceDigest is the digest of the chaincode's interface as it is.
func interfaceDigest(t *testing.T) string {
	t.Helper()
	metadata, err := contracts.Metadata()
	require.NoError(t, err)
	canonical, err := canonicalInterface(metadata, model.Events())
	require.NoError(t, err)
	digest, err := digestOf(canonical)
	require.NoError(t, err)
	return digest
}

// semver parses "major.minor.patch".
func semver(t *testing.T, v string) [3]int {
	t.Helper()
	var s [3]int
	n, err := fmt.Sscanf(v, "%d.%d.%d", &s[0], &s[1], &s[2])
	require.NoError(t, err, "version %q", v)
	require.Equal(t, 3, n)
	require.Equal(t, fmt.Sprintf("%d.%d.%d", s[0], s[1], s[2]), v, "version %q is not major.minor.patch", v)
	return s
}

// TestInterfaceVersionFollowsTheInterface: model.Version changes whenever
// the interface does. The recorded digest is of the interface at the
// recorded version; a different interface under the same version fails,
// and cannot be re-recorded until model.Version is raised (and the raise
// is in the integrators' changelog).
func TestInterfaceVersionFollowsTheInterface(t *testing.T) {
	raw, err := os.ReadFile(interfaceRecordPath)
	require.NoError(t, err)
	var recorded interfaceRecord
	require.NoError(t, json.Unmarshal(raw, &recorded))
	digest := interfaceDigest(t)

	if digest != recorded.Digest && model.Version == recorded.Version {
		t.Fatalf("the chaincode's interface changed (contract metadata or events: %s, recorded %s) but model.Version is still %s.\n"+
			"Raise model.Version (model/function.go): the minor version for a new function, optional parameter, field or event; "+
			"the major version for a removal, a rename, a changed type or a stricter rule. Add the change to docs/interface-changes.md, "+
			"then re-record with %s=1 go test ./chaincode/contracts/ -run TestInterfaceVersionFollowsTheInterface",
			digest, recorded.Digest, model.Version, updateInterfaceRecord)
	}
	if model.Version != recorded.Version {
		raised, was := semver(t, model.Version), semver(t, recorded.Version)
		assert.Positive(t, slices.Compare(raised[:], was[:]),
			"model.Version %s must be above the recorded %s", model.Version, recorded.Version)
		changelog, err := os.ReadFile(interfaceChangelog)
		require.NoError(t, err)
		require.Contains(t, string(changelog), "\n## "+model.Version+" (",
			"docs/interface-changes.md has no section \"## %s (date)\" saying what changed", model.Version)
		if os.Getenv(updateInterfaceRecord) != "1" {
			t.Fatalf("model.Version is %s but testdata/interface.json records %s: re-record with %s=1 go test ./chaincode/contracts/ -run TestInterfaceVersionFollowsTheInterface",
				model.Version, recorded.Version, updateInterfaceRecord)
		}
		out, err := json.MarshalIndent(interfaceRecord{Version: model.Version, Digest: digest}, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(interfaceRecordPath, append(out, '\n'), 0o644))
	}
}

// TestInterfaceDigestIgnoresProseOnly: rewording a description, a title or
// the version changes nothing of the digest; a field's type, a new field
// (even one named "description"), a parameter made optional, a reordered
// parameter, a new function or a changed event audience each change it;
// the order of functions, events and required fields does not.
func TestInterfaceDigestIgnoresProseOnly(t *testing.T) {
	metadata, err := contracts.Metadata()
	require.NoError(t, err)
	events := model.Events()
	digest := func(t *testing.T, change func(doc map[string]any), events []model.Event) string {
		t.Helper()
		var doc map[string]any
		require.NoError(t, json.Unmarshal(metadata, &doc))
		change(doc)
		b, err := json.Marshal(doc)
		require.NoError(t, err)
		canonical, err := canonicalInterface(b, events)
		require.NoError(t, err)
		d, err := digestOf(canonical)
		require.NoError(t, err)
		return d
	}
	same := func(map[string]any) {}
	base := digest(t, same, events)
	assert.Equal(t, interfaceDigest(t), base)
	for i := 0; i < 3; i++ {
		assert.Equal(t, base, digest(t, same, events), "the digest must not depend on map order")
	}

	schemas := func(doc map[string]any) map[string]any {
		return doc["components"].(map[string]any)["schemas"].(map[string]any)
	}
	prop := func(doc map[string]any, schema, field string) map[string]any {
		return schemas(doc)[schema].(map[string]any)["properties"].(map[string]any)[field].(map[string]any)
	}
	rights := func(doc map[string]any) []any {
		return doc["contracts"].(map[string]any)[model.RightsContract.Name].(map[string]any)["transactions"].([]any)
	}
	firstParams := func(doc map[string]any) []any {
		for _, tx := range rights(doc) {
			if ps, ok := tx.(map[string]any)["parameters"].([]any); ok && len(ps) >= 2 {
				return ps
			}
		}
		t.Fatal("no rights function with two parameters")
		return nil
	}

	for name, change := range map[string]func(map[string]any){
		"a reworded description": func(doc map[string]any) { prop(doc, "Right", "status")["description"] = "reworded" },
		"a reworded parameter":   func(doc map[string]any) { firstParams(doc)[0].(map[string]any)["description"] = "reworded" },
		"a reworded title":       func(doc map[string]any) { doc["info"].(map[string]any)["title"] = "another" },
		"another version": func(doc map[string]any) {
			doc["info"].(map[string]any)["version"] = "9.9.9"
			for _, c := range doc["contracts"].(map[string]any) {
				c.(map[string]any)["info"].(map[string]any)["version"] = "9.9.9"
			}
		},
		"functions reordered": func(doc map[string]any) { slices.Reverse(rights(doc)) },
		"required reordered": func(doc map[string]any) {
			slices.Reverse(schemas(doc)["Right"].(map[string]any)["required"].([]any))
		},
	} {
		assert.Equal(t, base, digest(t, change, events), name)
	}

	for name, change := range map[string]func(map[string]any){
		"a field's type": func(doc map[string]any) { prop(doc, "Right", "status")["type"] = "integer" },
		"a new field named description": func(doc map[string]any) {
			schemas(doc)["Right"].(map[string]any)["properties"].(map[string]any)["description"] = map[string]any{"type": "string"}
		},
		"a field removed": func(doc map[string]any) {
			delete(schemas(doc)["Right"].(map[string]any)["properties"].(map[string]any), "status")
		},
		"a parameter made optional": func(doc map[string]any) { firstParams(doc)[0].(map[string]any)["required"] = false },
		"parameters reordered":      func(doc map[string]any) { slices.Reverse(firstParams(doc)) },
		"a new function": func(doc map[string]any) {
			c := doc["contracts"].(map[string]any)[model.RightsContract.Name].(map[string]any)
			c["transactions"] = append(rights(doc), map[string]any{"name": "Another", "tag": []any{"submit"}})
		},
	} {
		assert.NotEqual(t, base, digest(t, change, events), name)
	}

	renamed := slices.Clone(events)
	renamed[0].Name += "Renamed"
	assert.NotEqual(t, base, digest(t, same, renamed), "a renamed event")
	narrowed := slices.Clone(events)
	narrowed[0].Audience = model.AudienceRegulator
	assert.NotEqual(t, base, digest(t, same, narrowed), "an event seen by fewer")
	assert.NotEqual(t, base, digest(t, same, events[1:]), "an event removed")
	reordered := slices.Clone(events)
	slices.Reverse(reordered)
	assert.Equal(t, base, digest(t, same, reordered), "events reordered")
	assert.True(t, strings.HasPrefix(base, "sha256:"))
}
