package jsonschema_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/jsonschema"
)

var update = flag.Bool("update", false, "rewrite the generated sections of docs/integration.md")

const guide = "../../docs/integration.md"

// Markers of the generated sections of the guide.
const (
	eventsBegin      = "<!-- BEGIN event catalogue: generated from model.Events() by `go test ./model/jsonschema -update`; do not edit -->\n"
	eventsEnd        = "<!-- END event catalogue -->\n"
	endorsementBegin = "<!-- BEGIN endorsement table: generated from model.Contracts() by `go test ./model/jsonschema -update`; do not edit -->\n"
	endorsementEnd   = "<!-- END endorsement table -->\n"
	answeringBegin   = "<!-- BEGIN answering table: generated from model.Contracts() by `go test ./model/jsonschema -update`; do not edit -->\n"
	answeringEnd     = "<!-- END answering table -->\n"
)

// endorsementTable renders the guide's table of the orgs that must endorse
// each function that changes the ledger, from the functions' declared
// endorsements (which chaincode/contracts' TestDeclaredEndorsementIsWhatTheChannelRequires
// holds to what the channel requires).
func endorsementTable() string {
	var b strings.Builder
	b.WriteString("| function | orgs whose peers must endorse | note |\n| --- | --- | --- |\n")
	for _, c := range model.Contracts() {
		for _, f := range c.Functions {
			if !f.Evaluate {
				fmt.Fprintf(&b, "| `%s` | %s | %s |\n", f.FullName(), f.Endorsement, f.Endorsement.Note)
			}
		}
	}
	return b.String()
}

// answeringTable renders the guide's table of the peers that answer each
// query, from the functions' declarations (which chaincode/contracts'
// TestDeclaredEndorsementIsWhatTheChannelRequires holds to where they
// answer).
func answeringTable() string {
	var b strings.Builder
	b.WriteString("| function | peers that answer | note |\n| --- | --- | --- |\n")
	for _, c := range model.Contracts() {
		for _, f := range c.Functions {
			if f.Evaluate {
				fmt.Fprintf(&b, "| `%s` | %s | %s |\n", f.FullName(), f.AnsweredBy, f.AnsweredBy.Note)
			}
		}
	}
	return b.String()
}

// eventCatalogue renders the event catalogue of the integration guide: each
// event with the contract that emits it, who sees it through the REST
// gateway, and its payload type; then each payload type's JSON Schema.
func eventCatalogue(t *testing.T) string {
	var b strings.Builder
	b.WriteString("| event | contract | payload | seen through the REST gateway by |\n| --- | --- | --- | --- |\n")
	var payloads []reflect.Type
	for _, e := range model.Events() {
		pt := reflect.TypeOf(e.Payload)
		if !containsType(payloads, pt) {
			payloads = append(payloads, pt)
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | [`%s`](#%s) | %s |\n", e.Name, e.Contract, pt.Name(), strings.ToLower(pt.Name()), e.Audience)
	}
	for _, pt := range payloads {
		schema, err := jsonschema.EventPayload(model.Event{Name: pt.Name(), Payload: reflect.New(pt).Elem().Interface()})
		require.NoError(t, err)
		s, err := json.MarshalIndent(schema, "", "  ")
		require.NoError(t, err)
		fmt.Fprintf(&b, "\n#### %s\n\n```json\n%s\n```\n", pt.Name(), s)
	}
	return b.String()
}

func containsType(ts []reflect.Type, t reflect.Type) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// TestIntegrationGuideEventCatalogue holds docs/integration.md's event
// catalogue to model.Events(): every event, its contract, audience and
// payload, and each payload's JSON Schema, as generated here. Run with
// -update to rewrite it after changing the catalogue.
func TestIntegrationGuideEventCatalogue(t *testing.T) {
	requireGenerated(t, "event catalogue", eventsBegin, eventsEnd, eventCatalogue(t))
}

// TestIntegrationGuideEndorsementTable holds docs/integration.md's table of
// endorsing orgs to the functions' declared endorsements. Run with -update
// to rewrite it.
func TestIntegrationGuideEndorsementTable(t *testing.T) {
	requireGenerated(t, "endorsement table", endorsementBegin, endorsementEnd, endorsementTable())
}

// TestIntegrationGuideAnsweringTable holds docs/integration.md's table of
// the peers that answer each query to the functions' declarations. Run
// with -update to rewrite it.
func TestIntegrationGuideAnsweringTable(t *testing.T) {
	requireGenerated(t, "answering table", answeringBegin, answeringEnd, answeringTable())
}

// requireGenerated checks that the guide's section between the markers is
// want, or with -update makes it so.
func requireGenerated(t *testing.T, name, beginMarker, endMarker, want string) {
	t.Helper()
	doc, err := os.ReadFile(guide)
	require.NoError(t, err)
	begin := bytes.Index(doc, []byte(beginMarker))
	end := bytes.Index(doc, []byte(endMarker))
	require.True(t, begin >= 0 && end > begin, "docs/integration.md must hold the markers of the generated %s", name)
	got := string(doc[begin+len(beginMarker) : end])
	if *update && got != want {
		var out bytes.Buffer
		out.Write(doc[:begin+len(beginMarker)])
		out.WriteString(want)
		out.Write(doc[end:])
		require.NoError(t, os.WriteFile(guide, out.Bytes(), 0o644))
		return
	}
	assert.Equal(t, want, got, "docs/integration.md's %s is out of date: go test ./model/jsonschema -update", name)
}
