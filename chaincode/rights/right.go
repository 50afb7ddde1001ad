package rights

import (
	"fmt"
	"slices"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/assets"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// sealedSince is the interface version from which every right is written
// under a majority of the orgs and marked so (keyRightSealed).
const sealedSince = "15.0.0"

// MaxSublicenseDepth bounds a chain of sublicences, so that checking that a
// right's parents are all ACTIVE stays a few reads.
const MaxSublicenseDepth = 8

// Key types of the rights register.
const (
	keyRight       = "right"
	idxRightHolder = "right~holder" // holderId, assetId (endedAsset once ended), rightId
	idxRightAsset  = "right~asset"  // assetId, rightId
	// keyRightSealed (rightId) marks a right written under a majority of
	// the orgs from its issue on (putRight, from interface 15.0.0). A right
	// recorded before was under its holder's org alone, which could
	// rewrite its record and its key-level policy with it, so neither its
	// record nor its policy tells a true one from a rewritten one; the
	// mark can: a new key needs the chaincode-level policy, a majority of
	// the orgs, and no org creates it alone.
	keyRightSealed = "right~sealed"
)

// endedMark begins the asset attribute of the holder index entry of a right
// that has ended (endedAsset). An asset ID never begins with it
// (model.IDPattern starts with a letter or digit), and it sorts after every
// character an ID begins with.
const endedMark = "~"

// endedAsset is the asset attribute under which the holder index keeps a
// right its holder no longer holds (revoked, renounced, or a holding that
// moved on): rightsOver, which scans the entries
// under (holder, asset) inside submitted transactions, no longer meets it,
// while ListByHolder, which scans those under the holder, still lists it,
// after the rights the holder has.
func endedAsset(assetID string) string { return endedMark + assetID }

// GetRight reads a right, Unsealed when it has no mark (keyRightSealed);
// NOT_FOUND if there is none with that ID.
func GetRight(ctx state.Context, id string) (*model.Right, error) {
	rights, err := getRights(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	return rights[0], nil
}

// getRights reads rights by ID with their marks (keyRightSealed) in one
// request to the peer (state.GetAll), in the order given, each Unsealed
// when it has none; NOT_FOUND if one does not exist. No ID, no request.
func getRights(ctx state.Context, ids []string) ([]*model.Right, error) {
	if len(ids) == 0 {
		return []*model.Right{}, nil
	}
	batch, err := state.NewBatch[model.Right](ctx, keyRight, ids)
	if err != nil {
		return nil, err
	}
	marks, err := state.ReadsOf(ctx, keyRightSealed, ids)
	if err != nil {
		return nil, err
	}
	if err := state.GetAll(ctx, append(batch.Reads(), marks...)...); err != nil {
		return nil, err
	}
	rights := make([]*model.Right, len(ids))
	for i, id := range ids {
		if rights[i] = batch.Record(id); rights[i] == nil {
			return nil, ledgererr.NotFoundf("right %q does not exist", id)
		}
		rights[i].Unsealed = !marks[i].Found
	}
	return rights, nil
}

// readAsOf sets the status of each right to how it reads at now
// (model.StatusInChain): its own as of now, or that of the nearest right up
// its parent chain that does not read ACTIVE, which it names in StatusFrom.
// That is what using it would say (unusable walks the same chain), so a
// sublicence of a revoked right reads REVOKED. The parents are read a
// generation at a time for all the rights at once, each generation in one
// request, and only above rights that still read ACTIVE over the right
// below them (model.Right.StatusAtOver: a renounced right does over a
// right it sold): a page of rights without parents costs no read at all.
func readAsOf(ctx state.Context, rights []*model.Right, now time.Time) error {
	known := make(map[string]*model.Right, len(rights))
	for _, r := range rights {
		known[r.ID] = r
	}
	// A link is a right of a chain and the right below it there (nil for
	// the right the chain is read for): whether the chain goes on above
	// the right depends on both, so a right of the list whose chain stops
	// at it may still be passed through by another's.
	type link struct{ right, below *model.Right }
	generation := make([]link, len(rights))
	for i, r := range rights {
		generation[i] = link{right: r}
	}
	for depth := 0; depth < MaxSublicenseDepth && len(generation) > 0; depth++ {
		var goOn []*model.Right
		var parents []string
		for _, l := range generation {
			if l.right.ParentRightID == "" || l.right.StatusAtOver(l.below, now) != model.RightActive {
				continue
			}
			goOn = append(goOn, l.right)
			if known[l.right.ParentRightID] == nil {
				parents = append(parents, l.right.ParentRightID)
			}
		}
		slices.Sort(parents)
		parents = slices.Compact(parents)
		read, err := getRights(ctx, parents)
		if err != nil {
			return ledgererr.Internalf(err, "reading the parents of rights")
		}
		for _, p := range read {
			known[p.ID] = p
		}
		generation = generation[:0]
		for _, r := range goOn {
			generation = append(generation, link{right: known[r.ParentRightID], below: r})
		}
	}
	// Every status is decided on the records as stored before any is set:
	// a right of the list may be another's parent.
	type reading struct {
		status, from string
		unsealed     bool
	}
	readings := make([]reading, len(rights))
	for i, r := range rights {
		chain := []*model.Right{r}
		for p := known[r.ParentRightID]; p != nil && len(chain) <= MaxSublicenseDepth; p = known[p.ParentRightID] {
			chain = append(chain, p)
		}
		readings[i].status, readings[i].from = model.StatusInChain(chain, now)
		// A right that reads ACTIVE over an unsealed one is unusable as that one is (unusable).
		readings[i].unsealed = slices.ContainsFunc(chain, func(c *model.Right) bool { return c.Unsealed })
	}
	for i, r := range rights {
		r.Status, r.Unsealed = readings[i].status, readings[i].unsealed
		if readings[i].from != r.ID {
			r.StatusFrom = readings[i].from
		}
	}
	return nil
}

// holdingScope is the scope of a HOLDING right issued at now under the
// market rules in force: every region of the market.
func holdingScope(rules *model.Rules, now time.Time) model.Scope {
	return model.Scope{Purpose: model.HoldingPurpose, Regions: rules.Regions(), ValidFrom: state.Format(now), ValidUntil: model.HoldingValidUntil}
}

// newRightID derives the ID of the n-th right a transaction issues from the
// transaction ID, which is unique on the channel: no counter record is
// needed. Every function of this package issues one right per call (n = 1);
// a transaction cannot see its own writes, so a second right in the same
// transaction must be given n = 2 by design, not by reading state.
func newRightID(ctx state.Context, n int) string {
	txID := ctx.GetStub().GetTxID()
	return fmt.Sprintf("R-%s-%d", txID[:min(20, len(txID))], n)
}

// issueRight writes a new right with the given ID and status (ACTIVE, or
// OFFERED for a grant or sublicence its grantee must accept) and indexes it
// by holder and by asset, its key under a majority of the orgs of rules
// (putRight). An offer lapses at model.OfferEnd of the
// transaction's time, which every endorser checked against its clock: no
// caller chooses it. A right keeps its holder and asset for life: only
// ending.end moves its holder index entry.
//
// The ID is new: newRightID keeps 80 bits of the transaction ID, and a
// client chooses the nonce that ID is the hash of, so it could search out a
// transaction whose right would otherwise replace one issued before (a
// licence it sold, which only the exchange revokes).
func issueRight(ctx state.Context, rules *model.Rules, r *model.Right, status string, now time.Time) error {
	if _, err := state.NewKey(ctx, func() error { return ledgererr.Conflictf("right %q already exists", r.ID) }, keyRight, r.ID); err != nil {
		return err
	}
	r.Status = status
	r.IssuedAt, r.UpdatedAt = state.Format(now), state.Format(now)
	if status == model.RightOffered {
		r.OfferExpiresAt = model.OfferEnd(now, r.Scope.ValidUntil)
	}
	if err := putRight(ctx, rules, r); err != nil {
		return err
	}
	if err := state.PutIndex(ctx, keyRightSealed, r.ID); err != nil {
		return err
	}
	if err := state.PutIndex(ctx, idxRightHolder, r.HolderID, r.AssetID, r.ID); err != nil {
		return err
	}
	return state.PutIndex(ctx, idxRightAsset, r.AssetID, r.ID)
}

// ending is how a right ends before its term, by Revoke, Renounce or
// Decline: the status it takes, the action its asset's history records, the
// event that announces it, and the stored statuses it ends (from).
type ending struct {
	status, action, event string
	from                  []string
}

var (
	// A revocation ends an ACTIVE right, or withdraws an OFFERED one. It
	// ends a RENOUNCED one too: that still stands for what it sold
	// (model.Right.StatusOver), which its licensor's revocation ends, and a
	// renunciation must not shield it from that.
	revocation   = ending{model.RightRevoked, model.ActionRevoked, model.EventRightRevoked, []string{model.RightActive, model.RightOffered, model.RightRenounced}}
	renunciation = ending{model.RightRenounced, model.ActionRenounced, model.EventRightRenounced, []string{model.RightActive}}
	declining    = ending{model.RightDeclined, model.ActionDeclined, model.EventRightDeclined, []string{model.RightOffered}}
)

// end ends the right r as e says, by participant byID for reason: it
// writes the right (under a majority of the orgs of rules, putRight), records the end in the asset's history and emits e's
// event. A right whose stored status is not among e.from is a CONFLICT.
//
// The right's holder index entry moves under endedAsset, so that rightsOver
// reads it no more. A right ended before ended rights moved keeps its entry
// where it was: rightsOver reads it and finds it ended, as it always did.
func (e ending) end(ctx state.Context, rules *model.Rules, r *model.Right, byID, reason string) (*model.Right, error) {
	if !slices.Contains(e.from, r.Status) {
		return nil, ledgererr.Conflictf("right %q is already %s", r.ID, r.Status)
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	if err := state.RequireAfterLastChange("right", r.ID, r.UpdatedAt, now); err != nil {
		return nil, err
	}
	r.Status, r.StatusReason, r.UpdatedAt = e.status, reason, state.Format(now)
	if err := putRight(ctx, rules, r); err != nil {
		return nil, err
	}
	if err := unlistFromRightsOver(ctx, r); err != nil {
		return nil, err
	}
	if err := assets.RecordEnded(ctx, r, e.action, byID, reason, now); err != nil {
		return nil, err
	}
	return r, state.Emit(ctx, e.event, rightEventOf(r))
}

// unlistFromRightsOver moves the holder index entry of r, which its holder
// no longer holds, under endedAsset: rightsOver reads it no more.
func unlistFromRightsOver(ctx state.Context, r *model.Right) error {
	if err := state.DelIndex(ctx, idxRightHolder, r.HolderID, r.AssetID, r.ID); err != nil {
		return err
	}
	return state.PutIndex(ctx, idxRightHolder, r.HolderID, endedAsset(r.AssetID), r.ID)
}

// putRight writes a right and puts its key under a majority of the orgs of
// the market rules in force (state.PutUnderMajority), never under one
// party's org: a licence is a contract between its holder and its grantor,
// and what either may do to it alone (the holder renounces, the grantor or
// the exchange revokes, the holding moves with a sale) the chaincode judges
// from their certificates. A key tied to the holder's org let that org
// alone, running chaincode of its own, rewrite its licence (revoked back to
// ACTIVE, its term past its end) and veto its own revocation; one tied to
// both parties' orgs would let either veto the other's step.
//
// It writes no mark (keyRightSealed): a right recorded before 15.0.0 that a
// step rewrites stays Unsealed, for its record may have been rewritten
// before, by its holder's org alone.
func putRight(ctx state.Context, rules *model.Rules, r *model.Right) error {
	key, err := state.Key(ctx, keyRight, r.ID)
	if err != nil {
		return err
	}
	stored := *r
	stored.Unsealed = false // an answer's, never stored
	return state.PutUnderMajority(ctx, key, &stored, rules.MSPIDs())
}

// unusable tells why a right cannot be exercised at now, or returns "" if
// it can. A right is usable while it is marked as written under a majority
// of the orgs (not Unsealed), ACTIVE, its term includes now, and the same
// holds for every right up its parent chain, but that a right its
// holder renounced still stands, within its term, for a right it sold
// (model.Right.StatusOver). The error is only for a failure to read the
// chain.
//
// Revoking a right does not rewrite its sublicences (that would be an
// unbounded cascade of writes in one transaction); instead, whoever uses a
// right walks its chain here, so a revoked or expired parent stops every
// right below it; a read walks it too (readAsOf), so the right reads so.
func unusable(ctx state.Context, r *model.Right, now time.Time) (string, error) {
	var below *model.Right
	for depth := 0; ; depth++ {
		if r.Unsealed {
			return ledgererr.Phrase("right %q was recorded before interface %s under its holder's org's policy alone, which could rewrite it, and entitles nothing: its grantor grants it again", r.ID, sealedSince), nil
		}
		// A right renounced over one it sold still stands for it, but
		// for its term (model.Right.StatusOver).
		if status := r.StatusOver(below); status != model.RightActive {
			return ledgererr.Phrase("right %q is %s", r.ID, status), nil
		}
		if !r.Scope.ActiveAt(now) {
			return ledgererr.Phrase("right %q is valid from %s until %s, not at %s", r.ID, r.Scope.ValidFrom, r.Scope.ValidUntil, state.Format(now)), nil
		}
		// By this peer's clock too: within the stamp's slack, its holder would choose whether the right is in term.
		if !state.ClockReached(r.Scope.ValidFrom) || state.ClockReached(r.Scope.ValidUntil) {
			return ledgererr.Phrase("right %q is valid from %s until %s, and the endorsing peer's clock is not within", r.ID, r.Scope.ValidFrom, r.Scope.ValidUntil), nil
		}
		if r.ParentRightID == "" {
			return "", nil
		}
		if depth >= MaxSublicenseDepth {
			return ledgererr.Phrase("right %q has more than %d parents", r.ID, MaxSublicenseDepth), nil
		}
		parent, err := GetRight(ctx, r.ParentRightID)
		if err != nil {
			return "", ledgererr.Internalf(err, "reading parent of right %q", r.ID)
		}
		below, r = r, parent
	}
}

// chainDepth counts the parents of a right.
func chainDepth(ctx state.Context, r *model.Right) (int, error) {
	depth := 0
	for r.ParentRightID != "" && depth <= MaxSublicenseDepth {
		parent, err := GetRight(ctx, r.ParentRightID)
		if err != nil {
			return 0, err
		}
		r, depth = parent, depth+1
	}
	return depth, nil
}

// rightsOver returns the rights a participant holds over one asset, in key
// order, without the rights it no longer holds because they were revoked or
// renounced (ending.end) or, being its holding, moved on (transferHolding).
// The set is bounded by what one party was granted over one asset, and a
// licensee renounces what it was given against its will, so it is read
// whole, inside submitted transactions too.
func rightsOver(ctx state.Context, holderID, assetID string) ([]*model.Right, error) {
	rows, err := state.Collect(ctx, idxRightHolder, []string{holderID, assetID})
	if err != nil {
		return nil, err
	}
	rights := make([]*model.Right, 0, len(rows))
	for _, row := range rows {
		r, err := GetRight(ctx, row[0])
		if err != nil {
			return nil, err
		}
		// The index entry has no key-level policy, unlike the right, so
		// orgs running chaincode of their own could plant one naming
		// another's right: it counts only if the right agrees.
		if r.HolderID == holderID && r.AssetID == assetID {
			rights = append(rights, r)
		}
	}
	return rights, nil
}

// requireUnpromised refuses to encumber a holding promised to a trade: while
// a trade holds the lock, the holder grants and sells no licence over the
// asset, so that the buyer of the holding receives it with the rights it
// saw when the trade was accepted.
func requireUnpromised(a *model.Asset) error {
	if a.HoldingLockedBy != "" {
		return ledgererr.Conflictf("the holding of asset %q is promised to a trade: no licence is issued from it until that trade ends", a.ID)
	}
	return nil
}
