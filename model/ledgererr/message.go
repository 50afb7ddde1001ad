package ledgererr

import (
	"errors"
	"fmt"
)

// Message is a message of the gateway or the command line that a caller
// reads (beside the field rules, the failures and the chaincode's refusals): the format of
// the catalogue it is made from (messageTexts) and its arguments, so that
// it is written in the reader's language where it is answered. As an error
// it reads in English, the language of logs and of the default answer.
type Message struct {
	format string
	args   []any
}

// Messagef makes a message from a format of the catalogue. An argument that
// is itself a message (or an error that is one) is written in the reader's
// language too; any other argument (an ID, a status, a count) as given.
// TestEveryMessageIsInTheCatalogue walks the gateway's and the CLI's
// source: a format without its Chinese text fails it.
func Messagef(format string, args ...any) *Message {
	return &Message{format: format, args: args}
}

// Error is the message in English.
func (m *Message) Error() string { return m.In(English) }

// In writes the message in lang (English for a format the catalogue has no
// text of in lang).
func (m *Message) In(lang Language) string {
	format := m.format
	if zh, ok := messageTexts[m.format]; ok && lang == Chinese {
		format = zh
	}
	return fmt.Sprintf(format, localise(lang, m.args)...)
}

// Unwrap returns the arguments that are errors, for errors.Is and As.
func (m *Message) Unwrap() []error {
	var errs []error
	for _, a := range m.args {
		if err, ok := a.(error); ok {
			errs = append(errs, err)
		}
	}
	return errs
}

// Localised is an error that writes itself in a language: a *Message, or
// an error of another package made from the catalogue (the SDK's answers
// and failures).
type Localised interface {
	error
	In(lang Language) string
}

// ErrorIn writes err in lang when it is a message of the catalogue (a
// Localised error, or an error that is one: not one wrapped with more
// words) or a failure of this machine or its connections that Local
// describes, and any other error as it reads. In English it is err's own
// text.
func ErrorIn(err error, lang Language) string {
	if lang == English {
		return err.Error()
	}
	var l Localised
	if errors.As(err, &l) && l.Error() == err.Error() {
		return l.In(lang)
	}
	if l := Local(err); l != nil {
		return l.In(lang)
	}
	return err.Error()
}

// localise writes the arguments that are messages in lang.
func localise(lang Language, args []any) []any {
	if lang == English {
		return args
	}
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a
		if err, ok := a.(error); ok {
			out[i] = ErrorIn(err, lang)
		}
	}
	return out
}

// CommittedInvalid is the message of a transaction that Fabric committed as
// invalid: it wrote nothing.
func CommittedInvalid(txID string, block uint64, code string) *Message {
	return Messagef("transaction %s was committed in block %d as invalid: %s", txID, block, code)
}
