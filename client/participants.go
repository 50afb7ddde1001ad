package client

import (
	"context"
	"iter"
	"net/http"
	"net/url"

	"github.com/deltaledger/deltaledger/model"
)

// ParticipantService is the registry of participants: the members of each
// org with their roles (operator, holder, buyer, agency, regulator).
type ParticipantService struct{ c *Client }

// RegisterParticipantRequest registers a member of the caller's org
// (POST /v1/participants, by the org's admin).
type RegisterParticipantRequest struct {
	// ID is the new participant's ID, e.g. "shanghai.holder".
	ID string `json:"id"`
	// CertificatePEM is the member's X.509 certificate, issued by the org's
	// CA. When it certifies an enterprise (an onboarded member, see
	// MemberService.Register), the ledger holds USCC, Roles and Name to it.
	CertificatePEM string `json:"certificatePem"`
	// Roles are operator, holder, buyer, agency or regulator; at least one:
	// some of those the certificate certifies, or operator and regulator
	// only when it certifies no enterprise.
	Roles []string `json:"roles"`
	// USCC is the Unified Social Credit Code of the enterprise the member
	// acts for: the certified one, if the certificate certifies one.
	USCC string `json:"uscc"`
	// Name is the display name: the certified legal name, if any.
	Name string `json:"name"`
	// Region is the org's region.
	Region string `json:"region"`
}

// Register registers a member of the caller's org; only the org's admin may.
func (s *ParticipantService) Register(ctx context.Context, r RegisterParticipantRequest, opts ...SubmitOption) (*Submitted[model.Participant], error) {
	return submit[model.Participant](ctx, s.c, http.MethodPost, "/v1/participants", r, opts)
}

// Me returns the caller's own participant record (who am I).
func (s *ParticipantService) Me(ctx context.Context) (*model.Participant, error) {
	return getQuery[model.Participant](ctx, s.c, "/v1/participants/me", nil)
}

// Get returns a participant (public market information).
func (s *ParticipantService) Get(ctx context.Context, id string) (*model.Participant, error) {
	return getAt[model.Participant](ctx, s.c, "/v1/participants/%s", seg("participant ID", id))
}

// List iterates over an org's participants (mspID, e.g. "ShanghaiMSP"),
// only those with role when role is not "".
func (s *ParticipantService) List(ctx context.Context, mspID, role string, opts ...ListOption) iter.Seq2[model.Participant, error] {
	if mspID == "" {
		return errSeq[model.Participant](errRequired("MSP ID"))
	}
	q := url.Values{"mspId": {mspID}}
	if role != "" {
		q.Set("role", role)
	}
	return list[model.Participant](ctx, s.c, "/v1/participants", q, opts)
}

// SetRoles replaces the roles of a member of the caller's org (org admin).
func (s *ParticipantService) SetRoles(ctx context.Context, id string, roles []string, opts ...SubmitOption) (*Submitted[model.Participant], error) {
	return submitAt[model.Participant](ctx, s.c, http.MethodPut, "/v1/participants/%s/roles", []segment{seg("participant ID", id)},
		map[string]any{"roles": roles}, opts)
}

// SetDivision places a member of the caller's org in a city or county-level
// division of its region (org admin): a six-digit code of model.Divisions.
func (s *ParticipantService) SetDivision(ctx context.Context, id, division string, opts ...SubmitOption) (*Submitted[model.Participant], error) {
	return submitAt[model.Participant](ctx, s.c, http.MethodPut, "/v1/participants/%s/division", []segment{seg("participant ID", id)},
		map[string]any{"division": division}, opts)
}

// Suspend stops a member of the caller's org from acting (org admin).
func (s *ParticipantService) Suspend(ctx context.Context, id, reason string, opts ...SubmitOption) (*Submitted[model.Participant], error) {
	return submitAt[model.Participant](ctx, s.c, http.MethodPost, "/v1/participants/%s/suspend", []segment{seg("participant ID", id)},
		map[string]any{"reason": reason}, opts)
}

// Reinstate lets a suspended member of the caller's org act again (org
// admin).
func (s *ParticipantService) Reinstate(ctx context.Context, id string, opts ...SubmitOption) (*Submitted[model.Participant], error) {
	return submitAt[model.Participant](ctx, s.c, http.MethodPost, "/v1/participants/%s/reinstate", []segment{seg("participant ID", id)}, nil, opts)
}

// RotateKey binds the caller's participant record to the key of certificatePEM, a new certificate of its own
// identity (POST /v1/participants/me/key): the ledger acts for a participant only with a certificate of the key it
// holds bound, so a member that re-enrolled a new key (Enrollment.Reenroll) binds it here, in a call signed with its
// current key, before it discards that key. The certificate must be of the caller's identity (subject and issuer),
// issued by its org's CA, in force, not an admin's and, for a certified participant, of the same enterprise; the key
// bound already is a CONFLICT. Any participant may, whether it signs its own calls or the gateway holds its key.
func (s *ParticipantService) RotateKey(ctx context.Context, certificatePEM string, opts ...SubmitOption) (*Submitted[model.Participant], error) {
	return submit[model.Participant](ctx, s.c, http.MethodPost, "/v1/participants/me/key", map[string]any{"certificatePem": certificatePEM}, opts)
}

// RebindKey binds a member of the caller's org to the key of certificatePEM (POST /v1/participants/{id}/key, org
// admin), for a member that lost its key or enrolled again after its certificates were revoked (MemberService.Reinvite):
// until then the ledger refuses a certificate of another key than the bound one, even of the member's identity. The
// reason is required; it is recorded on the participant, which sees who bound its key and why (keyRebindReason,
// keyBoundAt, and the event ParticipantKeyRebound). The member must be ACTIVE or SUSPENDED.
func (s *ParticipantService) RebindKey(ctx context.Context, id, certificatePEM, reason string, opts ...SubmitOption) (*Submitted[model.Participant], error) {
	return submitAt[model.Participant](ctx, s.c, http.MethodPost, "/v1/participants/%s/key", []segment{seg("participant ID", id)},
		map[string]any{"certificatePem": certificatePEM, "reason": reason}, opts)
}

// getAt reads the record at a path with variable segments.
func getAt[T any](ctx context.Context, c *Client, pattern string, segments ...segment) (*T, error) {
	return getQueryAt[T](ctx, c, pattern, segments, nil)
}

// getQueryAt reads what the GET of a path with variable segments and query
// answers.
func getQueryAt[T any](ctx context.Context, c *Client, pattern string, segments []segment, query url.Values) (*T, error) {
	path, err := pathf(pattern, segments...)
	if err != nil {
		return nil, err
	}
	return getQuery[T](ctx, c, path, query)
}

// getQuery reads what the GET of path with query answers (retried like
// every idempotent request).
func getQuery[T any](ctx context.Context, c *Client, path string, query url.Values) (*T, error) {
	return decoded[T](ctx, c, &request{method: http.MethodGet, path: path, query: query, idempotent: true})
}

// submitAt submits to a path with variable segments.
func submitAt[T any](ctx context.Context, c *Client, method, pattern string, segments []segment, body any, opts []SubmitOption) (*Submitted[T], error) {
	path, err := pathf(pattern, segments...)
	if err != nil {
		return nil, err
	}
	return submit[T](ctx, c, method, path, body, opts)
}

// Enterprise returns the org an enterprise (its USCC) is registered in: an
// enterprise is one identity on the ledger.
func (s *ParticipantService) Enterprise(ctx context.Context, uscc string) (*model.Enterprise, error) {
	return getAt[model.Enterprise](ctx, s.c, "/v1/enterprises/%s", seg("USCC", uscc))
}

// ReleaseEnterprise releases an enterprise of the caller's org (org admin),
// the first step of moving it to another region: its participants here
// become RELEASED; then the new region's admin registers it.
func (s *ParticipantService) ReleaseEnterprise(ctx context.Context, uscc, reason string, opts ...SubmitOption) (*Submitted[model.Release], error) {
	return submitAt[model.Release](ctx, s.c, http.MethodPost, "/v1/enterprises/%s/release", []segment{seg("USCC", uscc)},
		map[string]any{"reason": reason}, opts)
}
