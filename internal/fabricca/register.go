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
