package client

import (
	"encoding/json"
	"errors"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// failure is an error of the client's own (an answer it cannot read, an
// event stream that breaks its protocol, a step it refuses to sign): a
// message of the catalogue (model/ledgererr), so that it reads in the
// language of the one who reads it. As an error it reads in English after
// "deltaledger: "; In writes it in another language, as the CLI does under
// a Chinese locale. errors.Is and As see the errors it carries.
type failure struct{ m *ledgererr.Message }

// failuref makes a failure from a format of the catalogue.
func failuref(format string, args ...any) error {
	return &failure{ledgererr.Messagef(format, args...)}
}

func (f *failure) Error() string { return f.In(ledgererr.English) }

// In writes the failure in lang.
func (f *failure) In(lang ledgererr.Language) string { return "deltaledger: " + f.m.In(lang) }

// Unwrap returns the errors the failure carries.
func (f *failure) Unwrap() []error { return f.m.Unwrap() }

// jsonProblem says where a JSON document broke, from the catalogue, for a
// failure to decode it; any other error as it is.
func jsonProblem(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return ledgererr.Messagef("not valid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		return ledgererr.Messagef("its field %s holds a JSON %s where %s belongs", typ.Field, typ.Value, typ.Type.String())
	case errors.As(err, &typ):
		return ledgererr.Messagef("a JSON %s where %s belongs", typ.Value, typ.Type.String())
	}
	return err
}
