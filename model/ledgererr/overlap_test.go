package ledgererr

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nfa is the language of the messages a format makes with words for
// arguments: %d an integer, %q a quoted string, %s and %v a word (no space,
// no double quote). Two formats that can make the same message from words
// are ambiguous; the matcher's order (the longest format first) tells
// apart the rest, messages whose arguments hold spaces, which the round
// trip checks with such arguments.
type nfa struct {
	eps   [][]int
	edges [][]nfaEdge
}

type nfaEdge struct {
	accepts func(rune) bool
	to      int
}

func (a *nfa) state() int {
	a.eps = append(a.eps, nil)
	a.edges = append(a.edges, nil)
	return len(a.eps) - 1
}

func (a *nfa) edge(from int, accepts func(rune) bool) int {
	to := a.state()
	a.edges[from] = append(a.edges[from], nfaEdge{accepts, to})
	return to
}

func is(c rune) func(rune) bool { return func(r rune) bool { return r == c } }

func anyRune(rune) bool { return true }

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// newNFA builds the automaton of pieces; its last state accepts.
func newNFA(pieces []piece) *nfa {
	a := &nfa{}
	at := a.state()
	for _, p := range pieces {
		switch p.verb {
		case 0:
			for _, c := range p.literal {
				at = a.edge(at, is(c))
			}
		case 's', 'v': // a word: an ID, a status, an org, a time, a number
			loop := a.state()
			a.eps[at] = append(a.eps[at], loop)
			a.edges[loop] = append(a.edges[loop], nfaEdge{func(r rune) bool { return r != ' ' && r != '"' }, loop})
			at = loop
		case 'd': // -?[0-9]+
			sign := a.edge(at, is('-'))
			a.eps[at] = append(a.eps[at], sign)
			digits := a.edge(sign, isDigit)
			a.edges[digits] = append(a.edges[digits], nfaEdge{isDigit, digits})
			at = digits
		case 'q': // "(?:[^"\\]|\\.)*"
			inside := a.edge(at, is('"'))
			a.edges[inside] = append(a.edges[inside], nfaEdge{func(r rune) bool { return r != '"' && r != '\\' }, inside})
			escaped := a.edge(inside, is('\\'))
			a.edges[escaped] = append(a.edges[escaped], nfaEdge{anyRune, inside})
			at = a.edge(inside, is('"'))
		}
	}
	return a
}

func (a *nfa) closure(s int) []int {
	seen := map[int]bool{s: true}
	stack, out := []int{s}, []int{s}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, y := range a.eps[x] {
			if !seen[y] {
				seen[y] = true
				stack = append(stack, y)
				out = append(out, y)
			}
		}
	}
	return out
}

// alphabet is the runes that stand for every rune in messages of x and y:
// those the formats spell, and one of each kind the verbs tell apart.
func alphabet(x, y []piece) []rune {
	set := map[rune]bool{'"': true, '\\': true, '-': true, '0': true, 'x': true, ' ': true, '\uE000': true}
	for _, ps := range [][]piece{x, y} {
		for _, p := range ps {
			for _, c := range p.literal {
				set[c] = true
			}
		}
	}
	runes := make([]rune, 0, len(set))
	for c := range set {
		runes = append(runes, c)
	}
	slices.Sort(runes)
	return runes
}

// step is the states of a reached from states on r, closed.
func (a *nfa) step(states []int, r rune) []int {
	seen := map[int]bool{}
	var out []int
	for _, s := range states {
		for _, e := range a.edges[s] {
			if e.accepts(r) {
				for _, c := range a.closure(e.to) {
					if !seen[c] {
						seen[c] = true
						out = append(out, c)
					}
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// within reports whether every message of x (with words for arguments) is
// a message of y: y reads the same messages and more, so x refines it.
func within(x, y []piece) bool {
	a, b := newNFA(x), newNFA(y)
	acceptA, acceptB := len(a.eps)-1, len(b.eps)-1
	runes := alphabet(x, y)
	type state struct {
		a []int
		b []int
	}
	key := func(s state) string { return fmt.Sprint(s.a, s.b) }
	start := state{a.closure(0), b.closure(0)}
	slices.Sort(start.a)
	slices.Sort(start.b)
	seen := map[string]bool{key(start): true}
	queue := []state{start}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if slices.Contains(s.a, acceptA) && !slices.Contains(s.b, acceptB) {
			return false
		}
		for _, r := range runes {
			next := state{a.step(s.a, r), b.step(s.b, r)}
			if len(next.a) == 0 {
				continue
			}
			if k := key(next); !seen[k] {
				seen[k] = true
				queue = append(queue, next)
			}
		}
	}
	return true
}

// overlap returns a message both formats match, if there is one: a search
// of the product of their automata. The runes tried stand for every rune:
// those the formats spell, and one of each kind the verbs tell apart.
func overlap(x, y []piece) (string, bool) {
	a, b := newNFA(x), newNFA(y)
	acceptA, acceptB := len(a.eps)-1, len(b.eps)-1
	runes := alphabet(x, y)
	type pair struct{ a, b int }
	from := map[pair]pair{}
	via := map[pair]rune{}
	start := pair{0, 0}
	seen := map[pair]bool{start: true}
	queue := []pair{start}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		ca, cb := a.closure(p.a), b.closure(p.b)
		if slices.Contains(ca, acceptA) && slices.Contains(cb, acceptB) {
			var text []rune
			for q := p; q != start; q = from[q] {
				text = append([]rune{via[q]}, text...)
			}
			return string(text), true
		}
		for _, r := range runes {
			for _, sa := range ca {
				for _, ea := range a.edges[sa] {
					if !ea.accepts(r) {
						continue
					}
					for _, sb := range cb {
						for _, eb := range b.edges[sb] {
							next := pair{ea.to, eb.to}
							if eb.accepts(r) && !seen[next] {
								seen[next] = true
								from[next], via[next] = p, r
								queue = append(queue, next)
							}
						}
					}
				}
			}
		}
	}
	return "", false
}

func TestOverlapFindsAMessageOfTwoFormats(t *testing.T) {
	parse := func(f string) []piece {
		p, err := parseFormat(f)
		require.NoError(t, err)
		return p
	}
	_, ok := overlap(parse("must be %s, got %q"), parse("must be one of %s, got %q"))
	assert.False(t, ok, "a word has no space: the matcher's order tells these apart")
	_, ok = overlap(parse("asset %q does not exist"), parse("right %q does not exist"))
	assert.False(t, ok)
	_, ok = overlap(parse("round %d of trade %q"), parse("round %q of trade %q"))
	assert.False(t, ok, "a number is never quoted")
	_, ok = overlap(parse("right %q is %s"), parse("right %q is already %s"))
	assert.False(t, ok, "a word has no space")
	text, ok := overlap(parse("names %q twice"), parse("names %v twice"))
	assert.False(t, ok, "a word has no quote: %s", text)
	_, ok = overlap(parse("participant %q is %s"), parse("participant %q is %s, not ACTIVE"))
	assert.False(t, ok, "a word has no space")
	text, ok = overlap(parse("%s %q does not exist"), parse("asset %q does not exist"))
	require.True(t, ok)
	assert.Equal(t, `asset "" does not exist`, text)
	assert.False(t, within(parse("participant %q is %s"), parse("participant %q is %s, not ACTIVE")))
	assert.False(t, within(parse("participant %q is %s, not ACTIVE"), parse("participant %q is %s")), "a word has no space")
	assert.True(t, within(parse("participant %q is suspended: %s"), parse("participant %q is %s: %s")))
	assert.True(t, within(parse("asset %q does not exist"), parse("%s %q does not exist")))
	assert.False(t, within(parse("%s %q does not exist"), parse("asset %q does not exist")))
}

// No two formats of the catalogue can match the same message, unless one
// refines the other (every message of one is a message of the other:
// "participant %q is suspended: %s" and "participant %q is %s: %s"), and
// the matcher tries the refinement first: which format the chaincode made
// a message from is never a guess.
func TestNoTwoRefusalsCanBeTakenForEachOther(t *testing.T) {
	order := map[string]int{}
	for i, f := range NewRefusals().formats {
		order[f.en] = i
	}
	type format struct {
		en     string
		pieces []piece
	}
	var formats []format
	for en := range refusalTexts {
		p, err := parseFormat(en)
		require.NoError(t, err)
		formats = append(formats, format{en, p})
	}
	slices.SortFunc(formats, func(a, b format) int { return strings.Compare(a.en, b.en) })
	for i, x := range formats {
		for _, y := range formats[i+1:] {
			text, ok := overlap(x.pieces, y.pieces)
			if !ok {
				continue
			}
			switch {
			case within(x.pieces, y.pieces):
				assert.Less(t, order[x.en], order[y.en], "%q refines %q: it is tried first", x.en, y.en)
			case within(y.pieces, x.pieces):
				assert.Less(t, order[y.en], order[x.en], "%q refines %q: it is tried first", y.en, x.en)
			default:
				t.Errorf("%q and %q both match %q", x.en, y.en, text)
			}
		}
	}
}
