package participants

import (
	"slices"

	"github.com/deltaledger/deltaledger/chaincode/internal/ledger"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Key types of the registry.
const (
	keyParticipant = "participant"
	keyOrg         = "org"
	keyIdentity    = "participant~identity" // mspId, identity hash -> id
	idxOrgRole     = "participant~org"      // mspId, role, id  (role "*" lists all)
	idxUSCC        = "participant~uscc"     // uscc, id
	allRoles       = "*"
)

// Get reads a participant by ID.
func Get(ctx ledger.Context, id string) (*model.Participant, error) {
	key, err := ledger.Key(ctx, keyParticipant, id)
	if err != nil {
		return nil, err
	}
	var p model.Participant
	found, err := ledger.Get(ctx, key, &p)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, ledgererr.NotFoundf("participant %q does not exist", id)
	}
	return &p, nil
}

// GetActive reads a participant and refuses one that is suspended.
func GetActive(ctx ledger.Context, id string) (*model.Participant, error) {
	p, err := Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Status != model.ParticipantActive {
		return nil, ledgererr.Conflictf("participant %q is suspended", id)
	}
	return p, nil
}

// Caller resolves the transaction's creator to its participant record. An
// identity that is not registered, or is suspended, is refused.
func Caller(ctx ledger.Context) (*model.Participant, error) {
	cid := ctx.GetClientIdentity()
	msp, err := cid.GetMSPID()
	if err != nil {
		return nil, ledgererr.Internalf(err, "reading the caller's MSP ID")
	}
	cert, err := cid.GetX509Certificate()
	if err != nil || cert == nil {
		return nil, ledgererr.Forbiddenf("caller has no X.509 identity")
	}
	id, found, err := participantOf(ctx, msp, IdentityOf(cert))
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, ledgererr.Forbiddenf("caller %s of %s is not a registered participant", cert.Subject.CommonName, msp)
	}
	p, err := Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Status != model.ParticipantActive {
		return nil, ledgererr.Forbiddenf("participant %q is suspended: %s", p.ID, p.StatusReason)
	}
	return p, nil
}

// Actor resolves the caller of a function that changes the ledger. The
// regulator supervises the market and changes nothing in it: a participant
// whose only role is regulator reads everything (a traced credit lookup
// included) but is refused here. Functions that require a role use
// CallerWithRole instead, which the regulator role never satisfies.
func Actor(ctx ledger.Context) (*model.Participant, error) {
	p, err := Caller(ctx)
	if err != nil {
		return nil, err
	}
	if len(p.Roles) == 1 && p.Roles[0] == model.RoleRegulator {
		return nil, ledgererr.Forbiddenf("participant %q is a regulator: the regulator reads the ledger and changes nothing", p.ID)
	}
	return p, nil
}

// CallerWithRole resolves the caller and requires one of the roles.
func CallerWithRole(ctx ledger.Context, roles ...string) (*model.Participant, error) {
	p, err := Caller(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range roles {
		if p.HasRole(r) {
			return p, nil
		}
	}
	return nil, ledgererr.Forbiddenf("participant %q holds none of the roles %v needed here", p.ID, roles)
}

// participantOf looks up the participant ID an identity is registered as.
// The identity index is a point key, so resolving a caller costs one read.
func participantOf(ctx ledger.Context, msp, identity string) (string, bool, error) {
	key, err := ledger.Key(ctx, keyIdentity, msp, identityKey(identity))
	if err != nil {
		return "", false, err
	}
	var id string
	found, err := ledger.Get(ctx, key, &id)
	return id, found, err
}

// ByUSCC lists the IDs of the participants that act for an enterprise.
func ByUSCC(ctx ledger.Context, uscc string) ([]string, error) {
	rows, err := ledger.Collect(ctx, idxUSCC, []string{uscc})
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r[0])
	}
	return ids, nil
}

// OrgRegion returns the region an MSP was bound to by its first registration.
func OrgRegion(ctx ledger.Context, msp string) (string, bool, error) {
	key, err := ledger.Key(ctx, keyOrg, msp)
	if err != nil {
		return "", false, err
	}
	var o Org
	found, err := ledger.Get(ctx, key, &o)
	return o.Region, found, err
}

// put writes a participant and keeps its role index in step with oldRoles,
// the roles it had before (nil for a new participant).
func put(ctx ledger.Context, p *model.Participant, oldRoles []string) error {
	key, err := ledger.Key(ctx, keyParticipant, p.ID)
	if err != nil {
		return err
	}
	if err := ledger.Put(ctx, key, p); err != nil {
		return err
	}
	for _, r := range oldRoles {
		if !slices.Contains(p.Roles, r) {
			if err := ledger.DelIndex(ctx, idxOrgRole, p.MSPID, r, p.ID); err != nil {
				return err
			}
		}
	}
	for _, r := range p.Roles {
		if !slices.Contains(oldRoles, r) {
			if err := ledger.PutIndex(ctx, idxOrgRole, p.MSPID, r, p.ID); err != nil {
				return err
			}
		}
	}
	// The participant's record belongs to its org: only that org's peers may
	// endorse a change to it.
	return ledger.RequireOrgs(ctx, key, p.MSPID)
}
