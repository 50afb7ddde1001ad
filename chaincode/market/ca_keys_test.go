package market

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// No org lists a CA of another org's key, as the same certificate, one
// renewed over the same key, or as an intermediate: a member certificate that
// CA issued would chain to both orgs' lists (Issued), so the second org's
// admin would register another org's member. Each is refused naming the
// certificate's field and the org whose CA it is. One org listing its own CA
// more than once stays allowed: one certificate twice, one renewed over its
// key (a rules change renewing the CA's certificate lists both while members
// hold certificates of either), or one as a root and as an intermediate.
func TestNoOrgListsAnotherOrgsCAKey(t *testing.T) {
	at := time.Now()
	anhuiCA, zhejiangCA := newCAName(t, "ca.anhui"), newCAName(t, "ca.zhejiang")
	anhuiRoot := pemOf(certificate(t, anhuiCA, anhuiCA, valid, at, false))
	renewed := pemOf(certificate(t, anhuiCA, anhuiCA, valid, at, false)) // another certificate of Anhui's CA, its key and name
	zhejiangRoot := pemOf(certificate(t, zhejiangCA, zhejiangCA, valid, at, false))
	rules := func(zhejiangRoots, zhejiangIntermediates []string) string {
		b, err := json.Marshal(model.Rules{Version: 1, NoticePeriodSeconds: 60, Orgs: []model.MarketOrg{
			{MSPID: "AnhuiMSP", Region: "anhui", RootCerts: []string{anhuiRoot, anhuiRoot, renewed}, IntermediateCerts: []string{anhuiRoot}},
			{MSPID: "ZhejiangMSP", Region: "zhejiang", RootCerts: zhejiangRoots, IntermediateCerts: zhejiangIntermediates},
		}})
		require.NoError(t, err)
		return string(b)
	}
	for _, tc := range []struct {
		name                 string
		roots, intermediates []string
		field                string
	}{
		{"the same root", []string{zhejiangRoot, anhuiRoot}, nil, "rules.orgs[1].rootCerts[1]"},
		{"renewed", []string{renewed}, nil, "rules.orgs[1].rootCerts[0]"},
		{"as an intermediate", []string{zhejiangRoot}, []string{anhuiRoot}, "rules.orgs[1].intermediateCerts[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("rules", rules(tc.roots, tc.intermediates))
			var e *ledgererr.Error
			require.True(t, errors.As(err, &e), "refused: %v", err)
			assert.Equal(t, ledgererr.InvalidArgument, e.Code)
			assert.Equal(t, tc.field, e.Field)
			assert.Contains(t, e.Message, "a CA certificate of AnhuiMSP: an org lists only its own CAs")
		})
	}
	_, err := Parse("rules", rules([]string{zhejiangRoot}, nil))
	require.NoError(t, err)

	// What the refusal prevents: a member Anhui's CA issued chains to a list
	// holding another certificate of Anhui's CA.
	member := certificate(t, newCAName(t, "anhui.buyer"), anhuiCA, valid, at, true)
	assert.NoError(t, casOf("ZhejiangMSP", []string{renewed}, nil).Issued(member))
}
