//go:build e2e

package e2e

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/network/demo"
)

type participant struct {
	ID     string   `json:"id"`
	MSPID  string   `json:"mspId"`
	Roles  []string `json:"roles"`
	USCC   string   `json:"uscc"`
	Region string   `json:"region"`
	Status string   `json:"status"`
}

// Every demo member resolves to its own participant record through its own
// org's peer, and other orgs' members read the same record.
func TestParticipantsRegisteredInEveryOrg(t *testing.T) {
	for _, org := range testNet.Config().Orgs {
		for _, role := range []string{"holder", "agency"} {
			m := member(t, org.Key, role)
			var me participant
			evaluate(t, m, &me, "participants:WhoAmI", nil)
			assert.Equal(t, demo.ParticipantID(org.Key, role), me.ID)
			assert.Equal(t, org.MSPID, me.MSPID)
			assert.Equal(t, []string{role}, me.Roles)
			assert.Equal(t, "ACTIVE", me.Status)
		}
	}
	var other participant
	evaluate(t, member(t, "anhui", "buyer"), &other, "participants:Get", []string{demo.ParticipantID("shanghai", "holder")})
	assert.Equal(t, "ShanghaiMSP", other.MSPID)
}

// A transaction with bad input is refused at endorsement with the
// chaincode's code and the field it names, and leaves no trace.
func TestBadInputIsRefusedAndWritesNothing(t *testing.T) {
	admin := member(t, "jiangsu", "Admin")
	buyer, _, err := testNet.Identity("jiangsu", "buyer")
	require.NoError(t, err)
	newID := id("bad-uscc")
	_, err = admin.Submit(callCtx(t), "participants:Register", []string{
		newID, string(buyer.Credentials()), "buyer", "9144030071526726XA", "Bad Code Ltd", "jiangsu",
	})
	e := refused(t, ledgererr.InvalidArgument, err)
	assert.Equal(t, "uscc", e.Field)

	// Text that is not UTF-8 is refused by the real peer's chaincode, not
	// stored as replacement characters (issue 9).
	_, err = admin.Submit(callCtx(t), "participants:Register", []string{
		newID, string(buyer.Credentials()), "buyer", demo.USCC("jiangsu", "buyer"), "Bad \xff Ltd", "jiangsu",
	})
	e = refused(t, ledgererr.InvalidArgument, err)
	assert.Equal(t, "name", e.Field)
	assert.Contains(t, e.Message, "UTF-8")

	_, err = admin.Evaluate(callCtx(t), "participants:Get", []string{newID})
	refused(t, ledgererr.NotFound, err)

	// A client (not an admin) may not register anyone.
	client := member(t, "jiangsu", "buyer")
	_, err = client.Submit(callCtx(t), "participants:Register", []string{
		newID, string(buyer.Credentials()), "buyer", demo.USCC("jiangsu", "buyer"), "X", "jiangsu",
	})
	refused(t, ledgererr.Forbidden, err)
}

// The regulator reads everything and changes nothing: a state change by a
// regulator-only participant is refused on chain.
func TestRegulatorChangesNothing(t *testing.T) {
	regulator := member(t, "anhui", "regulator")
	_, err := regulator.Submit(callCtx(t), "credit:Authorize", []string{id("regulator-auth"), demo.ParticipantID("anhui", "buyer"),
		"anything", time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)})
	e := refused(t, ledgererr.Forbidden, err)
	assert.Contains(t, e.Message, "changes nothing")
	// It reads: every org's participants.
	var page struct {
		Items []participant `json:"items"`
	}
	evaluate(t, regulator, &page, "participants:List", []string{"ShanghaiMSP", "", "100", ""})
	assert.GreaterOrEqual(t, len(page.Items), len(demo.Roles))
}
