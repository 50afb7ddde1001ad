package rights

import "github.com/deltaledger/deltaledger/model"

// rightEventOf is the payload of a rights event about r.
func rightEventOf(r *model.Right) model.RightEvent {
	return model.RightEvent{RightID: r.ID, AssetID: r.AssetID, Type: r.Type, HolderID: r.HolderID, Status: r.Status, ParentRightID: r.ParentRightID}
}
