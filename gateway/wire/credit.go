package wire

import (
	"encoding/json"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/canonical"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// CreditLookupBody answers a credit lookup: the committed query trace and
// each record in force with the contents its holding org's peer returned.
type CreditLookupBody struct {
	// TransactionID identifies the committed transaction of the trace.
	TransactionID string `json:"transaction_id"`
	// BlockNumber is the block that holds it.
	BlockNumber uint64 `json:"block_number"`
	// Trace is the query trace the lookup wrote.
	Trace model.Trace `json:"trace"`
	// Records are the subject's records in force; under an authorisation,
	// none whose objection is overdue (model.Record.ObjectionOverdueAt)
	// while nobody at its agency can answer it.
	Records []CreditRecordRead `json:"records"`
	// Holders reports, per holding org, whether its peer answered. When
	// the peer of the caller's own org, which lists the records and their
	// holders, did not answer, it is that org alone, with its error, and
	// Records is empty; its refusal of the caller's read (FORBIDDEN) is
	// the lookup's answer instead of this body.
	Holders []CreditHolder `json:"holders"`
	// Complete is true when every holding org answered and every record's
	// contents were received and verified, but those withheld as expired.
	Complete bool `json:"complete"`
}

// CreditRecordRead is one record of a lookup.
type CreditRecordRead struct {
	// Record is the public metadata.
	Record model.Record `json:"record"`
	// HeldBy is the MSP whose peers hold the contents.
	HeldBy string `json:"heldBy"`
	// Contents are the record's contents (CreditContents plus recordId and
	// subjectUscc), absent when the holding org did not return them.
	Contents json.RawMessage `json:"contents,omitempty" openapi:"any"`
	// Verified is true when the SHA-256 of the contents the peer returned
	// equals the record's public contentHash, checked by this gateway.
	Verified bool `json:"verified"`
	// Expired is true when the holding org's peer found the record's
	// validUntil reached (model.RecordRead.Expired). Under an authorisation
	// its contents are then withheld, not missing: an expired record is not
	// supplied to a querier. The subject and the regulator still get them,
	// marked expired.
	Expired bool `json:"expired"`
}

// CheckContents checks where it is called, without trusting the gateway's
// Verified, that the contents' SHA-256 is the record's public content hash;
// false when there are no contents. The SDK's readers call it.
func (r CreditRecordRead) CheckContents() bool {
	return len(r.Contents) > 0 && canonical.SHA256Hex(r.Contents) == r.Record.ContentHash
}

// Missing reports whether the record's contents neither came verified nor
// were withheld as expired (an expired record under an authorisation comes
// without them, not missing them): a lookup with such a record is not
// complete, whatever its holding org answered.
func (r CreditRecordRead) Missing() bool {
	return !r.Verified && !(r.Expired && len(r.Contents) == 0)
}

// DecodeContents decodes the record's contents.
func (r CreditRecordRead) DecodeContents() (*model.RecordContents, error) {
	if len(r.Contents) == 0 {
		return nil, ledgererr.Messagef("the lookup returned no contents for record %s", r.Record.RecordID)
	}
	var c model.RecordContents
	if err := json.Unmarshal(r.Contents, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// CreditHolder is whether one holding org answered a lookup.
type CreditHolder struct {
	// MSPID is the holding org.
	MSPID string `json:"mspId"`
	// OK is true when its peer answered.
	OK bool `json:"ok"`
	// Error says why not.
	Error *ErrorBody `json:"error,omitempty"`
}
