package credit

import (
	"slices"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// RaiseObjection lets a participant acting for a record's subject dispute it
// (异议). The record shows UNDER_OBJECTION until the agency answers, and the
// dispute for good after that (Disputes, LastDispute); a record has at most
// one open objection. The answer is due model.ObjectionAnswerWindow after the
// objection's time, which every endorser checks against its clock
// (state.Declare): the subject may stamp its objection up to
// model.MaxClockSkew behind those clocks, and so start the agency's window,
// and bring its due time forward, by that much at most (a known, accepted
// slack: an answer in the last minutes of the window may be late or
// refused); it cannot backdate it further. The objection is dated at the
// record's last change if that lies later (state.NotBeforeLastChange): the
// agency's window never starts before the step objected to, and an answer
// stamped ahead of the clocks (model.MaxClockLead at most) does not hold the
// subject off; a last change further ahead than any stamp the peers accept
// was not written by this chaincode, and is refused (INVALID_ARGUMENT).
//
// Since interface 16.0.0 the record's key and the objection's need a
// majority of the orgs of the market rules, neither the agency's org nor
// the subject's (putRecord, putDispute): no one org keeps a subject from
// objecting, or the agency from answering. The reason is
// public: keep it short and point to evidence by hash rather than quote it.
func (c *Contract) RaiseObjection(ctx contractapi.TransactionContextInterface, objectionId, recordId, reason string) (*model.ObjectionView, error) {
	if err := validate.ID("objectionId", objectionId); err != nil {
		return nil, err
	}
	if err := validate.ID("recordId", recordId); err != nil {
		return nil, err
	}
	if err := validate.Text("reason", reason, model.MaxCreditReasonLength); err != nil {
		return nil, err
	}
	caller, rules, err := participants.ActorWithRules(ctx)
	if err != nil {
		return nil, err
	}
	// A record the caller may not read is refused as a missing one, before
	// the refusal below names its subject.
	r, recordKey, err := readableRecord(ctx, caller, recordId)
	if err != nil {
		return nil, err
	}
	if !actsFor(caller, r.SubjectUSCC) {
		return nil, ledgererr.Forbiddenf("record %q is about %s; participant %q does not act for it", recordId, r.SubjectUSCC, caller.ID)
	}
	switch r.Status {
	case model.RecordUnderObjection:
		return nil, ledgererr.Conflictf("record %q already has an open objection", recordId)
	case model.RecordWithdrawn, model.RecordSuperseded:
		return nil, ledgererr.Conflictf("record %q is %s and no longer in force", recordId, r.Status)
	}
	key, err := newKey(ctx, keyObjection, ledgererr.Phrase("objection"), objectionId)
	if err != nil {
		return nil, err
	}
	// The issuing agency's enterprise, which answers: as its registration says where it has one (its record is its
	// org's alone, which wrote bytes there that are no participant, and every objection to its records failed for
	// good).
	agencyUSCC, err := participants.EnterpriseOf(ctx, r.AgencyID)
	if err != nil {
		return nil, err
	}
	if agencyUSCC == "" {
		return nil, ledgererr.NotFoundf("participant %q does not exist", r.AgencyID) // as participants.Get refused it
	}
	stamp, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	// Nor before the record's last change: the agency's window would start
	// before the step the subject objects to.
	now, err := state.NotBeforeLastChange("record", r.RecordID, r.UpdatedAt, stamp)
	if err != nil {
		return nil, err
	}
	if now.Sub(stamp) > model.MaxClockLead {
		return nil, ledgererr.Invalid(state.TimestampField, "must not lie before the last change of record %q, at %s, which lies further ahead than any transaction time the peers accept: the record was not written by this chaincode", r.RecordID, r.UpdatedAt)
	}

	o := &model.CreditObjection{
		ObjectionID: objectionId, RecordID: recordId, SubjectUSCC: r.SubjectUSCC, RaisedBy: caller.ID, Reason: reason,
		AgencyUSCC: agencyUSCC, AgencyMSP: r.AgencyMSP, Status: model.CreditObjectionOpen,
		RaisedAt: state.Format(now), DueAt: state.Format(now.Add(model.ObjectionAnswerWindow)),
	}
	r.Status, r.UpdatedAt = model.RecordUnderObjection, state.Format(now)
	r.Disputes++
	if err := putDispute(ctx, rules, recordKey, r, key, o); err != nil {
		return nil, err
	}
	if err := putEntries(ctx,
		entry{idxObjectionBySubject, o.SubjectUSCC, objectionId},
		entry{idxOpenByAgency, o.AgencyUSCC, objectionId},
		entry{idxObjectionByAgency, o.AgencyUSCC, objectionId},
	); err != nil {
		return nil, err
	}
	return view(o, now), state.Emit(ctx, model.EventObjectionRaised, model.CreditEvent{ObjectionID: objectionId, RecordID: recordId, SubjectUSCC: o.SubjectUSCC})
}

// AnswerObjection is the issuing agency's answer to an open objection, or a
// regulator's for an agency that can no longer answer it.
//
// Who may answer: a participant with the agency role acting for the same
// agency enterprise (USCC) as the participant that issued the record, and
// never one acting for the subject enterprise (nobody decides their own
// case; Publish refuses such records, which may predate the rule). Tying
// the answer to the enterprise, not to the one participant, lets any of the
// agency's staff answer when the issuer is away; tying it to the enterprise,
// not to the org, keeps other agencies that are members of the same regional
// exchange out. To any other agency an objection is refused exactly as one
// that does not exist (FORBIDDEN), so that the refusal does not tell it who
// must answer the objection; it reads the objection's key only once an entry
// of its own enterprise names the ID (agencyObjectionEntries), so that its
// read set does not tell either.
//
// A regulator answers for the agency once the objection is overdue and
// nobody can answer it any more (orphaned, the judgement by which a lookup
// withholds the record): the issuing agency enterprise lost its licence (no
// participant of it holds the agency role), all of it is suspended (or
// reinstated, its keys not yet rebound), or its org released it or a
// majority removed the org. Before the due time the agency keeps its window,
// however briefly it cannot answer. As the credit-reporting
// supervisor takes over a dispute the agency can no longer handle, it
// UPHOLDs or DISMISSes (never CORRECT: only the agency stages corrected
// contents, in its org's private data), and the objection records that a
// regulator answered (AnsweredByRegulator). An objection its agency can still
// answer is refused to it as one that does not exist is (FORBIDDEN): the
// agency answers, late or not; so is one not yet overdue. Nor does a
// regulator answer one its own enterprise raised or must answer, or one of
// its own org's enterprises (requireNoParty: a regulator is its org's staff,
// and its USCC its org's word). The regulator
// reads every objection (GetObjection), so its refusals tell it nothing it
// could not read. The answer writes the record and the objection as the
// agency's does, under a majority of the orgs (putDispute): no party's org
// need endorse it, so an agency's org that took its peers away, or was
// removed, blocks no answer (but to a record or an objection written before
// interface 16.0.0, whose key still needs the orgs it named then).
//
// outcome is one of:
//   - UPHOLD: the objection is right; the record is WITHDRAWN.
//   - CORRECT: the record is replaced by a corrected one, newRecordId, whose
//     contents the answering participant has staged beforehand with
//     StageRecord(newRecordId, the record's subject), endorsed by its org
//     alone, exactly as for Publish; the old record is SUPERSEDED and the two
//     link to each other. The corrected record is issued by the answering
//     participant and held by its org. Contents staged by another
//     participant, or about another subject, are not found (NOT_FOUND).
//     The agency only.
//   - DISMISS: the record stands and is ACTIVE again; reason is required.
//
// The answer is not stamped before the record's last change, the
// objection's raising at the latest (state.RequireAfterLastChange).
//
// The answer is due at the objection's DueAt; a later one is still an answer,
// marked AnsweredLate on the objection and on the record's LastDispute. Its
// time is the transaction time as the endorsing peers vouch for it
// (state.Declare): every endorser, a majority of the orgs, checks it
// against its clock, so the agency cannot pass a late answer off as a timely
// one.
//
// newRecordId is accepted only with CORRECT. AnswerObjection takes no
// transient data and refuses any: orgs other than the agency's endorse it,
// the subject's maybe, and they must not see the corrected contents. The
// transaction emits ObjectionAnswered only (one event per transaction); for
// CORRECT it names the new record.
func (c *Contract) AnswerObjection(ctx contractapi.TransactionContextInterface, objectionId, outcome, reason, newRecordId string) (*model.ObjectionView, error) {
	if err := validate.ID("objectionId", objectionId); err != nil {
		return nil, err
	}
	if err := validate.OneOf("outcome", outcome, model.Answers...); err != nil {
		return nil, err
	}
	if err := validate.TextRequiredIf(outcome == model.AnswerDismiss, "reason", reason, model.MaxCreditReasonLength); err != nil {
		return nil, err
	}
	if outcome == model.AnswerCorrect {
		if err := validate.ID("newRecordId", newRecordId); err != nil {
			return nil, err
		}
	} else if newRecordId != "" {
		return nil, ledgererr.Invalid("newRecordId", "must be empty unless outcome is %s", model.AnswerCorrect)
	}
	if err := refuseTransient(ctx, "AnswerObjection"); err != nil {
		return nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}

	caller, rules, err := participants.CallerWithRoleAndRules(ctx, nil, model.RoleAgency, model.RoleRegulator)
	if err != nil {
		return nil, err
	}
	o, key, err := objectionToAnswer(ctx, caller, objectionId)
	if err != nil {
		return nil, err
	}
	// The agency answers its own objections; a regulator answers another's only once it can no longer (below).
	asAgency := caller.HasRole(model.RoleAgency) && actsFor(caller, o.AgencyUSCC)
	if !asAgency && !caller.HasRole(model.RoleRegulator) {
		return nil, refuseAgency(objectionId, caller)
	}
	if asAgency {
		if err := requireNotOwnEnterprise(caller, o.SubjectUSCC); err != nil {
			return nil, err
		}
	}
	if o.Status != model.CreditObjectionOpen {
		return nil, ledgererr.Conflictf("objection %q is already answered: %s", objectionId, o.Status)
	}
	// An answer stamped on time is late all the same when this peer's clock has passed the due time: the agency
	// may stamp up to model.MaxClockSkew behind, and that slack alone must not pass a late answer off as timely.
	if due := dueAt(o); state.Format(now) <= due && state.ClockPassed(due) {
		return nil, ledgererr.Conflictf("objection %q was due at %s, which the endorsing peer's clock has passed: an answer stamped before it is refused", objectionId, due)
	}
	r, recordKey, err := getRecord(ctx, o.RecordID)
	if err != nil {
		return nil, err
	}
	if !asAgency {
		if err := requireOrphaned(ctx, caller, o, r, outcome, now); err != nil {
			return nil, err
		}
	}
	// Nor before the record's last change, the objection's raising at the latest: the answer (and the record it
	// withdraws, restores or corrects) would read before the objection it answers.
	if err := state.RequireAfterLastChange("record", r.RecordID, r.UpdatedAt, now); err != nil {
		return nil, err
	}

	switch outcome {
	case model.AnswerUphold:
		r.Status, o.Status = model.RecordWithdrawn, model.CreditObjectionUpheld
	case model.AnswerDismiss:
		r.Status, o.Status = model.RecordActive, model.CreditObjectionDismissed
	case model.AnswerCorrect:
		if _, err := publish(ctx, rules, caller, newRecordId, r.SubjectUSCC, r.RecordID, now); err != nil {
			return nil, err
		}
		r.Status, r.SupersededBy, o.Status = model.RecordSuperseded, newRecordId, model.CreditObjectionCorrected
		o.NewRecordID = newRecordId
	}
	if !r.InForce() {
		if err := retire(ctx, r); err != nil {
			return nil, err
		}
	}
	// A record published before 13.0.0 is filed under its issuer from its first answer on (fileWithIssuer).
	if err := fileWithIssuer(ctx, o.AgencyUSCC, r); err != nil {
		return nil, err
	}
	o.Outcome, o.AnswerReason, o.AnsweredBy, o.AnsweredAt = outcome, reason, caller.ID, state.Format(now)
	o.AnsweredByRegulator = !asAgency
	o.AnsweredLate = o.AnsweredAt > dueAt(o)
	r.UpdatedAt = state.Format(now)
	if err := putDispute(ctx, rules, recordKey, r, key, o); err != nil {
		return nil, err
	}
	if err := state.DelIndex(ctx, idxOpenByAgency, o.AgencyUSCC, objectionId); err != nil {
		return nil, err
	}
	// An objection raised before 13.0.0 is filed under its agency from its answer on (agencyObjectionEntries).
	if err := state.PutIndex(ctx, idxObjectionByAgency, o.AgencyUSCC, objectionId); err != nil {
		return nil, err
	}
	return view(o, now), state.Emit(ctx, model.EventObjectionAnswered, model.CreditEvent{
		ObjectionID: objectionId, RecordID: o.RecordID, SubjectUSCC: o.SubjectUSCC, Outcome: outcome, NewRecordID: o.NewRecordID,
	})
}

// objectionToAnswer reads objection id for caller, AnswerObjection's answerer. A regulator, who reads every objection
// (objectionFiledFor), reads its key at once, and one that does not exist is refused as one it may not answer
// (refuseRegulator); an agency reads it only once an entry of its own enterprise names the ID
// (agencyObjectionEntries), and one that does not exist is refused as another agency's (refuseAgency).
func objectionToAnswer(ctx state.Context, caller *model.Participant, id string) (*model.CreditObjection, string, error) {
	if caller.HasRole(model.RoleRegulator) {
		return state.Find[model.CreditObjection](ctx, func() error { return refuseRegulator(id, caller) }, keyObjection, id)
	}
	return findFiled[model.CreditObjection](ctx, func() error { return refuseAgency(id, caller) }, agencyObjectionEntries(caller, id), keyObjection, id)
}

// refuseAgency is the refusal of an objection to an agency that does not act for the agency that must answer it,
// in the words of one that does not exist, so that no agency learns from the refusal who disputes whose record.
func refuseAgency(id string, p *model.Participant) error {
	return ledgererr.Forbiddenf("objection %q is not one that participant %q may answer: it does not exist, or participant %q does not act for the agency that must answer it", id, p.ID, p.ID)
}

// refuseRegulator is the refusal of an objection to a regulator: it does not exist, or its agency can still
// answer it, or it is not overdue yet (requireOrphaned).
func refuseRegulator(id string, p *model.Participant) error {
	return ledgererr.Forbiddenf("objection %q is not one that participant %q may answer: it does not exist, or the agency that must answer it still can (a regulator answers only an overdue objection for an agency that can no longer)", id, p.ID)
}

// requireOrphaned refuses regulator's answer outcome to objection o, against record r, at time now, unless the
// regulator may answer it for the agency: it is no party (requireNoParty), the answer is no correction, whose
// contents only the agency stages, and nobody answers the objection any more at now (orphaned: it is overdue and
// nobody can answer it, the judgement by which a lookup withholds the record). Before the due time the agency
// keeps its window however briefly it cannot answer (its org moving it to another, a participant reinstated
// before its key is rebound, a short suspension): a regulator answering then would decide the case for good
// before the agency had its say. now is the transaction time, which the endorsers vouch for (state.Declare), the
// majority of the orgs: the regulator may stamp it model.MaxClockSkew ahead of their clocks
// at most.
func requireOrphaned(ctx state.Context, regulator *model.Participant, o *model.CreditObjection, r *model.Record, outcome string, now time.Time) error {
	if err := requireNoParty(ctx, regulator, o); err != nil {
		return err
	}
	if outcome == model.AnswerCorrect {
		return ledgererr.Forbiddenf("participant %q answers objection %q as a regulator, which may %s or %s it: only the issuing agency stages corrected contents (%s)", regulator.ID, o.ObjectionID, model.AnswerUphold, model.AnswerDismiss, model.AnswerCorrect)
	}
	nobody, err := orphaned(ctx, r, now, nil)
	if err != nil {
		return err
	}
	if !nobody {
		return refuseRegulator(o.ObjectionID, regulator)
	}
	return nil
}

// requireNoParty refuses a regulator who is, or whose org is, a party of objection o: nobody decides their own
// case. A regulator is its org's staff, whose USCC is its org's word and whose key its org's admin binds
// (RebindKey), so its USCC (as participants.RequireImpartial compares them) tells little: it is refused when it
// acts for the subject's or the agency's enterprise, and also when its org is a party's: the agency's when the
// record was issued (o.AgencyMSP) or the org whose binding of the agency enterprise is in force now, if another
// (the enterprise moved: that org's regulator would otherwise answer for an agency its own org holds), the
// subject's when the objection was raised (the org of the participant that raised it), or the org whose binding
// of the subject enterprise is in force now, if another.
func requireNoParty(ctx state.Context, regulator *model.Participant, o *model.CreditObjection) error {
	if party := regulator.USCC; party == o.SubjectUSCC || party == o.AgencyUSCC {
		return ledgererr.Forbiddenf("participant %q acts for %s, a party of objection %q: a regulator answers no objection its own enterprise raised or must answer", regulator.ID, party, o.ObjectionID)
	}
	// The raiser's record is its org's alone, which could name another org there anyway: bytes there that are no
	// participant name no org of it (participants.Lookup), rather than fail for good the answer that ends the case
	// (and, where nobody answers for the agency, a record withheld from lenders meanwhile).
	orgs := []string{o.AgencyMSP}
	raiser, err := participants.Lookup(ctx, o.RaisedBy)
	if err != nil {
		return err
	}
	if raiser != nil {
		orgs = append(orgs, raiser.MSPID)
	}
	for _, party := range []string{o.SubjectUSCC, o.AgencyUSCC} {
		if e, bound, err := participants.GetEnterprise(ctx, party); err != nil {
			return err
		} else if bound {
			orgs = append(orgs, e.MSPID)
		}
	}
	if slices.Contains(orgs, regulator.MSPID) {
		return ledgererr.Forbiddenf("participant %q is a regulator of %s, the org of a party of objection %q: a regulator answers no objection its own org's enterprise raised or must answer", regulator.ID, regulator.MSPID, o.ObjectionID)
	}
	return nil
}

// GetObjection returns an objection to the subject's participants,
// regulators and the agency that must answer it. To anyone else an objection
// that exists is refused exactly as one that does not (FORBIDDEN), so that
// nobody learns from the refusal which enterprise disputes a record: that is
// for ListObjections, which the same callers may not read either. Nor from
// its read set: it reads the objection's key only for a regulator or once an
// entry of the caller's own names the ID (objectionFiledFor).
func (c *Contract) GetObjection(ctx contractapi.TransactionContextInterface, objectionId string) (*model.ObjectionView, error) {
	caller, err := callerOn(ctx, "objectionId", objectionId, participants.Caller)
	if err != nil {
		return nil, err
	}
	var o *model.CreditObjection
	if filed, err := objectionFiledFor(ctx, caller, objectionId); err != nil {
		return nil, err
	} else if filed {
		if o, err = state.Lookup[model.CreditObjection](ctx, keyObjection, objectionId); err != nil {
			return nil, err
		}
	}
	if o == nil || !mayReadObjection(caller, o) {
		return nil, ledgererr.Forbiddenf("objection %q is not one that participant %q may read: it does not exist, or participant %q neither acts for the enterprise that raised it nor is a regulator or the agency that must answer it", objectionId, caller.ID, caller.ID)
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	return view(o, now), nil
}

// objectionFiledFor reports whether caller may look objection id up by its key: it is a regulator, who reads every
// objection, or an index entry of its own names the ID, its enterprise's among the subject's objections or, for an
// agency, among those its enterprise must answer (agencyObjectionEntries). Anyone else reads the objection's key
// only once its own entry is found (anyFiled), so that a refused caller's read set is the same for an ID that
// exists as for one that does not.
func objectionFiledFor(ctx state.Context, caller *model.Participant, id string) (bool, error) {
	if caller.HasRole(model.RoleRegulator) {
		return true, nil
	}
	var entries []entry
	if actsFor(caller, caller.USCC) {
		entries = append(entries, entry{idxObjectionBySubject, caller.USCC, id})
	}
	return anyFiled(ctx, append(entries, agencyObjectionEntries(caller, id)...)...)
}

// agencyObjectionEntries are the entries that file objection id under the enterprise of p, an agency acting for
// it, as one it must answer: open (idxOpenByAgency) or answered or not (idxObjectionByAgency, from 13.0.0). An
// objection raised before 13.0.0 has the first while open and the second from its answer on; one answered before
// 13.0.0 has neither, and its agency reads it no more (the subject and the regulator do). None for anyone else.
func agencyObjectionEntries(p *model.Participant, id string) []entry {
	if !p.HasRole(model.RoleAgency) || !actsFor(p, p.USCC) {
		return nil
	}
	return []entry{{idxOpenByAgency, p.USCC, id}, {idxObjectionByAgency, p.USCC, id}}
}

// mayReadObjection reports whether p may read the objection o: it acts for
// the subject enterprise that raised it, is a regulator, or is an agency of
// the enterprise that must answer it.
func mayReadObjection(p *model.Participant, o *model.CreditObjection) bool {
	return p.HasRole(model.RoleRegulator) || actsFor(p, o.SubjectUSCC) || p.HasRole(model.RoleAgency) && actsFor(p, o.AgencyUSCC)
}

// ListObjections returns one page of the objections against a subject's
// records, answered ones included, in objection-ID order, to the subject's
// own participants and regulators.
func (c *Contract) ListObjections(ctx contractapi.TransactionContextInterface, subjectUscc, pageSize, bookmark string) (*model.ObjectionPage, error) {
	size, err := subjectListSize(ctx, subjectUscc, pageSize, ledgererr.Phrase("objections"))
	if err != nil {
		return nil, err
	}
	return objectionPage(ctx, idxObjectionBySubject, subjectUscc, size, bookmark, objectionSubject)
}

// ListAgencyObjections returns one page of the open objections the calling
// agency's enterprise must answer, in objection-ID order; overdue ones say
// so. The caller must act for that enterprise as AnswerObjection's answerer
// does: its certificate certifies it and its org holds it.
func (c *Contract) ListAgencyObjections(ctx contractapi.TransactionContextInterface, pageSize, bookmark string) (*model.ObjectionPage, error) {
	size, err := state.PageSize(pageSize)
	if err != nil {
		return nil, err
	}
	agency, _, err := actingAgency(ctx)
	if err != nil {
		return nil, err
	}
	return objectionPage(ctx, idxOpenByAgency, agency.USCC, size, bookmark, objectionAgency)
}

// objectionPage reads one page of an objection index whose rows are
// (owner, objectionId), each as it reads now; whose tells whose an objection
// is in that index (ownedPage).
func objectionPage(ctx state.Context, index, owner string, size int32, bookmark string, whose func(*model.CreditObjection) string) (*model.ObjectionPage, error) {
	return state.PageOf[model.ObjectionPage](pageAsOf(ctx, index, keyObjection, owner, size, bookmark, whose, view))
}

// view is the objection as read at time now: an objection still open after
// its due time is overdue.
func view(o *model.CreditObjection, now time.Time) *model.ObjectionView {
	v := &model.ObjectionView{CreditObjection: *o}
	v.DueAt = dueAt(o)
	v.Overdue = o.Status == model.CreditObjectionOpen && state.Format(now) > v.DueAt
	return v
}

// dueAt is when the answer to an objection is due. Objections raised before
// the due time was stored have it computed from when they were raised.
// Stored instants are fixed-width UTC text, so they compare as text.
func dueAt(o *model.CreditObjection) string {
	if o.DueAt != "" {
		return o.DueAt
	}
	raised, err := time.Parse(state.TimeLayout, o.RaisedAt)
	if err != nil {
		return ""
	}
	return state.Format(raised.Add(model.ObjectionAnswerWindow))
}

// putDispute writes the record r at recordKey and the objection o against
// it at key, the record showing o as its LastDispute: the two are always
// written together, so that the record shows its last objection as the
// objection itself reads. Both keys go under a majority of the orgs of
// rules (putRecord). Before interface 16.0.0 the objection's key needed the
// agency's org and the org of the participant that raised it: once that
// org released the subject enterprise, it alone vetoed every answer, and
// the objection stayed open for good, the subject unable to object again;
// the agency's org, or the subject's, declining to endorse, blocked the
// regulator's answer for an agency gone (no removed or former org's
// endorsement is needed now). Timeliness needs neither: every endorser
// checks the transaction time against its clock (state.Declare).
func putDispute(ctx state.Context, rules *model.Rules, recordKey string, r *model.Record, key string, o *model.CreditObjection) error {
	r.LastDispute = &model.Dispute{
		ObjectionID: o.ObjectionID, Status: o.Status, RaisedAt: o.RaisedAt, DueAt: dueAt(o),
		AnsweredAt: o.AnsweredAt, AnsweredLate: o.AnsweredLate, AnsweredByRegulator: o.AnsweredByRegulator,
	}
	if err := putRecord(ctx, rules, recordKey, r); err != nil {
		return err
	}
	return state.PutUnderMajority(ctx, key, o, rules.MSPIDs())
}

// objectionSubject and objectionAgency say whose an objection is in the
// index of its subject and in that of the agency that must answer it.
func objectionSubject(o *model.CreditObjection) string { return o.SubjectUSCC }
func objectionAgency(o *model.CreditObjection) string  { return o.AgencyUSCC }
