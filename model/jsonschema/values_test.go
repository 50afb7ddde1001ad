package jsonschema_test

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/jsonschema"
)

// property returns the schema of a struct type's JSON field.
func property(t *testing.T, v any, field string) jsonschema.Schema {
	t.Helper()
	reg := jsonschema.NewRegistry()
	reg.Of(v)
	props := reg.Components()[reflect.TypeOf(v).Name()]["properties"].(jsonschema.Schema)
	require.Contains(t, props, field, "%T has no JSON field %q", v, field)
	return props[field].(jsonschema.Schema)
}

// TestEveryDeclaredValueSetIsTheFieldsEnum: every entry of
// model.FieldValues names a real string (or string-list) field of its type,
// and the type's schema declares exactly that set as the field's (or its
// items') enum: a misspelt field name or a dropped registry hook would
// otherwise publish a plain string without a word.
func TestEveryDeclaredValueSetIsTheFieldsEnum(t *testing.T) {
	require.NotEmpty(t, model.FieldValues)
	for typ, fields := range model.FieldValues {
		for field, values := range fields {
			require.NotEmpty(t, values, "%s.%s", typ, field)
			s := property(t, reflect.New(typ).Elem().Interface(), field)
			if s["type"] == "array" {
				s = s["items"].(jsonschema.Schema)
			}
			assert.Equal(t, jsonschema.Schema{"type": "string", "enum": values}, s, "%s.%s", typ, field)
		}
	}
}

// TestRecordsDeclareTheirValueSets: the fields clients most rely on carry
// the model's lists, computed statuses included (a right's and an
// authorisation's EXPIRED), and a type that embeds a record
// (ObjectionView) inherits its enums.
func TestRecordsDeclareTheirValueSets(t *testing.T) {
	enum := func(v any, field string) any { return property(t, v, field)["enum"] }
	assert.Equal(t, model.RightStatuses, enum(model.Right{}, "status"))
	assert.Contains(t, enum(model.Right{}, "status"), model.RightExpired)
	assert.Equal(t, model.RightTypes, enum(model.Right{}, "type"))
	assert.Equal(t, model.TradeStatuses, enum(model.Trade{}, "status"))
	assert.Equal(t, model.AssetStatuses, enum(model.Asset{}, "status"))
	assert.Equal(t, model.Pricings, enum(model.Listing{}, "pricing"))
	assert.Equal(t, model.HoldingOfferStatuses, enum(model.HoldingOffer{}, "status"))
	assert.Equal(t, model.Roles, property(t, model.Participant{}, "roles")["items"].(jsonschema.Schema)["enum"])
	assert.Equal(t, model.RecordStatuses, enum(model.Record{}, "status"))
	assert.Equal(t, model.RecordTypes, enum(model.CreditContents{}, "type"))
	assert.Contains(t, enum(model.Authorization{}, "status"), model.AuthorizationExpired)
	assert.Equal(t, model.CreditObjectionStatuses, enum(model.ObjectionView{}, "status"))
	assert.Equal(t, model.Answers, enum(model.ObjectionView{}, "outcome"))
	assert.Equal(t, model.PublicationStatuses, enum(model.Publication{}, "status"))
	// A field without a declared set stays a plain string.
	assert.Equal(t, jsonschema.Schema{"type": "string"}, property(t, model.Right{}, "holderId"))
}

// TestEventPayloadsDeclareTheirValueSets: the event payloads' closed-value
// fields carry the model's lists, and those an event may leave unset
// (a decision only on a review or an objection's decision, a sale's
// rightType and pricing, a resolution's outcome, an objection's answer)
// are not required: an empty string is not among their values, so a
// required one would make a valid event fail its schema.
func TestEventPayloadsDeclareTheirValueSets(t *testing.T) {
	payload := func(name string) jsonschema.Schema {
		e, ok := model.LookupEvent(name)
		require.True(t, ok, name)
		s, err := jsonschema.EventPayload(e)
		require.NoError(t, err)
		return s
	}
	enum := func(s jsonschema.Schema, field string) any {
		return s["properties"].(jsonschema.Schema)[field].(jsonschema.Schema)["enum"]
	}
	asset := payload(model.EventAssetReviewed)
	assert.Equal(t, model.AssetStatuses, enum(asset, "status"))
	assert.Equal(t, model.Decisions, enum(asset, "decision"))
	assert.Contains(t, asset["required"], "status")
	assert.NotContains(t, asset["required"], "decision")
	trade := payload(model.EventTradeResolved)
	assert.Equal(t, model.TradeStatuses, enum(trade, "status"))
	for field, values := range map[string][]string{"outcome": model.Outcomes, "rightType": model.RightTypes, "pricing": model.Pricings} {
		assert.Equal(t, values, enum(trade, field), field)
		assert.NotContains(t, trade["required"], field)
	}
	right := payload(model.EventRightGranted)
	assert.Equal(t, model.RightTypes, enum(right, "type"))
	assert.Equal(t, model.RightStatuses, enum(right, "status"))
	assert.Equal(t, model.HoldingOfferStatuses, enum(payload(model.EventHoldingOffered), "status"))
	credit := payload(model.EventObjectionAnswered)
	assert.Equal(t, model.Answers, enum(credit, "outcome"))
	assert.NotContains(t, credit["required"], "outcome")
	assert.Equal(t, model.HistoryActions, property(t, model.HistoryEntry{}, "action")["enum"])
	assert.Equal(t, model.Decisions, property(t, model.HistoryEntry{}, "decision")["enum"])
}
