package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostile is text a dishonest gateway might answer, made to act on the member's terminal: OSC 52 writes the
// clipboard, a CSI (ESC [, or the C1 character U+009B) moves the cursor and erases what was printed.
const hostile = "Jiangsu\x1b]52;c;cm0gLXJmIH4K\x07 buyer\x1b[2K\u009b1A\r"

// The ledger refuses control characters in its texts, but a dishonest gateway may still answer them: the CLI
// prints its answers (tables) and its errors escaped, so that they cannot drive the member's terminal.
func TestTheGatewaysTextCannotDriveTheTerminal(t *testing.T) {
	f := newFake(t, false)
	f.on("GET /v1/participants/me", func(w http.ResponseWriter, r *http.Request) {
		jsonAnswer(w, 200, map[string]any{"id": "jiangsu.buyer", "name": hostile, "roles": []string{"buyer" + hostile}})
	})
	f.on("GET /v1/trades/t1", func(w http.ResponseWriter, r *http.Request) {
		jsonAnswer(w, 404, map[string]any{"code": "NOT_FOUND", "message": "no trade " + hostile})
	})
	clean := func(what, s string) {
		t.Helper()
		assert.False(t, strings.ContainsAny(s, "\x1b\x07\r\u009b"), "%s: %q", what, s)
		assert.Contains(t, s, `\x1b]52`, "%s shows what was escaped", what)
	}
	env := map[string]string{"DELTALEDGER_GATEWAY": f.srv.URL, "DELTALEDGER_API_KEY": "dlk_x_y"}
	code, out, errOut := cli(t, env, "whoami", "-o", "table")
	require.Equal(t, 0, code, errOut)
	clean("a table", out)
	code, _, errOut = cli(t, env, "trades", "get", "t1")
	require.NotEqual(t, 0, code)
	clean("an error", errOut)
}

// The ledger takes texts with the characters that set the direction of text (Unicode's Bidi_Control: U+202E RIGHT-TO-LEFT
// OVERRIDE, the isolates U+2066-U+2069), which are no control characters to Go: an enterprise names itself, or an
// asset, with one, and a terminal that lays out bidirectional text shows the rest of the line reversed, the columns
// after the name (a price, a holder, a status) among them. The CLI writes them escaped, in a table and in JSON, where
// the escape \u202e is the same string.
func TestTheLedgersTextCannotReverseALine(t *testing.T) {
	const name = "Jiangsu Data\u202e\u2066 Co\u2069\u200f"
	f := newFake(t, false)
	f.on("GET /v1/participants/me", func(w http.ResponseWriter, r *http.Request) {
		jsonAnswer(w, 200, map[string]any{"id": "jiangsu.buyer", "name": name, "roles": []string{"buyer"}})
	})
	env := map[string]string{"DELTALEDGER_GATEWAY": f.srv.URL, "DELTALEDGER_API_KEY": "dlk_x_y"}
	for _, format := range []string{"table", "json"} {
		code, out, errOut := cli(t, env, "whoami", "-o", format)
		require.Equal(t, 0, code, errOut)
		assert.False(t, strings.ContainsAny(out, "\u202e\u2066\u2069\u200f"), "%s: %q", format, out)
		assert.Contains(t, out, `Jiangsu Data\u202e\u2066 Co\u2069\u200f`, "%s shows what was escaped", format)
	}
	code, out, errOut := cli(t, env, "whoami", "-o", "json")
	require.Equal(t, 0, code, errOut)
	var me struct{ Name string }
	require.NoError(t, json.Unmarshal([]byte(out), &me))
	assert.Equal(t, name, me.Name, "the JSON printed still decodes to the ledger's text")
}
