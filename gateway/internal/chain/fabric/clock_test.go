package fabric

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/model"
)

// Endorsers refuse a proposal stamped more than model.MaxClockSkew from
// their clocks. The oldest proposal the gateway sends is one a member who
// signs its own calls signed at the end of routes.SigningTTL, endorsed
// within EndorseTimeout: that must stay inside the bound, with room for the
// sites' clocks to disagree, or honest members' calls would be refused.
func TestTheOldestProposalIsWithinTheClockSkew(t *testing.T) {
	var c Config
	c.defaults()
	oldest := routes.SigningTTL + c.EndorseTimeout
	assert.Less(t, oldest, model.MaxClockSkew, "a proposal may wait %s before a peer simulates it", oldest)
	assert.Less(t, c.EvaluateTimeout, model.MaxClockSkew)
}
