package credit

import (
	"encoding/json"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Authorize records the calling enterprise's consent that participant
// granteeId may query its credit records for purpose until validUntil (RFC
// 3339, after now and at most one year ahead). The caller acts for the
// subject: the subject is the caller's own USCC. It entitles only while the
// caller's org holds the enterprise (requireGrantedWhereHeld). Its key needs
// a majority of the orgs of the market rules (putAuthorization), and it is
// marked so (keyAuthSealed).
func (c *Contract) Authorize(ctx contractapi.TransactionContextInterface, authId, granteeId, purpose, validUntil string) (*model.Authorization, error) {
	if err := validate.ID("authId", authId); err != nil {
		return nil, err
	}
	if err := validate.ID("granteeId", granteeId); err != nil {
		return nil, err
	}
	if err := validate.Text("purpose", purpose, model.MaxCreditPurposeLength); err != nil {
		return nil, err
	}
	until, err := validate.Time("validUntil", validUntil)
	if err != nil {
		return nil, err
	}
	until = until.Truncate(time.Second)
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	if !until.After(now) {
		return nil, ledgererr.Invalid("validUntil", "must be after the transaction time %s", state.Format(now))
	}
	if limit := now.AddDate(maxAuthorizationTermYears, 0, 0); until.After(limit) {
		return nil, ledgererr.Invalid("validUntil", "must be at most one year ahead, by %s", state.Format(limit))
	}

	subject, rules, err := participants.ActorWithRules(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireOwnEnterprise(subject, ledgererr.Phrase("authorises no reader of credit records")); err != nil {
		return nil, err
	}
	grantee, err := participants.GetActive(ctx, granteeId)
	if err != nil {
		return nil, err
	}
	if grantee.USCC == subject.USCC {
		return nil, ledgererr.Invalid("granteeId", "participant %q acts for %s itself and needs no authorisation", granteeId, subject.USCC)
	}
	key, err := newKey(ctx, keyAuth, ledgererr.Phrase("authorization"), authId)
	if err != nil {
		return nil, err
	}
	a := &model.Authorization{
		AuthID: authId, SubjectUSCC: subject.USCC, GrantorID: subject.ID, GranteeID: granteeId,
		Purpose: purpose, ValidUntil: state.Format(until), Status: model.AuthorizationActive, GrantedAt: state.Format(now),
	}
	if err := putAuthorization(ctx, rules, key, a); err != nil {
		return nil, err
	}
	if err := seal(ctx, keyAuthSealed, authId); err != nil {
		return nil, err
	}
	if err := putEntries(ctx, entry{idxAuthBySubject, a.SubjectUSCC, authId}, entry{idxAuthByGrantee, granteeId, authId}); err != nil {
		return nil, err
	}
	return a, state.Emit(ctx, model.EventAuthorizationGranted, model.CreditEvent{AuthID: authId, SubjectUSCC: a.SubjectUSCC, GranteeID: granteeId})
}

// RevokeAuthorization ends an authorisation at once. Any participant acting
// for the subject enterprise may revoke it; to anyone else an authorisation
// that exists is refused exactly as one that does not (FORBIDDEN), after
// the same reads: the caller's enterprise's own entry of the ID, never the
// authorisation's key unless that entry names it (anyFiled). A trace
// already written on it stops working too: ReadRecords checks the
// authorisation again. The revocation is not stamped before a lookup under
// the authorisation committed ahead of it (lastUseAfter): the subject may
// stamp it up to model.MaxClockSkew behind the peers' clocks, and the
// ledger would then show that lookup made after the revocation, false
// evidence against the querier. A lookup the endorsing peer's clock has not
// reached yet was stamped ahead by its grantee: the revocation is then
// dated at that lookup instead of refused. Nor is it stamped before the
// authorisation's grant (grantedAt, state.RequireAfterLastChange).
//
// The key needs a majority of the orgs (putAuthorization), neither the
// grantee's org nor the subject's: the revocation needs no endorsement of
// the grantee's org, nor of an org a majority removed or that released the
// enterprise. One granted before interface 16.0.0 is under the org of its
// grantor alone, which that org's endorsement still satisfies; it entitles
// nobody (entitlement), and its revocation puts it under a majority.
func (c *Contract) RevokeAuthorization(ctx contractapi.TransactionContextInterface, authId string) (*model.Authorization, error) {
	if err := validate.ID("authId", authId); err != nil {
		return nil, err
	}
	caller, rules, err := participants.ActorWithRules(ctx)
	if err != nil {
		return nil, err
	}
	// Another enterprise's authorisation is refused as a missing one, so
	// that nobody learns who granted it (see entitlement), after the same
	// reads: the caller's enterprise's own entry of the ID first (anyFiled).
	refuse := func() error {
		return ledgererr.Forbiddenf("authorization %q is not one that participant %q may revoke: it does not exist, or participant %q does not act for the enterprise that granted it", authId, caller.ID, caller.ID)
	}
	var own []entry
	if actsFor(caller, caller.USCC) {
		own = append(own, entry{idxAuthBySubject, caller.USCC, authId})
	}
	a, key, err := findFiled[model.Authorization](ctx, refuse, own, keyAuth, authId)
	if err != nil {
		return nil, err
	}
	if !actsFor(caller, a.SubjectUSCC) {
		return nil, refuse()
	}
	if a.Status == model.AuthorizationRevoked {
		return nil, ledgererr.Conflictf("authorization %q is already revoked", authId)
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	at := state.Format(now)
	if last, err := lastUseAfter(ctx, authId, now); err != nil {
		return nil, err
	} else if last != "" && state.ClockReached(last) {
		return nil, ledgererr.Invalid(state.TimestampField, "must not lie before the last lookup under authorization %q, at %s, got %s", authId, last, at)
	} else if last != "" {
		// The grantee stamped that lookup ahead of the clocks (as far as model.MaxClockLead): refusing the
		// revocation let it keep the subject from revoking by looking up again and again; dated at the lookup,
		// the revocation still follows it on the ledger.
		at = last
	}
	// Nor before its grant: a revocation stamped behind the clocks, or of a grant stamped ahead of them, would show
	// the authorisation revoked before it was granted.
	if err := state.RequireAfterLastChange("authorization", authId, a.GrantedAt, now); err != nil {
		return nil, err
	}
	a.Status, a.RevokedAt, a.RevokedBy = model.AuthorizationRevoked, at, caller.ID
	if err := putAuthorization(ctx, rules, key, a); err != nil {
		return nil, err
	}
	return a, state.Emit(ctx, model.EventAuthorizationRevoked, model.CreditEvent{AuthID: authId, SubjectUSCC: a.SubjectUSCC, GranteeID: a.GranteeID})
}

// putAuthorization writes authorisation a at key and puts the key under a
// majority of the orgs of the market rules in force
// (state.PutUnderMajority). Before interface 16.0.0 it was under its
// subject's org alone, which, running chaincode of its own, could rewrite it
// by itself: date its revocation before a lookup the grantee made under it
// (the ledger then showing a lookup after consent was withdrawn), change its
// purpose, or delete it. Who may revoke it the chaincode judges from the
// caller's certificate (RevokeAuthorization).
func putAuthorization(ctx state.Context, rules *model.Rules, key string, a *model.Authorization) error {
	return state.PutUnderMajority(ctx, key, a, rules.MSPIDs())
}

// lastUseAfter returns the time of the last lookup under authorisation
// authID stamped after now, "" if none: the traces from the second after
// now on, one range of keyTraceByAuth, which holds no more than the
// lookups of the few minutes a stamp may lie behind the clocks. An entry
// counts only if the trace it names exists under its own key and is of
// this authorisation. Traces written before the entries existed have none;
// they are older than any stamp the endorsing peers accept now.
func lastUseAfter(ctx state.Context, authID string, now time.Time) (string, error) {
	prefix := traceByAuthPrefix(authID)
	it, err := ctx.GetStub().GetStateByRange(prefix+state.Format(now.Add(time.Second)), prefix[:len(prefix)-1]+"0")
	if err != nil {
		return "", ledgererr.Internalf(err, "reading the lookups under authorization %q", authID)
	}
	defer it.Close()
	last := ""
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			return "", ledgererr.Internalf(err, "reading the lookups under authorization %q", authID)
		}
		var traceID string
		if err := json.Unmarshal(kv.Value, &traceID); err != nil {
			return "", ledgererr.Internalf(err, "reading an entry of the lookups under authorization %q", authID)
		}
		t, err := state.Lookup[model.Trace](ctx, keyTrace, traceID)
		if err != nil {
			return "", err
		}
		if t != nil && t.AuthID == authID && t.At > last {
			last = t.At
		}
	}
	return last, nil
}

// ListAuthorizations returns one page of a subject's authorisations, revoked,
// expired and lapsed ones included (model.AuthorizationLapsed), in
// authorisation-ID order, to the subject's own participants and regulators.
func (c *Contract) ListAuthorizations(ctx contractapi.TransactionContextInterface, subjectUscc, pageSize, bookmark string) (*model.AuthorizationPage, error) {
	size, err := subjectListSize(ctx, subjectUscc, pageSize, ledgererr.Phrase("authorizations"))
	if err != nil {
		return nil, err
	}
	return authorizationPage(ctx, idxAuthBySubject, subjectUscc, size, bookmark, authSubject)
}

// ListMyAuthorizations returns one page of the authorisations granted to the
// caller, revoked, expired and lapsed ones included, in authorisation-ID
// order: what the caller may query (those that read ACTIVE), and under which
// authorisation ID.
func (c *Contract) ListMyAuthorizations(ctx contractapi.TransactionContextInterface, pageSize, bookmark string) (*model.AuthorizationPage, error) {
	caller, size, err := participants.CallerWithPageSize(ctx, pageSize)
	if err != nil {
		return nil, err
	}
	return authorizationPage(ctx, idxAuthByGrantee, caller.ID, size, bookmark, authGrantee)
}

// authorizationPage reads one page of an authorisation index whose rows are
// (owner, authId), each as it reads now; whose tells whose an authorisation
// is in that index (ownedPage). One that reads ACTIVE but is not its
// subject's word (grants.held) reads LAPSED: it entitles nobody, and a
// subject or grantee shown it ACTIVE would count on it. Whether it holds
// tells the grantee nothing it may not read: participants and the org
// holding an enterprise are public (participants:Get, GetEnterprise), and
// RequestQuery's refusal says as much.
func authorizationPage(ctx state.Context, index, owner string, size int32, bookmark string, whose func(*model.Authorization) string) (*model.AuthorizationPage, error) {
	items, next, err := pageAsOf(ctx, index, keyAuth, owner, size, bookmark, whose, asOf)
	if err != nil {
		return nil, err
	}
	// An ACTIVE one granted before interface 16.0.0 (no mark) entitles nobody (entitlement): LAPSED. Their marks
	// are read in one request, none when no item reads ACTIVE.
	var active []string
	for _, a := range items {
		if a.Status == model.AuthorizationActive {
			active = append(active, a.AuthID)
		}
	}
	sealed := map[string]bool{}
	if len(active) > 0 {
		marks, err := state.NewBatch[bool](ctx, keyAuthSealed, active)
		if err != nil {
			return nil, err
		}
		if err := state.GetAll(ctx, marks.Reads()...); err != nil {
			return nil, err
		}
		for _, id := range active {
			sealed[id] = marks.Record(id) != nil
		}
	}
	g := newGrants()
	for _, a := range items {
		if a.Status != model.AuthorizationActive {
			continue
		}
		if !sealed[a.AuthID] {
			a.Status = model.AuthorizationLapsed
			continue
		}
		if held, err := g.held(ctx, a); err != nil {
			return nil, err
		} else if !held {
			a.Status = model.AuthorizationLapsed
		}
	}
	return state.PageOf[model.AuthorizationPage](items, next, nil)
}

// asOf is the authorisation as it reads at now (model.Authorization.StatusAt):
// an ACTIVE one past its validUntil is EXPIRED.
func asOf(a *model.Authorization, now time.Time) *model.Authorization {
	a.Status = a.StatusAt(now)
	return a
}

// entitlement decides whether caller may query subjectUSCC's records for
// purpose at time at, in a transaction stamped now, and on which basis. A
// named authorisation is always checked, never ignored: it must be the
// subject's, granted to the caller, unrevoked, unexpired at at, for the same
// purpose, and granted no later than now: a lookup stamped before the grant
// (the grantee stamping behind the clocks, or the subject stamping its grant
// ahead of them) would read, on the subject's list of traces, as one made
// before its consent. Without one, only the subject's own participants and
// regulators may query.
//
// A refusal tells the caller nothing about authorisations that are not its
// own: one that does not exist, that another participant holds, or that is
// another subject's is refused with the same message, so that nobody learns
// who was authorised by whom, for what, or whether it still stands. The
// grantee itself learns why its own authorisation does not serve. Nor does
// the read set tell: RequestQuery reads the authorisation's key only once
// the caller's own entry as grantee names it (requireGrantedTo), and
// ReadRecords only on the caller's own trace, which names it.
func entitlement(ctx state.Context, caller *model.Participant, subjectUSCC, purpose, authID string, now, at time.Time) (string, error) {
	if authID == "" {
		if actsFor(caller, subjectUSCC) {
			return model.BasisSubject, nil
		}
		if err := requireSubjectOrRegulator(caller, subjectUSCC, ledgererr.Phrase("credit records without an authorization (authId)")); err != nil {
			return "", err
		}
		return model.BasisRegulator, nil
	}
	a, sealed, err := authorizationWithMark(ctx, authID)
	if err != nil {
		return "", err
	}
	if a == nil || a.SubjectUSCC != subjectUSCC || a.GranteeID != caller.ID {
		return "", notEntitled(caller, subjectUSCC, authID)
	}
	if !sealed {
		return "", ledgererr.Forbiddenf("authorization %q was granted before interface %s under its subject's org alone, which could rewrite it, and entitles nobody: the subject authorises anew", authID, sealedSince)
	}
	until, err := parseStored(a.ValidUntil)
	if err != nil {
		return "", err
	}
	switch {
	case a.Status == model.AuthorizationRevoked:
		return "", ledgererr.Forbiddenf("authorization %q was revoked at %s", authID, a.RevokedAt)
	case !at.Before(until):
		return "", ledgererr.Forbiddenf("authorization %q expired at %s", authID, a.ValidUntil)
	case a.Purpose != purpose:
		return "", ledgererr.Forbiddenf("authorization %q is for the purpose %q, not %q", authID, a.Purpose, purpose)
	}
	if err := requireGrantedWhereHeld(ctx, a); err != nil {
		return "", err
	}
	return model.BasisAuthorization, state.RequireAfterLastChange("authorization", authID, a.GrantedAt, now)
}

// authorizationWithMark reads authorisation id and whether it is marked as
// written under a majority of the orgs (keyAuthSealed), in one request to the
// peer; nil if there is none.
func authorizationWithMark(ctx state.Context, id string) (*model.Authorization, bool, error) {
	read, sealed, err := withMarks[model.Authorization](ctx, keyAuth, keyAuthSealed, []string{id})
	if err != nil {
		return nil, false, err
	}
	return read[id], sealed[id], nil
}

// notEntitled is entitlement's refusal of an authorisation that is not the caller's to use for subjectUSCC, whether
// it exists or not.
func notEntitled(caller *model.Participant, subjectUSCC, authID string) error {
	return ledgererr.Forbiddenf("authorization %q does not entitle participant %q to query the records of %s", authID, caller.ID, subjectUSCC)
}

// requireGrantedTo refuses, as entitlement refuses one that does not exist, an authorisation authID that the
// caller's own entry as grantee (idxAuthByGrantee) does not name, reading that entry alone (anyFiled): the read set
// of a refused lookup, which a caller signing its own proposal receives, must not hold the key of an authorisation
// granted to another, nor its version. RequestQuery asks it before entitlement reads the authorisation; ReadRecords
// need not, as its trace, the caller's own (querierTrace), names the authorisation RequestQuery checked.
func requireGrantedTo(ctx state.Context, caller *model.Participant, subjectUSCC, authID string) error {
	if filed, err := anyFiled(ctx, entry{idxAuthByGrantee, caller.ID, authID}); err != nil {
		return err
	} else if !filed {
		return notEntitled(caller, subjectUSCC, authID)
	}
	return nil
}

// requireGrantedWhereHeld refuses an authorisation that is not, or no longer, the subject's word (grants.held).
func requireGrantedWhereHeld(ctx state.Context, a *model.Authorization) error {
	if held, err := newGrants().held(ctx, a); err != nil {
		return err
	} else if !held {
		return ledgererr.Forbiddenf("authorization %q was not granted by a participant of the org that holds %s under the market rules in force: the enterprise's participants there authorise anew", a.AuthID, a.SubjectUSCC)
	}
	return nil
}

// grants judges whether authorisations are the word of their subjects (held), reading each grantor and each
// subject's binding once, however many of the authorisations of a page name them.
type grants struct {
	grantors map[string]*model.Participant // by ID; nil: no such participant
	holders  map[string]string             // by subject USCC: the org whose binding is in force, "" none
}

func newGrants() *grants {
	return &grants{grantors: map[string]*model.Participant{}, holders: map[string]string{}}
}

// held reports whether a's grantor acts for the subject (its certificate certified it: staff, whose USCC is only
// its admin's word, granted in an enterprise's name before staff stopped acting for credit subjects), is not
// RELEASED (released with the enterprise, it never acts again), and is of the org whose binding of the enterprise
// is the one in force (participants.GetEnterprise, as participants.RequireBindingInForce judges a caller). Only the
// participants of the org holding the enterprise list the lookups made under it and revoke it: once the grantor's
// org released the enterprise, or a majority removed the org, a grant would otherwise stand while nobody acted for
// the enterprise to see or revoke it (and, before interface 16.0.0, whose key needed the grantor's org, for as
// long as that org declined to endorse the revocation); and a grant by a participant released with the enterprise
// would count again the day its org bound the enterprise anew. The participants of the org holding it now authorise anew. The grantor's suspension does not end the
// grant: the enterprise's other participants revoke it.
func (g *grants) held(ctx state.Context, a *model.Authorization) (bool, error) {
	grantor, known := g.grantors[a.GrantorID]
	if !known {
		// Bytes at the grantor's record, its org's alone to write, are none (participants.Lookup): read strictly,
		// they failed every list of the grantee's (ListMyAuthorizations), its other subjects' grants too, for good.
		p, err := participants.Lookup(ctx, a.GrantorID)
		if err != nil {
			return false, err
		}
		grantor, g.grantors[a.GrantorID] = p, p
	}
	if grantor == nil || !actsFor(grantor, a.SubjectUSCC) || grantor.Status == model.ParticipantReleased {
		return false, nil
	}
	holder, known := g.holders[a.SubjectUSCC]
	if !known {
		e, bound, err := participants.GetEnterprise(ctx, a.SubjectUSCC)
		if err != nil {
			return false, err
		}
		if bound {
			holder = e.MSPID
		}
		g.holders[a.SubjectUSCC] = holder
	}
	return holder == grantor.MSPID, nil
}

// authSubject and authGrantee say whose an authorisation is in the index of
// its subject and in that of its grantee.
func authSubject(a *model.Authorization) string { return a.SubjectUSCC }
func authGrantee(a *model.Authorization) string { return a.GranteeID }
