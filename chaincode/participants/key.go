package participants

import (
	"crypto/x509"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A participant is bound to the public key of its certificate (model.Participant.KeySHA256), not only to its
// identity (IdentityOf: subject and issuer). Whoever holds its org CA's registrar power can have a certificate
// issued with the member's subject, so the identity alone would let the registrar act as the member; the key
// it cannot have. A record registered before the binding (no KeySHA256) accepts any key of its identity until
// its org's admin binds one (RebindKey; the member's own rotation binds no first key: see RotateKey).

// requireBoundKey refuses a caller whose certificate is of the participant's identity but of another key than
// the one its record binds.
func requireBoundKey(p *model.Participant, cert *x509.Certificate) error {
	if p.KeySHA256 == "" || p.KeySHA256 == model.KeyDigest(cert) {
		return nil
	}
	return ledgererr.Forbiddenf("participant %q is bound to another key than the caller's certificate's: the participant binds a new key with participants:RotateKey, signed with its bound key, or an admin of its org with participants:RebindKey", p.ID)
}

// RotateKey binds the caller to the key of a new certificate of its own identity: the member's own rotation, as
// Fabric CA's reenroll makes one. The caller signs with its bound key. The certificate must be of its identity,
// issued by a CA of its org as the market rules hold them, in force, not an admin's, and, for a certified
// participant, certify the same enterprise. Binding the key already bound is a CONFLICT. A record that binds no
// key yet (registered before the binding) is FORBIDDEN: its first key is its admin's to bind (RebindKey). It
// keeps the reason of an admin's last rebinding (keyRebindReason): a rotation signed with a key an admin bound
// may be the admin's own, who would otherwise erase the trace of its rebinding by rotating to a second key of its
// own; and a rotation from a key the member bound itself has no reason to clear, none being set since.
func (c *Contract) RotateKey(ctx contractapi.TransactionContextInterface, certificatePem string) (*model.Participant, error) {
	caller, err := Caller(ctx)
	if err != nil {
		return nil, err
	}
	cert, err := parseMemberCertificate("certificatePem", certificatePem)
	if err != nil {
		return nil, err
	}
	cas, err := market.ReadCAs(ctx, caller.MSPID)
	if err != nil {
		return nil, err
	}
	// The record as stored: the caller's as resolved carries the roles and region the rules and its certificate
	// give it now, which are not the record's to keep.
	p, err := Get(ctx, caller.ID)
	if err != nil {
		return nil, err
	}
	// Any certificate of the identity acts for a record that binds no key (registered before the binding), one
	// the registrar had issued over a key of its own too: bound by the member, it would lock the member out.
	if p.KeySHA256 == "" {
		return nil, ledgererr.Forbiddenf("participant %q binds no key yet: its first key is bound by an admin of its org with participants:RebindKey", p.ID)
	}
	if err := c.bindKey(ctx, p, cas, cert); err != nil {
		return nil, err
	}
	return c.update(ctx, p, p.Roles, model.EventParticipantKeyRotated)
}

// RebindKey binds a member of the caller's org to the key of a new certificate of its identity, for the reason
// given: an admin of its org does it for a member that lost its key, or was enrolled again after its
// certificates were revoked, and cannot sign with its bound key. The certificate is held to what RotateKey holds
// it to. An ACTIVE or SUSPENDED participant is rebound, not a RELEASED one. The member sees the reason on its
// record (keyRebindReason) and the event ParticipantKeyRebound: a rebinding is the admin's, visibly.
func (c *Contract) RebindKey(ctx contractapi.TransactionContextInterface, id, certificatePem, reason string) (*model.Participant, error) {
	p, admin, err := c.ownMemberBy(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Status == model.ParticipantReleased {
		return nil, ledgererr.Conflictf("participant %q is RELEASED and never acts again", id)
	}
	cert, err := parseMemberCertificate("certificatePem", certificatePem)
	if err != nil {
		return nil, err
	}
	if err := validate.Text("reason", reason, model.MaxSuspendReasonLength); err != nil {
		return nil, err
	}
	if err := c.bindKey(ctx, p, admin.CAs, cert); err != nil {
		return nil, err
	}
	p.KeyRebindReason = reason
	return c.update(ctx, p, p.Roles, model.EventParticipantKeyRebound)
}

// requireKeyInForce refuses an ACTIVE participant whose key its suspension withdrew
// (model.Participant.KeyWithdrawn): reinstated, it acts only once its admin binds a new key.
func requireKeyInForce(p *model.Participant) error {
	if p.KeyWithdrawn {
		return ledgererr.Forbiddenf("participant %q was suspended and its key withdrawn: it acts again with a new certificate whose key an admin of its org binds with participants:RebindKey", p.ID)
	}
	return nil
}

// bindKey checks cert as a new certificate of participant p, judged by the CA certificates of its org, and binds
// p to its key at the transaction time. A key its suspension withdrew is not bound again: its certificates are
// revoked at the CA, and the peers may not know it yet.
func (c *Contract) bindKey(ctx state.Context, p *model.Participant, cas *market.CAs, cert *x509.Certificate) error {
	now, err := state.Now(ctx)
	if err != nil {
		return err
	}
	if err := checkIssued("certificatePem", cas, p.MSPID, cert, now); err != nil {
		return err
	}
	if IdentityOf(cert) != p.Identity {
		return ledgererr.Invalid("certificatePem", "is not of participant %q's identity: its subject and issuer must be those of %s", p.ID, p.Identity)
	}
	if p.Certified() {
		if _, ok := certifiedRoles(p, cert); !ok {
			return ledgererr.Invalid("certificatePem", "must certify enterprise %s, which participant %q acts for (%s)", p.USCC, p.ID, model.AttrUSCC)
		}
	}
	key := model.KeyDigest(cert)
	switch {
	case key == p.KeySHA256 && p.KeyWithdrawn:
		return ledgererr.Conflictf("participant %q's key was withdrawn when it was suspended: bind the key of a new certificate", p.ID)
	case key == p.KeySHA256:
		return ledgererr.Conflictf("participant %q is already bound to this certificate's key", p.ID)
	}
	p.KeySHA256, p.KeyBoundAt, p.KeyWithdrawn = key, state.Format(now), false
	return nil
}

// checkIssued holds a member's certificate to the CA certificates of its org msp as the market rules hold them:
// issued by one of them, and in force, it and its chain, at now (market.CAs.InForce).
func checkIssued(field string, cas *market.CAs, msp string, cert *x509.Certificate, now time.Time) error {
	if err := cas.Issued(cert); err != nil {
		return ledgererr.Invalid(field, "is not issued by a CA of %s as the market rules hold them: %v", msp, err)
	}
	if err := cas.InForce(cert, now); err != nil {
		return ledgererr.Invalid(field, "is not in force: %v", err)
	}
	return nil
}
