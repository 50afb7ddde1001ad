package textcheck

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestJSON(t *testing.T) {
	good := []string{
		`{"name":"数据资产 ✓","n":1,"list":["a","b"],"o":{"k":null,"t":true}}`,
		`{"emoji":"\ud83d\ude00","esc":"\\ud800 is text","q":"\"\u00e9\""}`,
		`"plain"`, `[]`, `{}`, `12`,
		`not json at all`, // the caller's parser refuses it
	}
	for _, doc := range good {
		path, ok := JSON([]byte(doc))
		assert.True(t, ok, "%s refused at %q", doc, path)
	}
	bad := map[string]string{
		`{"name":"a` + "\xff" + `b"}`:                             "name",
		`{"name":"\ud800"}`:                                       "name",
		`{"name":"\udc00x"}`:                                      "name",
		`{"name":"\ud800\u0041"}`:                                 "name",
		`{"a":"ok","terms":{"priceFen":1,"conditions":"\ud800"}}`: "terms.conditions",
		`{"scope":{"regions":["ok","` + "\xc3" + `"]}}`:           "scope.regions[1]",
		`{"list":[{"x":"y"},{"z":"\udfff"}]}`:                     "list[1].z",
		`{"o":{"` + "\xff" + `":"v"}}`:                            "o",
		`{"` + "\xff" + `":"v"}`:                                  "",
		`"\ud800"`:                                                "",
		`{"a":{"b":1},"c":"` + "\xed\xa0\x80" + `"}`:              "c", // a surrogate encoded as UTF-8
	}
	for doc, want := range bad {
		path, ok := JSON([]byte(doc))
		assert.False(t, ok, "%q accepted", doc)
		assert.Equal(t, want, path, "%q", doc)
	}
}

// FuzzJSON checks that whatever the check accepts, encoding/json decodes
// without inventing a replacement character.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{`{"a":"b"}`, `{"a":"\ud800"}`, `["\ud83d\ude00"]`, "\"\xff\"", `{"a":["x",{"b":"\udc00"}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		var v any
		if json.Unmarshal(doc, &v) != nil {
			return
		}
		if _, ok := JSON(doc); ok && containsRuneError(v) && !bytesHoldRuneError(doc) {
			t.Fatalf("accepted %q, which decodes with a replacement character", doc)
		}
	})
}

func containsRuneError(v any) bool {
	switch v := v.(type) {
	case string:
		for _, r := range v {
			if r == utf8.RuneError {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if containsRuneError(x) {
				return true
			}
		}
	case map[string]any:
		for k, x := range v {
			if containsRuneError(k) || containsRuneError(x) {
				return true
			}
		}
	}
	return false
}

// bytesHoldRuneError reports whether the document spells U+FFFD itself,
// which is valid text.
func bytesHoldRuneError(doc []byte) bool {
	return utf8.Valid(doc) && (containsRuneError(string(doc)) || json.Valid(doc) && hasEscapedFFFD(doc))
}

func hasEscapedFFFD(doc []byte) bool {
	for i := 0; i+6 <= len(doc); i++ {
		if doc[i] == '\\' && doc[i+1] == 'u' && (string(doc[i+2:i+6]) == "fffd" || string(doc[i+2:i+6]) == "FFFD") {
			return true
		}
	}
	return false
}
