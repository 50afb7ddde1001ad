package assets

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/domain"
	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Contract is the asset register, named "assets" on the channel: the
// registration procedure and the queries about assets.
type Contract struct {
	state.Contract
	rights Rights
	trades Trades
}

// Rights is what the registration procedure needs of the rights register
// (package rights, which depends on this package and so is passed in).
type Rights interface {
	// IssueHolding issues the HOLDING right of asset a, being certified
	// with certificateID at now under rules, the market rules in force, to
	// its holder.
	IssueHolding(ctx state.Context, a *model.Asset, certificateID string, rules *model.Rules, now time.Time) (*model.Right, error)
	// MayProcess returns the right that entitles p to process source for
	// purpose in region at now, or the refusal saying why none does.
	MayProcess(ctx state.Context, p *model.Participant, source *model.Asset, region, purpose string, now time.Time) (*model.Right, error)
	// AnyIssuedOver reports whether any right was ever issued over the
	// asset: whether it was ever certified.
	AnyIssuedOver(ctx state.Context, assetID string) (bool, error)
}

// New returns the assets contract, which issues and checks rights through
// rights and shows the IDs of trades to those trades lets read them.
func New(rights Rights, trades Trades) *Contract {
	return &Contract{Contract: state.Declare(model.AssetsContract), rights: rights, trades: trades}
}

// parseApplication checks the description of an application, shared by
// Apply and Derive, and returns it.
func parseApplication(id, name, category, sourceRegion, description, contentHash string) (model.AssetDescription, error) {
	if err := validate.ID("id", id); err != nil {
		return model.AssetDescription{}, err
	}
	if err := validate.Text("name", name, model.MaxAssetNameLength); err != nil {
		return model.AssetDescription{}, err
	}
	if err := validate.Slug("category", category, model.MaxCategoryLength); err != nil {
		return model.AssetDescription{}, err
	}
	if err := validate.Region("sourceRegion", sourceRegion); err != nil {
		return model.AssetDescription{}, err
	}
	if err := validate.Text("description", description, model.MaxAssetDescriptionLength); err != nil {
		return model.AssetDescription{}, err
	}
	if err := validate.SHA256Hex("contentHash", contentHash); err != nil {
		return model.AssetDescription{}, err
	}
	return model.AssetDescription{ID: id, Name: name, Category: category, SourceRegion: sourceRegion, Description: description, ContentHash: contentHash}, nil
}

// Apply files an application to register a data asset. The caller, a
// participant with role holder, is the applicant and the initial holder; its
// region's exchange runs the procedure. category is a lowercase slug such as
// finance or smart-city; sourceRegion is where the data comes from;
// contentHash is the SHA-256 hex of the data or its canonical manifest, and
// can be registered once: CONFLICT while another application with it is not
// REJECTED or WITHDRAWN, or was ever registered. The application is
// PENDING_REVIEW.
func (c *Contract) Apply(ctx contractapi.TransactionContextInterface, id, name, category, sourceRegion, description, contentHash string) (*model.Asset, error) {
	app, err := parseApplication(id, name, category, sourceRegion, description, contentHash)
	if err != nil {
		return nil, err
	}
	applicant, rules, err := admit(ctx, c.rights, app)
	if err != nil {
		return nil, err
	}
	a, err := fileApplication(ctx, app, applicant, rules, nil, "", nil)
	if err != nil {
		return nil, err
	}
	return a, state.Emit(ctx, model.EventAssetApplied, model.AssetEvent{AssetID: a.ID, Status: a.Status, HolderID: a.HolderID})
}

// Derive files an application to register a data product made from other
// registered assets, listed in sourceAssetIds (comma-separated, 1 to 20,
// unique), for purpose: what the sources are processed for. The caller must
// be able to process each source for that purpose at the transaction time:
// it holds the source, or holds a USE right over it that is usable now
// (ACTIVE, in term, parent chain ACTIVE), licensed for exactly that purpose
// and whose regions include sourceRegion. An OPERATION right does not
// entitle processing. The lineage, the purpose and the right that entitled
// the caller to each source (its HOLDING right, or the USE right) are
// recorded on the product; the lineage is indexed from each source, and each
// source's history records the product and the right it was derived under.
// The application then follows the same procedure as Apply.
func (c *Contract) Derive(ctx contractapi.TransactionContextInterface, id, name, category, sourceRegion, description, contentHash, sourceAssetIds, purpose string) (*model.Asset, error) {
	app, err := parseApplication(id, name, category, sourceRegion, description, contentHash)
	if err != nil {
		return nil, err
	}
	sources, err := parseSourceIDs(sourceAssetIds, id)
	if err != nil {
		return nil, err
	}
	if err := validate.Text("purpose", purpose, model.MaxScopePurposeLength); err != nil {
		return nil, err
	}
	applicant, rules, err := admit(ctx, c.rights, app)
	if err != nil {
		return nil, err
	}
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	entitlements := make([]model.Entitlement, 0, len(sources))
	for _, sourceID := range sources {
		source, err := GetAsset(ctx, sourceID)
		if err != nil {
			return nil, err
		}
		if err := RequireRegistered(source); err != nil {
			return nil, err
		}
		right, err := c.rights.MayProcess(ctx, applicant, source, sourceRegion, purpose, now)
		if err != nil {
			return nil, err
		}
		entitlements = append(entitlements, model.Entitlement{SourceAssetID: sourceID, RightID: right.ID, RightType: right.Type})
	}
	a, err := fileApplication(ctx, app, applicant, rules, sources, purpose, entitlements)
	if err != nil {
		return nil, err
	}
	for _, e := range entitlements {
		if err := state.PutIndex(ctx, idxDerived, e.SourceAssetID, a.ID); err != nil {
			return nil, err
		}
		if err := AppendHistory(ctx, e.SourceAssetID, &model.HistoryEntry{
			Action: model.ActionSourceOf, By: applicant.ID, ProductID: a.ID, RightID: e.RightID, RightType: e.RightType, RightHolderID: applicant.ID,
		}); err != nil {
			return nil, err
		}
	}
	return a, state.Emit(ctx, model.EventAssetDerived, model.AssetEvent{AssetID: a.ID, Status: a.Status, HolderID: a.HolderID, SourceAssetIDs: sources})
}

// parseSourceIDs parses the comma-separated source asset IDs of Derive.
func parseSourceIDs(s, derivedID string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, ledgererr.Invalid("sourceAssetIds", "is required: 1 to %d comma-separated asset IDs", model.MaxSources)
	}
	parts := strings.Split(s, ",")
	if len(parts) > model.MaxSources {
		return nil, ledgererr.Invalid("sourceAssetIds", "must name at most %d assets, got %d", model.MaxSources, len(parts))
	}
	ids := make([]string, 0, len(parts))
	for i, p := range parts {
		field := "sourceAssetIds[" + strconv.Itoa(i) + "]"
		p = strings.TrimSpace(p)
		if err := validate.ID(field, p); err != nil {
			return nil, err
		}
		if slices.Contains(ids, p) {
			return nil, ledgererr.Invalid(field, "names %q twice", p)
		}
		if p == derivedID {
			return nil, ledgererr.Invalid(field, "must not name the derived asset itself")
		}
		ids = append(ids, p)
	}
	return ids, nil
}

// admit checks an application's applicant and its claims, as Apply and
// Derive both do: the caller must be a holder, the source region one of the
// market rules in force, and neither the asset ID nor the content hash
// taken. The reads go to the peer together with the caller's. It returns
// the applicant and the market rules in force.
func admit(ctx state.Context, rights Rights, app model.AssetDescription) (*model.Participant, *model.Rules, error) {
	taken, err := newTakenReads(ctx, app)
	if err != nil {
		return nil, nil, err
	}
	applicant, rules, err := participants.CallerWithRoleAndRules(ctx, taken.reads(), model.RoleHolder)
	if err != nil {
		return nil, nil, err
	}
	if err := domain.ValidateRegion("sourceRegion", app.SourceRegion, rules); err != nil {
		return nil, nil, err
	}
	if err := taken.check(ctx, rights, app); err != nil {
		return nil, nil, err
	}
	return applicant, rules, nil
}

// takenReads are the reads that tell whether an application's ID is taken
// and its content hash registered or under registration. They depend on
// nothing the caller is, so they go to the peer in the caller resolution's
// request (participants.CallerWithRoleReading).
type takenReads struct {
	asset, claim state.Read
	other        string // the asset that claimed the content hash
}

func newTakenReads(ctx state.Context, app model.AssetDescription) (*takenReads, error) {
	key, err := state.Key(ctx, keyAsset, app.ID)
	if err != nil {
		return nil, err
	}
	hashKey, err := state.Key(ctx, keyContentHash, app.ContentHash)
	if err != nil {
		return nil, err
	}
	t := &takenReads{asset: state.Read{Key: key}}
	t.claim = state.Read{Key: hashKey, Into: &t.other}
	return t, nil
}

func (t *takenReads) reads() []*state.Read { return []*state.Read{&t.asset, &t.claim} }

// check refuses an ID already taken and a content hash already registered
// or under registration (the reads made). An asset that reads REJECTED or
// WITHDRAWN frees its content hash only if no right was ever issued over
// it: an asset registered before interface 17.0.0 is its holder's org's,
// which could write it so to register the same content again under another
// ID.
func (t *takenReads) check(ctx state.Context, rights Rights, app model.AssetDescription) error {
	if t.asset.Found {
		return ledgererr.Conflictf("asset %q already exists", app.ID)
	}
	if !t.claim.Found {
		return nil
	}
	a, err := GetAsset(ctx, t.other)
	if err != nil {
		return err
	}
	status := a.Status
	if status == model.AssetRejected || status == model.AssetWithdrawn {
		certified, err := rights.AnyIssuedOver(ctx, a.ID)
		if err != nil || !certified {
			return err
		}
		status = model.AssetRegistered
	}
	return ledgererr.Conflictf("content hash %s is already registered by asset %q (%s)", app.ContentHash, a.ID, status)
}

// fileApplication writes a new application, under a majority of the orgs of
// rules (putApplication) and marked so (keyAssetSealed), with its
// content-hash and holder index entries; a derived product has sources, the
// purpose they are processed for and the rights that entitled the applicant
// to process them.
// The record names the application's transaction: it is the first entry of
// the asset's history (applicationEntry), so the application writes no
// history key of its own.
func fileApplication(ctx state.Context, app model.AssetDescription, applicant *model.Participant, rules *model.Rules, sources []string, purpose string, entitlements []model.Entitlement) (*model.Asset, error) {
	now, err := state.Now(ctx)
	if err != nil {
		return nil, err
	}
	if sources == nil {
		sources = []string{}
	}
	at := state.Format(now)
	a := &model.Asset{
		AssetDescription: app, Sources: sources, Purpose: purpose, Entitlements: entitlements,
		ApplicantID: applicant.ID, ExchangeRegion: applicant.Region, Division: applicant.Division,
		HolderID: applicant.ID, HolderMSP: applicant.MSPID,
		Status: model.AssetPendingReview, AppliedAt: at, UpdatedAt: at, ApplicationTxID: ctx.GetStub().GetTxID(),
	}
	if err := putApplication(ctx, a, rules); err != nil {
		return nil, err
	}
	if err := state.PutIndex(ctx, keyAssetSealed, a.ID); err != nil {
		return nil, err
	}
	hashKey, err := state.Key(ctx, keyContentHash, a.ContentHash)
	if err != nil {
		return nil, err
	}
	if err := state.Put(ctx, hashKey, a.ID); err != nil {
		return nil, err
	}
	if err := state.PutIndex(ctx, idxHolder, a.HolderID, a.ID); err != nil {
		return nil, err
	}
	return a, nil
}

// exchangeOperator resolves the caller as an operator of the exchange that
// runs the procedure of asset id, reading the asset with its mark
// (applicationReads) in the caller resolution's first request, and returns
// them with the market rules in force.
func exchangeOperator(ctx state.Context, id string) (*application, *model.Participant, *model.Rules, error) {
	reads, err := newApplicationReads(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	op, rules, err := participants.CallerWithRoleAndRules(ctx, reads.reads(), model.RoleOperator)
	if err != nil {
		return nil, nil, nil, err
	}
	app, err := reads.application()
	if err != nil {
		return nil, nil, nil, err
	}
	if op.Region != app.ExchangeRegion {
		return nil, nil, nil, ledgererr.Forbiddenf("asset %q is registered by the %s exchange; operator %q belongs to %s", app.ID, app.ExchangeRegion, op.ID, op.Region)
	}
	return app, op, rules, nil
}

// requireNeverCertified refuses (CONFLICT) an asset over which any right
// was ever issued: it was certified, and an asset registered before
// interface 17.0.0 is its holder's org's, which could write it back into an
// application, or delete it and apply again under its ID, to have a second
// holding issued, one to sell and one to keep. An asset is reviewed and
// certified once.
func (c *Contract) requireNeverCertified(ctx state.Context, id string) error {
	certified, err := c.rights.AnyIssuedOver(ctx, id)
	if err != nil {
		return err
	}
	if certified {
		return ledgererr.Conflictf("asset %q was registered before, and rights were issued over it: it is neither reviewed nor certified again", id)
	}
	return nil
}

// reseal puts an application without the mark (keyAssetSealed), one
// recorded before interface 16.0.0 under its holder's org alone, under a
// majority of the orgs of rules from this review on, its objections too,
// and marks it. Its records may have been rewritten before: the review
// decides the application again, and an approval starts a new notice. A
// registered asset has no mark either, once certified: it is refused
// (requireNeverCertified).
func (c *Contract) reseal(ctx state.Context, a *model.Asset, rules *model.Rules) error {
	if err := c.requireNeverCertified(ctx, a.ID); err != nil {
		return err
	}
	objections, err := objectionsOf(ctx, a.ID)
	if err != nil {
		return err
	}
	open := map[string]bool{}
	for _, o := range objections {
		open[o.ObjectorID] = open[o.ObjectorID] || o.Status == model.ObjectionOpen
		if err := putObjection(ctx, o, rules); err != nil {
			return err
		}
	}
	// An objector whose objection that org rewrote as decided, or deleted,
	// objects again in the new notice: its open entry (a key of no
	// key-level policy, which that org could not clear) goes.
	objectors, err := state.CollectIDs(ctx, keyOpenObjection, []string{a.ID})
	if err != nil {
		return err
	}
	for _, objector := range objectors {
		if open[objector] {
			continue
		}
		if err := state.DelIndex(ctx, keyOpenObjection, a.ID, objector); err != nil {
			return err
		}
	}
	return state.PutIndex(ctx, keyAssetSealed, a.ID)
}

// Review is the exchange's decision on an application PENDING_REVIEW:
// decision APPROVE or REJECT, by an operator of the applicant's regional
// exchange who is impartial: neither the applicant nor the holder, nor acting
// for their enterprise (see participants.RequireImpartial). REJECT needs a
// reason. APPROVE
// publishes the application until now plus the notice period
// (PUBLIC_NOTICE).
//
// An application recorded before interface 16.0.0 was under its holder's
// org alone, which could have rewritten it; Certify refuses it, and the
// exchange reviews it again, PENDING_REVIEW or PUBLIC_NOTICE (then with a
// notice that starts anew): the review puts it and its objections under a
// majority of the orgs and marks it (reseal). CONFLICT for a registered
// asset its holder's org wrote back into an application.
func (c *Contract) Review(ctx contractapi.TransactionContextInterface, id, decision, reason string) (*model.Asset, error) {
	if err := validate.ID("id", id); err != nil {
		return nil, err
	}
	if err := validate.OneOf("decision", decision, model.ReviewDecisions...); err != nil {
		return nil, err
	}
	if err := validate.TextRequiredIf(decision == model.DecisionReject, "reason", reason, model.MaxAssetReasonLength); err != nil {
		return nil, err
	}
	app, op, rules, err := exchangeOperator(ctx, id)
	if err != nil {
		return nil, err
	}
	a := app.Asset
	if err := participants.RequireImpartial(ctx, op, ledgererr.Phrase("the application of asset %q", id), a.ApplicantID, a.HolderID); err != nil {
		return nil, err
	}
	if a.Status != model.AssetPendingReview && (app.sealed || a.Status != model.AssetPublicNotice) {
		return nil, ledgererr.Conflictf("asset %q is %s, not %s", id, a.Status, model.AssetPendingReview)
	}
	now, err := ChangeTime(ctx, a)
	if err != nil {
		return nil, err
	}
	a.Status, a.StatusReason = model.AssetRejected, reason
	if decision == model.DecisionApprove {
		a.Status, a.NoticeEndsAt = model.AssetPublicNotice, state.Format(now.Add(rules.NoticePeriod()))
	}
	a.ReviewerID, a.ExchangeMSP = op.ID, op.MSPID
	a.ReviewedAt, a.UpdatedAt = state.Format(now), state.Format(now)
	if !app.sealed {
		if err := c.reseal(ctx, a, rules); err != nil {
			return nil, err
		}
	}
	if err := putApplication(ctx, a, rules); err != nil {
		return nil, err
	}
	if err := AppendHistory(ctx, id, &model.HistoryEntry{
		Action: model.ActionReviewed, By: op.ID, AssetStatus: a.Status, HolderID: a.HolderID, Decision: decision, Reason: reason,
	}); err != nil {
		return nil, err
	}
	return a, state.Emit(ctx, model.EventAssetReviewed, model.AssetEvent{AssetID: id, Status: a.Status, HolderID: a.HolderID, Decision: decision})
}

// Object files an objection (异议) against an application in its
// public-notice period; any active participant may, one objection open at a
// time: CONFLICT while the caller's previous objection against the same
// application is OPEN, and CONFLICT when no active operator of the exchange
// could decide it (each is the objector, the applicant or the holder, or
// acts for one of their enterprises). objectionId is chosen by the objector and is unique
// per asset. The objection is OPEN until the exchange decides it;
// certification waits for that.
func (c *Contract) Object(ctx contractapi.TransactionContextInterface, objectionId, assetId, reason string) (*model.Objection, error) {
	if err := validate.ID("objectionId", objectionId); err != nil {
		return nil, err
	}
	if err := validate.ID("assetId", assetId); err != nil {
		return nil, err
	}
	if err := validate.Text("reason", reason, model.MaxAssetReasonLength); err != nil {
		return nil, err
	}
	objector, rules, err := participants.ActorWithRules(ctx)
	if err != nil {
		return nil, err
	}
	a, err := GetAsset(ctx, assetId)
	if err != nil {
		return nil, err
	}
	now, err := ChangeTime(ctx, a)
	if err != nil {
		return nil, err
	}
	if a.Status != model.AssetPublicNotice {
		return nil, ledgererr.Conflictf("asset %q is %s: objections are filed during its public notice", assetId, a.Status)
	}
	// Ended by the stamp or by this peer's clock: an objector stamping behind objects no later.
	if state.Format(now) >= a.NoticeEndsAt || state.ClockReached(a.NoticeEndsAt) {
		return nil, ledgererr.Conflictf("the public notice of asset %q ended at %s", assetId, a.NoticeEndsAt)
	}
	if _, err := state.NewKey(ctx, func() error {
		return ledgererr.Conflictf("objection %q against asset %q already exists", objectionId, assetId)
	}, keyObjection, assetId, objectionId); err != nil {
		return nil, err
	}
	// Every objection is read by Certify and waits for an operator's
	// decision: one open per participant keeps what a single objector can
	// hold up to what the exchange has already decided.
	if open, err := state.Lookup[string](ctx, keyOpenObjection, assetId, objector.ID); err != nil {
		return nil, err
	} else if open != nil {
		return nil, ledgererr.Conflictf("participant %q already has objection %q open against asset %q: it files another once that one is decided", objector.ID, *open, assetId)
	}
	// Certify waits for every objection: one that no operator may decide
	// would keep the application from its certificate for good. Those who
	// may are the operators of the asset's exchange region now
	// (exchangeOperator), whichever org the rules in force bind to it.
	what := ledgererr.Phrase("objection %q against asset %q", objectionId, assetId)
	if err := participants.RequireAJudge(ctx, rules, a.ExchangeRegion, what, objector.ID, a.ApplicantID, a.HolderID); err != nil {
		return nil, err
	}
	o := &model.Objection{
		ID: objectionId, AssetID: assetId, ObjectorID: objector.ID, ObjectorMSP: objector.MSPID,
		Reason: reason, Status: model.ObjectionOpen, FiledAt: state.Format(now),
	}
	if err := putObjection(ctx, o, rules); err != nil {
		return nil, err
	}
	openKey, err := state.Key(ctx, keyOpenObjection, assetId, objector.ID)
	if err != nil {
		return nil, err
	}
	if err := state.Put(ctx, openKey, objectionId); err != nil {
		return nil, err
	}
	if err := AppendHistory(ctx, assetId, &model.HistoryEntry{Action: model.ActionObjected, By: objector.ID, ObjectionID: objectionId, Reason: reason}); err != nil {
		return nil, err
	}
	return o, state.Emit(ctx, model.EventAssetObjected, model.AssetEvent{AssetID: assetId, Status: a.Status, HolderID: a.HolderID, ObjectionID: objectionId})
}

// DecideObjection answers an OPEN objection: decision UPHOLD or DISMISS,
// with a reason, by an operator of the exchange running the procedure (of
// the asset's ExchangeRegion, whichever org the market rules in force bind
// to it) who is impartial: neither the objector, the applicant nor the holder, nor acting
// for one of their enterprises. Upholding withdraws an application still in public
// notice (WITHDRAWN); its content hash may then be applied for again. An
// objection whose objector is no registered participant was filed by no
// Object (see registeredObjector): the exchange may only DISMISS it.
func (c *Contract) DecideObjection(ctx contractapi.TransactionContextInterface, assetId, objectionId, decision, reason string) (*model.Objection, error) {
	if err := validate.ID("assetId", assetId); err != nil {
		return nil, err
	}
	if err := validate.ID("objectionId", objectionId); err != nil {
		return nil, err
	}
	if err := validate.OneOf("decision", decision, model.ObjectionDecisions...); err != nil {
		return nil, err
	}
	if err := validate.Text("reason", reason, model.MaxAssetReasonLength); err != nil {
		return nil, err
	}
	app, op, rules, err := exchangeOperator(ctx, assetId)
	if err != nil {
		return nil, err
	}
	a := app.Asset
	o, err := getObjection(ctx, assetId, objectionId)
	if err != nil {
		return nil, err
	}
	what := ledgererr.Phrase("objection %q against asset %q", objectionId, assetId)
	objectorID, err := registeredObjector(ctx, o, decision)
	if err != nil {
		return nil, err
	}
	if err := participants.RequireImpartial(ctx, op, what, objectorID, a.ApplicantID, a.HolderID); err != nil {
		return nil, err
	}
	if o.Status != model.ObjectionOpen {
		return nil, ledgererr.Conflictf("objection %q is already %s", objectionId, o.Status)
	}
	now, err := ChangeTime(ctx, a)
	if err != nil {
		return nil, err
	}
	// Nor before the objection it decides, which changed no asset.
	if err := state.RequireAfterLastChange("objection", objectionId, o.FiledAt, now); err != nil {
		return nil, err
	}
	at := state.Format(now)
	o.Status, o.DecisionReason, o.DecidedBy, o.DecidedAt = model.ObjectionDismissed, reason, op.ID, at
	if decision == model.DecisionUphold {
		o.Status = model.ObjectionUpheld
		if a.Status == model.AssetPublicNotice {
			a.Status, a.StatusReason, a.UpdatedAt = model.AssetWithdrawn, "objection "+objectionId+" upheld: "+reason, at
			if err := putApplication(ctx, a, rules); err != nil {
				return nil, err
			}
		}
	}
	if err := putObjection(ctx, o, rules); err != nil {
		return nil, err
	}
	if err := state.DelIndex(ctx, keyOpenObjection, assetId, o.ObjectorID); err != nil {
		return nil, err
	}
	if err := AppendHistory(ctx, assetId, &model.HistoryEntry{
		Action: model.ActionObjectionDecided, By: op.ID, AssetStatus: a.Status, HolderID: a.HolderID, ObjectionID: objectionId,
		Decision: decision, Reason: reason,
	}); err != nil {
		return nil, err
	}
	return o, state.Emit(ctx, model.EventObjectionDecided, model.AssetEvent{AssetID: assetId, Status: a.Status, HolderID: a.HolderID, Decision: decision, ObjectionID: objectionId})
}

// Certify completes a registration whose public notice has ended with no
// objection left OPEN: the asset becomes REGISTERED with its registration
// certificate ("CERT-" and the first 16 characters of this transaction's
// ID), and the holder receives its HOLDING right (origin REGISTRATION,
// reference the certificate). The holder or an operator of the exchange may
// certify, the operator only for a holder still ACTIVE (CONFLICT naming its
// status otherwise: a suspended holder's application waits for its
// reinstatement) and whose org's binding of its enterprise is the one in
// force (FORBIDDEN otherwise, participants.GetRecipient). It certifies only
// an application marked as written under a majority of the orgs since its
// filing or last review (keyAssetSealed; CONFLICT otherwise: the exchange
// reviews it again), which it keeps: the registered asset stays under a
// majority of the orgs (PutAsset). Nor does it certify an asset over which
// any right was ever issued (requireNeverCertified): an asset is certified
// once.
func (c *Contract) Certify(ctx contractapi.TransactionContextInterface, id string) (*model.Asset, error) {
	if err := validate.ID("id", id); err != nil {
		return nil, err
	}
	caller, rules, err := participants.ActorWithRules(ctx)
	if err != nil {
		return nil, err
	}
	app, err := getApplication(ctx, id)
	if err != nil {
		return nil, err
	}
	a := app.Asset
	isOperator := caller.HasRole(model.RoleOperator) && caller.Region == a.ExchangeRegion
	if caller.ID != a.HolderID && !isOperator {
		return nil, ledgererr.Forbiddenf("only the holder of asset %q or an operator of the %s exchange may certify it", id, a.ExchangeRegion)
	}
	if a.Status != model.AssetPublicNotice {
		return nil, ledgererr.Conflictf("asset %q is %s, not %s", id, a.Status, model.AssetPublicNotice)
	}
	if err := requireSealed(app); err != nil {
		return nil, err
	}
	if err := c.requireNeverCertified(ctx, id); err != nil {
		return nil, err
	}
	now, err := ChangeTime(ctx, a)
	if err != nil {
		return nil, err
	}
	// Ended by the stamp and by this peer's clock: a holder stamping ahead cuts no objection short.
	if state.Format(now) < a.NoticeEndsAt || !state.ClockReached(a.NoticeEndsAt) {
		return nil, ledgererr.Conflictf("the public notice of asset %q lasts until %s", id, a.NoticeEndsAt)
	}
	objections, err := objectionsOf(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, o := range objections {
		if o.Status == model.ObjectionOpen {
			return nil, ledgererr.Conflictf("objection %q against asset %q is still open", o.ID, id)
		}
	}
	// The holding goes to the applicant, who must be ACTIVE and of the org whose binding of its enterprise is in
	// force, as a sale's buyer must (trades complete, participants.GetRecipient): an operator would otherwise give
	// a suspended applicant a holding while it is shut out, or a RELEASED one, which never acts again, or the old
	// org's record of an enterprise another org now holds, an asset nobody could list, license or move as that
	// enterprise. A holder certifying is all that (Actor).
	if caller.ID != a.HolderID {
		if _, err := participants.GetRecipient(ctx, a.HolderID); err != nil {
			return nil, err
		}
	}
	txID := ctx.GetStub().GetTxID()
	at := state.Format(now)
	a.CertificateID = "CERT-" + txID[:min(16, len(txID))]
	holding, err := c.rights.IssueHolding(ctx, a, a.CertificateID, rules, now)
	if err != nil {
		return nil, err
	}
	a.Status, a.StatusReason, a.HoldingRightID, a.RegisteredAt, a.UpdatedAt = model.AssetRegistered, "", holding.ID, at, at
	// The asset stays under a majority, and keeps its mark (keyAssetSealed):
	// it is certified once all the same, for Certify takes only an asset in
	// public notice, over which no right was ever issued.
	if err := PutAsset(ctx, a, rules); err != nil {
		return nil, err
	}
	if err := RecordIssued(ctx, holding, model.ActionCertified, caller.ID, model.HistoryEntry{AssetStatus: a.Status, HolderID: a.HolderID}); err != nil {
		return nil, err
	}
	return a, state.Emit(ctx, model.EventAssetCertified, model.AssetEvent{AssetID: id, Status: a.Status, HolderID: a.HolderID, CertificateID: a.CertificateID, RightID: holding.ID})
}
