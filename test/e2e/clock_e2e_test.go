//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	gatewaypb "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/status"

	"github.com/deltaledger/deltaledger/model"
)

// TestPeersRefuseATimestampTheClientChose sends signed proposals straight to
// a peer's Gateway service, built by hand as any Fabric client may build
// them, with the timestamp set to a time of the client's choosing. The peer
// evaluates and endorses a proposal stamped now, and refuses one stamped
// more than model.MaxClockSkew before or model.MaxClockLead after its clock
// (also one stamped MaxClockSkew ahead, which a lead as long as the skew
// once allowed) with
// INVALID_ARGUMENT naming txTimestamp. A day off, the peer itself refuses
// it before any chaincode runs (peer.authentication.timewindow, 15 minutes
// in this network's core.yaml): the chaincode's bound is the tighter one.
func TestPeersRefuseATimestampTheClientChose(t *testing.T) {
	const org, user = "shanghai", "Admin"
	conn, err := testNet.Conn(org)
	require.NoError(t, err)
	gw := gatewaypb.NewGatewayClient(conn)
	cfg := testNet.Config()

	call := func(stamp time.Time, endorse bool) error {
		signed, txID, err := testNet.ProposalStampedAt(org, user, stamp, "market:GetRules")
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if endorse {
			_, err = gw.Endorse(ctx, &gatewaypb.EndorseRequest{TransactionId: txID, ChannelId: cfg.Channel, ProposedTransaction: signed})
			return err
		}
		_, err = gw.Evaluate(ctx, &gatewaypb.EvaluateRequest{TransactionId: txID, ChannelId: cfg.Channel, ProposedTransaction: signed})
		return err
	}
	for _, endorse := range []bool{false, true} {
		require.NoError(t, call(time.Now(), endorse), "a proposal stamped now (endorse %v)", endorse)
		for _, skew := range []time.Duration{-model.MaxClockSkew - time.Minute, model.MaxClockLead + time.Minute, model.MaxClockSkew} {
			err := call(time.Now().Add(skew), endorse)
			require.Error(t, err, "a proposal stamped %s off (endorse %v) was accepted", skew, endorse)
			assert.Contains(t, gatewayMessages(err), "INVALID_ARGUMENT: txTimestamp: must lie "+model.MaxClockSkew.String()+" before to "+model.MaxClockLead.String()+" after", "stamped %s off (endorse %v)", skew, endorse)
		}
		err := call(time.Now().Add(-24*time.Hour), endorse)
		require.Error(t, err, "a proposal stamped a day ago (endorse %v) was accepted", endorse)
		assert.Contains(t, gatewayMessages(err), "incorrect timestamp", "the peer's own time window")
	}
}

// gatewayMessages is the error's text and the messages of the peers'
// error details, where the Gateway service puts the chaincode's refusal.
func gatewayMessages(err error) string {
	msgs := []string{err.Error()}
	for _, d := range status.Convert(err).Details() {
		if detail, ok := d.(*gatewaypb.ErrorDetail); ok {
			msgs = append(msgs, fmt.Sprintf("%s (%s): %s", detail.Address, detail.MspId, detail.Message))
		}
	}
	return strings.Join(msgs, "\n")
}
