// Package credit is the cross-region credit-record contract, named "credit"
// on the channel: licensed agencies publish credit records about enterprises,
// enterprises authorise who may read them and dispute them, and every read
// leaves a query trace that the enterprise and the regulator can list.
//
// # Where the contents are
//
// Chaincode access checks alone cannot keep a record from the other orgs:
// every peer holds the channel's whole public state, and whatever a submitted
// transaction returns is written into the block that every org receives. So a
// record's contents (type, grade, score, evidence hash, validity, summary)
// live only in the private data of the issuing agency's org, its implicit
// collection "_implicit_org_<MSPID>". The public ledger carries the record's
// minimum metadata and the SHA-256 of the private bytes, so that whoever
// receives the contents can check them.
//
// # Publishing takes two steps
//
// Contents reach the chaincode as transient data, and transient data goes to
// every peer that endorses the transaction. A new public record needs the
// chaincode-level policy, a majority of the orgs, so a single transaction
// carrying the contents would show them to other orgs. Publishing is therefore split so
// that only the agency's org ever receives them:
//
//  1. StageRecord, SUBMITTED and endorsed by the agency's org ALONE, with the
//     contents as transient data: checks them and writes them to the org's
//     implicit collection, and nothing public. Fabric validates writes to an
//     implicit collection against that org's own Endorsement policy, so the
//     agency's org suffices.
//  2. Publish (or AnswerObjection with CORRECT), SUBMITTED with NO transient
//     data and endorsed under the chaincode policy by a majority: finds
//     the hash of the staged contents, which every peer holds, and writes
//     the public record with that hash. It never reads the contents, so
//     peers that do not hold them endorse it alike.
//
// The staged contents are bound to the record ID, the subject and the
// participant who staged them (see contentsKey): only that participant can
// publish them, only under that ID and about that subject.
//
// # Reading a record takes two steps
//
//  1. RequestQuery, SUBMITTED: checks that the caller may read the subject's
//     records (it acts for the subject, is a regulator, or holds the subject's
//     authorisation for that purpose) and commits a query trace (who, when,
//     purpose, which authorisation). It returns the trace and reads none of
//     the records: evaluated and never submitted, it would tell of them
//     without a trace.
//  2. ReadRecords, EVALUATED, first on a peer of the caller's own org, then
//     on a peer of each org its answer names as holding contents: against
//     the committed, unexpired trace of this caller, every peer lists the
//     subject's records in force (under an authorisation, none whose
//     objection is overdue while nobody can answer it: see
//     withholding.withheld) and the org holding each, and returns the
//     contents its own org holds, outside any block.
//
// # Endorsement
//
// Staging needs the agency's org only (an implicit collection's writes need
// its org, and nothing else is written). A new record needs the chaincode
// policy; every later change to it needs the issuing agency's org (key-level
// endorsement). A change to an objection needs the agency's org and the org
// of the subject's participant who raised it; a change to an authorisation
// needs the org of the participant who granted it. Query traces are never
// changed, and a trace's keys need a majority of the orgs, so that no
// fewer orgs than that (the querier's org and one other, say) can erase a
// lookup, whatever the chaincode's policy.
//
// # What the contract does not protect
//
//   - StageRecord keeps the contents inside the agency's org only if the
//     client sends it to that org's peers alone. The chaincode cannot make
//     up for a client that sends it elsewhere: a peer that runs it has
//     already received the transient data. Publish and AnswerObjection
//     refuse transient data, so that a client still sending contents to
//     them fails instead of leaking on every call.
//   - StageRecord's arguments are in the block: every org learns that an
//     agency staged a record ID about a subject, even one never published.
//   - The agency org's peers alone endorse staging, so that org's peer
//     operators could write any contents under the staging key of any of
//     its participants. Orgs that host several agencies are trusted by them
//     with their contents in any case: their peers hold them.
//   - The public metadata is public to every org's operators: who holds
//     records about whom, who authorised whom for which purpose, who queried
//     whom and when, the reasons of objections. The access checks of the
//     List and Get functions bind API callers, not peer operators.
//   - ContentHash is an unsalted hash. Its evidenceHash (256 bits) keeps the
//     other fields from being guessed only while the evidence itself is not
//     public; agencies should hash evidence packages that include a private
//     nonce.
//   - A transaction's time is its client's claim; Fabric does not check it.
//     A trace shows the time its querier claimed. ReadRecords holds the
//     trace's window against the peer's clock as well, so a misdated trace
//     does not buy a longer window.
//   - ReadRecords' answer passes through the gateway peer the caller uses;
//     readers should use a gateway of their own org. See ReadRecords for
//     what happens if it is submitted.
package credit

import (
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Contract is the credit-record contract, named "credit" on the channel.
type Contract struct {
	state.Contract
}

// New returns the credit contract.
func New() *Contract {
	return &Contract{Contract: state.Declare(model.CreditContract)}
}

// Limits of time and text.
const (
	// traceLifetime is how long a committed query trace lets its querier
	// read: long enough to ask each holding org's peer, short enough that a
	// trace records one query, not a standing right.
	traceLifetime = 15 * time.Minute
	// maxAuthorizationTermYears bounds how far ahead an authorisation may run.
	maxAuthorizationTermYears = 1
)

// localMSPID names the org of the peer this chaincode process serves: Fabric
// sets CORE_PEER_LOCALMSPID for the chaincode, and the network runs one
// chaincode service per org with it set. ReadRecords uses it to decide which
// records' private data this peer holds. It is a variable so that tests can
// play a peer of a chosen org.
var localMSPID = shim.GetMSPID

// subjectListSize opens a list about one subject: it checks the subject's
// code and the page size, and that the caller acts for the subject or is a
// regulator. It returns the page size.
func subjectListSize(ctx state.Context, subjectUscc, pageSize, what string) (int32, error) {
	if err := validate.USCC("subjectUscc", subjectUscc); err != nil {
		return 0, err
	}
	caller, size, err := participants.CallerWithPageSize(ctx, pageSize)
	if err != nil {
		return 0, err
	}
	return size, requireSubjectOrRegulator(caller, subjectUscc, what)
}

// callerOn opens a function about the one record its argument id names: it
// checks id's form (validate.ID), then resolves the caller with resolve
// (participants.Caller, or participants.Actor where the function changes
// the record). A malformed ID is refused before the caller is resolved, so
// that the refusal does not depend on who asks, as
// participants.CallerWithPageSize refuses a bad page size.
func callerOn(ctx state.Context, field, id string, resolve func(state.Context) (*model.Participant, error)) (*model.Participant, error) {
	if err := validate.ID(field, id); err != nil {
		return nil, err
	}
	return resolve(ctx)
}

// actsFor reports whether p acts for the enterprise uscc in credit: p's
// certificate certifies that enterprise (participants.Caller has held p to
// the certificate it presents), and the enterprise is registered in p's org.
// p is always a caller: caller resolution refuses a participant whose
// certificate certifies an enterprise that the market rules in force do not
// bind to its org (participants.GetEnterprise), so that it is not read again.
//
// A staff member's USCC is only its org admin's word, since its certificate
// certifies no enterprise, so staff act for no credit subject: an admin could
// otherwise register staff under the code of an enterprise no org holds yet
// and read, authorise and dispute its records as that enterprise.
//
// The enterprise's registration counts because a certificate is only its
// own org's CA's word: any org's CA can certify any USCC. participants:Register
// lets no org register an enterprise another org holds, but a new participant
// key needs only the chaincode's policy, so an org and others, as many as
// that policy asks (a majority), running a chaincode of their own, could
// write a participant of the first org for another region's enterprise; and
// an org a majority removed and named again keeps the participants it had
// for an enterprise bound elsewhere meanwhile.
func actsFor(p *model.Participant, uscc string) bool {
	return p.Certified() && p.USCC == uscc
}

// requireOwnEnterprise refuses p unless it acts for its own enterprise
// (actsFor p.USCC): the one its certificate certifies and its org holds.
// so says what p therefore may not do, as a ledgererr.Phrase.
func requireOwnEnterprise(p *model.Participant, so string) error {
	if actsFor(p, p.USCC) {
		return nil
	}
	return ledgererr.Forbiddenf("participant %q acts for no enterprise that its certificate certifies (%s) and its org holds, so it %s", p.ID, model.AttrUSCC, so)
}

// requireSubjectOrRegulator refuses callers that neither act for the subject
// enterprise nor hold the regulator role.
func requireSubjectOrRegulator(p *model.Participant, subjectUSCC, what string) error {
	if p.HasRole(model.RoleRegulator) || actsFor(p, subjectUSCC) {
		return nil
	}
	return ledgererr.Forbiddenf("participant %q neither acts for %s nor is a regulator, so it may not read its %s", p.ID, subjectUSCC, what)
}

// optionalID checks an ID argument that may be empty.
func optionalID(field, s string) error {
	if s == "" {
		return nil
	}
	return validate.ID(field, s)
}

// parseStored parses an instant the ledger wrote.
func parseStored(s string) (time.Time, error) {
	t, err := time.Parse(state.TimeLayout, s)
	if err != nil {
		return time.Time{}, ledgererr.Internalf(err, "stored time %q is malformed", s)
	}
	return t, nil
}

// transientContents reads and parses the record contents a client passed as
// transient data under "record".
func transientContents(ctx state.Context, now time.Time) (*model.RecordContents, error) {
	tm, err := ctx.GetStub().GetTransient()
	if err != nil {
		return nil, ledgererr.Internalf(err, "reading transient data")
	}
	raw := tm[model.TransientRecordKey]
	if len(raw) == 0 {
		return nil, ledgererr.Invalid(model.TransientRecordKey, "is required as transient data under the key %q: a JSON object {type, grade, score, evidenceHash, validUntil, summary}", model.TransientRecordKey)
	}
	return parseContents(raw, now)
}

// refuseTransient refuses a call of fn that carries transient data, which fn
// never needs. The peer has received the data by now, so refusing does not
// unsee it; it keeps a client that sends contents where they do not belong
// from succeeding, and so from doing it again.
func refuseTransient(ctx state.Context, fn string) error {
	tm, err := ctx.GetStub().GetTransient()
	if err != nil {
		return ledgererr.Internalf(err, "reading transient data")
	}
	if len(tm) > 0 {
		return ledgererr.Invalid("transient", "must be empty: %s takes no transient data; stage a record's contents with StageRecord, endorsed by the agency's org alone", fn)
	}
	return nil
}
