package client

import (
	"encoding/json"
	"time"

	"github.com/deltaledger/deltaledger/model"
)

// Regions are the four regional exchanges that founded the market (a
// listing's or right's regions, an asset's source region). The market's
// regions are those of its rules in force (Client.MarketRules; market:GetRules),
// which may name a region that joined since.
var Regions = model.FoundingRegions

// Scope bounds what the holder of a USE or OPERATION right may do: for which
// purpose, in which regions, during which term, and whether it may license
// the right on. It is what a grant, a sublicence or a listing offers; the
// records the gateway answers carry the chaincode's own scope, with the same
// JSON fields and times as RFC 3339 text.
type Scope struct {
	// Purpose is what the data may be used for.
	Purpose string
	// Regions is a non-empty list of regions (see Regions).
	Regions []string
	// ValidFrom starts the term; the zero time means the transaction's time.
	ValidFrom time.Time
	// ValidUntil ends the term.
	ValidUntil time.Time
	// MaySublicense allows the holder to license the right on.
	MaySublicense bool
}

// scopeWire is the scope's JSON form.
type scopeWire struct {
	Purpose       string   `json:"purpose"`
	Regions       []string `json:"regions"`
	ValidFrom     string   `json:"validFrom"`
	ValidUntil    string   `json:"validUntil"`
	MaySublicense bool     `json:"maySublicense"`
}

// MarshalJSON encodes the scope as the gateway expects it:
// {purpose, regions, validFrom, validUntil, maySublicense}, times in RFC 3339
// UTC; a zero ValidFrom is sent as "", which the chaincode reads as the
// transaction's time.
func (s Scope) MarshalJSON() ([]byte, error) {
	return json.Marshal(scopeWire{
		Purpose: s.Purpose, Regions: s.Regions, ValidFrom: Timestamp(s.ValidFrom),
		ValidUntil: Timestamp(s.ValidUntil), MaySublicense: s.MaySublicense,
	})
}

// UnmarshalJSON decodes the JSON form MarshalJSON writes.
func (s *Scope) UnmarshalJSON(b []byte) error {
	var w scopeWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	out := Scope{Purpose: w.Purpose, Regions: w.Regions, MaySublicense: w.MaySublicense}
	var err error
	if out.ValidFrom, err = parseTimestamp(w.ValidFrom); err != nil {
		return err
	}
	if out.ValidUntil, err = parseTimestamp(w.ValidUntil); err != nil {
		return err
	}
	*s = out
	return nil
}

// Timestamp formats a time as the ledger writes times: RFC 3339 in UTC,
// whole seconds ("2026-05-01T08:00:00Z"); the zero time is "".
func Timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// ParseTimestamp reads a time the ledger wrote (RFC 3339), as the records'
// string fields hold them ("" is the zero time).
func ParseTimestamp(s string) (time.Time, error) { return parseTimestamp(s) }

func parseTimestamp(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339, s)
}
