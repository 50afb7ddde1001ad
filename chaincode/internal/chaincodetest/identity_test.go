package chaincodetest_test

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/cid"
	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
)

func TestIssuedIdentities(t *testing.T) {
	ca := chaincodetest.NewCA("Org1MSP")
	id := ca.Issue("alice", "client")

	assert.Equal(t, "Org1MSP", id.MSPID)
	assert.Equal(t, "alice", id.Cert.Subject.CommonName)
	assert.Equal(t, []string{"client"}, id.Cert.Subject.OrganizationalUnit)
	assert.Equal(t, []string{"Org1"}, id.Cert.Subject.Organization)
	assert.Equal(t, ca.Certificate().Subject.String(), id.Cert.Issuer.String())
	assert.Equal(t, "Org1MSP/alice", id.String())

	block, _ := pem.Decode(id.CertPEM)
	require.NotNil(t, block)
	assert.Equal(t, id.Cert.Raw, block.Bytes)

	roots := x509.NewCertPool()
	roots.AddCert(ca.Certificate())
	_, err := id.Cert.Verify(x509.VerifyOptions{Roots: roots, CurrentTime: chaincodetest.DefaultStartTime})
	assert.NoError(t, err, "the CA signs the identities it issues")

	serialized := &msp.SerializedIdentity{}
	require.NoError(t, proto.Unmarshal(id.Serialized(), serialized))
	assert.Equal(t, "Org1MSP", serialized.Mspid)
	assert.Equal(t, id.CertPEM, serialized.IdBytes)

	assert.NotEqual(t, id.Cert.SerialNumber, ca.Issue("alice", "client").Cert.SerialNumber)
}

func TestCIDParsesTheCreator(t *testing.T) {
	org1 := chaincodetest.NewCA("Org1MSP")
	org2 := chaincodetest.NewCA("Org2MSP")
	net := chaincodetest.NewNetwork(kvChaincode(), chaincodetest.WithOrgs(org1, org2))

	tests := []struct {
		name  string
		id    chaincodetest.Identity
		ou    string
		attrs map[string]string
	}{
		{name: "client", id: org1.Issue("alice", "client"), ou: "client"},
		{name: "admin of another org", id: org2.Issue("admin", "admin"), ou: "admin"},
		{name: "with attributes", id: org2.IssueWithAttributes("bob", "client", map[string]string{"role": "auditor"}), ou: "client", attrs: map[string]string{"role": "auditor"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net.SubmitFunc(tt.id, func(stub shim.ChaincodeStubInterface) error {
				c, err := cid.New(stub)
				require.NoError(t, err)

				mspID, err := c.GetMSPID()
				require.NoError(t, err)
				assert.Equal(t, tt.id.MSPID, mspID)

				clientID, err := c.GetID()
				require.NoError(t, err)
				assert.Equal(t, tt.id.ID(), clientID)
				decoded, err := base64.StdEncoding.DecodeString(clientID)
				require.NoError(t, err)
				assert.Contains(t, string(decoded), "x509::CN="+tt.id.Cert.Subject.CommonName)

				cert, err := c.GetX509Certificate()
				require.NoError(t, err)
				assert.Equal(t, tt.id.Cert.Raw, cert.Raw)

				hasOU, err := c.HasOUValue(tt.ou)
				require.NoError(t, err)
				assert.True(t, hasOU)

				for name, want := range tt.attrs {
					assert.NoError(t, c.AssertAttributeValue(name, want))
				}
				_, found, err := c.GetAttributeValue("missing")
				require.NoError(t, err)
				assert.False(t, found)
				return nil
			}).MustOK(t)
		})
	}
}

func TestIdentityIDsAreStable(t *testing.T) {
	ca := chaincodetest.NewCA("Org1MSP")
	// Two certificates for one subject from one CA are one client, as
	// after a certificate renewal.
	assert.Equal(t, ca.Issue("alice", "client").ID(), ca.Issue("alice", "client").ID())
	assert.NotEqual(t, ca.Issue("alice", "client").ID(), ca.Issue("bob", "client").ID())
}
