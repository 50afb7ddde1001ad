package client

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
)

// CertifyAfterNotice certifies no earlier than the notice end the ledger
// recorded, and at once when the asset is not in notice (the chaincode
// answers); a notice end it cannot read sends nothing.
func TestCertifyAfterNoticeWaitsForTheRecordedEnd(t *testing.T) {
	asset := model.Asset{AssetDescription: model.AssetDescription{ID: "a-1"}, Status: model.AssetPublicNotice}
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodGet {
			_ = json.NewEncoder(w).Encode(asset)
			return
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"transaction_id":"tx","block_number":9,"result":{"id":"a-1","status":"REGISTERED"}}`))
	})
	ctx := context.Background()

	end := time.Now().Add(90 * time.Minute).UTC()
	asset.NoticeEndsAt = end.Format(time.RFC3339)
	res, err := g.c.Assets().CertifyAfterNotice(ctx, "a-1")
	require.NoError(t, err)
	assert.Equal(t, model.AssetRegistered, res.Result.Status)
	waits := g.waits()
	require.Len(t, waits, 1, "it waited once, then certified")
	assert.InDelta(t, time.Until(end).Seconds(), waits[0].Seconds(), 2, "until the recorded end, not a guess")
	reqs := g.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "/v1/assets/a-1", reqs[0].Path)
	assert.Equal(t, "/v1/assets/a-1/certify", reqs[1].Path)

	asset.NoticeEndsAt = time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	_, err = g.c.Assets().CertifyAfterNotice(ctx, "a-1")
	require.NoError(t, err)
	assert.Len(t, g.waits(), 1, "a notice that has ended is not waited for")

	asset.Status, asset.NoticeEndsAt = model.AssetPendingReview, ""
	_, err = g.c.Assets().CertifyAfterNotice(ctx, "a-1")
	require.NoError(t, err, "not in notice: certified at once, the chaincode decides")
	assert.Len(t, g.waits(), 1)

	asset.Status, asset.NoticeEndsAt = model.AssetPublicNotice, "soon"
	before := len(g.requests())
	_, err = g.c.Assets().CertifyAfterNotice(ctx, "a-1")
	require.ErrorContains(t, err, "noticeEndsAt")
	assert.Len(t, g.requests(), before+1, "only the read was sent")
}
