package service_test

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/service"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
	"github.com/deltaledger/deltaledger/model"
)

// The org renewed its enrolment CA before the wallet's members re-enrolled: a member enrolled by the renewed CA is
// refused (401) while the gateway tells the org's identities by the CAs that issued its wallet, and signs itself once
// a reload (SIGHUP) names the org's MSP folder (tls.orgMSP), whose cacerts/ holds both CAs, read at the reload. A
// folder whose cacerts/ holds no certificate is refused at the start and at a reload (the CAs in force stay).
func TestTheOrgsMSPFolderIsReadAtStartAndAtAReload(t *testing.T) {
	f := newFixture(t)
	f.fake.Returns("participants:WhoAmI", model.Participant{ID: "alice", Roles: []string{"holder"}})
	dir := t.TempDir()
	renewed := wallettest.NewCA(t, "ShanghaiMSP")
	renewedFile := filepath.Join(dir, "renewed-ca.pem")
	writePEM(t, renewedFile, (wallettest.Issued{Certificate: renewed.Certificate}).CertPEM(), 0o644)
	f.cfg.TLS.ClientCAs = append(slices.Clone(f.cfg.TLS.ClientCAs), "ShanghaiMSP="+renewedFile)
	msp := filepath.Join(dir, "msp")
	require.NoError(t, os.MkdirAll(filepath.Join(msp, "cacerts"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(msp, "tlscacerts"), 0o755))
	writePEM(t, filepath.Join(msp, "cacerts", "ca.pem"), (wallettest.Issued{Certificate: f.ca.Certificate}).CertPEM(), 0o644)
	writePEM(t, filepath.Join(msp, "cacerts", "renewed-ca.pem"), (wallettest.Issued{Certificate: renewed.Certificate}).CertPEM(), 0o644)
	url, stop := f.start(t)
	defer stop()
	member := renewed.Issue(t, "enterprise", "client")

	code, err := statusOf(f.insistent(member), url)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, code, "no wallet member was enrolled by the renewed CA")

	empty := f.cfg
	empty.TLS.OrgMSP = t.TempDir()
	require.ErrorContains(t, f.svc.ReloadClientCAs(empty), "holds no CA certificate")
	_, err = service.New(empty)
	require.ErrorContains(t, err, "tls.orgMSP")

	named := f.cfg
	named.TLS.OrgMSP = msp
	require.NoError(t, f.svc.ReloadClientCAs(named))
	code, err = statusOf(f.insistent(member), url)
	require.NoError(t, err)
	assert.NotEqual(t, http.StatusUnauthorized, code, "the renewed CA's member signs itself")
	code, err = statusOf(f.client(&f.alice), url)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, code, "the wallet's member as before")
	require.NoError(t, stop())
}
