package credit

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// StageRecord is the first step of publishing a credit record, or of
// correcting one (AnswerObjection with CORRECT). It stores the record's
// contents in the private data of the caller's org and writes nothing
// public. The caller must hold the agency role, act for the agency
// enterprise its certificate certifies and its org holds, and not act for
// the subject enterprise itself (FORBIDDEN: nobody rates itself). The contents arrive as
// transient data under "record": a JSON object
//
//	{"type": "RATING|DEFAULT|JUDGMENT|TAX|COMPLIANCE",
//	 "grade": "AA",           (optional when score is given)
//	 "score": "0".."1000",    (optional)
//	 "evidenceHash": "<SHA-256 hex>",
//	 "validUntil": "<RFC 3339, after now>",
//	 "summary": "<at most 500 characters>"}
//
// Submit it endorsed by peers of the caller's own org alone: the client names
// that org as the only endorsing organization. Transient data reaches every
// endorsing peer, and the one write, to the org's implicit collection
// "_implicit_org_<MSPID>", is validated against that org's Endorsement
// policy only, not against the chaincode's policy of a majority.
//
// Every check that needs the contents is made here, since Publish cannot
// read them: recordId must not name a published record (CONFLICT), the
// contents are parsed strictly and their validUntil must be after the
// transaction time. Their canonical encoding, which names recordId and
// subjectUscc, is stored under the key (recordId, subjectUscc, caller's
// participant ID), where it stays as the published record's contents (see
// contentsKey).
//
// Staging the same record ID and subject again before publication replaces
// the contents. Once the record is published its ID is taken, so StageRecord
// refuses it and a published record's contents never change. Staged contents
// do not expire: Publish cannot read their validUntil to check it again, so
// an agency that waits long before publishing should stage again. Contents
// staged and never published stay in the org's own private data, where no
// other org sees them.
//
// The response is the record ID and the hash of the stored bytes, never the
// contents: the response of a submitted transaction is in the block. The
// client should check that Publish returns the same ContentHash. StageRecord
// emits no event, since nothing public changed: an event would announce to
// every org a record that may never be published.
func (c *Contract) StageRecord(ctx contractapi.TransactionContextInterface, recordId, subjectUscc string) (*model.StagedRecord, error) {
	if err := validate.ID("recordId", recordId); err != nil {
		return nil, err
	}
	if err := validate.USCC("subjectUscc", subjectUscc); err != nil {
		return nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	contents, err := transientContents(ctx, now)
	if err != nil {
		return nil, err
	}
	agency, _, err := issuingAgency(ctx, subjectUscc)
	if err != nil {
		return nil, err
	}
	// Only the existence of the public record is read. Should Publish
	// commit first in the same block, this read is stale and Fabric's
	// version check invalidates the staging, so a published record's
	// contents cannot be replaced even by a race.
	if _, err := newKey(ctx, keyRecord, ledgererr.Phrase("credit record"), recordId); err != nil {
		return nil, err
	}
	contents.RecordID, contents.SubjectUSCC = recordId, subjectUscc
	private, err := canonicalBytes(contents)
	if err != nil {
		return nil, err
	}
	key, err := contentsKey(ctx, recordId, subjectUscc, agency.ID)
	if err != nil {
		return nil, err
	}
	if err := ctx.GetStub().PutPrivateData(implicitCollection(agency.MSPID), key, private); err != nil {
		return nil, ledgererr.Internalf(err, "writing the record's private contents")
	}
	return &model.StagedRecord{RecordID: recordId, ContentHash: contentHash(private)}, nil
}

// Publish is the second step of publishing a credit record: it writes the
// public record of contents the caller staged with StageRecord, about the
// enterprise subjectUscc, issued by the caller, which must be an agency as
// for StageRecord. It takes no transient data and refuses any (INVALID_ARGUMENT), so
// that no contents reach its endorsers.
//
// The staged contents must be under exactly this record ID, this subject and
// this participant, in the implicit collection of the caller's org; else
// Publish is NOT_FOUND. So no other participant, not even one of the same
// org or agency, can publish contents someone else staged, and contents
// staged about one subject cannot be published about another.
//
// Publish reads only the hash of the staged value, which every peer of the
// channel holds, never the value, which only the agency org's peers hold. So
// it runs alike on every peer: any majority of the orgs can endorse it (the chaincode
// policy; the new record's keys have no key-level policy yet), and neither
// needs to see the contents. The hash becomes the record's ContentHash.
// Fabric versions the hash read: should the agency stage again between
// Publish's endorsement and its commit, Publish is invalidated, so the
// public hash always matches the private value.
//
// The record ID must be unused (CONFLICT). The response goes into the block,
// so it is the public record only.
func (c *Contract) Publish(ctx contractapi.TransactionContextInterface, recordId, subjectUscc string) (*model.Record, error) {
	if err := validate.ID("recordId", recordId); err != nil {
		return nil, err
	}
	if err := validate.USCC("subjectUscc", subjectUscc); err != nil {
		return nil, err
	}
	if err := refuseTransient(ctx, "Publish"); err != nil {
		return nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	agency, rules, err := issuingAgency(ctx, subjectUscc)
	if err != nil {
		return nil, err
	}
	r, err := publish(ctx, rules, agency, recordId, subjectUscc, "", now)
	if err != nil {
		return nil, err
	}
	return r, state.Emit(ctx, model.EventRecordPublished, model.CreditEvent{RecordID: r.RecordID, SubjectUSCC: r.SubjectUSCC, AgencyMSP: r.AgencyMSP})
}

// publish writes the public record of the contents agency staged for
// recordID and subjectUSCC, with the staged bytes' hash as ContentHash,
// under a majority of the orgs of rules (putRecord), and marks it sealed
// (keyRecordSealed). supersedes names the record this one corrects, "" for
// a new record.
func publish(ctx state.Context, rules *model.Rules, agency *model.Participant, recordID, subjectUSCC, supersedes string, now time.Time) (*model.Record, error) {
	key, err := newKey(ctx, keyRecord, ledgererr.Phrase("credit record"), recordID)
	if err != nil {
		return nil, err
	}
	hash, err := stagedHash(ctx, agency, recordID, subjectUSCC)
	if err != nil {
		return nil, err
	}
	r := &model.Record{
		RecordID:    recordID,
		SubjectUSCC: subjectUSCC,
		AgencyID:    agency.ID,
		AgencyMSP:   agency.MSPID,
		Region:      agency.Region,
		ContentHash: hash,
		Status:      model.RecordActive,
		Supersedes:  supersedes,
		PublishedAt: state.Format(now),
		UpdatedAt:   state.Format(now),
	}
	if err := putRecord(ctx, rules, key, r); err != nil {
		return nil, err
	}
	if err := seal(ctx, keyRecordSealed, recordID); err != nil {
		return nil, err
	}
	if err := state.PutIndex(ctx, idxRecordBySubject, r.SubjectUSCC, r.RecordID); err != nil {
		return nil, err
	}
	return r, fileWithIssuer(ctx, agency.USCC, r)
}

// putRecord writes record r at key and puts the key under a majority of the
// orgs of the market rules in force (state.PutUnderMajority), never under
// its agency's org alone: that org, running chaincode of its own, could
// otherwise rewrite its published record by itself (its contents' hash, its
// issuer, its status and last dispute while the objection stays open, a
// last change stamped years ahead that refuses every objection), and, by
// declining to endorse, keep its subject from objecting at all. What the
// agency may do to its record (answer an objection) the chaincode judges
// from its certificate. Before interface 16.0.0 the key was under the
// agency's org alone; such a record stays unsealed whatever is written
// after (sealedRecords).
func putRecord(ctx state.Context, rules *model.Rules, key string, r *model.Record) error {
	return state.PutUnderMajority(ctx, key, r, rules.MSPIDs())
}

// stagedHash returns the hex SHA-256 of the contents agency staged for
// recordID and subjectUSCC, or NOT_FOUND if it staged none. It reads the
// hash only, which peers of every org hold (see Publish).
func stagedHash(ctx state.Context, agency *model.Participant, recordID, subjectUSCC string) (string, error) {
	key, err := contentsKey(ctx, recordID, subjectUSCC, agency.ID)
	if err != nil {
		return "", err
	}
	hash, err := ctx.GetStub().GetPrivateDataHash(implicitCollection(agency.MSPID), key)
	if err != nil {
		return "", ledgererr.Internalf(err, "reading the hash of the staged contents of record %q", recordID)
	}
	if len(hash) == 0 {
		return "", ledgererr.NotFoundf("participant %q has staged no contents for credit record %q about %s: stage them first with StageRecord, endorsed by %s alone", agency.ID, recordID, subjectUSCC, agency.MSPID)
	}
	return hex.EncodeToString(hash), nil
}

// issuingAgency resolves the caller as the issuer of a record about the
// enterprise subjectUSCC: it must be an agency acting for its own enterprise
// (actingAgency) and must not act for that enterprise
// (requireNotOwnEnterprise). StageRecord and Publish, the two steps of
// issuing a record, ask it alike.
// It returns the market rules in force too, which resolving the caller reads anyway.
func issuingAgency(ctx state.Context, subjectUSCC string) (*model.Participant, *model.Rules, error) {
	agency, rules, err := actingAgency(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := requireNotOwnEnterprise(agency, subjectUSCC); err != nil {
		return nil, nil, err
	}
	return agency, rules, nil
}

// actingAgency resolves the caller as a credit agency: it holds the agency
// role and acts for the agency enterprise its certificate certifies
// (actsFor), which its own org holds. A record's objections go to its
// issuer's enterprise (RaiseObjection), and ListAgencyObjections shows that
// enterprise's open ones: a participant that the agency org's CA never
// certified, which other orgs, as many as the chaincode's policy asks (a
// majority), write with a chaincode of their own (a new participant key
// needs only that policy), must not
// issue records that another agency's enterprise answers for, nor read who
// disputes its records. It returns the market rules in force too
// (participants.CallerWithRoleAndRules), at no cost of its own.
func actingAgency(ctx state.Context) (*model.Participant, *model.Rules, error) {
	agency, rules, err := participants.CallerWithRoleAndRules(ctx, nil, model.RoleAgency)
	if err != nil {
		return nil, nil, err
	}
	return agency, rules, requireOwnEnterprise(agency, ledgererr.Phrase("acts as no credit agency"))
}

// requireNotOwnEnterprise refuses an agency that would rate, or answer an
// objection about, the enterprise it acts for itself: nobody decides their
// own case.
func requireNotOwnEnterprise(agency *model.Participant, subjectUSCC string) error {
	if agency.USCC == subjectUSCC {
		return ledgererr.Forbiddenf("participant %q acts for %s itself: an agency issues no credit record about its own enterprise and answers no objection about it", agency.ID, subjectUSCC)
	}
	return nil
}

// contentHash is the hex SHA-256 of a record's private bytes.
func contentHash(private []byte) string {
	sum := sha256.Sum256(private)
	return hex.EncodeToString(sum[:])
}

// GetRecord returns a record's public metadata (never its contents) to the
// subject's own participants and regulators, and to the agencies of the
// enterprise that issued it (issuers). To anyone else, another agency
// included, it reads as a missing record (readableRecord).
func (c *Contract) GetRecord(ctx contractapi.TransactionContextInterface, recordId string) (*model.Record, error) {
	caller, err := callerOn(ctx, "recordId", recordId, participants.Caller)
	if err != nil {
		return nil, err
	}
	r, _, err := readableRecord(ctx, caller, recordId)
	return r, err
}

// readableRecord reads record id for caller, refusing it exactly as a missing
// one, after the same requests to the peer and the same reads, unless caller
// acts for the subject, is a regulator, or is an agency of the enterprise
// that issued it (issuers). Who was rated, by whom, and whether the subject
// disputes the record is credit information, and a record's ID is a name,
// not a secret (docs/integration.md, "Errors"): knowing one, a stranger,
// another agency, or a grantee whose authorisation has ended, must learn no
// more than from an ID no record has. A refused proposal's response carries
// its read set to a client that asks the peer itself, so only a regulator,
// who may read every record, reads the record's key straight away (its
// version there would tell that the record exists, and when it last
// changed); anyone else reads it only once an index entry of its own names
// the ID (filedFor), which a record it may not read never has, unless orgs
// running a chaincode of their own forged one (the record itself then
// decides, refused as missing).
func readableRecord(ctx state.Context, caller *model.Participant, id string) (*model.Record, string, error) {
	if caller.HasRole(model.RoleRegulator) {
		return getRecord(ctx, id)
	}
	own, err := agencyIssuers(ctx, caller)
	if err != nil {
		return nil, "", err
	}
	if filed, err := filedFor(ctx, caller, own, id); err != nil {
		return nil, "", err
	} else if !filed {
		return nil, "", missingRecord(id)
	}
	r, key, err := getRecord(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if readsAllRecords(caller, r.SubjectUSCC) {
		return r, key, nil
	}
	if issued, err := own.issued(ctx, r); err != nil {
		return nil, "", err
	} else if !issued {
		return nil, "", missingRecord(id)
	}
	return r, key, nil
}

// ListRecords returns one page of the public metadata of a subject's records,
// withdrawn and superseded ones included, in record-ID order. The subject's
// own participants and regulators list them all; an agency acting for its
// own enterprise, as every power of an agency asks (actingAgency), lists
// those its enterprise issued (issuers), to find its own records about the
// subject, and no other agency's, reading its enterprise's entries alone
// (issuers.issuedAbout). pageSize is 1 to 100 (default 20);
// bookmark is "" for the first page, then the bookmark the previous page
// returned.
func (c *Contract) ListRecords(ctx contractapi.TransactionContextInterface, subjectUscc, pageSize, bookmark string) (*model.RecordPage, error) {
	if err := validate.USCC("subjectUscc", subjectUscc); err != nil {
		return nil, err
	}
	caller, size, err := participants.CallerWithPageSize(ctx, pageSize)
	if err != nil {
		return nil, err
	}
	var own *issuers
	if !readsAllRecords(caller, subjectUscc) {
		if own, err = agencyIssuers(ctx, caller); err != nil {
			return nil, err
		}
		if own == nil && caller.HasRole(model.RoleAgency) {
			return nil, requireOwnEnterprise(caller, ledgererr.Phrase("acts as no credit agency"))
		} else if own == nil {
			return nil, ledgererr.Forbiddenf("participant %q neither acts for %s nor is a regulator or an agency, so it may not list its credit records", caller.ID, subjectUscc)
		}
	}
	return state.PageOf[model.RecordPage](recordPage(ctx, subjectUscc, size, bookmark, own))
}

// recordPage reads one page of the records filed about a subject, in force
// or retired (listedRecordIDs), in record-ID order, from the record whose ID
// is bookmark on; the next page's bookmark is the ID of its first record. As
// with ownedPage, an entry naming no record, or a record of another subject,
// is left out. With own, only the records that enterprise issued are listed,
// read from its own entries (issuers.issuedAbout), never from the subject's
// indexes: the read set of the agency's proposal, which its client receives,
// names no other agency's record.
func recordPage(ctx state.Context, subjectUSCC string, size int32, bookmark string, own *issuers) ([]*model.Record, string, error) {
	if bookmark != "" && validate.ID("bookmark", bookmark) != nil {
		return nil, "", state.NotABookmark("bookmark")
	}
	if own != nil {
		records, err := own.issuedAbout(ctx, subjectUSCC)
		if err != nil {
			return nil, "", err
		}
		start, _ := slices.BinarySearchFunc(records, bookmark, func(r *model.Record, id string) int { return strings.Compare(r.RecordID, id) })
		end := min(start+int(size), len(records))
		next := ""
		if end < len(records) {
			next = records[end].RecordID
		}
		return records[start:end], next, nil
	}
	ids, err := listedRecordIDs(ctx, subjectUSCC)
	if err != nil {
		return nil, "", err
	}
	start, _ := slices.BinarySearch(ids, bookmark)
	end := min(start+int(size), len(ids))
	next := ""
	if end < len(ids) {
		next = ids[end]
	}
	rows := make([][]string, 0, end-start)
	for _, id := range ids[start:end] {
		rows = append(rows, []string{id})
	}
	records, err := agreeing(ctx, subjectUSCC, rows)
	return records, next, err
}
