package participants

import (
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// RequireImpartial refuses a participant who would decide a case it is a
// party of, or in which it acts for the same enterprise (USCC) as a party:
// nobody decides their own case. Exchanges' operators call it before they
// review, decide an objection, resolve a dispute, record a payment or revoke
// a right as the exchange. partyIDs name the case's parties; empty IDs are
// skipped. what names the case in the refusal, e.g. `the dispute of trade
// "T1"`.
func RequireImpartial(ctx state.Context, judge *model.Participant, what string, partyIDs ...string) error {
	for _, id := range partyIDs {
		if id == "" {
			continue
		}
		if id == judge.ID {
			return ledgererr.Forbiddenf("participant %q is a party of %s and cannot decide it", judge.ID, what)
		}
		party, err := Get(ctx, id)
		if err != nil {
			return err
		}
		if party.USCC == judge.USCC {
			return ledgererr.Forbiddenf("participant %q acts for %s, the enterprise of %q, a party of %s, and cannot decide it", judge.ID, judge.USCC, party.ID, what)
		}
	}
	return nil
}
