package credit

import (
	"encoding/json"

	"github.com/deltaledger/deltaledger/model"
)

// keyed is a pointer to a record of R that names the key it is stored under (model.Keyed).
type keyed[R any] interface {
	*R
	model.Keyed
}

// stored is a record of R as the contract reads many at once (a lookup's records, a list's page): bytes that do
// not decode as an R read as the zero R, which names no key (model.Keyed) and so is no record, left out as an
// entry naming none is. A record or an authorisation written before interface 16.0.0 is under one org alone (its
// agency's org, its subject's; an objection, the agency's and the raiser's, one org when both are of it), which,
// running chaincode of its own, can write any bytes there: decoded strictly, they failed for good every lookup of
// the subject (ReadRecords), its lists, and every list of the other party (a grantee's ListMyAuthorizations), with
// INTERNAL. Such a record is read by no lookup under an authorisation anyway (unsealed); a function about it
// alone (GetRecord, RaiseObjection) still refuses it.
type stored[R any, P keyed[R]] struct{ r R }

// DecodeStored decodes value as an R, or leaves the zero R where it is none (state.Decoder).
func (s *stored[R, P]) DecodeStored(value []byte) {
	if json.Unmarshal(value, &s.r) != nil {
		s.r = *new(R)
	}
}

// KeyAttrs are those the record names, none for bytes that are no R.
func (s *stored[R, P]) KeyAttrs() []string { return P(&s.r).KeyAttrs() }

// unstored returns the records read.
func unstored[R any, P keyed[R]](read []*stored[R, P]) []*R {
	records := make([]*R, len(read))
	for i, s := range read {
		records[i] = &s.r
	}
	return records
}
