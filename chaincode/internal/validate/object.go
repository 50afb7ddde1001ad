package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Object decodes raw, which must be exactly one JSON object of the given
// shape (for example "{purpose, regions, validFrom, validUntil}"), into v.
// Unknown fields, trailing data and values of the wrong JSON type are
// refused naming the field path in the API's own names: encoding/json's
// messages name Go types and struct fields ("Go struct field Scope.regions
// of type string"), which mean nothing to a caller in another language.
func Object(field string, raw []byte, v any, shape string) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return objectError(field, shape, reflect.TypeOf(v), err)
	}
	if dec.More() {
		return ledgererr.Invalid(field, "must hold exactly one JSON object %s", shape)
	}
	return nil
}

// objectError turns an encoding/json error into a refusal in JSON terms.
func objectError(field, shape string, target reflect.Type, err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		want := jsonKind(typeErr.Type)
		if t := fieldType(target, typeErr.Field); t != nil && t.Kind() == reflect.Slice && t.Elem() == typeErr.Type {
			want = jsonKind(t) // an item of a list is of the wrong type
		}
		return ledgererr.Invalid(field+"."+typeErr.Field, "must be %s, got %s", want, article(typeErr.Value))
	case errors.As(err, &typeErr):
		return ledgererr.Invalid(field, "must be a JSON object %s, got %s", shape, article(typeErr.Value))
	case errors.As(err, &syntaxErr):
		return ledgererr.Invalid(field, "must be a JSON object %s; it is not valid JSON at byte %d", shape, syntaxErr.Offset)
	}
	// encoding/json has no type for these two; their texts are stable.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return ledgererr.Invalid(field, "has unknown field %s; it must be a JSON object %s", clip(name), shape)
	}
	return ledgererr.Invalid(field, "must be a JSON object %s; it is incomplete JSON", shape)
}

// fieldType is the Go type of the field at a dotted JSON path of t, nil if
// there is none.
func fieldType(t reflect.Type, path string) reflect.Type {
	for name := range strings.SplitSeq(path, ".") {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil
		}
		found := false
		for f := range t.Fields() {
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag == name || (tag == "" && strings.EqualFold(f.Name, name)) {
				t, found = f.Type, true
				break
			}
		}
		if !found {
			return nil
		}
	}
	return t
}

// jsonKind names the JSON value a Go type is decoded from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a JSON string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole JSON number"
	case reflect.Float32, reflect.Float64:
		return "a JSON number"
	case reflect.Slice, reflect.Array:
		if item := jsonKind(t.Elem()); strings.HasPrefix(item, "a ") {
			return "a JSON list of " + item[2:] + "s"
		}
		return "a JSON list"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	default:
		return "a JSON object"
	}
}

// article names a JSON value kind as encoding/json reports it ("number",
// "number 1.5", "array") in a sentence.
func article(value string) string {
	kind, _, _ := strings.Cut(value, " ")
	switch kind {
	case "array":
		return "a JSON list"
	case "object":
		return "a JSON object"
	case "bool":
		return "true or false"
	default:
		return "a JSON " + kind
	}
}
