// Package eventschema checks the chaincode events a test network committed
// against the payload schemas the event catalogue publishes
// (model/jsonschema.EventPayload: the integration guide's, which the
// interface digest covers), enums included. The fixtures of the contract
// tests watch their networks with it, so that every event any contract test
// makes the chaincode emit is checked: an emitter that writes a value
// outside its field's declared set (model.FieldValues), leaves a required
// field out, or emits an event the catalogue lacks fails the test that made
// it emit, rather than a client that validates events in production.
package eventschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	modelschema "github.com/deltaledger/deltaledger/model/jsonschema"
)

// schemas compiles the payload schema of every event of the catalogue once
// per test binary: the contract tests start hundreds of networks.
var schemas = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	out := map[string]*jsonschema.Schema{}
	c := jsonschema.NewCompiler()
	for _, e := range model.Events() {
		s, err := modelschema.EventPayload(e)
		if err != nil {
			return nil, err
		}
		b, err := json.Marshal(s)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		url := "event:" + e.Name + ".json"
		if err := c.AddResource(url, doc); err != nil {
			return nil, err
		}
		if out[e.Name], err = c.Compile(url); err != nil {
			return nil, fmt.Errorf("compiling the payload schema of %s: %w", e.Name, err)
		}
	}
	return out, nil
})

// Validate reports whether an event is in the catalogue and its payload
// valid against the event's schema.
func Validate(e chaincodetest.Event) error {
	all, err := schemas()
	if err != nil {
		return err
	}
	s, ok := all[e.Name]
	if !ok {
		return fmt.Errorf("event %s is not in the catalogue (model.Events)", e.Name)
	}
	payload, err := jsonschema.UnmarshalJSON(bytes.NewReader(e.Payload))
	if err != nil {
		return fmt.Errorf("event %s: payload is not JSON: %w", e.Name, err)
	}
	if err := s.Validate(payload); err != nil {
		// %#v: the detailed form, naming the field and the keyword it
		// breaks (its Error names only the schema).
		return fmt.Errorf("event %s: payload %s does not match its schema: %#v", e.Name, e.Payload, err)
	}
	return nil
}

// Check validates every event of the valid transactions of a ledger.
func Check(t testing.TB, l *chaincodetest.Ledger) {
	t.Helper()
	for _, e := range l.Events() {
		if err := Validate(e); err != nil {
			t.Error(err)
		}
	}
}

// Watch checks the events of a network's ledger when the test (or
// subtest) that started it ends, whatever it checked itself.
func Watch(t testing.TB, net *chaincodetest.Network) {
	t.Helper()
	t.Cleanup(func() { Check(t, net.Ledger()) })
}
