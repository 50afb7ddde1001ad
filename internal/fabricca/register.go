package fabricca

import (
	"context"
	"errors"
	"net/http"
	"net/url"
)

// Registration is a new identity of the CA.
type Registration struct {
	// ID is the enrollment ID: the CN of the identity's certificates.
	ID string `json:"id"`
	// Type is the identity's type (client, peer, orderer, admin): the OU of its certificates, which NodeOU-enabled
	// MSPs classify.
	Type string `json:"type"`
	// Secret is the enrollment secret; empty lets the CA choose one (returned by Register).
	Secret string `json:"secret,omitempty"`
	// MaxEnrollments bounds how often the secret enrolls: 1 makes it one-time; 0 takes the CA's default.
	MaxEnrollments int `json:"max_enrollments,omitempty"`
	// Affiliation is the identity's affiliation ("" for the registrar's own).
	Affiliation string `json:"affiliation"`
	// Attributes are registered with the identity; those marked ECert are certified in every enrollment
	// certificate.
	Attributes []Attribute `json:"attrs,omitempty"`
	// CAName is set by the client.
	CAName string `json:"caname,omitempty"`
}

// Attribute is a name and value that the CA certifies for an identity.
type Attribute struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	// ECert puts the attribute in enrollment certificates by default.
	ECert bool `json:"ecert,omitempty"`
}

// Register registers a new identity with the CA as registrar (an identity whose hf.Registrar.* attributes allow
// the type and attributes) and returns its enrollment secret. A duplicate ID is refused with
// CodeDuplicateRegistration.
func (c *Client) Register(ctx context.Context, registrar *Identity, r Registration) (string, error) {
	if r.ID == "" {
		return "", errors.New("fabric CA register: the registration has no ID")
	}
	r.CAName = c.caName
	var res struct {
		Secret string `json:"secret"`
	}
	if err := c.call(ctx, http.MethodPost, "register", nil, r, &res, registrar.authorize); err != nil {
		return "", err
	}
	return res.Secret, nil
}

// SetSecret gives the registered identity id a new enrollment secret (fabric-ca-client identity modify
// --secret), for example to enroll an identity whose first enrollment was never completed.
func (c *Client) SetSecret(ctx context.Context, registrar *Identity, id, secret string) error {
	if id == "" || secret == "" {
		return errors.New("fabric CA identity modify: ID and secret are required")
	}
	body := struct {
		Secret string `json:"secret"`
		CAName string `json:"caname,omitempty"`
	}{secret, c.caName}
	return c.call(ctx, http.MethodPut, "identities/"+url.PathEscape(id), nil, body, nil, registrar.authorize)
}

// IdentityInfo is a registered identity as the CA shows it to a registrar that manages it.
type IdentityInfo struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	Affiliation string `json:"affiliation"`
	// MaxEnrollments is how often the identity may enroll in all (-1: without limit).
	MaxEnrollments int         `json:"max_enrollments"`
	Attributes     []Attribute `json:"attrs"`
}

// Identity reads the registered identity id (fabric-ca-client identity list --id); the CA answers only a caller
// that manages it (its affiliation or above, its type among the caller's hf.Registrar.Roles).
func (c *Client) Identity(ctx context.Context, caller *Identity, id string) (*IdentityInfo, error) {
	if id == "" {
		return nil, errors.New("fabric CA identity: the ID is required")
	}
	var query url.Values
	if c.caName != "" {
		query = url.Values{"ca": {c.caName}}
	}
	var info IdentityInfo
	if err := c.call(ctx, http.MethodGet, "identities/"+url.PathEscape(id), query, nil, &info, caller.authorize); err != nil {
		return nil, err
	}
	return &info, nil
}

// Reinvite lets identity id enroll once more with a new secret (fabric-ca-client identity modify --secret
// --maxenrollments): maxEnrollments is the new total, one more than the enrollments it has used. The identity's
// attributes stay as registered, so the new certificate certifies what the old ones did; attrs, if any, are added
// or replaced (--attrs; not certified unless marked ECert).
func (c *Client) Reinvite(ctx context.Context, registrar *Identity, id, secret string, maxEnrollments int, attrs ...Attribute) error {
	if id == "" || secret == "" || maxEnrollments == 0 {
		return errors.New("fabric CA identity modify: ID, secret and the new maximum of enrollments are required")
	}
	body := struct {
		Secret         string      `json:"secret"`
		MaxEnrollments int         `json:"max_enrollments"`
		Attributes     []Attribute `json:"attrs,omitempty"`
		CAName         string      `json:"caname,omitempty"`
	}{secret, maxEnrollments, attrs, c.caName}
	return c.call(ctx, http.MethodPut, "identities/"+url.PathEscape(id), nil, body, nil, registrar.authorize)
}
