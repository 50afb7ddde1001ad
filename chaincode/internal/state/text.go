package state

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/deltaledger/deltaledger/internal/textcheck"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// refuseInvalidText returns the contract's before-transaction hook: it
// refuses, naming the parameter, any argument or declared transient
// document whose text is not valid UTF-8, before the function runs. Peers
// hand arguments over as bytes, and encoding/json would decode invalid text
// to U+FFFD without a word, so one check here covers every function, now
// and later, whatever its own validation does.
func refuseInvalidText(declared model.Contract) func(Context) error {
	return func(ctx Context) error {
		stub := ctx.GetStub()
		args := stub.GetArgs()
		if len(args) == 0 {
			return nil
		}
		name := string(args[0])
		if i := strings.LastIndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		var fn model.Function
		for _, f := range declared.Functions {
			if f.Name == name {
				fn = f
			}
		}
		for i, arg := range args[1:] {
			field := "args[" + strconv.Itoa(i) + "]"
			if i < len(fn.Params) {
				field = fn.Params[i].Name
			}
			if err := checkText(field, arg); err != nil {
				return err
			}
		}
		if len(fn.Transient) == 0 {
			return nil
		}
		transient, err := stub.GetTransient()
		if err != nil {
			return ledgererr.Internalf(err, "reading the transient data")
		}
		for _, f := range fn.Transient {
			if doc, ok := transient[f.Name]; ok {
				if err := checkText(f.Name, doc); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// checkText refuses a value that is not valid UTF-8, or a JSON document
// with a string that is not.
func checkText(field string, value []byte) error {
	if !utf8.Valid(value) {
		return ledgererr.Invalid(field, textcheck.Rule)
	}
	if len(value) > 0 && (value[0] == '{' || value[0] == '[') {
		if path, ok := textcheck.JSON(value); !ok {
			if path != "" {
				field += "." + path
				field = strings.ReplaceAll(field, ".[", "[")
			}
			return ledgererr.Invalid(field, textcheck.Rule)
		}
	}
	return nil
}
