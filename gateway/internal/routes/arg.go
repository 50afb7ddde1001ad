package routes

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/deltaledger/deltaledger/model"
)

// Arg is the chaincode argument that a JSON body field's value raw gives p: a string as it is, an integer in
// decimal, a list of strings joined by commas, an object compacted. An error says raw is not of p's type. The
// gateway checks p's rules on the value besides (length, pattern, enumeration, range); a member's SDK binds its own
// requests with it to hold the proposal it is asked to sign to them (package calls).
func (p Param) Arg(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", errors.New("no value")
	}
	switch p.Type {
	case model.TypeInteger:
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil || raw[0] == '"' {
			return "", errors.New("not an integer")
		}
		v, err := strconv.ParseInt(n.String(), 10, 64)
		if err != nil {
			return "", err
		}
		return strconv.FormatInt(v, 10), nil
	case model.TypeStringList:
		var list []string
		if err := json.Unmarshal(raw, &list); err != nil {
			return "", err
		}
		return strings.Join(list, ","), nil
	case model.TypeObject:
		if raw[0] != '{' {
			return "", errors.New("not an object")
		}
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			return "", err
		}
		return b.String(), nil
	default:
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return "", err
		}
		return v, nil
	}
}

// cursorPrefix versions the opaque cursor format.
const cursorPrefix = "c1."

// EncodeCursor wraps a chaincode bookmark in the opaque cursor a list answers.
func EncodeCursor(bookmark string) string {
	if bookmark == "" {
		return ""
	}
	return cursorPrefix + base64.RawURLEncoding.EncodeToString([]byte(bookmark))
}

// DecodeCursor unwraps a cursor into the chaincode's bookmark; ok is false for a text no list answered.
func DecodeCursor(cursor string) (bookmark string, ok bool) {
	rest, ok := strings.CutPrefix(cursor, cursorPrefix)
	if !ok {
		return "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || !utf8.Valid(b) {
		return "", false
	}
	return string(b), true
}
