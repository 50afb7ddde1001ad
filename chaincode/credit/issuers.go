package credit

import (
	"slices"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
)

// issuers are the participants that act, or acted, for one agency enterprise, in any org (participants.ByUSCC):
// whoever of them issued a record, its enterprise did, and the enterprise's agencies read that record's public
// metadata (readableRecord, ListRecords), and only that record's among the records of another agency. Who rated an
// enterprise, whether it disputed the record and how that ended is credit information, which another agency reads
// only as any querier does: through a lookup whose trace the subject lists (RequestQuery).
type issuers struct {
	uscc string
	ids  []string
}

// agencyIssuers returns the issuers of the enterprise of p when p acts as a credit agency (actingAgency's test, as
// a yes or no), nil for any other caller. It reads them before any record, so that a record the agency may not read
// is refused after the same requests to the peer as a missing one.
func agencyIssuers(ctx state.Context, p *model.Participant) (*issuers, error) {
	if !p.HasRole(model.RoleAgency) || !actsFor(p, p.USCC) {
		return nil, nil
	}
	ids, err := participants.ByUSCC(ctx, p.USCC)
	if err != nil {
		return nil, err
	}
	return &issuers{uscc: p.USCC, ids: ids}, nil
}

// issued reports whether r was issued by the enterprise: its issuer is one of the enterprise's participants, as
// the issuer's own record says (an index entry is only a pointer). Nil issuers issued nothing.
func (s *issuers) issued(ctx state.Context, r *model.Record) (bool, error) {
	if s == nil || !slices.Contains(s.ids, r.AgencyID) {
		return false, nil
	}
	p, err := participants.Lookup(ctx, r.AgencyID)
	if err != nil || p == nil {
		return false, err // an entry naming no participant, or bytes its org alone wrote that are none
	}
	return p.USCC == s.uscc, nil
}

// issuedAbout reads the records about subjectUSCC that the enterprise issued, in record-ID order, whole (they are
// bounded as a subject's records are, subjectRecords), so that a page of them never ends on, nor its bookmark
// names, a record of another agency. It ranges over the enterprise's own entries (fileWithIssuer) alone: the
// subject's indexes would put every record about it, and their number, in the agency's read set. An entry is only
// a pointer, so a record it names counts only if it is about the subject and the enterprise issued it (issued).
func (s *issuers) issuedAbout(ctx state.Context, subjectUSCC string) ([]*model.Record, error) {
	rows, err := state.Collect(ctx, idxRecordByIssuer, []string{s.uscc, subjectUSCC})
	if err != nil {
		return nil, err
	}
	records, err := agreeing(ctx, subjectUSCC, rows)
	if err != nil {
		return nil, err
	}
	kept := []*model.Record{}
	for _, r := range records {
		if issued, err := s.issued(ctx, r); err != nil {
			return nil, err
		} else if issued {
			kept = append(kept, r)
		}
	}
	return kept, nil
}

// readsAllRecords reports whether p reads the public metadata of every record about subjectUSCC: it acts for that
// enterprise, or is a regulator.
func readsAllRecords(p *model.Participant, subjectUSCC string) bool {
	return p.HasRole(model.RoleRegulator) || actsFor(p, subjectUSCC)
}
