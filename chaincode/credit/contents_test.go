package credit

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

var parseNow = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

func TestParseContentsAcceptsEachForm(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  string
		want model.RecordContents
	}{
		{"grade only", `{"type":"JUDGMENT","grade":"C-","evidenceHash":"` + evidence + `","validUntil":"2026-03-01T08:00:01Z","summary":"x"}`,
			model.RecordContents{CreditContents: model.CreditContents{Type: model.RecordTypeJudgment, Grade: "C-", EvidenceHash: evidence, ValidUntil: "2026-03-01T08:00:01Z", Summary: "x"}}},
		{"score only", `{"type":"DEFAULT","score":"1000","evidenceHash":"` + evidence + `","validUntil":"2030-01-01T00:00:00Z","summary":"违约"}`,
			model.RecordContents{CreditContents: model.CreditContents{Type: model.RecordTypeDefault, Score: "1000", EvidenceHash: evidence, ValidUntil: "2030-01-01T00:00:00Z", Summary: "违约"}}},
		{"whitespace around", " \n" + `{ "type" : "COMPLIANCE" , "grade" : "A", "score":"0", "evidenceHash":"` + evidence + `","validUntil":"2030-01-01T00:00:00Z","summary":"ok"}` + "\n",
			model.RecordContents{CreditContents: model.CreditContents{Type: model.RecordTypeCompliance, Grade: "A", Score: "0", EvidenceHash: evidence, ValidUntil: "2030-01-01T00:00:00Z", Summary: "ok"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseContents([]byte(tc.doc), parseNow)
			require.NoError(t, err)
			assert.Equal(t, &tc.want, got)
		})
	}
}

func TestParseContentsRefusesValidUntilNow(t *testing.T) {
	doc := `{"type":"TAX","grade":"A","evidenceHash":"` + evidence + `","validUntil":"2026-03-01T08:00:00.5Z","summary":"x"}`
	_, err := parseContents([]byte(doc), parseNow)
	e, ok := ledgererr.Parse(err.Error())
	require.True(t, ok)
	assert.Equal(t, "record.validUntil", e.Field, "a fraction of a second after now truncates to now")
}

// FuzzParseContents checks that the parser never panics, refuses with a
// named field, and that whatever it accepts is canonical: the stored bytes
// decode to the same contents, and the same fields sent again parse to them.
func FuzzParseContents(f *testing.F) {
	f.Add(contentsJSON("AA", "summary"))
	f.Add(`{"type":"TAX","score":"7","evidenceHash":"` + evidence + `","validUntil":"2027-01-01T00:00:00Z","summary":"s"}`)
	f.Add(`{"type":"TAX","type":"TAX"}`)
	f.Add(`{"score":7}`)
	f.Add(`{} {}`)
	f.Add(`[`)
	f.Fuzz(func(t *testing.T, doc string) {
		c, err := parseContents([]byte(doc), parseNow)
		if err != nil {
			e, ok := ledgererr.Parse(err.Error())
			if !ok || e.Code != ledgererr.InvalidArgument || !strings.HasPrefix(e.Field, "record") {
				t.Fatalf("refusal %v does not name a record field", err)
			}
			return
		}
		private, err := canonicalBytes(c)
		if err != nil {
			t.Fatal(err)
		}
		var stored model.RecordContents
		if err := json.Unmarshal(private, &stored); err != nil || stored != *c {
			t.Fatalf("stored bytes %s decode to %+v (%v), not %+v", private, stored, err, c)
		}
		// The same fields as a transient document: the IDs are not part of it.
		resent, err := json.Marshal(c.CreditContents)
		if err != nil {
			t.Fatal(err)
		}
		again, err := parseContents(resent, parseNow)
		if err != nil || *again != *c {
			t.Fatalf("%s parses to %+v (%v), not %+v", resent, again, err, c)
		}
	})
}
