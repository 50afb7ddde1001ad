package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strings"
	"text/tabwriter"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Output formats.
const (
	outputJSON  = "json"
	outputTable = "table"
)

// column is one column of a table of T.
type column[T any] struct {
	header string
	value  func(T) string
}

func col[T any](header string, value func(T) string) column[T] { return column[T]{header, value} }

// printValue prints one value: indented JSON, or a two-column table of its
// fields (nested objects flattened to dotted names).
func (a *app) printValue(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if a.output == outputJSON {
		return writeJSON(a.stdout, b)
	}
	var rows [][2]string
	if err := flatten("", b, &rows); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FIELD\tVALUE")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\n", r[0], r[1])
	}
	return tw.Flush()
}

// printList prints at most limit items (0: all) of a list: a JSON array, or
// a table with the columns.
func printList[T any](a *app, seq iter.Seq2[T, error], limit int, cols []column[T]) error {
	var items []T
	cut := false
	for item, err := range seq {
		if err != nil {
			return err
		}
		// One item past the limit tells a list cut short from a whole
		// one: an auditor must not take the first items for all of them.
		if limit > 0 && len(items) >= limit {
			cut = true
			break
		}
		items = append(items, item)
	}
	if cut {
		defer a.say(notePrefix, ledgererr.Messagef("the first %d items only: --limit 0 prints all", limit))
	}
	if a.output == outputJSON {
		if items == nil {
			items = []T{}
		}
		b, err := json.Marshal(items)
		if err != nil {
			return err
		}
		return writeJSON(a.stdout, b)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	headers := make([]string, len(cols))
	for i, c := range cols {
		headers[i] = c.header
	}
	fmt.Fprintln(tw, strings.Join(headers, "\t"))
	for _, item := range items {
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = cell(c.value(item))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(items) == 0 {
		fmt.Fprintln(a.stderr, noneText.In(a.lang))
	}
	return nil
}

// price is an amount in fen for a table cell: empty (shown "-") when there
// is none, such as the confidential price of a negotiated trade.
func price(v int64) string {
	if v == 0 {
		return ""
	}
	return fen(&v)
}

// cell keeps a table cell on one line and not too wide.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "-"
	}
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}

func writeJSON(w io.Writer, compact []byte) error {
	var b bytes.Buffer
	if err := json.Indent(&b, compact, "", "  "); err != nil {
		return err
	}
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}

// flatten lists the fields of a JSON value in document order, with dotted
// names for nested objects; arrays of scalars are joined with commas, other
// arrays kept as compact JSON.
func flatten(prefix string, raw json.RawMessage, rows *[][2]string) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		*rows = append(*rows, [2]string{strings.TrimSuffix(prefix, "."), scalar(raw)})
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return err
		}
		key := prefix + tok.(string)
		if t := bytes.TrimSpace(v); len(t) > 0 && t[0] == '{' && !bytes.Equal(t, []byte("{}")) {
			if err := flatten(key+".", v, rows); err != nil {
				return err
			}
			continue
		}
		*rows = append(*rows, [2]string{key, scalar(v)})
	}
	return nil
}

// scalar renders a JSON value for a table cell.
func scalar(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var list []any
	if json.Unmarshal(raw, &list) == nil {
		parts := make([]string, 0, len(list))
		for _, it := range list {
			switch it.(type) {
			case map[string]any, []any:
				return string(raw)
			}
			parts = append(parts, fmt.Sprint(it))
		}
		return strings.Join(parts, ",")
	}
	if string(raw) == "null" {
		return ""
	}
	return string(raw)
}

// seqOf iterates over a slice as a list without errors.
func seqOf[T any](items []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, it := range items {
			if !yield(it, nil) {
				return
			}
		}
	}
}
