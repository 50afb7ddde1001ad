package assets

// Event names. Each state-changing function emits exactly one, at its end.
const (
	EventAssetApplied       = "AssetApplied"
	EventAssetDerived       = "AssetDerived"
	EventAssetReviewed      = "AssetReviewed"
	EventAssetObjected      = "AssetObjected"
	EventObjectionDecided   = "ObjectionDecided"
	EventAssetCertified     = "AssetCertified"
	EventNoticePeriodSet    = "NoticePeriodSet"
	EventRightGranted       = "RightGranted"
	EventRightSublicensed   = "RightSublicensed"
	EventRightRevoked       = "RightRevoked"
	EventHoldingTransferred = "HoldingTransferred"
)

// assetEvent is the payload of the registration events: the IDs that
// changed and the status the asset reached.
type assetEvent struct {
	AssetID        string   `json:"assetId"`
	Status         string   `json:"status"`
	HolderID       string   `json:"holderId"`
	Decision       string   `json:"decision,omitempty"`
	ObjectionID    string   `json:"objectionId,omitempty"`
	CertificateID  string   `json:"certificateId,omitempty"`
	RightID        string   `json:"rightId,omitempty"`
	SourceAssetIDs []string `json:"sourceAssetIds,omitempty"`
}

// rightEvent is the payload of the rights events.
type rightEvent struct {
	RightID         string `json:"rightId"`
	AssetID         string `json:"assetId"`
	Type            string `json:"type"`
	HolderID        string `json:"holderId"`
	Status          string `json:"status"`
	ParentRightID   string `json:"parentRightId,omitempty"`
	PreviousRightID string `json:"previousRightId,omitempty"`
	// DelistedListingIDs are the former holder's listings of the asset that
	// a transfer of the holding took off the market.
	DelistedListingIDs []string `json:"delistedListingIds,omitempty"`
}

// rulesEvent is the payload of NoticePeriodSet.
type rulesEvent struct {
	NoticePeriodSeconds int    `json:"noticePeriodSeconds"`
	OperatorID          string `json:"operatorId"`
}

func rightEventOf(r *Right) rightEvent {
	return rightEvent{RightID: r.ID, AssetID: r.AssetID, Type: r.Type, HolderID: r.HolderID, Status: r.Status, ParentRightID: r.ParentRightID}
}
