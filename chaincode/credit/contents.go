package credit

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/canonical"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// parseContents reads the transient "record" document strictly: one JSON
// object, every key at most once, only the known keys, every value a string,
// each field checked and named in the refusal ("record.evidenceHash"). The
// result is normalised, so that equal contents always hash equally; the
// caller fills in RecordID and SubjectUSCC.
func parseContents(raw []byte, now time.Time) (*model.RecordContents, error) {
	fields, err := stringObject(model.TransientRecordKey, raw)
	if err != nil {
		return nil, err
	}
	c := &model.RecordContents{CreditContents: model.CreditContents{
		Type:         fields["type"],
		Grade:        fields["grade"],
		Score:        fields["score"],
		EvidenceHash: fields["evidenceHash"],
		Summary:      fields["summary"],
	}}
	if err := validate.OneOf("record.type", c.Type, model.RecordTypes...); err != nil {
		return nil, err
	}
	if err := validate.OptionalText("record.grade", c.Grade, model.MaxCreditGradeLength); err != nil {
		return nil, err
	}
	if c.Grade != strings.TrimSpace(c.Grade) {
		return nil, ledgererr.Invalid("record.grade", "must not start or end with spaces")
	}
	if _, present := fields["score"]; present {
		// One spelling per score (no sign, no leading zeros), so that
		// equal contents hash equally.
		if _, err := validate.IntRange("record.score", c.Score, 0, model.MaxCreditScore); err != nil {
			return nil, err
		}
	} else if c.Grade == "" {
		return nil, ledgererr.Invalid("record.grade", "is required when record.score is not given")
	}
	if err := validate.SHA256Hex("record.evidenceHash", c.EvidenceHash); err != nil {
		return nil, err
	}
	until, err := validate.Time("record.validUntil", fields["validUntil"])
	if err != nil {
		return nil, err
	}
	until = until.Truncate(time.Second)
	if !until.After(now) {
		return nil, ledgererr.Invalid("record.validUntil", "must be after the transaction time %s", state.Format(now))
	}
	c.ValidUntil = state.Format(until)
	if err := validate.Text("record.summary", c.Summary, model.MaxCreditSummaryLength); err != nil {
		return nil, err
	}
	return c, nil
}

// contentFields are the keys the transient "record" document may hold.
var contentFields = []string{"type", "grade", "score", "evidenceHash", "validUntil", "summary"}

// stringObject decodes a JSON object whose values are all strings, refusing
// unknown and repeated keys. encoding/json alone would keep the last of two
// repeated keys, so that what the client meant and what is stored could
// differ.
func stringObject(field string, raw []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, ledgererr.Invalid(field, "must be a JSON object {type, grade, score, evidenceHash, validUntil, summary}")
	}
	out := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, ledgererr.Invalid(field, "is not valid JSON: %v", err)
		}
		key := tok.(string) // inside an object the decoder yields keys as strings
		if !slices.Contains(contentFields, key) {
			return nil, ledgererr.Invalid(field, "has unknown field %q; allowed: %s", clipKey(key), strings.Join(contentFields, ", "))
		}
		if _, dup := out[key]; dup {
			return nil, ledgererr.Invalid(field+"."+key, "is given more than once")
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, ledgererr.Invalid(field+"."+key, "is not valid JSON: %v", err)
		}
		var s string
		if len(value) == 0 || value[0] != '"' || json.Unmarshal(value, &s) != nil {
			return nil, ledgererr.Invalid(field+"."+key, "must be a JSON string")
		}
		out[key] = s
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, ledgererr.Invalid(field, "is not valid JSON: %v", err)
	}
	if len(bytes.TrimSpace(raw[dec.InputOffset():])) != 0 {
		return nil, ledgererr.Invalid(field, "must hold exactly one JSON object")
	}
	return out, nil
}

// clipKey shortens an unknown key before it is echoed in an error.
func clipKey(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// canonicalBytes is the one encoding of the contents that is stored and
// hashed: their RFC 8785 canonical JSON (package canonical), which a client
// in any language rebuilds from the contents it reads or staged.
func canonicalBytes(c *model.RecordContents) ([]byte, error) {
	b, err := canonical.JSON(c)
	if err != nil {
		return nil, ledgererr.Internalf(err, "encoding record contents")
	}
	return b, nil
}
