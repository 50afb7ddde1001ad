package assets

import (
	"github.com/deltaledger/deltaledger/chaincode/internal/ledger"
	"github.com/deltaledger/deltaledger/model"
)

// keyRules is the one record of the market-wide registration rules.
const keyRules = "rules"

// rulesName is the attribute of the registration rules' key.
const rulesName = "registration"

// keyOrg is the participants registry's record of an org (participants/
// store.go): one per MSP, written by the org's first registration. The
// majority policy of the rules counts the orgs it lists.
const keyOrg = "org"

func rulesKey(ctx ledger.Context) (string, error) {
	return ledger.Key(ctx, keyRules, rulesName)
}

// getRules reads the registration rules; until an operator sets them, the
// defaults apply.
func getRules(ctx ledger.Context) (*model.Rules, error) {
	key, err := rulesKey(ctx)
	if err != nil {
		return nil, err
	}
	r := &model.Rules{NoticePeriodSeconds: model.DefaultNoticePeriodSeconds}
	if _, err := ledger.Get(ctx, key, r); err != nil {
		return nil, err
	}
	return r, nil
}

// orgMSPs lists the MSP IDs of the orgs known to the registry, in key order.
// The set is one record per member org of the channel, so it is read whole.
func orgMSPs(ctx ledger.Context) ([]string, error) {
	rows, err := ledger.Collect(ctx, keyOrg, nil)
	if err != nil {
		return nil, err
	}
	msps := make([]string, 0, len(rows))
	for _, row := range rows {
		msps = append(msps, row[0])
	}
	return msps, nil
}
