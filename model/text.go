package model

import "unicode"

// SetsTextDirection reports whether r is one of the characters that set the direction of text (Unicode's
// Bidi_Control: U+202E RIGHT-TO-LEFT OVERRIDE, the isolates U+2066 to U+2069, the marks U+200E, U+200F and U+061C).
// They are no control characters, yet shown in a name they lay out what follows it on the line in reverse: a
// rival's asset named with one reads, in a table or a log, as another price, holder or status. The ledger's texts
// refuse them; a client printing a text it did not check escapes them.
func SetsTextDirection(r rune) bool {
	return unicode.Is(unicode.Bidi_Control, r)
}
