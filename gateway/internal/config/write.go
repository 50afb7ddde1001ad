package config

import (
	"bytes"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// YAML renders the settings of c whose flag names are in given as a
// configuration file that Load reads back into the same values: nested by
// their YAML paths, in declaration order, after comment lines. Every other
// setting is left out, so that it keeps its default. A name that is no
// setting's flag is an error.
func YAML(c *Config, given []string, comment string) ([]byte, error) {
	want := map[string]bool{}
	for _, name := range given {
		want[name] = true
	}
	root := &yaml.Node{Kind: yaml.MappingNode, HeadComment: comment}
	for _, s := range Settings(c) {
		if !want[s.Flag] {
			continue
		}
		delete(want, s.Flag)
		parent := root
		elems := strings.Split(s.Path, ".")
		for _, elem := range elems[:len(elems)-1] {
			parent = child(parent, elem)
		}
		parent.Content = append(parent.Content, scalar(elems[len(elems)-1], "!!str"), s.node())
	}
	if len(want) > 0 {
		unknown := slices.Sorted(maps.Keys(want))
		return nil, fmt.Errorf("--%s is not a setting of the gateway (serve --help lists them)", unknown[0])
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// child returns the mapping under key in m, adding it if m has none.
func child(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	c := &yaml.Node{Kind: yaml.MappingNode}
	m.Content = append(m.Content, scalar(key, "!!str"), c)
	return c
}

func scalar(value, tag string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}

// node is the setting's value as YAML: a duration as its text ("15s"), a
// list as a sequence, other values as scalars of their type.
func (s Setting) node() *yaml.Node {
	v := s.value
	switch {
	case v.Type() == reflect.TypeOf(time.Duration(0)):
		return scalar(s.String(), "!!str")
	case v.Kind() == reflect.Slice:
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, item := range v.Interface().([]string) {
			seq.Content = append(seq.Content, scalar(item, "!!str"))
		}
		return seq
	case v.Kind() == reflect.Bool:
		return scalar(s.String(), "!!bool")
	case v.Kind() == reflect.Int, v.Kind() == reflect.Int64:
		return scalar(s.String(), "!!int")
	case v.Kind() == reflect.Float64:
		return scalar(s.String(), "!!float")
	default:
		return scalar(s.String(), "!!str")
	}
}
