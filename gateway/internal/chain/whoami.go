package chain

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/deltaledger/deltaledger/internal/ctxsleep"
	"github.com/deltaledger/deltaledger/model"
)

// whoAmI is the chaincode function that answers the caller's own participant record, as the market rules read it.
var whoAmI = model.ParticipantsContract.Name + ":WhoAmI"

// WhoAmI reads member's participant record from the ledger (participants:WhoAmI, evaluated as member), uncached:
// the chaincode judges a caller's standing at each call, so a suspension or a change of roles shows at once.
func WhoAmI(ctx context.Context, l Ledger, member string) (*model.Participant, error) {
	b, err := l.Evaluate(ctx, member, whoAmI, nil)
	if err != nil {
		return nil, err
	}
	var p model.Participant
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s answered something other than a participant: %w", whoAmI, err)
	}
	return &p, nil
}

// AwaitWhoAmI reads member's participant record as WhoAmI does, again every d after a failure, which it hands to
// failed, until a read succeeds; nil if ctx ended first. A background worker reads so as whom it acts.
func AwaitWhoAmI(ctx context.Context, l Ledger, member string, d time.Duration, failed func(error)) *model.Participant {
	var me *model.Participant
	ctxsleep.Until(ctx, d, func() bool {
		p, err := WhoAmI(ctx, l, member)
		if err != nil {
			failed(err)
			return false
		}
		me = p
		return true
	})
	return me
}
