package participants

import (
	"slices"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/domain"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Contract is the participant registry, named "participants" on the channel.
type Contract struct {
	state.Contract
}

// New returns the participants contract.
func New() *Contract {
	return &Contract{Contract: state.Declare(model.ParticipantsContract)}
}

// Register adds a member of the caller's own org; the caller must be an
// admin of that org. certificatePem is the member's X.509 certificate, which
// must chain to a CA certificate of the caller's org as the market rules
// hold them (the channel's MSP definition of the org), and be in force, it
// and every CA certificate of its chain, at the transaction time and by the
// endorsing peer's clock (market.CAs.InForce).
// roles is a comma-separated set of operator, holder,
// buyer, agency, regulator; regulator only for a participant the market
// rules name a regulator, and an ID the rules name a regulator of another
// org is not the caller's to register. uscc is the enterprise the member acts
// for: an enterprise is one identity on the ledger, so a USCC a certified
// member registered in another org is refused (CONFLICT) until that org
// releases it (ReleaseEnterprise).
// region must be the region the market rules bind the caller's org to.
// An admin's certificate (OU model.AdminOU) is refused: admins are no
// participants. The participant is bound to the certificate's public key
// (model.Participant.KeySHA256): it acts only with a certificate of that key
// until another is bound (RotateKey, RebindKey).
//
// Who the member is comes from its certificate, not from the admin: when the
// certificate certifies an enterprise (the Fabric CA attributes of
// onboarding, model.AttrUSCC, AttrRoles, AttrLegalName), uscc and name must
// be the certified ones and roles a subset of the certified roles, and the
// participant is placed in the division it certifies (model.AttrDivision),
// which must be a city or county-level division of the region; a
// certificate that certifies none is staff's, and holds only the staff roles
// (operator, regulator). Staff's USCC is their org's word and binds no
// enterprise; staff are refused a USCC a certified member holds.
func (c *Contract) Register(ctx contractapi.TransactionContextInterface, id, certificatePem, roles, uscc, name, region string) (*model.Participant, error) {
	admin, err := market.RequireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	msp := admin.MSPID
	if err := validate.ID("id", id); err != nil {
		return nil, err
	}
	cert, err := parseMemberCertificate("certificatePem", certificatePem)
	if err != nil {
		return nil, err
	}
	roleSet, err := domain.ParseRoles("roles", roles)
	if err != nil {
		return nil, err
	}
	if err := validate.USCC("uscc", uscc); err != nil {
		return nil, err
	}
	if err := validate.Text("name", name, model.MaxParticipantNameLength); err != nil {
		return nil, err
	}
	rules, err := market.Get(ctx)
	if err != nil {
		return nil, err
	}
	org, err := orgOf(rules, msp)
	if err != nil {
		return nil, err
	}
	if err := domain.ValidateRegion("region", region, rules); err != nil {
		return nil, err
	}
	if region != org.Region {
		return nil, ledgererr.Invalid("region", "must be %q: the market rules bind %s to region %q", org.Region, msp, org.Region)
	}
	if err := notReleased(rules, uscc, msp); err != nil {
		return nil, err
	}
	// Participant IDs are one namespace: the ID of another org's regulator is not this org's to take.
	for _, g := range rules.Regulators {
		if g.ParticipantID == id && g.MSPID != msp {
			return nil, ledgererr.Forbiddenf("the market rules name %q a regulator of %s; an admin of %s cannot register it", id, g.MSPID, msp)
		}
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkIssued("certificatePem", admin.CAs, msp, cert, now); err != nil {
		return nil, err
	}
	// Before the certificate's claims, so that registering again (the demo seeder on a running network) is a CONFLICT.
	if _, err := state.NewKey(ctx, func() error {
		return ledgererr.Conflictf("participant %q already exists", id)
	}, keyParticipant, id); err != nil {
		return nil, err
	}
	enterprise, isCertified, err := certifiedOf("certificatePem", cert)
	if err != nil {
		return nil, err
	}
	if isCertified {
		if uscc != enterprise.uscc {
			return nil, ledgererr.Invalid("uscc", "must be %s, the USCC the member's certificate certifies (%s)", enterprise.uscc, model.AttrUSCC)
		}
		if enterprise.name != "" && name != enterprise.name {
			return nil, ledgererr.Invalid("name", "must be %q, the legal name the member's certificate certifies (%s)", enterprise.name, model.AttrLegalName)
		}
		// The org's CA certifies what the onboarding operator said; the ledger holds every region to its own
		// divisions all the same (the registrar of one region's CA cannot place a member in another province).
		if enterprise.hasDivision {
			if err := model.CheckDivision(rules, enterprise.division, region); err != nil {
				return nil, ledgererr.Invalid("certificatePem", "certifies %s %q, which it may not: %v", model.AttrDivision, enterprise.division, err)
			}
		}
	}
	if err := permitRoles("roles", roleSet, enterprise.roles); err != nil {
		return nil, err
	}
	if slices.Contains(roleSet, model.RoleRegulator) && !rules.IsRegulator(msp, id) {
		return nil, ledgererr.Forbiddenf("the market rules name no regulator %q of %s: a majority of the orgs names regulators (market:Approve, market:Apply)", id, msp)
	}

	identity := IdentityOf(cert)
	if taken, found, err := participantOf(ctx, msp, identity); err != nil {
		return nil, err
	} else if found {
		return nil, ledgererr.Conflictf("this certificate's identity is already registered as participant %q", taken)
	}
	e, bound, gen, err := bindingAndGeneration(ctx, rules, uscc)
	if err != nil {
		return nil, err
	}
	// Only a certificate that certifies an enterprise binds its USCC to an org. Staff's USCC is what their own org
	// declares, which no certificate vouches for: were it to bind, an org could register staff under another
	// region's enterprise and so keep that enterprise from ever registering where it is. A binding staff made
	// (before staff stopped binding) still stands in its org's way until released, but in no other staff's way.
	if bound && (e.Certified || isCertified) {
		switch {
		case e.MSPID != msp:
			return nil, ledgererr.Conflictf("enterprise %s is registered in %s (region %s): an enterprise is one identity on the ledger, so %s must release it (participants:ReleaseEnterprise) before %s registers it",
				uscc, e.MSPID, e.Region, e.MSPID, msp)
		case !isCertified:
			return nil, ledgererr.Conflictf("enterprise %s is certified in its members' certificates (%s); this certificate certifies no enterprise and cannot act for it", uscc, model.AttrUSCC)
		case !e.Certified:
			return nil, ledgererr.Conflictf("enterprise %s is registered for staff whose certificates certify no enterprise; its certified members join only after %s releases it (participants:ReleaseEnterprise)", uscc, e.MSPID)
		}
	}

	at := state.Format(now)
	p := &model.Participant{
		ID: id, MSPID: msp, Identity: identity, Roles: roleSet, USCC: uscc, Name: name, Region: region, Division: enterprise.division,
		CertifiedRoles: enterprise.roles, Status: model.ParticipantActive, RegisteredAt: at, UpdatedAt: at,
		KeySHA256: model.KeyDigest(cert), KeyBoundAt: at,
	}
	if err := put(ctx, p, nil); err != nil {
		return nil, err
	}
	identityIdx, err := state.Key(ctx, keyIdentity, msp, identityKey(identity))
	if err != nil {
		return nil, err
	}
	if err := state.PutOwned(ctx, identityIdx, id, msp); err != nil {
		return nil, err
	}
	if err := putOwnedIndex(ctx, msp, idxOrgRole, msp, allRoles, id); err != nil {
		return nil, err
	}
	if err := putOwnedIndex(ctx, msp, idxUSCC, uscc, id); err != nil {
		return nil, err
	}
	if isCertified {
		// Under the chaincode-level policy, which no org meets alone: the record is the org's (registration).
		key, err := state.Key(ctx, keyRegistered, id)
		if err != nil {
			return nil, err
		}
		if err := state.Put(ctx, key, &registration{USCC: uscc, MSPID: msp}); err != nil {
			return nil, err
		}
	}
	if isCertified && !bound {
		// The org's own key (bindingIn): the chaincode-level policy endorses its creation, its own peers alone
		// any change after. The enterprise's next generation, naming this org, puts it after every binding
		// stored before, whatever they say (bindingAndGeneration).
		if err := putBinding(ctx, &storedBinding{Enterprise: model.Enterprise{USCC: uscc, MSPID: msp, Region: region, RegisteredAt: at, Certified: true}}, gen+1); err != nil {
			return nil, err
		}
	}
	return p, state.Emit(ctx, model.EventParticipantRegistered, participantEvent(p))
}

// ReleaseEnterprise is the first step of moving an enterprise to another
// region: an admin of the org that holds the enterprise releases it, for the
// reason given. Every participant of the org acting for it becomes RELEASED
// (it never acts again, and its certificate's identity is free), and the
// enterprise's binding to the org is deleted (kept, marked released, while
// another org's binding is stored too: see storedBinding); then an admin of the new
// region's org registers the enterprise's members there. What the
// enterprise held under its old participant IDs stays recorded under them:
// transfer holdings and delist before releasing. Credit records, being about
// the USCC, follow the enterprise; its credit authorisations do not, being its
// old participants' word, which the new org's members give anew.
func (c *Contract) ReleaseEnterprise(ctx contractapi.TransactionContextInterface, uscc, reason string) (*model.Release, error) {
	admin, err := market.RequireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	if err := validate.USCC("uscc", uscc); err != nil {
		return nil, err
	}
	if err := validate.Text("reason", reason, model.MaxSuspendReasonLength); err != nil {
		return nil, err
	}
	// The org releases its own binding, void or not (an org the rules no longer name may still release what it
	// held), and no other org's.
	stored, err := storedBindings(ctx, uscc)
	if err != nil {
		return nil, err
	}
	all := slices.DeleteFunc(stored, func(b binding) bool { return b.ReleasedAt != "" })
	others := slices.DeleteFunc(slices.Clone(all), func(b binding) bool { return b.MSPID == admin.MSPID })
	if len(all) == 0 {
		return nil, notRegistered(uscc)
	}
	if len(others) == len(all) {
		return nil, ledgererr.Forbiddenf("enterprise %s is registered in %s; an admin of %s cannot release it", uscc, latest(others).MSPID, admin.MSPID)
	}
	e := &model.Enterprise{USCC: uscc, MSPID: admin.MSPID}
	ids, err := ByUSCC(ctx, uscc)
	if err != nil {
		return nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	rel := &model.Release{USCC: uscc, MSPID: e.MSPID, ParticipantIDs: []string{}, Reason: reason, ReleasedAt: state.Format(now)}
	for _, id := range ids {
		p, err := Get(ctx, id)
		if err != nil {
			return nil, err
		}
		if p.USCC != uscc {
			continue // an entry planted by orgs running chaincode of their own: new keys carry no policy of theirs
		}
		if p.MSPID != e.MSPID || p.Status == model.ParticipantReleased {
			continue // acted for it in another org before, and was released there
		}
		p.Status, p.StatusReason, p.UpdatedAt = model.ParticipantReleased, reason, state.Format(now)
		if err := put(ctx, p, p.Roles); err != nil {
			return nil, err
		}
		identityIdx, err := state.Key(ctx, keyIdentity, p.MSPID, identityKey(p.Identity))
		if err != nil {
			return nil, err
		}
		if err := ctx.GetStub().DelState(identityIdx); err != nil {
			return nil, ledgererr.Internalf(err, "deleting the identity of participant %q", id)
		}
		rel.ParticipantIDs = append(rel.ParticipantIDs, id)
	}
	for _, b := range all {
		if b.MSPID != admin.MSPID {
			continue
		}
		// Another org's binding, void now (its org removed and named again, say), would come into force again the
		// moment this one went: the released binding stays, marked, in front of it (bindingIn).
		if len(others) > 0 {
			b.ReleasedAt = rel.ReleasedAt
			if err := state.PutOwned(ctx, b.key, b.storedBinding, admin.MSPID); err != nil {
				return nil, err
			}
			continue
		}
		if err := ctx.GetStub().DelState(b.key); err != nil {
			return nil, ledgererr.Internalf(err, "deleting enterprise %s", uscc)
		}
	}
	return rel, state.Emit(ctx, model.EventEnterpriseReleased, model.ReleaseEvent{USCC: uscc, MSPID: e.MSPID, ParticipantIDs: rel.ParticipantIDs})
}

// GetEnterprise returns the org an enterprise is registered in: NOT_FOUND
// when none holds it. Registry entries are public market information.
func (c *Contract) GetEnterprise(ctx contractapi.TransactionContextInterface, uscc string) (*model.Enterprise, error) {
	if err := validate.USCC("uscc", uscc); err != nil {
		return nil, err
	}
	rules, err := market.Get(ctx)
	if err != nil {
		return nil, err
	}
	return registeredEnterprise(ctx, rules, uscc)
}

// SetRoles replaces the roles of a member of the caller's org.
func (c *Contract) SetRoles(ctx contractapi.TransactionContextInterface, id, roles string) (*model.Participant, error) {
	p, err := c.ownUnreleasedMember(ctx, id)
	if err != nil {
		return nil, err
	}
	roleSet, err := domain.ParseRoles("roles", roles)
	if err != nil {
		return nil, err
	}
	if slices.Contains(roleSet, model.RoleRegulator) {
		rules, err := market.Get(ctx)
		if err != nil {
			return nil, err
		}
		if !rules.IsRegulator(p.MSPID, p.ID) {
			return nil, ledgererr.Forbiddenf("the market rules name no regulator %q of %s: a majority of the orgs names regulators (market:Approve, market:Apply)", id, p.MSPID)
		}
	}
	if err := permitRoles("roles", roleSet, p.CertifiedRoles); err != nil {
		return nil, err
	}
	if slices.Equal(roleSet, p.Roles) {
		return nil, ledgererr.Conflictf("participant %q already holds exactly these roles", id)
	}
	old := p.Roles
	p.Roles = roleSet
	return c.update(ctx, p, old, model.EventParticipantRolesChanged)
}

// SetDivision places a member of the caller's org: division is a city or
// county-level code of the table in package model (GB/T 2260 with the
// statistical functional zones) that the market rules in force give the
// member's region (model.Rules.RegionOf): its org's region in those rules. The assets the
// member applies for from then on count in that division.
func (c *Contract) SetDivision(ctx contractapi.TransactionContextInterface, id, division string) (*model.Participant, error) {
	p, err := c.ownUnreleasedMember(ctx, id)
	if err != nil {
		return nil, err
	}
	rules, err := market.Get(ctx)
	if err != nil {
		return nil, err
	}
	// The member's region is its org's in the rules in force, as caller resolution takes it (applyRules), not the
	// one the record was registered in: a majority may have moved the org, and the old region's divisions are no
	// longer its to place members in.
	org, err := orgOf(rules, p.MSPID)
	if err != nil {
		return nil, err
	}
	if err := model.CheckDivision(rules, division, org.Region); err != nil {
		return nil, ledgererr.Invalid("division", "%v", err)
	}
	if p.Division == division {
		return nil, ledgererr.Conflictf("participant %q is already in division %s", id, division)
	}
	p.Division = division
	return c.update(ctx, p, p.Roles, model.EventParticipantDivisionSet)
}

// Suspend stops a member of the caller's org from acting; reason is recorded. A member whose certificate
// certifies its enterprise has its key withdrawn (model.Participant.KeyWithdrawn): its suspension revokes its
// certificates at its org's CA, which the peers refuse only once the CRL is in the channel, so reinstated it acts
// again only with a new certificate, whose key its admin binds (RebindKey).
func (c *Contract) Suspend(ctx contractapi.TransactionContextInterface, id, reason string) (*model.Participant, error) {
	p, err := c.ownMember(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := validate.Text("reason", reason, model.MaxSuspendReasonLength); err != nil {
		return nil, err
	}
	if p.Status != model.ParticipantActive {
		return nil, ledgererr.Conflictf("participant %q is %s, not ACTIVE", id, p.Status)
	}
	p.Status, p.StatusReason = model.ParticipantSuspended, reason
	p.KeyWithdrawn = p.Certified()
	return c.update(ctx, p, p.Roles, model.EventParticipantSuspended)
}

// Reinstate lets a suspended member of the caller's org act again.
func (c *Contract) Reinstate(ctx contractapi.TransactionContextInterface, id string) (*model.Participant, error) {
	p, err := c.ownMember(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Status != model.ParticipantSuspended {
		return nil, ledgererr.Conflictf("participant %q is %s, not SUSPENDED", id, p.Status)
	}
	p.Status, p.StatusReason = model.ParticipantActive, ""
	return c.update(ctx, p, p.Roles, model.EventParticipantReinstated)
}

// Get returns a participant. Registry entries are public market information.
func (c *Contract) Get(ctx contractapi.TransactionContextInterface, id string) (*model.Participant, error) {
	if err := validate.ID("id", id); err != nil {
		return nil, err
	}
	return Get(ctx, id)
}

// WhoAmI returns the caller's own participant record as the market rules
// in force see it: the region of its org, and the regulator role only where
// the rules name it (Get returns the record as stored).
func (c *Contract) WhoAmI(ctx contractapi.TransactionContextInterface) (*model.Participant, error) {
	return Caller(ctx)
}

// List returns one page of an org's participants, all of them when role is
// empty or those holding role. pageSize is 1 to 100 (default 20); bookmark
// is "" for the first page, then the bookmark the previous page returned.
func (c *Contract) List(ctx contractapi.TransactionContextInterface, mspId, role, pageSize, bookmark string) (*model.ParticipantPage, error) {
	if err := validate.Text("mspId", mspId, model.MaxMSPIDLength); err != nil {
		return nil, err
	}
	filter := allRoles
	if role != "" {
		if err := validate.OneOf("role", role, model.Roles...); err != nil {
			return nil, err
		}
		filter = role
	}
	size, err := state.PageSize(pageSize)
	if err != nil {
		return nil, err
	}
	return state.PageOf[model.ParticipantPage](state.IndexItems(ctx, idxOrgRole, []string{mspId, filter}, size, bookmark, func(row []string) (*model.Participant, error) {
		return Get(ctx, row[0])
	}))
}

// ownMember checks that the caller is an admin of the org of participant id,
// an org of the market rules in force: an org a majority removed keeps
// only ReleaseEnterprise, to let its enterprises go to another region; its
// members' records stay as they were, for the day the rules name it again.
func (c *Contract) ownMember(ctx state.Context, id string) (*model.Participant, error) {
	p, _, err := c.ownMemberBy(ctx, id)
	return p, err
}

// ownMemberBy is ownMember that also returns the admin the caller acts as.
func (c *Contract) ownMemberBy(ctx state.Context, id string) (*model.Participant, *market.Admin, error) {
	admin, err := market.RequireAdmin(ctx)
	if err != nil {
		return nil, nil, err
	}
	msp := admin.MSPID
	rules, err := market.Get(ctx)
	if err != nil {
		return nil, nil, err
	}
	if _, err := orgOf(rules, msp); err != nil {
		return nil, nil, err
	}
	if err := validate.ID("id", id); err != nil {
		return nil, nil, err
	}
	p, err := Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if p.MSPID != msp {
		return nil, nil, ledgererr.Forbiddenf("participant %q belongs to %s; an admin of %s cannot change it", id, p.MSPID, msp)
	}
	return p, admin, nil
}

// ownUnreleasedMember is ownMember for a change that only a participant who
// may act again can take: a RELEASED one's record stays as it was released.
func (c *Contract) ownUnreleasedMember(ctx state.Context, id string) (*model.Participant, error) {
	p, err := c.ownMember(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Status == model.ParticipantReleased {
		return nil, ledgererr.Conflictf("participant %q is RELEASED and never acts again", id)
	}
	return p, nil
}

// update stamps p with the transaction time, writes it (moving its role
// index entries from oldRoles) and emits event about it.
func (c *Contract) update(ctx state.Context, p *model.Participant, oldRoles []string, event string) (*model.Participant, error) {
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	p.UpdatedAt = state.Format(now)
	if err := put(ctx, p, oldRoles); err != nil {
		return nil, err
	}
	return p, state.Emit(ctx, event, participantEvent(p))
}

// participantEvent is the payload of a registry event about p: it names the enterprise p acts for when p's
// certificate certifies it, so that whoever watches the members acting for that enterprise learns of a registration
// that may take their org's binding out of force (requireBindingInForce), which names none of them.
func participantEvent(p *model.Participant) model.ParticipantEvent {
	e := model.ParticipantEvent{ParticipantID: p.ID, MSPID: p.MSPID}
	if p.Certified() {
		e.USCC = p.USCC
	}
	return e
}
