package main

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/deltaledger/deltaledger/model"
)

// The CLI prints text that comes from the gateway: the ledger's records, the gateway's messages. The ledger refuses
// control characters in its texts, but a dishonest gateway (or one in the middle) could answer them anyway, and on
// a terminal they act: ESC and the C1 characters start sequences that move the cursor, erase or rewrite what was
// printed, set the window title, or write the clipboard (OSC 52). The CLI writes them escaped, as \x1b or \u009b,
// so that the member sees them and the terminal does not act on them.
//
// The characters that set the direction of text (model.SetsTextDirection: U+202E RIGHT-TO-LEFT OVERRIDE, the
// isolates U+2066 to U+2069, the marks) are no control characters to Go: an enterprise's name or an asset's with one
// would show the rest of its line reversed on a terminal that lays out bidirectional text, the columns after it (a
// price, a holder) among them. The ledger refuses them from interface 13.0.0 on, but may hold them from before, and
// a dishonest gateway may answer them: the CLI escapes them too (\u202e); in JSON the escape is the same string.

// escapeControls returns s with every control character and every character of Bidi_Control but those in keep,
// and every byte that is not UTF-8, written as its Go escape.
func escapeControls(s, keep string) string {
	escaped := func(r rune) bool {
		return r == utf8.RuneError || acts(r) && !strings.ContainsRune(keep, r)
	}
	if !strings.ContainsFunc(s, escaped) {
		return s
	}
	var b strings.Builder
	for i, w := 0, 0; i < len(s); i += w {
		var r rune
		r, w = utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && w == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case acts(r) && !strings.ContainsRune(keep, r):
			if r < utf8.RuneSelf {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteString(s[i : i+w])
		}
	}
	return b.String()
}

// acts reports whether r, printed, would act on the terminal or on how it lays out the line, rather than show.
func acts(r rune) bool {
	return unicode.IsControl(r) || model.SetsTextDirection(r)
}

// lineBreaks are the control characters printed text keeps: its lines and a table's tabs.
const lineBreaks = "\n\t"

// escapingWriter writes to w with the control characters escaped, but line breaks and tabs. The CLI's standard
// output is one: what it prints there (JSON, tables, help) never needs another control character. Each Write is
// escaped on its own, which suits writers of whole strings (fmt, tabwriter's cells).
type escapingWriter struct{ w io.Writer }

// Write writes p escaped; it reports all of p written once the escaped text is.
func (e escapingWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(e.w, escapeControls(string(p), lineBreaks)); err != nil {
		return 0, err
	}
	return len(p), nil
}
