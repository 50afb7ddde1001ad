//go:build e2e

package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/config"
	"github.com/deltaledger/deltaledger/model"
)

// On the real four-region network a period's indices are published only
// with a majority of the regions' attestations of the same figures: a peer
// whose org has not attested refuses to endorse, two orgs are not a
// majority, three are.
func TestIndicesArePublishedWithAMajorityOfRegions(t *testing.T) {
	// A past period of its own: every run publishes a new one.
	period := "day:" + time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(time.Now().Unix()/60%9000)).Format(time.DateOnly)
	gws := map[string]*gateway{}
	for _, org := range []string{"shanghai", "jiangsu", "zhejiang", "anhui"} {
		dir := t.TempDir()
		gws[org] = startGateway(t, org, dir, func(c *config.Config) {
			c.Index.Enabled, c.Index.Path, c.Index.Member = true, filepath.Join(dir, "market-index.db"), "regulator"
		})
	}
	stats := gws["shanghai"].must(200, "regulator", "GET", "/v1/market/statistics", nil)
	to := uint64(stats["indexedBlock"].(float64))
	var digests []string
	for _, org := range []string{"shanghai", "jiangsu", "zhejiang"} {
		a := gws[org].must(200, "regulator", "POST", fmt.Sprintf("/v1/indices/%s/attest?toBlock=%d", period, to), nil)
		digests = append(digests, a["digest"].(string))
	}
	assert.Equal(t, digests[0], digests[1], "the regions compute the same figures")
	assert.Equal(t, digests[0], digests[2])

	publish := func(orgs string) answer {
		return gws["shanghai"].call("regulator", "POST", fmt.Sprintf("/v1/indices/%s/publish?toBlock=%d&endorsingOrganizations=%s", period, to, orgs), nil)
	}
	refused := publish("ShanghaiMSP,AnhuiMSP")
	assert.NotEqual(t, 200, refused.Status)
	assert.Contains(t, string(refused.Body), "AnhuiMSP has not attested", "Anhui's peer refuses to endorse")
	assert.NotContains(t, string(refused.Body), "do not match", "the endorsing peers read the same state")
	minority := publish("ShanghaiMSP,JiangsuMSP")
	assert.NotEqual(t, 200, minority.Status, "two of four orgs are no majority: %s", minority.Body)
	assert.Contains(t, string(minority.Body), "ENDORSEMENT_POLICY_FAILURE")
	done := publish("ShanghaiMSP,JiangsuMSP,ZhejiangMSP")
	require.Equal(t, 200, done.Status, "%s", done.Body)

	// Anyone may read and check the publication.
	p := gws["anhui"].must(200, "buyer", "GET", "/v1/indices/"+period, nil)
	assert.Equal(t, model.PublicationPublished, p["status"])
	assert.Equal(t, []any{"JiangsuMSP", "ShanghaiMSP", "ZhejiangMSP"}, p["attestedBy"])
	sum := sha256.Sum256([]byte(p["figures"].(string)))
	assert.Equal(t, hex.EncodeToString(sum[:]), p["figuresHash"])
	assert.Equal(t, digests[0], model.IndicesDigest(period, uint64(p["fromBlock"].(float64)), uint64(p["toBlock"].(float64)),
		p["inputHash"].(string), p["figuresHash"].(string)))
	csv := gws["jiangsu"].call("holder", "GET", "/v1/indices/"+period+"/figures.csv", nil)
	require.Equal(t, 200, csv.Status, "%s", csv.Body)
	assert.True(t, strings.HasPrefix(string(csv.Body), "period,division,level,category,"), "%s", csv.Body)
	again := publish("ShanghaiMSP,JiangsuMSP,ZhejiangMSP")
	assert.Equal(t, 409, again.Status, "a publication is final: %s", again.Body)
}
