package market

import (
	"slices"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Admin is the caller acting as an admin of its org.
type Admin struct {
	MSPID string
	// Name is the admin certificate's subject common name, recorded with
	// what it does.
	Name string
	// CAs is the org's CA certificates as the market rules in force list
	// them, which the admin's own chain was judged by: a member the admin
	// registers is judged by them too, at no read of its own.
	CAs *CAs
}

// RequireAdmin refuses a caller that is not an admin of its MSP. Admins are
// recognised by Fabric's NodeOU classification of their certificate (the
// "admin" organizational unit), which the channel's MSP has checked when it
// validated the transaction's creator; that check leaves out the validity
// periods of the certificate and of its chain, which InForce holds them to,
// by the org's CA certificates as the market rules in force list them.
func RequireAdmin(ctx state.Context) (*Admin, error) {
	return requireAdmin(ctx, func(msp string) (*CAs, error) { return ReadCAs(ctx, msp) })
}

// requireAdmin is RequireAdmin judging the admin's chain by the CA
// certificates cas gives for its org.
func requireAdmin(ctx state.Context, cas func(msp string) (*CAs, error)) (*Admin, error) {
	cid := ctx.GetClientIdentity()
	msp, err := cid.GetMSPID()
	if err != nil {
		return nil, ledgererr.Internalf(err, "reading the caller's MSP ID")
	}
	cert, err := cid.GetX509Certificate()
	if err != nil || cert == nil || !slices.Contains(cert.Subject.OrganizationalUnit, model.AdminOU) {
		return nil, ledgererr.Forbiddenf("only an admin of %s may do this", msp)
	}
	orgCAs, err := cas(msp)
	if err != nil {
		return nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	if err := orgCAs.InForce(cert, now); err != nil {
		return nil, ledgererr.Forbiddenf("admin %s of %s presents a certificate not in force: %v", cert.Subject.CommonName, msp, err)
	}
	return &Admin{MSPID: msp, Name: cert.Subject.CommonName, CAs: orgCAs}, nil
}
