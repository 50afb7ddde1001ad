// Package jsonschema describes the market's Go types and fields as JSON
// Schemas, once, for every document that publishes them: the gateway's
// OpenAPI document, the chaincode's contract metadata and the integration
// guide's event catalogue. Named struct types become components, described
// once and referenced as #/components/schemas/<Name>, where both OpenAPI and
// Fabric's contract metadata keep them.
package jsonschema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/deltaledger/deltaledger/model"
)

// Schema is a JSON Schema as generic JSON.
type Schema = map[string]any

// Registry turns Go types into schemas, collecting named struct types as
// components so that each is described once and referenced.
type Registry struct {
	components map[string]Schema
	names      map[reflect.Type]string
}

// NewRegistry returns a registry without components.
func NewRegistry() *Registry {
	return &Registry{components: map[string]Schema{}, names: map[reflect.Type]string{}}
}

// Components are the schemas of the named struct types met so far, by
// component name.
func (r *Registry) Components() map[string]Schema { return r.components }

var (
	rawMessageType = reflect.TypeOf(json.RawMessage(nil))
	timeType       = reflect.TypeOf(time.Time{})
	bigIntType     = reflect.TypeOf(big.Int{})
)

// Of returns the schema of the type of v (v is only used for its type).
func (r *Registry) Of(v any) Schema {
	if v == nil {
		return Schema{}
	}
	return r.schema(reflect.TypeOf(v))
}

func (r *Registry) schema(t reflect.Type) Schema {
	switch t {
	case rawMessageType:
		return Schema{}
	case timeType:
		return Schema{"type": "string", "format": "date-time"}
	case bigIntType: // a JSON integer of any size
		return Schema{"type": "integer"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return r.schema(t.Elem())
	case reflect.String:
		return Schema{"type": "string"}
	case reflect.Bool:
		return Schema{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return Schema{"type": "integer"}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return Schema{"type": "integer", "minimum": 0}
	case reflect.Float32, reflect.Float64:
		return Schema{"type": "number"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return Schema{"type": "string", "contentEncoding": "base64"}
		}
		return Schema{"type": "array", "items": r.schema(t.Elem())}
	case reflect.Map:
		return Schema{"type": "object", "additionalProperties": r.schema(t.Elem())}
	case reflect.Struct:
		return r.structRef(t)
	default: // interfaces and anything else: any JSON value
		return Schema{}
	}
}

// structRef registers a struct type as a component and references it.
func (r *Registry) structRef(t reflect.Type) Schema {
	if t.Name() == "" {
		return r.structSchema(t)
	}
	name, ok := r.names[t]
	if !ok {
		name = r.componentName(t)
		r.names[t] = name
		r.components[name] = Schema{} // placeholder: breaks cycles
		r.components[name] = r.structSchema(t)
	}
	return Ref(name)
}

// componentName is the type's name, qualified with its package's when two
// packages' types share a name.
func (r *Registry) componentName(t reflect.Type) string {
	name := t.Name()
	if _, taken := r.components[name]; !taken {
		return name
	}
	pkg := t.PkgPath()
	if i := strings.LastIndex(pkg, "/"); i >= 0 {
		pkg = pkg[i+1:]
	}
	runes := []rune(pkg)
	if len(runes) > 0 {
		runes[0] = unicode.ToUpper(runes[0])
	}
	return string(runes) + name
}

func (r *Registry) structSchema(t reflect.Type) Schema {
	props := Schema{}
	var required []string
	r.addFields(t, props, &required)
	s := Schema{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

func (r *Registry) addFields(t reflect.Type, props Schema, required *[]string) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				r.addFields(ft, props, required)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		var s Schema
		if f.Tag.Get("openapi") == "any" {
			s = Schema{}
		} else {
			s = r.schema(f.Type)
		}
		if values := model.FieldValues[t][name]; len(values) > 0 {
			withEnum(s, values)
		}
		if f.Type.Kind() == reflect.Pointer {
			s = Schema{"anyOf": []any{s, Schema{"type": "null"}}}
		}
		props[name] = s
		optional := strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero") ||
			strings.Contains(f.Tag.Get("metadata"), "optional") || f.Type.Kind() == reflect.Pointer
		if !optional {
			*required = append(*required, name)
		}
	}
}

// withEnum declares a string's values, or a string list's items', in its
// schema (model.FieldValues).
func withEnum(s Schema, values []string) {
	if items, ok := s["items"].(Schema); ok {
		s = items
	}
	s["enum"] = values
}

// Field returns the schema of a field's value as a JSON document carries it:
// an integer as a number, a string list as an array, an object by its
// type's schema.
func (r *Registry) Field(f model.Field) Schema {
	switch f.Type {
	case model.TypeInteger:
		s := Schema{"type": "integer"}
		if f.Minimum != nil {
			s["minimum"] = *f.Minimum
		}
		if f.Maximum != nil {
			s["maximum"] = *f.Maximum
		}
		return s
	case model.TypeStringList:
		items := Schema{"type": "string"}
		if len(f.Enum) > 0 {
			items["enum"] = f.Enum
		}
		return Schema{"type": "array", "items": items, "minItems": 1}
	case model.TypeObject:
		if f.Schema != nil {
			return r.Of(f.Schema)
		}
		return Schema{"type": "object"}
	}
	s := Schema{"type": "string"}
	if len(f.Enum) > 0 {
		s["enum"] = f.Enum
	}
	if f.Pattern != "" {
		s["pattern"] = f.Pattern
	}
	if f.MaxLength > 0 {
		s["maxLength"] = f.MaxLength
	}
	return s
}

// Ref references a component schema.
func Ref(name string) Schema {
	return Schema{"$ref": "#/components/schemas/" + name}
}

// EventPayload returns the standalone JSON Schema (draft 2020-12) of the
// payload of a chaincode event. A payload is a flat record of IDs and
// statuses: one that references other types is refused, so that the schema
// needs no components.
func EventPayload(e model.Event) (Schema, error) {
	reg := NewRegistry()
	t := reflect.TypeOf(e.Payload)
	if ref := reg.Of(e.Payload); len(ref) != 1 || ref["$ref"] != Ref(t.Name())["$ref"] || len(reg.components) != 1 {
		return nil, fmt.Errorf("jsonschema: the payload %s of event %s is not a flat named struct", t, e.Name)
	}
	s := Schema{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": t.Name()}
	for k, v := range reg.components[t.Name()] {
		s[k] = v
	}
	return s, nil
}
