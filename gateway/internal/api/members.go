package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/onboarding"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Onboarding registers new members with the org's Fabric CA and enrolls them (package onboarding implements it).
type Onboarding interface {
	Register(ctx context.Context, m onboarding.Member) (*onboarding.Invitation, error)
	Enroll(ctx context.Context, id, secret string, csrPEM []byte) (*onboarding.Certificate, error)
	Revoke(ctx context.Context, id, identity string) (serials []string, crl []byte, err error)
	Reinvite(ctx context.Context, id, identity string) (*onboarding.Invitation, error)
}

// RevocationList is the org's CAs' CRLs as the gateway holds them, one per CA (package revocation).
type RevocationList interface {
	Set(crl []byte) error
}

// WithRevocationList installs the CRL a revocation answers in l at once, so that the gateway refuses the revoked
// certificates from the next request on.
func WithRevocationList(l RevocationList) Option { return func(s *Server) { s.revocations = l } }

// WithOnboarding serves POST /v1/members and /v1/members/enroll with o. Without it they answer 404: this gateway
// has no registrar at its org's CA.
func WithOnboarding(o Onboarding) Option { return func(s *Server) { s.onboarding = o } }

// onboardingAnswer is how an onboarding operation answers a bound request: the body of its success, or the error
// that refuses it.
type onboardingAnswer func(r *http.Request, c *call) (any, error)

// onboards serves an onboarding operation: it binds the request, refuses a well-formed one with 404 on a gateway
// without a registrar, and answers the body of answer with the route's success status, or answer's error.
func (s *Server) onboards(rt routes.GatewayRoute, answer onboardingAnswer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := s.bind(w, r, rt)
		if err == nil && s.onboarding == nil {
			err = newError(http.StatusNotFound, CodeNotFound, "this gateway onboards no members (ca.url is not configured)")
		}
		if err != nil {
			writeError(w, r, err)
			return
		}
		body, err := answer(r, c)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, rt.SuccessStatus(), body)
	}
}

// registerMember serves POST /v1/members: an ACTIVE operator of the gateway's org onboards an enterprise. The
// caller's standing is read from the ledger as the caller, uncached, so a suspended operator onboards nobody.
func (s *Server) registerMember(rt routes.GatewayRoute) http.HandlerFunc {
	return s.onboards(rt, func(r *http.Request, c *call) (any, error) {
		if !model.ValidUSCC(c.values["uscc"]) {
			return nil, invalid("uscc", "the check character (the 18th) does not match the first 17 characters")
		}
		member := caller(r).Member
		p, err := s.requireOperator(r, member)
		if err != nil {
			return nil, err
		}
		m := onboarding.Member{LegalName: c.values["legalName"], USCC: c.values["uscc"], Roles: strings.Split(c.values["roles"], ","),
			Division: c.values[model.DivisionField.Name]}
		if m.Division != "" {
			// A courtesy: participants:Register checks the certified division against the org's region too,
			// by the rules in force: read afresh, so that a region that has just joined is known at once.
			rules, err := s.marketRules(r.Context(), member, true)
			if err != nil {
				return nil, err
			}
			if err := model.CheckDivision(rules, m.Division, p.Region); err != nil {
				e := invalid(model.DivisionField.Name, "%v", err)
				e.refusal = err.Error() // the chaincode's words for the rule, in the catalogue
				return nil, e
			}
		}
		slices.Sort(m.Roles)
		m.Roles = slices.Compact(m.Roles)
		inv, err := s.onboarding.Register(r.Context(), m)
		if errors.Is(err, onboarding.ErrDuplicate) {
			return nil, newError(http.StatusConflict, CodeConflict, "uscc: the enterprise %s already has an identity at the CA of %s", m.USCC, s.mspID)
		}
		if err != nil {
			s.log.Error("onboarding: registering at the CA failed", "member", member, "error", err)
			return nil, newError(http.StatusBadGateway, CodeUnavailable, "the CA of %s did not register the member", s.mspID)
		}
		s.log.Info("onboarding: member registered", "by", member, "enrollmentId", inv.EnrollmentID)
		return wire.MemberInvitationBody{EnrollmentID: inv.EnrollmentID, Secret: inv.Secret, MSPID: s.mspID}, nil
	})
}

// requireOperator refuses a caller that is not an ACTIVE operator of the gateway's org, and answers its participant
// record otherwise. The caller's standing is read from the ledger as the caller, uncached, so a suspended operator
// onboards nobody.
func (s *Server) requireOperator(r *http.Request, member string) (*model.Participant, error) {
	payload, err := s.ledger.Evaluate(r.Context(), member, "participants:WhoAmI", nil)
	if err != nil {
		if e := chain.AsError(err); e.Kind == chain.KindRejected && (e.Code == ledgererr.NotFound || e.Code == ledgererr.Forbidden) {
			return nil, newError(http.StatusForbidden, CodeForbidden, "only an active operator of %s onboards members; %s is no participant", s.mspID, member)
		}
		return nil, err
	}
	var p model.Participant
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, newError(http.StatusBadGateway, CodeInternal, "participants:WhoAmI answered something other than a participant")
	}
	if p.Status != model.ParticipantActive || !p.HasRole(model.RoleOperator) || p.MSPID != s.mspID {
		return nil, newError(http.StatusForbidden, CodeForbidden, "only an active operator of %s onboards members", s.mspID)
	}
	return &p, nil
}

// onboardedMember reads participant id from the ledger, as member reads it, and answers it only if it is a member of
// the gateway's org that certifies an enterprise: the members this gateway's registrar may have onboarded, the only
// ones whose certificates it revokes or renews.
func (s *Server) onboardedMember(ctx context.Context, member, id string) (*model.Participant, error) {
	payload, err := s.ledger.Evaluate(ctx, member, "participants:Get", []string{id})
	if err != nil {
		return nil, err
	}
	var p model.Participant
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, newError(http.StatusBadGateway, CodeInternal, "participants:Get answered something other than a participant")
	}
	if p.MSPID != s.mspID {
		return nil, newError(http.StatusNotFound, CodeNotFound, "participant %q is not a member of %s", id, s.mspID)
	}
	if !p.Certified() {
		return nil, newError(http.StatusConflict, CodeConflict, "participant %q certifies no enterprise: it was not onboarded through this gateway", id)
	}
	return &p, nil
}

// enrollMember serves POST /v1/members/enroll (no credentials: the secret, 144 random bits, is the credential).
func (s *Server) enrollMember(rt routes.GatewayRoute) http.HandlerFunc {
	return s.onboards(rt, func(r *http.Request, c *call) (any, error) {
		id := c.values["enrollmentId"]
		cert, err := s.onboarding.Enroll(r.Context(), id, c.values["secret"], []byte(c.values["csr"]))
		switch {
		case errors.Is(err, onboarding.ErrEnrollmentRefused):
			return nil, newError(http.StatusUnauthorized, CodeUnauthenticated, "the enrollment ID and secret do not enroll (unknown, wrong or already used)")
		case errors.Is(err, onboarding.ErrBadRequest):
			e := invalid("csr", "%v", onboarding.Reason(err))
			e.detail = err.Error() // what the CA or crypto/x509 said, for the log
			return nil, e
		case err != nil:
			s.log.Error("onboarding: enrolling at the CA failed", "enrollmentId", id, "error", err)
			return nil, newError(http.StatusBadGateway, CodeUnavailable, "the CA of %s did not enroll the member", s.mspID)
		}
		s.log.Info("onboarding: member enrolled", "enrollmentId", id)
		return wire.MemberCertificateBody{Certificate: string(cert.CertificatePEM), CAChain: string(cert.CAChainPEM), MSPID: s.mspID}, nil
	})
}

// revokeMember serves POST /v1/participants/{id}/revocation: the org's admin has the gateway revoke, at the org's
// CA, the certificates of a participant the ledger records SUSPENDED (or RELEASED). The ledger decides first: the
// gateway revokes nobody the ledger still holds ACTIVE.
func (s *Server) revokeMember(rt routes.GatewayRoute) http.HandlerFunc {
	return s.onboards(rt, func(r *http.Request, c *call) (any, error) {
		cl := caller(r)
		if !cl.OrgAdmin {
			return nil, newError(http.StatusForbidden, CodeForbidden, "only an admin of %s revokes members' certificates", s.mspID)
		}
		id := c.values["id"]
		p, err := s.onboardedMember(r.Context(), cl.Member, id)
		if err != nil {
			return nil, err
		}
		if p.Status == model.ParticipantActive {
			return nil, newError(http.StatusConflict, CodeConflict, "participant %q is ACTIVE on the ledger: suspend it first (POST /v1/participants/%s/suspend, with a reason)", id, id)
		}
		serials, crl, err := s.onboarding.Revoke(r.Context(), p.USCC, p.Identity)
		if errors.Is(err, onboarding.ErrNotOnboarded) {
			return nil, newError(http.StatusConflict, CodeConflict, "participant %q: %s has no certificate of it that this gateway's registrar may revoke (only members onboarded through this gateway)", id, s.mspID)
		}
		if err != nil {
			s.log.Error("revocation: the CA did not revoke", "by", cl.Name(), "participant", id, "revoked", serials, "error", err)
			return nil, newError(http.StatusBadGateway, CodeUnavailable, "the CA of %s did not revoke all of %q's certificates (%d revoked): call again", s.mspID, id, len(serials))
		}
		if s.revocations != nil {
			if err := s.revocations.Set(crl); err != nil {
				s.log.Error("revocation: the CA's CRL was not installed; the next refresh reads it", "error", err)
			}
		}
		s.log.Info("revocation: member's certificates revoked", "by", cl.Name(), "participant", id, "enrollmentId", p.USCC, "revoked", serials)
		if serials == nil {
			serials = []string{}
		}
		return wire.MemberRevocationBody{ParticipantID: id, EnrollmentID: p.USCC, Revoked: serials, MSPID: s.mspID, CRL: string(crl)}, nil
	})
}

// reinviteMember serves POST /v1/participants/{id}/enrollment: an ACTIVE operator of the gateway's org has the
// gateway give a reinstated member, whose certificates were all revoked, a new one-time enrollment secret. Who the
// member is comes from the ledger (its USCC and certificate identity), never from the request, so an operator can
// let a member of its own org enroll only as itself, and only when it can act with no certificate at all.
func (s *Server) reinviteMember(rt routes.GatewayRoute) http.HandlerFunc {
	return s.onboards(rt, func(r *http.Request, c *call) (any, error) {
		member := caller(r).Member
		if _, err := s.requireOperator(r, member); err != nil {
			return nil, err
		}
		id := c.values["id"]
		p, err := s.onboardedMember(r.Context(), member, id)
		if err != nil {
			return nil, err
		}
		if p.Status != model.ParticipantActive {
			return nil, newError(http.StatusConflict, CodeConflict, "participant %q is %s on the ledger: its org's admin reinstates it first (participants:Reinstate)", id, p.Status)
		}
		inv, err := s.onboarding.Reinvite(r.Context(), p.USCC, p.Identity)
		switch {
		case errors.Is(err, onboarding.ErrNotOnboarded):
			return nil, newError(http.StatusConflict, CodeConflict, "participant %q: %s has no certificate of it that this gateway's registrar issued (only members onboarded through this gateway)", id, s.mspID)
		case errors.Is(err, onboarding.ErrStillEnrolled):
			return nil, newError(http.StatusConflict, CodeConflict, "participant %q still holds a certificate the CA of %s has not revoked: it rotates its key with it ('deltaledger reenroll'), no new enrollment", id, s.mspID)
		case err != nil:
			s.log.Error("onboarding: the CA did not give a new secret", "by", member, "participant", id, "error", err)
			return nil, newError(http.StatusBadGateway, CodeUnavailable, "the CA of %s did not give participant %q a new enrollment", s.mspID, id)
		}
		s.log.Info("onboarding: reinstated member may enroll again", "by", member, "participant", id, "enrollmentId", inv.EnrollmentID)
		return wire.MemberInvitationBody{EnrollmentID: inv.EnrollmentID, Secret: inv.Secret, MSPID: s.mspID}, nil
	})
}
