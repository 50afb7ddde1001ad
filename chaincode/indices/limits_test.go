package indices_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/markettest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// sizedFigures is the canonical text of well-formed figures of period p,
// blocks 3 to 40, of exactly size bytes: the delta's figures of as many
// categories as fit, the rest made up by longer counts.
func sizedFigures(t *testing.T, p string, size int) string {
	t.Helper()
	f := markettest.PeriodFigures(p, 3, 40)
	base := len(markettest.Figures(f))
	entry := func(i int, registrations int64) ledgerindex.DivisionFigures {
		return ledgerindex.DivisionFigures{Division: model.DeltaDivision, Level: model.LevelDelta, Category: fmt.Sprintf("c%07d", i),
			Registrations: registrations, DisclosedValueFen: new(big.Int)}
	}
	one, err := json.Marshal(entry(0, 0))
	require.NoError(t, err)
	n := (size - base) / (len(one) + 1) // each with its comma
	short := size - base - n*(len(one)+1)
	for i := range n {
		digits := min(short, 17) // 10^digits is digits bytes longer than 0
		short -= digits
		registrations := int64(0)
		if digits > 0 {
			registrations = int64(math.Pow10(digits))
		}
		f.Divisions = append(f.Divisions, entry(i, registrations))
	}
	slices.SortFunc(f.Divisions, ledgerindex.CompareDivisionFigures)
	text := markettest.Figures(f)
	require.Len(t, text, size)
	return text
}

// The figures a regulator publishes are taken at model.MaxFiguresBytes
// bytes of JSON and refused one byte past it, naming figures and writing
// nothing: the period stays OPEN, to be published with figures in bounds.
func TestTheFiguresStopAtTheirLimit(t *testing.T) {
	f := newFixture(t)
	sh, ah := markettest.Orgs[0], markettest.Orgs[2]
	atLimit := sizedFigures(t, period, model.MaxFiguresBytes)
	pastLimit := sizedFigures(t, period, model.MaxFiguresBytes+1)

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
