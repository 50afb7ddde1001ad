package indices_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
)

// The figures a regulator publishes are taken at model.MaxFiguresBytes
// bytes of JSON and refused one byte past it, naming figures and writing
// nothing: the period stays OPEN, to be published with figures in bounds.
func TestTheFiguresStopAtTheirLimit(t *testing.T) {
	f := newFixture(t)
	sh, ah := markettest.Orgs[0], markettest.Orgs[2]
	const shell = `{"pad":""}`
	atLimit := `{"pad":"` + strings.Repeat("a", model.MaxFiguresBytes-len(shell)) + `"}`
	require.Len(t, atLimit, model.MaxFiguresBytes)
	pastLimit := `{"pad":"` + strings.Repeat("a", model.MaxFiguresBytes+1-len(shell)) + `"}`

	f.Submit("reg-0", "indices:Open", period).MustOK(t)
	for _, i := range []int{0, 2} {
		f.attest(t, i, atLimit).MustOK(t)
	}
	f.Refuse(t, "INVALID_ARGUMENT", "figures", func() chaincodetest.Result { return f.publishOf(period, pastLimit, sh, ah) })

	var p model.Publication
	f.publishOf(period, atLimit, sh, ah).Unmarshal(t, &p)
	assert.Equal(t, model.PublicationPublished, p.Status)
	assert.Equal(t, model.FiguresHash(atLimit), p.FiguresHash)
}
