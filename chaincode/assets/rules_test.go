package assets_test

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

var rulesKey = key("rules", "registration")

func TestNoticePeriodDefaultsToThreeDays(t *testing.T) {
	f := newFixture(t)
	var rules model.Rules
	f.net.Evaluate(f.ahUser, "assets:GetRules").Unmarshal(t, &rules)
	assert.Equal(t, model.Rules{NoticePeriodSeconds: 259200}, rules)
	assert.Nil(t, f.net.Ledger().State(rulesKey))
}

func TestSetNoticePeriod(t *testing.T) {
	f := newFixture(t)
	f.refused(t, ledgererr.Forbidden, "", f.holder, "assets:SetNoticePeriod", "86400")
	f.refused(t, ledgererr.Forbidden, "", f.outsider, "assets:SetNoticePeriod", "86400")
	for _, bad := range []string{"", "0", "2592001", "-5", "24.5", "024", "three"} {
		f.refused(t, ledgererr.InvalidArgument, "seconds", f.shOp, "assets:SetNoticePeriod", bad)
	}

	// The first setting needs only the chaincode policy; it puts the record
	// under a majority of the four orgs in the registry.
	var rules model.Rules
	f.net.Submit(f.shOp, "assets:SetNoticePeriod", "86400").Unmarshal(t, &rules)
	assert.Equal(t, 86400, rules.NoticePeriodSeconds)
	assert.Equal(t, "sh.op", rules.UpdatedBy)
	assert.Equal(t, model.EventNoticePeriodSet, f.lastEvent(t).Name)
	assert.JSONEq(t, `{"noticePeriodSeconds":86400,"operatorId":"sh.op"}`, string(f.lastEvent(t).Payload))

	env := mustPolicy(t, f.net.Ledger().ValidationParameter(rulesKey))
	var orgs []string
	for _, id := range env.Identities {
		var role msp.MSPRole
		require.NoError(t, proto.Unmarshal(id.Principal, &role))
		assert.Equal(t, msp.MSPRole_PEER, role.Role)
		orgs = append(orgs, role.MspIdentifier)
	}
	assert.Equal(t, []string{anhuiMSP, jiangsuMSP, shanghaiMSP, zhejiangMSP}, orgs)
	assert.Equal(t, int32(3), env.Rule.GetNOutOf().GetN())
	assert.Error(t, chaincodetest.EvaluatePolicy(env, []string{shanghaiMSP, jiangsuMSP}))
	assert.NoError(t, chaincodetest.EvaluatePolicy(env, []string{shanghaiMSP, jiangsuMSP, anhuiMSP}))

	// From now on one region alone cannot change the rules: the harness
	// refuses to commit a change endorsed by fewer than three orgs.
	for _, endorsers := range [][]string{{shanghaiMSP}, {shanghaiMSP, jiangsuMSP}} {
		before := f.snapshot()
		r := f.net.Invoke(f.shOp, chaincodetest.Call{Function: "assets:SetNoticePeriod", Args: []string{"1"}, PeerMSP: shanghaiMSP, Endorsers: endorsers})
		require.Error(t, r.Err)
		assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
		assert.Equal(t, before.state, f.snapshot().state)
	}
	f.net.Evaluate(f.ahUser, "assets:GetRules").Unmarshal(t, &rules)
	assert.Equal(t, 86400, rules.NoticePeriodSeconds)

	r := f.net.Invoke(f.jsOp, chaincodetest.Call{Function: "assets:SetNoticePeriod", Args: []string{"48"}, Endorsers: []string{jiangsuMSP, zhejiangMSP, anhuiMSP}})
	require.NoError(t, r.Err)
	assert.Equal(t, "VALID", r.ValidationCode)
	f.net.Evaluate(f.ahUser, "assets:GetRules").Unmarshal(t, &rules)
	assert.Equal(t, model.Rules{NoticePeriodSeconds: 48, UpdatedBy: "js.op", UpdatedAt: rules.UpdatedAt}, rules)

	// The gateway's endorsement planning finds a majority by itself.
	f.net.Submit(f.shOp, "assets:SetNoticePeriod", "43200").MustOK(t)

	// Applications approved from now on get the new period.
	f.apply(t, f.holder, "a1")
	reviewAt := f.net.Now()
	var a model.Asset
	f.net.Submit(f.shOp, "assets:Review", "a1", "APPROVE", "").Unmarshal(t, &a)
	assert.Equal(t, reviewAt.Add(12*time.Hour).Format(time.RFC3339), a.NoticeEndsAt)
	f.net.Advance(12 * time.Hour)
	f.net.Submit(f.holder, "assets:Certify", "a1").MustOK(t)
}
