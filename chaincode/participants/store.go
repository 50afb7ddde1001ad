package participants

import (
	"crypto/x509"
	"encoding/json"
	"slices"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Key types of the registry. Every key a participant's org writes (the
// record, its index entries, the enterprise binding) carries a key-level
// policy naming that org, so that no other orgs can write them even with
// modified chaincode: caller resolution trusts nothing else.
const (
	keyParticipant = "participant"
	keyRegistered  = model.RegisteredKeyType // id -> registration: the enterprise its certificate certified at registration
	keyIdentity    = "participant~identity"  // mspId, identity hash -> id
	keyEnterprise  = "enterprise"            // uscc -> Enterprise: a binding as ledgers before 11.0.0 wrote it (storedBindings)
	keyBinding     = "enterprise~org"        // uscc, mspId -> Enterprise: that org's binding (bindingIn)
	keyGeneration  = "enterprise~gen"        // uscc -> lastGeneration: the generation of its last binding and that binding's org
	idxOrgRole     = "participant~org"       // mspId, role, id  (role "*" lists all)
	idxUSCC        = "participant~uscc"      // uscc, id
	allRoles       = "*"
)

// registration is what a participant's certificate certified when it was registered (keyRegistered): the
// enterprise it acts for. Register writes it with the participant, under the chaincode-level policy, as the
// participant's key is created, and no org writes it alone, where the record is its org's to rewrite: an org that
// cleared its member's certifiedRoles, or moved it to another USCC, escaped every check of the enterprise's binding.
// A record that disagrees with it acts and receives nothing (asRegistered). A participant registered before 16.0.0,
// or whose certificate certified no enterprise, has none, and is held to the certificate it presents
// (applyCertificate).
//
// From interface 18.0.0 it records the org too (MSPID, the registering admin's), as the one source of a
// participant's org that its org cannot rewrite alone (vouchedOrg): the org a trade names its seller of for good
// (start), whose peers hold a round's terms (trades' sellerOrg) and by whose binding a party of a case makes its
// judge partial. Its record, which named the org before, let that org alone name another org for its member.
type registration struct {
	USCC  string `json:"uscc"`
	MSPID string `json:"mspId,omitempty"`
}

// getRegistered reads a participant by ID together with its registration (nil where it has none), in one request
// to the peer, and refuses a record that disagrees with its registration (asRegistered).
func getRegistered(ctx state.Context, id string) (*model.Participant, *registration, error) {
	p, reg, err := readRegistered(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if p == nil {
		return nil, nil, notFound(id)
	}
	if err := asRegistered(p, reg); err != nil {
		return nil, nil, err
	}
	return p, reg, nil
}

// readRegistered reads a participant by ID together with its registration (nil where it has none), in one
// request to the peer, as getRegistered does, without refusing a record that disagrees with it. The record is nil
// where id names no participant: no record, or one that is none (bytes that do not decode as a participant, or a
// participant of another ID), which its org alone may have written, and which its reader takes as no record rather
// than fail on: failing, it let the org alone stop whoever reads its party (partiesOf, a judge).
func readRegistered(ctx state.Context, id string) (*model.Participant, *registration, error) {
	key, err := state.Key(ctx, keyParticipant, id)
	if err != nil {
		return nil, nil, err
	}
	regKey, err := state.Key(ctx, keyRegistered, id)
	if err != nil {
		return nil, nil, err
	}
	reg := new(registration)
	record, registered := state.Read{Key: key}, state.Read{Key: regKey, Into: reg}
	if err := state.GetAll(ctx, &record, &registered); err != nil {
		return nil, nil, err
	}
	if !registered.Found {
		reg = nil
	}
	return participantIn(&record, id), reg, nil
}

// participantIn is the participant record read names for participant id, nil where it holds none: no record, or
// bytes that are no participant of that ID, which its org alone may write (the record is its org's), so that no
// step another party relies on fails on them.
func participantIn(read *state.Read, id string) *model.Participant {
	p := new(model.Participant)
	if !read.Found || json.Unmarshal(read.Value, p) != nil || !model.NamesItsKey(p, []string{id}) {
		return nil
	}
	return p
}

// asRegistered refuses a participant record that no longer names the enterprise its registration certified (reg),
// or no longer says it is certified: only the record's org, alone, writes either (Register, SetRoles and the key
// functions keep both).
func asRegistered(p *model.Participant, reg *registration) error {
	if reg != nil && (p.USCC != reg.USCC || !p.Certified()) {
		return ledgererr.Forbiddenf("participant %q was registered for enterprise %s, which its certificate certified, and its record no longer says so: its org alone rewrote it, and it acts and receives nothing", p.ID, reg.USCC)
	}
	if reg != nil && reg.MSPID != "" && p.MSPID != reg.MSPID {
		return ledgererr.Forbiddenf("participant %q was registered in %s, and its record names %s: its org alone rewrote it, and it acts and receives nothing", p.ID, reg.MSPID, p.MSPID)
	}
	return nil
}

// vouchedOrg is the org of participant p (nil where its ID names none), read with its registration reg (nil for
// none), from a source that no org rewrites alone to name another: its registration's org, recorded from 18.0.0
// under the chaincode-level policy (no request more: it is read with the record); else, for a participant
// registered before (or staff, registered without one), its record's org only where that org's identity index
// entry of the record's identity names p (one request, for those only). That entry's key names its org: an org
// writes only the keys it created with a majority at its members' registration (Register writes them for the
// admin's own org alone), so no org names another for its member by rewriting the record, as it could the record
// alone. It is "" where neither vouches: a record its org rewrote to name another org, or bytes that form no key.
// The key-level policy of the record names its org too, but that org alone changes it (Fabric checks a change of
// policy against the one in force), so it vouches for nothing.
func vouchedOrg(ctx state.Context, p *model.Participant, reg *registration) (string, error) {
	if reg != nil && reg.MSPID != "" {
		return reg.MSPID, nil
	}
	if p == nil || p.MSPID == "" || p.Identity == "" {
		return "", nil
	}
	key, err := identityIndexKey(ctx, p.MSPID, p.Identity)
	if err != nil {
		return "", nil // bytes its org wrote that form no key name no entry
	}
	b, err := ctx.GetStub().GetState(key)
	if err != nil {
		return "", ledgererr.Internalf(err, "reading state")
	}
	// The entry of a participant registered before 18.0.0 is its org's alone to write: bytes there that name no ID
	// vouch for nothing, as no entry does. Failing on them let that org fail, for good, every judge of a case that
	// names its member (an asset's holder) and every withdrawal of terms from its member's listings.
	var id string
	if b == nil || json.Unmarshal(b, &id) != nil || id != p.ID {
		return "", nil
	}
	return p.MSPID, nil
}

// GetCounterparty is GetActive for a participant whose org another party relies on for good: a trade's seller at
// its opening (trades' start), whose org the trade names from then on, the one its key-level policy, its terms'
// collection and its judges' impartiality follow. Its record must be as registered (asRegistered) and of the org
// vouchedOrg vouches for; a record its org alone rewrote is refused (CONFLICT) rather than trusted, or corrected
// silently, until that org restores it: its org may as well suspend its member, and another org's member is not
// its to name. It reads the record and its registration in one request, and, for a participant registered before
// 18.0.0, its identity index entry in one more.
func GetCounterparty(ctx state.Context, id string) (*model.Participant, error) {
	p, reg, err := readRegistered(ctx, id)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, notFound(id)
	}
	if err := requireActive(p); err != nil {
		return nil, err
	}
	if asRegistered(p, reg) == nil {
		org, err := vouchedOrg(ctx, p, reg)
		if err != nil || org == p.MSPID {
			return p, err
		}
	}
	return nil, ledgererr.Conflictf("participant %q is not as it was registered (its enterprise, its certification, its org): its org alone rewrote its record, and no trade opens with it until that org restores it", p.ID)
}

// RegisteredOrg is the org of participant id as vouchedOrg vouches for it, "" where nothing does (no participant of
// that ID, or one registered before 18.0.0 whose record its org rewrote to name another org), in one request (two for a participant registered
// before 18.0.0). It never fails on its record's bytes: the seller's org of a round's terms (trades' sellerOrg).
func RegisteredOrg(ctx state.Context, id string) (string, error) {
	p, reg, err := readRegistered(ctx, id)
	if err != nil || p == nil {
		return "", err
	}
	return vouchedOrg(ctx, p, reg)
}

// Get reads a participant by ID.
func Get(ctx state.Context, id string) (*model.Participant, error) {
	p, _, err := state.Find[model.Participant](ctx, func() error { return notFound(id) }, keyParticipant, id)
	return p, err
}

// Lookup reads participant id, nil where id names none: no record, or bytes that are no participant of that ID,
// which its org alone may have written (readRegistered), in one request to the peer. A reader judging another's
// case by the participant (whether anyone answers for an agency, who is a party of an objection) takes them as
// none rather than fail on them: failing (Get, INTERNAL), it let that org alone fail the case for good.
func Lookup(ctx state.Context, id string) (*model.Participant, error) {
	p, _, err := readRegistered(ctx, id)
	return p, err
}

// EnterpriseOf is the USCC of the enterprise participant id acts for: the one its certificate certified at
// registration (registration), which no org rewrites alone, or, where it has none, its record's; "" where neither
// says (no participant, or bytes that are none, which its org alone may have written), in one request to the peer.
func EnterpriseOf(ctx state.Context, id string) (string, error) {
	p, reg, err := readRegistered(ctx, id)
	switch {
	case err != nil:
		return "", err
	case reg != nil && reg.USCC != "":
		return reg.USCC, nil
	case p != nil:
		return p.USCC, nil
	}
	return "", nil
}

// Party reads participant id for a step that only names it, acting on
// nothing its record says but its status (a trade's seller at the sale's
// completion, whose entitlement the rights register checks by its ID; a
// buyer whose late dispute another raises): its record, or, where id names
// none (no record, or bytes that are no participant of that ID, which its
// org alone may have written), a participant of that ID and nothing else,
// not ACTIVE, of no org, in one request to the peer (readRegistered). Its
// org's bytes never make the step fail, which let that org alone hold
// another party's step for good; nor make the party anything but its ID.
func Party(ctx state.Context, id string) (*model.Participant, error) {
	p, _, err := readRegistered(ctx, id)
	if err != nil || p != nil {
		return p, err
	}
	return &model.Participant{ID: id}, nil
}

// notFound is the refusal of a participant ID that names none.
func notFound(id string) error { return ledgererr.NotFoundf("participant %q does not exist", id) }

// GetActive reads a participant and refuses one that is not ACTIVE. It
// answers for a counterparty or a recipient, not for a caller: a key its
// suspension withdrew (model.Participant.KeyWithdrawn) stops the participant
// acting (requireKeyInForce, in Caller) but not receiving, since what it
// receives is its enterprise's, and it acts again once its admin binds a new key.
func GetActive(ctx state.Context, id string) (*model.Participant, error) {
	p, err := Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return p, requireActive(p)
}

// requireActive refuses a participant that is not ACTIVE (GetActive).
func requireActive(p *model.Participant) error {
	if p.Status != model.ParticipantActive {
		return ledgererr.Conflictf("participant %q is %s", p.ID, p.Status)
	}
	return nil
}

// GetRecipient is GetActive for a participant that receives a right or a holding as its enterprise without acting
// (a sale's buyer at its completion): its org's binding of the enterprise must be the one in force, as for a caller
// (RequireBindingInForce), or the enterprise's asset would go to the old org's record of an enterprise another org
// now holds; and its record must be as registered (asRegistered), read with its registration in the same request.
func GetRecipient(ctx state.Context, id string) (*model.Participant, error) {
	p, _, err := getRegistered(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := requireActive(p); err != nil {
		return nil, err
	}
	if err := RequireBindingInForce(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// RequireBindingInForce is requireBindingInForce under the market rules in force, for a participant that is not
// the caller.
func RequireBindingInForce(ctx state.Context, p *model.Participant) error {
	rules, err := market.Get(ctx)
	if err != nil {
		return err
	}
	return requireBindingInForce(ctx, rules, p)
}

// Caller resolves the transaction's creator to its participant record. An
// identity that is not registered, or is not ACTIVE, is refused, and so is
// a certificate not in force (market.CAs.InForce): it, or a CA certificate
// of its chain as the market rules in force list its org's, expired or not
// yet valid by the transaction time or the endorsing peer's clock.
//
// The identity index is trusted only as far as it matches: the record it
// points to must be of the caller's MSP (which the channel's MSP checked)
// and of the caller's certificate identity, so that an index entry written
// by other orgs cannot bind the caller to someone else's participant; and
// the certificate must be of the key the record binds (requireBoundKey), so
// that a certificate issued with the participant's subject over another key
// acts for nobody; nor, once reinstated, does the key a suspension withdrew
// (requireKeyInForce). The
// market rules in force then decide the participant's region (the region
// its org is bound to) and whether its regulator role counts (only where the
// rules name it): the record returned carries the effective region and
// roles.
func Caller(ctx state.Context) (*model.Participant, error) { return CallerReading(ctx) }

// CallerWithRules is Caller that also returns the market rules in force,
// which resolving the caller reads anyway: a function that checks its
// arguments against the rules (the regions) costs no read of its own.
func CallerWithRules(ctx state.Context, reads ...*state.Read) (*model.Participant, *model.Rules, error) {
	return resolve(ctx, reads...)
}

// CallerReading is Caller that also reads reads, keys independent of the
// caller, in its first request to the peer (with the identity entry and the
// market rules): a transaction's own first reads then cost no round trip of
// their own on each endorsing peer. They are read whatever the outcome; a
// refused caller learns nothing of them.
func CallerReading(ctx state.Context, reads ...*state.Read) (*model.Participant, error) {
	p, _, err := resolve(ctx, reads...)
	return p, err
}

// CallerWithPageSize parses a list function's pageSize (state.PageSize)
// and then resolves its caller (Caller): how a list that answers registered
// participants only begins. A bad pageSize is refused before the caller is
// resolved, so the refusal does not depend on who asks.
func CallerWithPageSize(ctx state.Context, pageSize string) (*model.Participant, int32, error) {
	size, err := state.PageSize(pageSize)
	if err != nil {
		return nil, 0, err
	}
	p, err := Caller(ctx)
	if err != nil {
		return nil, 0, err
	}
	return p, size, nil
}

// resolve is CallerReading, returning the rules it read too.
func resolve(ctx state.Context, reads ...*state.Read) (*model.Participant, *model.Rules, error) {
	cid := ctx.GetClientIdentity()
	msp, err := cid.GetMSPID()
	if err != nil {
		return nil, nil, ledgererr.Internalf(err, "reading the caller's MSP ID")
	}
	cert, err := cid.GetX509Certificate()
	if err != nil || cert == nil {
		return nil, nil, ledgererr.Forbiddenf("caller has no X.509 identity")
	}
	identity := IdentityOf(cert)
	// The identity index entry, the market rules, the CA certificates of the
	// caller's org and the caller's reads do not depend on each other: one
	// request to the peer reads them all.
	key, err := identityIndexKey(ctx, msp, identity)
	if err != nil {
		return nil, nil, err
	}
	var id string
	entry := state.Read{Key: key, Into: &id}
	rulesRead, err := market.NewRead(ctx)
	if err != nil {
		return nil, nil, err
	}
	casRead, err := market.NewCAsRead(ctx, msp)
	if err != nil {
		return nil, nil, err
	}
	if err := state.GetAll(ctx, append([]*state.Read{&entry, &rulesRead.Read, &casRead.Read}, reads...)...); err != nil {
		return nil, nil, err
	}
	if !entry.Found {
		return nil, nil, ledgererr.Forbiddenf("caller %s of %s is not a registered participant", cert.Subject.CommonName, msp)
	}
	p, reg, err := getRegistered(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if p.MSPID != msp || p.Identity != identity {
		return nil, nil, ledgererr.Forbiddenf("caller %s of %s is not a registered participant: the identity index names participant %q, which is another identity", cert.Subject.CommonName, msp, id)
	}
	if err := requireBoundKey(p, cert); err != nil {
		return nil, nil, err
	}
	switch p.Status {
	case model.ParticipantActive:
	case model.ParticipantSuspended:
		return nil, nil, ledgererr.Forbiddenf("participant %q is suspended: %s", p.ID, p.StatusReason)
	default:
		return nil, nil, ledgererr.Forbiddenf("participant %q is %s: %s", p.ID, p.Status, p.StatusReason)
	}
	if err := requireKeyInForce(p); err != nil {
		return nil, nil, err
	}
	if err := applyCertificate(p, reg, cert); err != nil {
		return nil, nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, nil, err
	}
	cas, err := casRead.CAs()
	if err != nil {
		return nil, nil, err
	}
	if err := cas.InForce(cert, now); err != nil {
		return nil, nil, ledgererr.Forbiddenf("participant %q presents a certificate not in force: %v", p.ID, err)
	}
	rules, err := rulesRead.Rules()
	if err != nil {
		return nil, nil, err
	}
	if err := applyRules(p, rules); err != nil {
		return nil, nil, err
	}
	if err := requireBindingInForce(ctx, rules, p); err != nil {
		return nil, nil, err
	}
	return p, rules, nil
}

// applyCertificate holds a participant to the certificate it presents: it must certify the participant's
// enterprise, and the participant acts only in roles it certifies. A re-enrolled certificate keeps the identity
// (and acts once its key is bound), so it is the CA's current word on the enterprise that counts, not the
// registration's. Whether the participant acts for an enterprise at all is the certificate's word too, not its
// record's (model.Participant.Certified): the record is its org's alone to rewrite, and an org that cleared its
// member's certifiedRoles escaped every check of the enterprise's binding (requireBindingInForce), its member
// acting again as buyer or holder for an enterprise the majority had released from the org or bound elsewhere. So
// a record registered for an enterprise (reg, from 16.0.0) is held to it (asRegistered); one that says it is not
// certified is held as certified when its certificate certifies its enterprise (one that certifies another is
// refused), and one whose certificate certifies none acts as staff, in model.StaffRoles only: Register and SetRoles
// give a member no other.
func applyCertificate(p *model.Participant, reg *registration, cert *x509.Certificate) error {
	certified, ok := certifiedRoles(p, cert)
	switch {
	case ok:
		if !p.Certified() {
			p.CertifiedRoles = certified
		}
	case p.Certified() || reg != nil || certifiesAny(cert):
		return ledgererr.Forbiddenf("participant %q acts for enterprise %s, which the caller's certificate does not certify (%s)", p.ID, p.USCC, model.AttrUSCC)
	default:
		certified = model.StaffRoles
	}
	p.Roles = slices.DeleteFunc(slices.Clone(p.Roles), func(r string) bool { return !slices.Contains(certified, r) })
	return nil
}

// applyRules sets what the market rules decide about a participant: the
// region of its org, and its regulator role only where the rules name it
// (model.Rules.Place, which the gateway's event stream applies as well).
func applyRules(p *model.Participant, rules *model.Rules) error {
	if _, err := orgOf(rules, p.MSPID); err != nil {
		return err
	}
	if err := notReleased(rules, p.USCC, p.MSPID); err != nil {
		return err
	}
	rules.Place(p)
	return nil
}

// notReleased refuses an enterprise the market rules release from org msp (model.Rules.Released): its
// participants there do not act for it, and the org registers it no more.
func notReleased(rules *model.Rules, uscc, msp string) error {
	if rules.Releases(uscc, msp) {
		return ledgererr.Forbiddenf("the market rules release enterprise %s from %s: a majority of the orgs decided (market:Approve, market:Apply), and its participants there act for it no more", uscc, msp)
	}
	return nil
}

// RegionNow returns the region the market rules in force bind org msp to:
// the region caller resolution places the org's members in (applyRules), and
// so "the region of a participant of msp" wherever that decides who may read
// or act. A participant record's Region is the region its org had when it
// was registered, which a majority moving the org (market:Apply) leaves
// behind; it is "" for an org the rules no longer name, which is no region's
// exchange.
func RegionNow(ctx state.Context, msp string) (string, error) {
	regionOf, err := RegionsNow(ctx)
	if err != nil {
		return "", err
	}
	return regionOf(msp), nil
}

// RegionsNow is RegionNow for many orgs at the cost of one read of the
// rules: it returns the function from an org's MSP ID to its region now.
func RegionsNow(ctx state.Context) (func(msp string) string, error) {
	rules, err := market.Get(ctx)
	if err != nil {
		return nil, err
	}
	return rules.OrgRegion, nil
}

// OrgsOf reads, in one request, the participants ids name (sorted, without
// repeats or empty IDs) and returns the org of each: "" for an ID that
// names none.
func OrgsOf(ctx state.Context, ids []string) (func(id string) string, error) {
	byID, err := ByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	return func(id string) string {
		if p := byID(id); p != nil {
			return p.MSPID
		}
		return ""
	}, nil
}

// ByID reads, in one request, the participants ids name (without repeats
// or empty IDs) and returns the record of each: nil for an ID that names
// none, or whose record is bytes that are no participant of that ID
// (participantIn), which its org alone may have written. Failing on those
// (INTERNAL) let that org fail for good every step that moves its member's
// open trades on (trades' syncOpen: the seller's Reject, anyone's Expire, a
// sale's CloseOthers of every other buyer's order on the listing) and every
// read of many that named the member (a list's buyers, an asset's trades'
// parties).
func ByID(ctx state.Context, ids []string) (func(id string) *model.Participant, error) {
	reads, err := state.ReadsOf(ctx, keyParticipant, ids)
	if err != nil {
		return nil, err
	}
	if err := state.GetAll(ctx, reads...); err != nil {
		return nil, err
	}
	records := make(map[string]*model.Participant, len(ids))
	for i, id := range ids {
		records[id] = participantIn(reads[i], id)
	}
	return func(id string) *model.Participant { return records[id] }, nil
}

// orgOf is org msp as the market rules hold it: its region and divisions.
// An org the rules do not name (removed by a majority, or never named)
// registers and places no one, and its members do not act.
func orgOf(rules *model.Rules, msp string) (*model.MarketOrg, error) {
	org, ok := rules.Org(msp)
	if !ok {
		return nil, ledgererr.Forbiddenf("%s is not one of the orgs of the market rules", msp)
	}
	return org, nil
}

// Actor resolves the caller of a function that changes the ledger. The
// regulator supervises the market and changes nothing in it: a participant
// whose only role is regulator reads everything (a traced credit lookup
// included) but is refused here. Functions that require a role use
// CallerWithRole instead, which the regulator role satisfies only where it
// is named (publishing indices, and a credit objection's answer for an
// agency that can no longer answer).
func Actor(ctx state.Context) (*model.Participant, error) {
	p, _, err := ActorWithRules(ctx)
	return p, err
}

// ActorOn resolves the caller (Actor), then reads the record id that the
// function acts on with get (listings.Get, rights.GetRight, ...): a caller
// who may change nothing is refused before anything is read for it.
func ActorOn[T any](ctx state.Context, get func(state.Context, string) (*T, error), id string) (*model.Participant, *T, error) {
	caller, err := Actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	record, err := get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return caller, record, nil
}

// ActorWithRules is Actor that also returns the market rules in force, as
// CallerWithRules does.
func ActorWithRules(ctx state.Context) (*model.Participant, *model.Rules, error) {
	p, rules, err := resolve(ctx)
	if err != nil {
		return nil, nil, err
	}
	if len(p.Roles) == 0 {
		return nil, nil, ledgererr.Forbiddenf("participant %q holds no role the market rules recognise", p.ID)
	}
	if len(p.Roles) == 1 && p.Roles[0] == model.RoleRegulator {
		return nil, nil, ledgererr.Forbiddenf("participant %q is a regulator: the regulator reads the ledger and changes nothing", p.ID)
	}
	return p, rules, nil
}

// CallerWithRole resolves the caller and requires one of the roles.
func CallerWithRole(ctx state.Context, roles ...string) (*model.Participant, error) {
	return CallerWithRoleReading(ctx, nil, roles...)
}

// CallerWithRoleReading is CallerWithRole that reads reads alongside, as
// CallerReading does.
func CallerWithRoleReading(ctx state.Context, reads []*state.Read, roles ...string) (*model.Participant, error) {
	p, _, err := CallerWithRoleAndRules(ctx, reads, roles...)
	return p, err
}

// CallerWithRoleAndRules is CallerWithRoleReading that also returns the
// market rules in force, as CallerWithRules does.
func CallerWithRoleAndRules(ctx state.Context, reads []*state.Read, roles ...string) (*model.Participant, *model.Rules, error) {
	p, rules, err := resolve(ctx, reads...)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range roles {
		if p.HasRole(r) {
			return p, rules, nil
		}
	}
	return nil, nil, ledgererr.Forbiddenf("participant %q holds none of the roles %v needed here", p.ID, roles)
}

// identityIndexKey is the key of the identity index entry of an identity of
// org msp: a point key, so resolving a caller costs one read.
func identityIndexKey(ctx state.Context, msp, identity string) (string, error) {
	return state.Key(ctx, keyIdentity, msp, identityKey(identity))
}

// participantOf looks up the participant ID an identity is registered as.
func participantOf(ctx state.Context, msp, identity string) (string, bool, error) {
	key, err := identityIndexKey(ctx, msp, identity)
	if err != nil {
		return "", false, err
	}
	var id string
	found, err := state.Get(ctx, key, &id)
	return id, found, err
}

// ByUSCC lists the IDs of the participants that act, or acted, for an
// enterprise, in every org.
func ByUSCC(ctx state.Context, uscc string) ([]string, error) {
	return state.CollectIDs(ctx, idxUSCC, []string{uscc})
}

// GetEnterprise reads the binding of an enterprise to its org, if it has one
// in force under the market rules in force (bindingIn).
func GetEnterprise(ctx state.Context, uscc string) (*model.Enterprise, bool, error) {
	rules, err := market.Get(ctx)
	if err != nil {
		return nil, false, err
	}
	return bindingIn(ctx, rules, uscc)
}

// registeredEnterprise is bindingIn for a function that answers with the
// enterprise: one that no org holds, or whose binding is void, is NOT_FOUND.
func registeredEnterprise(ctx state.Context, rules *model.Rules, uscc string) (*model.Enterprise, error) {
	e, found, err := bindingIn(ctx, rules, uscc)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, notRegistered(uscc)
	}
	return e, nil
}

// notRegistered is the refusal of an enterprise that no org holds.
func notRegistered(uscc string) error {
	return ledgererr.NotFoundf("enterprise %s is not registered in any org", uscc)
}

// put writes a participant and keeps its role index in step with oldRoles,
// the roles it had before (nil for a new participant).
func put(ctx state.Context, p *model.Participant, oldRoles []string) error {
	key, err := state.Key(ctx, keyParticipant, p.ID)
	if err != nil {
		return err
	}
	// The participant's record belongs to its org: only that org's peers may
	// endorse a change to it.
	if err := state.PutOwned(ctx, key, p, p.MSPID); err != nil {
		return err
	}
	for _, r := range oldRoles {
		if !slices.Contains(p.Roles, r) {
			if err := state.DelIndex(ctx, idxOrgRole, p.MSPID, r, p.ID); err != nil {
				return err
			}
		}
	}
	for _, r := range p.Roles {
		if !slices.Contains(oldRoles, r) {
			if err := putOwnedIndex(ctx, p.MSPID, idxOrgRole, p.MSPID, r, p.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// putOwnedIndex writes an index entry under the key-level policy of org msp,
// the org of the record it points to.
func putOwnedIndex(ctx state.Context, msp, objectType string, attrs ...string) error {
	if err := state.PutIndex(ctx, objectType, attrs...); err != nil {
		return err
	}
	key, err := state.Key(ctx, objectType, attrs...)
	if err != nil {
		return err
	}
	return state.RequireOrgs(ctx, key, msp)
}
