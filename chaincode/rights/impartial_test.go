package rights_test

import (
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The asset's holder is a party to every licence over its asset, however
// far down the chain: it may not revoke a sublicence it did not issue, and
// it may not do so as the exchange either. An operator who holds the asset,
// or acts for the holder's enterprise, is refused the exchange's power over
// the rights below the holding; an impartial operator revokes them.
func TestTheHolderDoesNotRevokeAsTheExchange(t *testing.T) {
	f := newFixture(t)
	f.RegisterAsset(t, f.ShOpHold, "a1")
	granted := f.Grant(t, f.ShOpHold, "a1", "js.user", model.RightUse, registertest.ScopeWide)
	sub := f.sublicense(t, f.JsUser, granted.ID, "zj.user", registertest.ScopeNarrow)

	// As holder it may not touch the sublicence (TestRevoke); as the
	// exchange it may not either, nor may its enterprise's other operator.
	f.Refused(t, ledgererr.Forbidden, "", f.ShOpHold, "rights:Revoke", sub.ID, "as the exchange, then")
	f.Refused(t, ledgererr.Forbidden, "", f.ShOpTwin, "rights:Revoke", sub.ID, "for our enterprise")
	assert.Equal(t, model.RightActive, f.Right(t, sub.ID).Status)

	f.Net.Submit(f.ShOp, "rights:Revoke", sub.ID, "breach of scope").MustOK(t)
	assert.Equal(t, model.RightRevoked, f.Right(t, sub.ID).Status)

	// A licence its OPERATION licensee sold in a trade: the buyer paid the
	// licensee, and the holder revokes it no more as the exchange than as
	// holder.
	operation := f.Grant(t, f.ShOpHold, "a1", "js.user", model.RightOperation, registertest.ScopeWide)
	var sold *model.Right
	f.InTx(f.JsUser, func(ctx *contractapi.TransactionContext) error {
		now := registertest.TxNow(t, ctx)
		var err error
		sold, err = rights.Convey(ctx, registertest.Participant(t, ctx, "js.user"), registertest.Participant(t, ctx, "ah.user"), "a1", model.RightUse,
			registertest.ParseScope(t, registertest.ScopeNarrow, now), "trade-1", now)
		return err
	}).MustOK(t)
	assert.Equal(t, operation.ID, sold.ParentRightID)
	f.Refused(t, ledgererr.Forbidden, "", f.ShOpHold, "rights:Revoke", sold.ID, "as the exchange, then")
	f.Refused(t, ledgererr.Forbidden, "", f.ShOpTwin, "rights:Revoke", sold.ID, "for our enterprise")
	f.Net.Submit(f.ShOp, "rights:Revoke", sold.ID, "dispute resolved for the licensee").MustOK(t)
}
