package participants_test

import (
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// judges resolves op as the caller and asks whether it may decide a case of parties (RequireImpartial).
func (f *fixture) judges(t *testing.T, op chaincodetest.Identity, parties ...string) error {
	t.Helper()
	var err error
	f.within(op, func(ctx contractapi.TransactionContextInterface) error {
		me, e := participants.Caller(ctx)
		if e != nil {
			return e
		}
		err = participants.RequireImpartial(ctx, me, `the dispute of trade "T1"`, parties...)
		return nil
	}).MustOK(t)
	return err
}

// anyJudge asks whether an operator of the Shanghai exchange could decide a case of parties (RequireAJudge).
func (f *fixture) anyJudge(t *testing.T, parties ...string) error {
	t.Helper()
	var err error
	f.within(f.shAdmin, func(ctx contractapi.TransactionContextInterface) error {
		rules, e := market.Get(ctx)
		if e != nil {
			return e
		}
		err = participants.RequireAJudge(ctx, rules, "shanghai", `the dispute of trade "T1"`, parties...)
		return nil
	}).MustOK(t)
	return err
}

// A party acts for an enterprise, and makes its judges partial, only where its record is certified and its org's
// binding of the enterprise is the one in force: Anhui's peers alone write the USCC of the Shanghai exchange's staff
// into their party's record (certified or not), and every operator still decides its case, where before each was
// refused (FORBIDDEN) and no case opened (CONFLICT), a disputed trade holding the seller's holding for good.
func TestAPartysOrgWritingTheExchangesUSCCMakesNoOperatorPartial(t *testing.T) {
	for name, uncertify := range map[string]bool{"certified": false, "uncertified": true} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			const exchangeUSCC = "91310000MA1FL0000N" // the Shanghai exchange's, its staff's word
			require.True(t, model.ValidUSCC(exchangeUSCC))
			op1, op2 := f.shanghai.Issue("op1", "client"), f.shanghai.Issue("op2", "client")
			f.register(f.shAdmin, "sh.op1", op1, "operator", exchangeUSCC, "shanghai").MustOK(t)
			f.register(f.shAdmin, "sh.op2", op2, "operator", exchangeUSCC, "shanghai").MustOK(t)
			f.register(f.ahAdmin, "ah.carol", f.carol, "buyer", usccB, "anhui").MustOK(t)

			rewriteRecord(t, f.net, f.ahAdmin, "AnhuiMSP", "ah.carol", func(p *model.Participant) {
				p.USCC = exchangeUSCC
				if uncertify {
					p.CertifiedRoles = nil
				}
			})
			assert.NoError(t, f.judges(t, op1, "ah.carol"))
			assert.NoError(t, f.judges(t, op2, "ah.carol"))
			assert.NoError(t, f.anyJudge(t, "ah.carol"))
		})
	}
}

// A party whose certified enterprise is the judge's, bound to the party's org, still makes the judge partial: a
// Shanghai operator whose certificate certifies usccA does not decide alice's case, alice acting for usccA in
// Shanghai, and no case of alice's opens while it is Shanghai's only operator.
func TestAPartyOfTheJudgesEnterpriseMakesItPartial(t *testing.T) {
	f := newFixture(t)
	op := member(f.shanghai, "op", usccA)
	f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
	f.register(f.shAdmin, "sh.op", op, "operator", usccA, "shanghai").MustOK(t)
	err := f.judges(t, op, "sh.alice")
	require.Error(t, err)
	assert.Equal(t, ledgererr.Forbidden, ledgererr.CodeOf(err))
	assert.Contains(t, err.Error(), `acts for `+usccA+`, the enterprise of "sh.alice"`)
	err = f.anyJudge(t, "sh.alice")
	require.Error(t, err)
	assert.Equal(t, ledgererr.Conflict, ledgererr.CodeOf(err))
}

// A party acts, for whoever judges it, for the enterprise its registration (participant~cert) certified: its org
// alone clears its record's certified roles or moves it to another USCC, and an operator certified for that same
// enterprise is still partial (FORBIDDEN), nor may any case of it open when no other operator could decide it
// (CONFLICT), where before the rewrite made that operator "impartial".
func TestAPartysOrgRewritingItsRecordMakesNoOperatorOfItsEnterpriseImpartial(t *testing.T) {
	for name, rewrite := range map[string]func(p *model.Participant){
		"uncertified": func(p *model.Participant) { p.CertifiedRoles = nil },
		"other USCC":  func(p *model.Participant) { p.USCC = usccB },
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			op := member(f.shanghai, "op", usccA)
			f.register(f.shAdmin, "sh.alice", f.alice, "holder", usccA, "shanghai").MustOK(t)
			f.register(f.shAdmin, "sh.op", op, "operator", usccA, "shanghai").MustOK(t)

			rewriteRecord(t, f.net, f.shAdmin, "ShanghaiMSP", "sh.alice", rewrite)
			err := f.judges(t, op, "sh.alice")
			assert.Equal(t, ledgererr.Forbidden, ledgererr.CodeOf(err), "%v", err)
			err = f.anyJudge(t, "sh.alice")
			assert.Equal(t, ledgererr.Conflict, ledgererr.CodeOf(err), "%v", err)
		})
	}
}
