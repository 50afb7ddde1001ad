package ledgererr

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The chaincode answers in English: its response is endorsed, the same for
// every caller, and foreign clients parse "CODE: field: rule". A client that
// wants another language recognises the message against the format the
// chaincode made it from (refusalTexts) and writes that format's text in
// its language with the same arguments.

// piece is a part of a format: literal text, or where an argument goes.
type piece struct {
	literal string
	verb    byte // 's', 'q', 'd' or 'v'; 0 for literal text
	arg     int  // the argument's index, from 0
}

// parseFormat splits a fmt format into its pieces. It takes the verbs the
// chaincode's refusals use (%s, %q, %d, %v, with or without an explicit
// argument index such as %[2]q) and %%; anything else is an error, so a
// refusal with another verb cannot go unrecognised unnoticed.
func parseFormat(format string) ([]piece, error) {
	var pieces []piece
	var text strings.Builder
	next := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			text.WriteByte(format[i])
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			text.WriteByte('%')
			continue
		}
		arg := next
		if i < len(format) && format[i] == '[' {
			end := strings.IndexByte(format[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("%q: unclosed argument index", format)
			}
			n, err := strconv.Atoi(format[i+1 : i+end])
			if err != nil || n < 1 {
				return nil, fmt.Errorf("%q: bad argument index %q", format, format[i:i+end+1])
			}
			arg = n - 1
			i += end + 1
		}
		if i >= len(format) || !strings.ContainsRune("sqdv", rune(format[i])) {
			return nil, fmt.Errorf("%q: only %%s, %%q, %%d and %%v are recognised", format)
		}
		if text.Len() > 0 {
			pieces = append(pieces, piece{literal: text.String()})
			text.Reset()
		}
		pieces = append(pieces, piece{verb: format[i], arg: arg})
		next = arg + 1
	}
	if text.Len() > 0 {
		pieces = append(pieces, piece{literal: text.String()})
	}
	return pieces, nil
}

// verbPatterns is the text each verb prints, as the chaincode's arguments
// print it: %d an integer, %q a Go-quoted string, %s and %v any text (the
// shortest that lets the rest match).
var verbPatterns = map[byte]string{
	'd': `(-?[0-9]+)`,
	'q': `("(?:[^"\\]|\\.)*")`,
	's': `(.*?)`,
	'v': `(.*?)`,
}

// refusalFormat is one entry of the catalogue, compiled.
type refusalFormat struct {
	en     string
	re     *regexp.Regexp
	groups []int // the argument index of each capturing group
	texts  map[Language][]piece
}

// Refusals recognises the chaincode's refusal messages and writes them in
// another language. Build it once (NewRefusals compiles every format) and
// share it: it is safe for concurrent use.
type Refusals struct {
	formats []refusalFormat
}

// NewRefusals compiles the catalogue of the chaincode's refusals. A format
// that is nothing but one argument ("%s") recognises nothing: it passes
// on a message made elsewhere.
func NewRefusals() *Refusals {
	r, err := compileRefusals(refusalTexts)
	if err != nil {
		panic(err) // the catalogue's tests parse every entry
	}
	return r
}

// NewCatalogue compiles a catalogue of messages another program makes (a
// library's errors), keyed by the English format it makes each from, like
// the chaincode's refusals: its Translate writes them in another language.
func NewCatalogue(texts map[string]string) (*Refusals, error) {
	return compileRefusals(texts)
}

func compileRefusals(texts map[string]string) (*Refusals, error) {
	r := &Refusals{}
	for en, zh := range texts {
		f := refusalFormat{en: en, texts: map[Language][]piece{}}
		pieces, err := parseFormat(en)
		if err != nil {
			return nil, err
		}
		if f.texts[Chinese], err = parseFormat(zh); err != nil {
			return nil, err
		}
		f.texts[English] = pieces
		if len(pieces) == 1 && pieces[0].verb != 0 {
			continue
		}
		var pattern strings.Builder
		pattern.WriteString(`(?s)^`)
		for _, p := range pieces {
			if p.verb == 0 {
				pattern.WriteString(regexp.QuoteMeta(p.literal))
				continue
			}
			pattern.WriteString(verbPatterns[p.verb])
			f.groups = append(f.groups, p.arg)
		}
		pattern.WriteString(`$`)
		f.re = regexp.MustCompile(pattern.String())
		r.formats = append(r.formats, f)
	}
	// A fixed order, the longest format first: the catalogue's tests
	// require that no two formats can match the same message.
	slices.SortFunc(r.formats, func(a, b refusalFormat) int {
		if c := len(b.en) - len(a.en); c != 0 {
			return c
		}
		return strings.Compare(a.en, b.en)
	})
	return r, nil
}

// maxDepth bounds how deep a refusal's argument is itself recognised as a
// refusal (a reason quoted by another refusal).
const maxDepth = 3

// Translate writes message, a refusal's message as the chaincode made it
// (without its code and field), in lang. It reports false when message
// matches no format of the catalogue. An argument that is itself a message
// of the catalogue (a reason the refusal quotes) is written in lang too;
// any other argument (an ID, a status, a time) as the chaincode wrote it.
func (r *Refusals) Translate(message string, lang Language) (string, bool) {
	return r.translate(message, lang, 0)
}

func (r *Refusals) translate(message string, lang Language, depth int) (string, bool) {
	for i := range r.formats {
		f := &r.formats[i]
		m := f.re.FindStringSubmatch(message)
		if m == nil {
			continue
		}
		args := map[int]string{}
		for g, arg := range f.groups {
			if _, seen := args[arg]; !seen {
				args[arg] = m[g+1]
			}
		}
		text, ok := f.texts[lang]
		if !ok || len(text) == 0 {
			text = f.texts[English]
		}
		var out strings.Builder
		for _, p := range text {
			if p.verb == 0 {
				out.WriteString(p.literal)
				continue
			}
			arg := args[p.arg]
			if (p.verb == 's' || p.verb == 'v') && depth < maxDepth {
				if t, ok := r.translate(arg, lang, depth+1); ok {
					arg = t
				} else if t, ok := r.translateList(arg, lang, depth+1); ok {
					arg = t
				}
			}
			out.WriteString(arg)
		}
		return out.String(), true
	}
	return "", false
}

// List is how a refusal joins several items into one argument (the states a
// trade may be in, the reasons a right does not serve), in each language.
type List Text

// The lists of the refusals.
var (
	// Alternatives joins items of which one is wanted: "PAID or DELIVERED".
	Alternatives = List{En: " or ", Zh: " 或 "}
	// Reasons joins reasons that all apply: "right "r-1" is REVOKED; right
	// "r-2" does not cover region 31".
	Reasons = List{En: "; ", Zh: "；"}
)

// lists are the lists a refusal's argument may be.
var lists = []List{Reasons, Alternatives}

// Join joins items as a refusal quotes them (in English, as the chaincode
// answers).
func (l List) Join(items []string) string { return strings.Join(items, l.En) }

// translateList writes arg in lang when it is a list of items each of which
// is a message of the catalogue (written in lang) or a single word (an ID, a
// status: as it is), joined with the list's separator in lang.
func (r *Refusals) translateList(arg string, lang Language, depth int) (string, bool) {
	for _, l := range lists {
		items := strings.Split(arg, l.En)
		if len(items) < 2 {
			continue
		}
		ok := true
		for i, item := range items {
			if t, recognised := r.translate(item, lang, depth); recognised {
				items[i] = t
			} else if item == "" || strings.ContainsAny(item, " \t\n") {
				ok = false
				break
			}
		}
		if ok {
			return strings.Join(items, Text(l).In(lang)), true
		}
	}
	return "", false
}

// Phrase formats a part of a refusal's message that another refusal quotes
// through %s (a reason, the matter to decide): its format is in the
// catalogue like a refusal's, so that it is written in the reader's
// language where it is quoted.
func Phrase(format string, args ...any) string {
	return fmt.Sprintf(format, args...)
}
