// Package validate holds the parsers for the chaincode's primitive inputs.
// Each returns a ledgererr.Error naming the field and the rule it broke, so
// that a refusal tells the caller exactly what to fix.
package validate

import (
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

var idForm = regexp.MustCompile(model.IDPattern)

// ID checks a record identifier chosen by the caller: 1 to 64 characters of
// letters, digits, '.', '_', ':' and '-', starting with a letter or digit.
func ID(field, s string) error {
	if !idForm.MatchString(s) {
		return ledgererr.Invalid(field, "must be %s, got %q", model.IDRule, clip(s))
	}
	return nil
}

// SHA256Hex checks a SHA-256 digest written as 64 lowercase hex characters.
func SHA256Hex(field, s string) error {
	if len(s) != 64 {
		return ledgererr.Invalid(field, "must be a SHA-256 digest of 64 lowercase hexadecimal characters, got %d characters", len(s))
	}
	if strings.ToLower(s) != s {
		return ledgererr.Invalid(field, "must be lowercase hexadecimal")
	}
	if _, err := hex.DecodeString(s); err != nil {
		return ledgererr.Invalid(field, "must be hexadecimal: %v", err)
	}
	return nil
}

// AmountFen parses a positive amount of money in fen (CNY cents), written as
// a plain decimal integer without sign, separators or leading zeros.
func AmountFen(field, s string) (int64, error) {
	if s == "" {
		return 0, ledgererr.Invalid(field, "is required: an amount in fen (integer CNY cents)")
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, ledgererr.Invalid(field, "must be an integer amount in fen with digits only, got %q", clip(s))
		}
	}
	if s[0] == '0' {
		return 0, ledgererr.Invalid(field, "must be greater than zero and have no leading zeros, got %q", clip(s))
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v > model.MaxAmountFen {
		return 0, ledgererr.Invalid(field, "must be at most %d fen", model.MaxAmountFen)
	}
	return v, nil
}

// Amount checks an amount in fen given as a JSON integer: 1 to
// model.MaxAmountFen.
func Amount(field string, v int64) error {
	if v < 1 || v > model.MaxAmountFen {
		return ledgererr.Invalid(field, "must be an integer amount in fen from 1 to %d, got %d", model.MaxAmountFen, v)
	}
	return nil
}

// Text checks a required single-line human text of at most max characters.
func Text(field, s string, max int) error {
	if strings.TrimSpace(s) == "" {
		return ledgererr.Invalid(field, "is required")
	}
	return OptionalText(field, s, max)
}

// OptionalText checks a human text that may be empty.
func OptionalText(field, s string, max int) error {
	if !utf8.ValidString(s) {
		return ledgererr.Invalid(field, "must be valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return ledgererr.Invalid(field, "must be at most %d characters, got %d", max, n)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return ledgererr.Invalid(field, "must not contain control characters")
		}
		if model.SetsTextDirection(r) {
			return ledgererr.Invalid(field, "must not contain characters that set the direction of text")
		}
	}
	return nil
}

// Time parses an RFC 3339 timestamp and returns it in UTC.
func Time(field, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, ledgererr.Invalid(field, "must be an RFC 3339 timestamp such as 2027-01-31T00:00:00Z, got %q", clip(s))
	}
	return t.UTC(), nil
}

// OneOf checks that s is one of the allowed values.
func OneOf(field, s string, allowed ...string) error {
	for _, a := range allowed {
		if s == a {
			return nil
		}
	}
	return ledgererr.Invalid(field, "must be one of %s, got %q", strings.Join(allowed, ", "), clip(s))
}

// PageSize parses a page size: "" means the default, otherwise 1 to max.
func PageSize(field, s string, def, max int32) (int32, error) {
	if s == "" {
		return def, nil
	}
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil || v < 1 || v > int64(max) {
		return 0, ledgererr.Invalid(field, "must be an integer from 1 to %d, got %q", max, clip(s))
	}
	return int32(v), nil
}

// clip shortens untrusted input before it is echoed in an error message.
func clip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
