package market_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/rulestest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The rules' lists are taken at their limits, model.MaxRegulators
// regulators and model.MaxCertsPerOrg certificates of an org, and a document
// of model.MaxRulesBytes bytes; one past a limit is refused naming the list,
// and no approval is recorded.
func TestTheRulesStopAtTheirLimits(t *testing.T) {
	f := newFixture(t)
	f.init(t)
	admin := f.admins["ShanghaiMSP"]
	regulators := func(n int) func(r *model.Rules) {
		return func(r *model.Rules) {
			r.Regulators = nil
			for i := range n {
				r.Regulators = append(r.Regulators, model.Regulator{MSPID: "AnhuiMSP", ParticipantID: fmt.Sprintf("ah.regulator-%02d", i)})
			}
		}
	}
	certs := func(n int) func(r *model.Rules) {
		return func(r *model.Rules) {
			r.Orgs[0].RootCerts = nil
			for range n {
				r.Orgs[0].RootCerts = append(r.Orgs[0].RootCerts, string(f.cas[r.Orgs[0].MSPID].CertificatePEM()))
			}
		}
	}
	f.refused(t, ledgererr.InvalidArgument, "rules.regulators", admin, "market:Approve", rulestest.JSON(t, f.next(t, regulators(model.MaxRegulators+1))))
	f.refused(t, ledgererr.InvalidArgument, "rules.orgs[0]", admin, "market:Approve", rulestest.JSON(t, f.next(t, certs(model.MaxCertsPerOrg+1))))

	both := f.next(t, func(r *model.Rules) { regulators(model.MaxRegulators)(r); certs(model.MaxCertsPerOrg)(r) })
	doc := rulestest.JSON(t, both)
	require.Less(t, len(doc), model.MaxRulesBytes, "the document at its lists' limits fits the byte limit")
	f.refused(t, ledgererr.InvalidArgument, "rules", admin, "market:Approve", doc+strings.Repeat(" ", model.MaxRulesBytes+1-len(doc)))
	f.net.Submit(admin, "market:Approve", doc+strings.Repeat(" ", model.MaxRulesBytes-len(doc))).MustOK(t)
}
