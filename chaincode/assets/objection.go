package assets

import (
	"github.com/deltaledger/deltaledger/chaincode/internal/ledger"
	"github.com/deltaledger/deltaledger/chaincode/ledgererr"
)

// Statuses of an objection.
const (
	ObjectionOpen      = "OPEN"
	ObjectionUpheld    = "UPHELD"
	ObjectionDismissed = "DISMISSED"
)

// Decisions on an application and on an objection.
const (
	DecisionApprove = "APPROVE"
	DecisionReject  = "REJECT"
	DecisionUphold  = "UPHOLD"
	DecisionDismiss = "DISMISS"
)

// Objection is an objection (异议) filed against an application during its
// public-notice period, and the exchange's answer to it. It is a record of
// its own, so that filing one does not write the asset (which needs the
// holder's org to endorse).
type Objection struct {
	ID          string `json:"id"`
	AssetID     string `json:"assetId"`
	ObjectorID  string `json:"objectorId"`
	ObjectorMSP string `json:"objectorMsp"`
	Reason      string `json:"reason"`
	Status      string `json:"status"`
	// DecisionReason is the exchange's answer.
	DecisionReason string `json:"decisionReason,omitempty" metadata:",optional"`
	DecidedBy      string `json:"decidedBy,omitempty" metadata:",optional"`
	FiledAt        string `json:"filedAt"`
	DecidedAt      string `json:"decidedAt,omitempty" metadata:",optional"`
}

// ObjectionList is the objections filed against one asset.
type ObjectionList struct {
	AssetID string       `json:"assetId"`
	Items   []*Objection `json:"items"`
}

func getObjection(ctx ledger.Context, assetID, id string) (*Objection, error) {
	key, err := ledger.Key(ctx, keyObjection, assetID, id)
	if err != nil {
		return nil, err
	}
	var o Objection
	found, err := ledger.Get(ctx, key, &o)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, ledgererr.NotFoundf("objection %q against asset %q does not exist", id, assetID)
	}
	return &o, nil
}

// putObjection writes an objection. Its key belongs to the reviewing
// exchange's org, so that only that org can endorse the decision on it.
func putObjection(ctx ledger.Context, o *Objection, exchangeMSP string) error {
	key, err := ledger.Key(ctx, keyObjection, o.AssetID, o.ID)
	if err != nil {
		return err
	}
	if err := ledger.Put(ctx, key, o); err != nil {
		return err
	}
	return ledger.RequireOrgs(ctx, key, exchangeMSP)
}

// objectionsOf reads every objection against an asset. Objections can be
// filed only during one notice period, so the set is bounded and is read
// whole, also by Certify inside its transaction: the range read makes an
// objection committed concurrently invalidate the certification.
func objectionsOf(ctx ledger.Context, assetID string) ([]*Objection, error) {
	rows, err := ledger.Collect(ctx, keyObjection, []string{assetID})
	if err != nil {
		return nil, err
	}
	list := make([]*Objection, 0, len(rows))
	for _, row := range rows {
		o, err := getObjection(ctx, assetID, row[0])
		if err != nil {
			return nil, err
		}
		list = append(list, o)
	}
	return list, nil
}
