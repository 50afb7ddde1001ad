package participants

import (
	"crypto/x509"
	"encoding/pem"
	"slices"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/domain"
	"github.com/deltaledger/deltaledger/chaincode/internal/ledger"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Contract is the participant registry, named "participants" on the channel.
type Contract struct {
	contractapi.Contract
}

// New returns the participants contract.
func New() *Contract {
	c := &Contract{}
	ledger.Describe(&c.Contract, model.ParticipantsContract)
	return c
}

// GetEvaluateTransactions tags the read-only functions, which clients
// evaluate rather than submit (pagination works only there).
func (c *Contract) GetEvaluateTransactions() []string {
	return model.ParticipantsContract.Evaluated()
}

// requireOrgAdmin refuses callers that are not an admin of their MSP. Admins
// are recognised by Fabric's NodeOU classification of their certificate.
func requireOrgAdmin(ctx ledger.Context) (string, error) {
	cid := ctx.GetClientIdentity()
	msp, err := cid.GetMSPID()
	if err != nil {
		return "", ledgererr.Internalf(err, "reading the caller's MSP ID")
	}
	cert, err := cid.GetX509Certificate()
	if err != nil || cert == nil || !slices.Contains(cert.Subject.OrganizationalUnit, "admin") {
		return "", ledgererr.Forbiddenf("only an admin of %s may manage its participants", msp)
	}
	return msp, nil
}

// Register adds a member of the caller's own org. certificatePem is the
// member's X.509 certificate; roles is a comma-separated set of operator,
// holder, buyer, agency, regulator. The first registration of an org binds it
// to region; later ones must name the same region.
func (c *Contract) Register(ctx contractapi.TransactionContextInterface, id, certificatePem, roles, uscc, name, region string) (*model.Participant, error) {
	msp, err := requireOrgAdmin(ctx)
	if err != nil {
		return nil, err
	}
	if err := validate.ID("id", id); err != nil {
		return nil, err
	}
	block, _ := pem.Decode([]byte(certificatePem))
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, ledgererr.Invalid("certificatePem", "must be a PEM-encoded X.509 CERTIFICATE block")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, ledgererr.Invalid("certificatePem", "is not a valid X.509 certificate: %v", err)
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
	if err := domain.ValidateRegion("region", region); err != nil {
		return nil, err
	}
	bound, found, err := OrgRegion(ctx, msp)
	if err != nil {
		return nil, err
	}
	if found && bound != region {
		return nil, ledgererr.Invalid("region", "must be %q, the region of %s", bound, msp)
	}

	key, err := ledger.Key(ctx, keyParticipant, id)
	if err != nil {
		return nil, err
	}
	if exists, err := ledger.Exists(ctx, key); err != nil {
		return nil, err
	} else if exists {
		return nil, ledgererr.Conflictf("participant %q already exists", id)
	}
	identity := IdentityOf(cert)
	if taken, found, err := participantOf(ctx, msp, identity); err != nil {
		return nil, err
	} else if found {
		return nil, ledgererr.Conflictf("this certificate's identity is already registered as participant %q", taken)
	}

	now, err := ledger.Now(ctx)
	if err != nil {
		return nil, err
	}
	p := &model.Participant{
		ID: id, MSPID: msp, Identity: identity, Roles: roleSet, USCC: uscc, Name: name, Region: region,
		Status: model.ParticipantActive, RegisteredAt: ledger.Format(now), UpdatedAt: ledger.Format(now),
	}
	if err := put(ctx, p, nil); err != nil {
		return nil, err
	}
	identityIdx, err := ledger.Key(ctx, keyIdentity, msp, identityKey(identity))
	if err != nil {
		return nil, err
	}
	if err := ledger.Put(ctx, identityIdx, id); err != nil {
		return nil, err
	}
	for _, idx := range [][]string{
		{idxOrgRole, msp, allRoles, id},
		{idxUSCC, uscc, id},
	} {
		if err := ledger.PutIndex(ctx, idx[0], idx[1:]...); err != nil {
			return nil, err
		}
	}
	if !found {
		orgKey, err := ledger.Key(ctx, keyOrg, msp)
		if err != nil {
			return nil, err
		}
		if err := ledger.Put(ctx, orgKey, &Org{MSPID: msp, Region: region}); err != nil {
			return nil, err
		}
		if err := ledger.RequireOrgs(ctx, orgKey, msp); err != nil {
			return nil, err
		}
	}
	return p, ledger.Emit(ctx, model.EventParticipantRegistered, model.ParticipantEvent{ParticipantID: id, MSPID: msp})
}

// SetRoles replaces the roles of a member of the caller's org.
func (c *Contract) SetRoles(ctx contractapi.TransactionContextInterface, id, roles string) (*model.Participant, error) {
	p, err := c.ownMember(ctx, id)
	if err != nil {
		return nil, err
	}
	roleSet, err := domain.ParseRoles("roles", roles)
	if err != nil {
		return nil, err
	}
	if slices.Equal(roleSet, p.Roles) {
		return nil, ledgererr.Conflictf("participant %q already holds exactly these roles", id)
	}
	old := p.Roles
	p.Roles = roleSet
	if err := c.update(ctx, p, old); err != nil {
		return nil, err
	}
	return p, ledger.Emit(ctx, model.EventParticipantRolesChanged, model.ParticipantEvent{ParticipantID: id, MSPID: p.MSPID})
}

// Suspend stops a member of the caller's org from acting; reason is recorded.
func (c *Contract) Suspend(ctx contractapi.TransactionContextInterface, id, reason string) (*model.Participant, error) {
	p, err := c.ownMember(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := validate.Text("reason", reason, model.MaxSuspendReasonLength); err != nil {
		return nil, err
	}
	if p.Status == model.ParticipantSuspended {
		return nil, ledgererr.Conflictf("participant %q is already suspended", id)
	}
	p.Status, p.StatusReason = model.ParticipantSuspended, reason
	if err := c.update(ctx, p, p.Roles); err != nil {
		return nil, err
	}
	return p, ledger.Emit(ctx, model.EventParticipantSuspended, model.ParticipantEvent{ParticipantID: id, MSPID: p.MSPID})
}

// Reinstate lets a suspended member of the caller's org act again.
func (c *Contract) Reinstate(ctx contractapi.TransactionContextInterface, id string) (*model.Participant, error) {
	p, err := c.ownMember(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Status == model.ParticipantActive {
		return nil, ledgererr.Conflictf("participant %q is not suspended", id)
	}
	p.Status, p.StatusReason = model.ParticipantActive, ""
	if err := c.update(ctx, p, p.Roles); err != nil {
		return nil, err
	}
	return p, ledger.Emit(ctx, model.EventParticipantReinstated, model.ParticipantEvent{ParticipantID: id, MSPID: p.MSPID})
}

// Get returns a participant. Registry entries are public market information.
func (c *Contract) Get(ctx contractapi.TransactionContextInterface, id string) (*model.Participant, error) {
	if err := validate.ID("id", id); err != nil {
		return nil, err
	}
	return Get(ctx, id)
}

// WhoAmI returns the caller's own participant record.
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
	size, err := ledger.PageSize(pageSize)
	if err != nil {
		return nil, err
	}
	rows, next, err := ledger.IndexPage(ctx, idxOrgRole, []string{mspId, filter}, size, bookmark)
	if err != nil {
		return nil, err
	}
	page := &model.ParticipantPage{Items: []*model.Participant{}, Bookmark: next}
	for _, r := range rows {
		p, err := Get(ctx, r[0])
		if err != nil {
			return nil, err
		}
		page.Items = append(page.Items, p)
	}
	return page, nil
}

// ownMember checks that the caller is an admin of the org of participant id.
func (c *Contract) ownMember(ctx ledger.Context, id string) (*model.Participant, error) {
	msp, err := requireOrgAdmin(ctx)
	if err != nil {
		return nil, err
	}
	if err := validate.ID("id", id); err != nil {
		return nil, err
	}
	p, err := Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.MSPID != msp {
		return nil, ledgererr.Forbiddenf("participant %q belongs to %s; an admin of %s cannot change it", id, p.MSPID, msp)
	}
	return p, nil
}

func (c *Contract) update(ctx ledger.Context, p *model.Participant, oldRoles []string) error {
	now, err := ledger.Now(ctx)
	if err != nil {
		return err
	}
	p.UpdatedAt = ledger.Format(now)
	return put(ctx, p, oldRoles)
}
