// Package textcheck finds text that is not valid UTF-8: raw bytes that are
// not UTF-8, and in JSON documents also escapes of lone UTF-16 surrogates
// ("\ud800"). encoding/json decodes both silently to U+FFFD, so a document
// checked only after decoding would be stored with replacement characters
// instead of being refused. The chaincode and the REST gateway run the same
// check on every text input, so that both refuse the same inputs and name
// the same field.
package textcheck

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Rule is how a refusal states the rule, the same in the chaincode and the
// gateway.
const Rule = "must be valid UTF-8 text (no invalid bytes, no lone surrogate escapes)"

// JSON returns the path of the first key or string value in doc whose text
// is not valid UTF-8 or escapes a lone surrogate: "" for the document
// itself, "name" or "scope.regions[1]" below it (for a bad key, the path of
// the object holding it). ok is false when it found one. A document that is
// not JSON at all is not this check's business: ok is true and the caller's
// parser refuses it.
func JSON(doc []byte) (path string, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var stack []*level
	var end int64
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", true
		}
		raw := bytes.TrimLeft(doc[end:dec.InputOffset()], " \t\r\n:,")
		end = dec.InputOffset()
		var top *level
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if s, isString := tok.(string); isString && top != nil && !top.array && !top.inValue {
			if !validString(raw) { // a bad key
				return pathOf(stack), false
			}
			top.name, top.inValue = s, true
			continue
		}
		if top != nil && top.array {
			top.index++
			top.name = "[" + strconv.Itoa(top.index) + "]"
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' || t == '[' {
				stack = append(stack, &level{array: t == '[', index: -1})
				continue
			}
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				top = stack[len(stack)-1]
			} else {
				top = nil
			}
		case string:
			if !validString(raw) {
				return pathOf(stack), false
			}
		}
		if top != nil && !top.array {
			top.inValue = false
		}
	}
}

// level is an object or array the walk is inside.
type level struct {
	array   bool
	index   int    // the current item of an array
	name    string // the path segment of the current member or item
	inValue bool   // an object's key was read, its value not yet
}

// pathOf writes the path of the current value: object members joined by
// dots, array items in brackets.
func pathOf(stack []*level) string {
	var b bytes.Buffer
	for _, l := range stack {
		if l.name == "" || (!l.array && !l.inValue) {
			continue
		}
		if !l.array && b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(l.name)
	}
	return b.String()
}

// validString reports whether a raw JSON string token (quotes included)
// holds only valid UTF-8 and no escaped lone surrogate.
func validString(raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	for i := 0; i+1 < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		if raw[i+1] != 'u' {
			i++ // a two-character escape such as \\ or \"
			continue
		}
		r, ok := hex4(raw, i+2)
		if !ok {
			return true // not JSON: the parser refuses it
		}
		i += 5
		switch {
		case r >= 0xd800 && r < 0xdc00: // a high surrogate needs a low one next
			if i+6 >= len(raw) || raw[i+1] != '\\' || raw[i+2] != 'u' {
				return false
			}
			low, ok := hex4(raw, i+3)
			if !ok || utf16.DecodeRune(r, low) == utf8.RuneError {
				return false
			}
			i += 6
		case utf16.IsSurrogate(r): // a low surrogate alone
			return false
		}
	}
	return true
}

// hex4 reads the four hex digits of a \u escape at raw[at:].
func hex4(raw []byte, at int) (rune, bool) {
	if at+4 > len(raw) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(raw[at:at+4]), 16, 16)
	return rune(v), err == nil
}
