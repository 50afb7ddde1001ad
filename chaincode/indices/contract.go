package indices

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"slices"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/chaincode/market"
	"github.com/deltaledger/deltaledger/chaincode/participants"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Contract is the indices contract.
type Contract struct {
	state.Contract
}

// New returns the indices contract.
func New() *Contract {
	return &Contract{Contract: state.Declare(model.IndicesContract)}
}

// implicitCollection is an org's implicit private data collection.
func implicitCollection(msp string) string { return "_implicit_org_" + msp }

// monitor resolves the caller: a regulator or an exchange operator.
func monitor(ctx state.Context) (*model.Participant, error) {
	return participants.CallerWithRole(ctx, model.RoleRegulator, model.RoleOperator)
}

// localMSP names the org of the peer this chaincode process serves.
func localMSP() (string, error) {
	msp, err := shim.GetMSPID()
	if err != nil {
		return "", ledgererr.Internalf(err, "reading the MSP ID of this peer")
	}
	return msp, nil
}

// attester resolves the caller of a function that reads or writes its own
// org's attestation: a monitor, on a peer of its own org, the only org whose
// peers hold (and may write) its attestations; elsewhere the refusal names
// the org to ask rather than fail on the collection.
func attester(ctx state.Context) (*model.Participant, error) {
	caller, err := monitor(ctx)
	if err != nil {
		return nil, err
	}
	peerMSP, err := localMSP()
	if err != nil {
		return nil, err
	}
	if peerMSP != caller.MSPID {
		return nil, ledgererr.Forbiddenf("the attestations of %s are kept by %s's own peers, not by a peer of %s", caller.MSPID, caller.MSPID, peerMSP)
	}
	return caller, nil
}

// Attest records, in the caller's own org's implicit collection, that the
// org computed the period's figures with the given digest inputs. Submit it
// endorsed by the caller's org alone (it writes only that org's private
// data, whose collection needs that org's endorsement). A later attestation
// of the same period replaces the earlier: a region that recomputes after
// catching up attests again.
func (c *Contract) Attest(ctx contractapi.TransactionContextInterface, period, fromBlock, toBlock, inputHash, figuresHash string) (*model.Attestation, error) {
	_, from, to, err := parsePeriodRange(period, fromBlock, toBlock)
	if err != nil {
		return nil, err
	}
	if err := validate.SHA256Hex("inputHash", inputHash); err != nil {
		return nil, err
	}
	if err := validate.SHA256Hex("figuresHash", figuresHash); err != nil {
		return nil, err
	}
	caller, err := attester(ctx)
	if err != nil {
		return nil, err
	}
	a := &model.Attestation{Period: period, MSPID: caller.MSPID, Digest: model.IndicesDigest(period, from, to, inputHash, figuresHash)}
	// A publication stands on its attestations (Get checks them), so once
	// published an org's attestation may only confirm its digest: a region
	// that joins later confirms it, and no majority takes it back. A record
	// that reads PUBLISHED but that the chain does not vouch for (orgs
	// running code of their own, a majority as the chaincode's policy asks,
	// can create one for a period nobody opened yet) binds nobody: it
	// must not stop the regions attesting the period. The attestations'
	// hashes are read only then, so that attestations of a period still
	// open, made together, do not void each other.
	if p, _, err := publicationOf(ctx, period); err != nil {
		return nil, err
	} else if p != nil && p.Status == model.PublicationPublished && p.Digest != a.Digest {
		orgs, err := channelOrgs(ctx)
		if err != nil {
			return nil, err
		}
		if ok, err := sound(ctx, orgs, period, p); err != nil {
			return nil, err
		} else if ok {
			return nil, ledgererr.Conflictf("%s is published with digest %s: an attestation of it now can only confirm that digest", period, p.Digest)
		}
	}
	key, err := state.Key(ctx, keyAttestation, period)
	if err != nil {
		return nil, err
	}
	if err := ctx.GetStub().PutPrivateData(implicitCollection(caller.MSPID), key, []byte(a.Digest)); err != nil {
		return nil, ledgererr.Internalf(err, "writing the attestation")
	}
	return a, nil
}

// MyAttestation returns the attestation of the period that this peer's org
// recorded (evaluate it on a peer of the caller's org).
func (c *Contract) MyAttestation(ctx contractapi.TransactionContextInterface, period string) (*model.Attestation, error) {
	if _, _, err := parsePeriod("period", period); err != nil {
		return nil, err
	}
	caller, err := attester(ctx)
	if err != nil {
		return nil, err
	}
	a, err := attestationOf(ctx, caller.MSPID, period)
	if err != nil {
		return nil, err
	}
	if a == nil {
		return nil, ledgererr.NotFoundf("%s has not attested %s", caller.MSPID, period)
	}
	return a, nil
}

func attestationOf(ctx state.Context, msp, period string) (*model.Attestation, error) {
	key, err := state.Key(ctx, keyAttestation, period)
	if err != nil {
		return nil, err
	}
	b, err := ctx.GetStub().GetPrivateData(implicitCollection(msp), key)
	if err != nil {
		return nil, ledgererr.Internalf(err, "reading the attestation of %s", msp)
	}
	if b == nil {
		return nil, nil
	}
	return &model.Attestation{Period: period, MSPID: msp, Digest: string(b)}, nil
}

// attesters returns the orgs, of those given, whose attestation of the
// period is the digest, from the public hashes of their private values. Every
// peer makes the same reads, whatever its org.
func attesters(ctx state.Context, orgs []string, period, digest string) ([]string, error) {
	key, err := state.Key(ctx, keyAttestation, period)
	if err != nil {
		return nil, err
	}
	want := sha256.Sum256([]byte(digest))
	var out []string
	for _, msp := range orgs {
		h, err := ctx.GetStub().GetPrivateDataHash(implicitCollection(msp), key)
		if err != nil {
			return nil, ledgererr.Internalf(err, "reading the hash of the attestation of %s", msp)
		}
		if bytes.Equal(h, want[:]) {
			out = append(out, msp)
		}
	}
	return out, nil
}

// channelOrgs lists the market's orgs as the market rules name them (one
// per region), sorted: the majority is counted over them.
func channelOrgs(ctx state.Context) ([]string, error) {
	rules, err := market.Get(ctx)
	if err != nil {
		return nil, err
	}
	orgs := rules.MSPIDs()
	slices.Sort(orgs)
	return orgs, nil
}

// closed refuses a period that has not closed, and returns the
// transaction's time: the stamp must be at or after the period's closing
// instant (model.PeriodClosesAt of its end), and the endorsing peer's clock
// must have come there as well, since a stamp may lead it by
// model.MaxClockLead, and a regulator stamping ahead would otherwise open,
// and so close, or publish the period while transactions stamped in its
// last seconds may still be endorsed.
func closed(ctx state.Context, period string, end time.Time) (time.Time, error) {
	now, err := state.Now(ctx)
	if err != nil {
		return now, err
	}
	closesAt := model.PeriodClosesAt(end)
	if closes := state.Format(closesAt); now.Before(closesAt) || !state.ClockReached(closes) {
		return now, ledgererr.Invalid("period", "%s closes at %s: it opens then", period, closes)
	}
	return now, nil
}

// Open creates the period's publication record, empty, under a key-level
// endorsement policy of a majority of the channel's orgs, so that its
// publication needs them. The period must be closed: the opening is stamped
// at or after its closing instant (model.PeriodClosesAt), and the endorsing
// peer's clock has reached that instant too.
func (c *Contract) Open(ctx contractapi.TransactionContextInterface, period string) (*model.Publication, error) {
	_, end, err := parsePeriod("period", period)
	if err != nil {
		return nil, err
	}
	caller, err := monitor(ctx)
	if err != nil {
		return nil, err
	}
	// The opening closes the period for the gateways (index.ClosingBlock:
	// the block before it is the last the period counts), so it is made
	// only at the closing instant or later, by the stamp and by the peer's
	// clock: sooner, it would leave out transactions stamped in the period
	// and still to be endorsed.
	now, err := closed(ctx, period, end)
	if err != nil {
		return nil, err
	}
	key, err := state.NewKey(ctx, func() error {
		return ledgererr.Conflictf("the publication of %s is already open", period)
	}, keyPublication, period)
	if err != nil {
		return nil, err
	}
	orgs, err := channelOrgs(ctx)
	if err != nil {
		return nil, err
	}
	p := &model.Publication{Period: period, Status: model.PublicationOpen, OpenedBy: caller.ID, OpenedAt: state.Format(now)}
	if err := state.PutUnderMajority(ctx, key, p, orgs); err != nil {
		return nil, err
	}
	return p, state.Emit(ctx, model.EventIndexPeriodOpened, model.IndexEvent{Period: period})
}

// Publish publishes the period's figures. Each endorsing peer computes the
// digest of what is submitted and refuses unless its own org attested that
// digest; the record's majority policy makes the publication need a
// majority of the orgs. Only a regulator publishes, only once the period
// has closed (closed), and a publication is final: the record keeps the
// orgs the rules name now as its Electorate, over which its majority is
// counted from then on (attested), so regions joining later do not undo it.
func (c *Contract) Publish(ctx contractapi.TransactionContextInterface, period, fromBlock, toBlock, inputHash, figures string) (*model.Publication, error) {
	end, from, to, err := parsePeriodRange(period, fromBlock, toBlock)
	if err != nil {
		return nil, err
	}
	if err := validate.SHA256Hex("inputHash", inputHash); err != nil {
		return nil, err
	}
	if err := checkFigures(figures, period, from, to); err != nil {
		return nil, err
	}
	caller, err := participants.CallerWithRole(ctx, model.RoleRegulator)
	if err != nil {
		return nil, err
	}
	opened, key, err := publicationOf(ctx, period)
	if err != nil {
		return nil, err
	}
	if opened == nil {
		return nil, ledgererr.NotFoundf("the publication of %s is not open: open it first", period)
	}
	orgs, err := channelOrgs(ctx)
	if err != nil {
		return nil, err
	}
	// A record that reads PUBLISHED is final only when the chain vouches for
	// it: orgs running code of their own can create the record of a
	// period nobody opened yet, under no key-level policy, and must not
	// keep the regulator from publishing what a majority attests.
	if ok, err := sound(ctx, orgs, period, opened); err != nil {
		return nil, err
	} else if ok && opened.Status == model.PublicationPublished {
		return nil, ledgererr.Conflictf("%s is already published", period)
	}
	// Whoever created the record, the period must have closed: Open
	// checked it, but orgs running code of their own could have created the
	// record sooner.
	now, err := closed(ctx, period, end)
	if err != nil {
		return nil, err
	}
	at := publishedAt(opened.OpenedAt, now)
	figuresHash := model.FiguresHash(figures)
	digest := model.IndicesDigest(period, from, to, inputHash, figuresHash)
	peerMSP, err := localMSP()
	if err != nil {
		return nil, err
	}
	agreed, err := attesters(ctx, orgs, period, digest)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(agreed, peerMSP) {
		return nil, ledgererr.Forbiddenf("%s has not attested these figures of %s (digest %s): its peers do not endorse them", peerMSP, period, digest)
	}
	if !majorityOf(len(agreed), len(orgs)) {
		return nil, ledgererr.Forbiddenf("only %d of the %d regions (%v) attested these figures of %s: a publication needs a majority", len(agreed), len(orgs), agreed, period)
	}
	// The record is written whole, naming the period of its key, whatever
	// the one found held; of that one it keeps who opened it, and when.
	p := &model.Publication{Period: period, Status: model.PublicationPublished, FromBlock: from, ToBlock: to,
		InputHash: inputHash, FiguresHash: figuresHash, Digest: digest, Figures: figures, AttestedBy: agreed, Electorate: orgs,
		OpenedBy: opened.OpenedBy, OpenedAt: opened.OpenedAt, PublishedBy: caller.ID, PublishedAt: state.Format(at)}
	// Open put the record under the majority policy, but orgs running code
	// of their own (a majority, as the chaincode's policy asks) could have
	// created it, OPEN, under none: the publication puts it there, so that
	// no fewer than a majority of the orgs of its own day reopen or delete
	// it, whatever the chaincode's policy becomes.
	if err := state.PutUnderMajority(ctx, key, p, orgs); err != nil {
		return nil, err
	}
	if err := state.PutIndex(ctx, idxPublished, period); err != nil {
		return nil, err
	}
	listed, err := state.Key(ctx, idxPublished, period)
	if err != nil {
		return nil, err
	}
	if err := state.RequireMajority(ctx, listed, orgs); err != nil { // no minority delists it
		return nil, err
	}
	return p, state.Emit(ctx, model.EventIndexPublished, model.IndexEvent{Period: period, FromBlock: from, ToBlock: to,
		InputHash: inputHash, FiguresHash: figuresHash, Digest: digest})
}

// publishedAt is when a publication stamped now, answering an opening
// stamped openedAt, is dated: at now or, if that lies later, at the opening.
// A monitor may stamp the opening up to model.MaxClockLead ahead of the
// peers' clocks and the regulator its publication up to model.MaxClockSkew
// behind them, so that a publication dated at its stamp read as published
// before it was opened; refusing it instead would let whoever opened hold
// the publication off. An opening indices:Open wrote lies at most that
// skew and lead after the stamp of any later transaction; one later, or no
// instant at all, is of a record orgs running code of their own created,
// and dates nothing: its publication is dated at now. Only the stamps
// decide, so that every endorser writes the same instant.
func publishedAt(openedAt string, now time.Time) time.Time {
	opened, err := time.Parse(state.TimeLayout, openedAt)
	if err != nil || !opened.After(now) || opened.After(now.Add(model.MaxClockSkew+model.MaxClockLead)) {
		return now
	}
	return opened
}

// Get returns a period's publication to any registered participant, OPEN
// or PUBLISHED. A record the chain does not vouch for (sound: one of
// another form than the contract writes, or one that reads PUBLISHED but
// that a majority of the regions did not attest) is refused with CONFLICT:
// it is no publication.
func (c *Contract) Get(ctx contractapi.TransactionContextInterface, period string) (*model.Publication, error) {
	if _, _, err := parsePeriod("period", period); err != nil {
		return nil, err
	}
	if _, err := participants.Caller(ctx); err != nil {
		return nil, err
	}
	orgs, err := channelOrgs(ctx)
	if err != nil {
		return nil, err
	}
	p, ok, err := vouched(ctx, orgs, period)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, ledgererr.NotFoundf("nothing is published for %s", period)
	}
	if !ok && !wellFormed(p, period) {
		return nil, ledgererr.Conflictf("the record of %s is none that indices:Open or indices:Publish writes there: it is no publication", period)
	}
	if !ok {
		return nil, ledgererr.Conflictf("the record of %s reads published, but a majority of the regions did not attest its figures: it is no publication", period)
	}
	return p, nil
}

// GetPublished returns to any registered participant, in one evaluation,
// the publications of several periods (periods: comma-separated, each once,
// at most model.MaxPublicationsPerRead), in the order asked, leaving out
// each period the chain does not vouch for as published: one with no
// record, one still OPEN, or one whose record no majority attested (which
// Get refuses with CONFLICT). It answers items, not a reason per period:
// every item names its period, so a reader sees which are missing, and Get
// says why for one; its readers (the gateways' GET /v1/indices) leave those
// out anyway. The caller, the market's orgs and each record are read once.
// The answer holds at most model.MaxPublicationsAnswerBytes of
// publications, and at least one: the periods from the first it has no
// room for on are answered as Remaining, for the reader to ask again.
func (c *Contract) GetPublished(ctx contractapi.TransactionContextInterface, periods string) (*model.Publications, error) {
	asked, err := parsePeriods(periods)
	if err != nil {
		return nil, err
	}
	if _, err := participants.Caller(ctx); err != nil {
		return nil, err
	}
	orgs, err := channelOrgs(ctx)
	if err != nil {
		return nil, err
	}
	items := make([]*model.Publication, 0, len(asked))
	size := 0
	for i, period := range asked {
		p, err := published(ctx, orgs, period)
		if err != nil {
			return nil, err
		}
		if p == nil {
			continue
		}
		b, err := json.Marshal(p)
		if err != nil {
			return nil, ledgererr.Internalf(err, "encoding the publication of %s", period)
		}
		if size += len(b) + 1; size > model.MaxPublicationsAnswerBytes && len(items) > 0 {
			return &model.Publications{Items: items, Remaining: asked[i:]}, nil
		}
		items = append(items, p)
	}
	return &model.Publications{Items: items}, nil
}

// vouched reads the period's publication record (nil when there is none)
// and whether the chain vouches for it (attested): what every read of a
// publication decides on.
func vouched(ctx state.Context, orgs []string, period string) (*model.Publication, bool, error) {
	p, _, err := publicationOf(ctx, period)
	if err != nil || p == nil {
		return nil, false, err
	}
	ok, err := sound(ctx, orgs, period, p)
	return p, ok, err
}

// publicationOf reads the record at the key of period (nil when there is none) and its key. Bytes there that are
// no publication record read as a record that names no period, which is none the contract writes (wellFormed):
// no publication, and one Publish writes over. The key of a period opened before regions joined is under a
// majority of the orgs of the opening, a minority of the orgs of the day once regions joined (three of six);
// running code of their own, they wrote such bytes there, and every attestation, the publication and every read
// of the period (Get, GetPublished of any periods with it) failed for good (INTERNAL).
func publicationOf(ctx state.Context, period string) (*model.Publication, string, error) {
	key, err := state.Key(ctx, keyPublication, period)
	if err != nil {
		return nil, "", err
	}
	b, err := ctx.GetStub().GetState(key)
	if err != nil {
		return nil, "", ledgererr.Internalf(err, "reading the publication of %s", period)
	}
	if b == nil {
		return nil, key, nil
	}
	p := new(model.Publication)
	if json.Unmarshal(b, p) != nil {
		p = new(model.Publication)
	}
	return p, key, nil
}

// sound reports whether p, the record found at the key of period, is one
// the chain vouches for: a record the contract writes there (wellFormed)
// that, unless still OPEN, a majority of the regions attested (attested).
func sound(ctx state.Context, orgs []string, period string, p *model.Publication) (bool, error) {
	if !wellFormed(p, period) {
		return false, nil
	}
	return attested(ctx, orgs, p)
}

// wellFormed reports whether p, read at the key of period, has the form of
// a record the contract writes there: it names that period (else forgers
// copying a real publication under the key of another period would publish
// it twice), and it is OPEN with none of a publication's fields (as Open
// writes it; else forgers could create an OPEN record carrying figures that
// readers of an open period would take), or PUBLISHED, with an electorate
// of the form Publish writes (electedForm) or, as before 9.0.0, none.
func wellFormed(p *model.Publication, period string) bool {
	switch {
	case p.Period != period:
		return false
	case p.Status == model.PublicationPublished:
		return len(p.Electorate) == 0 || electedForm(p)
	case p.Status != model.PublicationOpen:
		return false
	}
	return p.FromBlock == 0 && p.ToBlock == 0 && len(p.AttestedBy) == 0 && len(p.Electorate) == 0 &&
		p.InputHash+p.FiguresHash+p.Digest+p.Figures+p.PublishedBy+p.PublishedAt == ""
}

// electedForm reports whether p's Electorate and AttestedBy have the form
// Publish always writes: the electorate is the orgs of the market rules of
// the day (at least one, at most model.MaxRulesOrgs, sorted, each once), and
// AttestedBy the orgs of it that had attested (sorted, each once), more than
// half of it. A record of any other form is no publication.
//
// Why a recorded electorate cannot be abused. A record that names its own
// electorate could name a small one ([A]: one org's attestation vouches
// for it) or orgs the rules never named. But Publish writes the electorate
// from the rules, and any other record needs a new key (a period nobody
// opened), which only a majority of the orgs endorse (the chaincode's
// policy, model.QuorumMajority): the coalition that could as well have
// attested and published any figures the regular way, and that may rewrite
// the market rules themselves. It cannot plant over a period already
// published: that record's key needs a majority of the orgs of its own day
// (state.RequireMajority). Over a period opened before regions joined it
// can (that key needs a majority of the orgs of the opening, maybe a
// minority now), but the record stands only with its index entry (listed),
// a new key, which only a majority of the orgs create. So a planted
// electorate gains its
// planters nothing they could not do by the rules, and it is not checked
// against the rules of the past (which the contract could not read cheaply
// in any case); an org it names that the rules do not name now has no vote
// (attested), so naming orgs that are not on the channel gains nothing
// either.
func electedForm(p *model.Publication) bool {
	return len(p.Electorate) > 0 && len(p.Electorate) <= model.MaxRulesOrgs && ascending(p.Electorate) && p.Electorate[0] != "" &&
		ascending(p.AttestedBy) && majorityOf(len(p.AttestedBy), len(p.Electorate)) &&
		!slices.ContainsFunc(p.AttestedBy, func(msp string) bool { return !slices.Contains(p.Electorate, msp) })
}

// majorityOf reports whether agreed orgs are a majority of n, more than
// half: what a publication needs, when it is made (Publish), in the form of
// its record (electedForm) and at every read (attested).
func majorityOf(agreed, n int) bool { return agreed > n/2 }

// ascending reports whether names are sorted, each once.
func ascending(names []string) bool {
	for i := 1; i < len(names); i++ {
		if names[i-1] >= names[i] {
			return false
		}
	}
	return true
}

// electorates returns the sets of orgs over a majority of any of which p
// stands: the electorate it records. A publication made before 9.0.0
// records none, but its key is under the majority policy of the orgs of
// its day (state.RequireMajority), which only a majority of those orgs
// could have changed since: those orgs (state.MajorityOf), read only for
// such a record. Which day, though, the key does not say: from 6.0.0 on
// Publish set the policy, before it the key kept the one Open set, of the
// orgs of the period's opening, and regions may have joined before it was
// published. So such a record also stands, as it always did, over orgs,
// those the rules name now: a majority of its day may be either, and
// counted over one alone it would read as none. A key under no policy, or
// one of another form, names no day's orgs: no version of the contract
// left a published record under such a key, so it was planted (a new key,
// under the chaincode's policy alone) or its policy was reset by a
// majority of the orgs of its day; reading an electorate out of it would
// only help a record the contract never wrote.
func electorates(ctx state.Context, p *model.Publication, orgs []string) ([][]string, error) {
	if len(p.Electorate) > 0 {
		return [][]string{p.Electorate}, nil
	}
	key, err := state.Key(ctx, keyPublication, p.Period)
	if err != nil {
		return nil, err
	}
	ofItsKey, err := state.MajorityOf(ctx, key)
	if err != nil || ofItsKey == nil {
		return [][]string{orgs}, err
	}
	return [][]string{ofItsKey, orgs}, nil
}

// published is the period's publication when the chain vouches for it and
// it is PUBLISHED, nil otherwise: what GetPublished and List answer.
func published(ctx state.Context, orgs []string, period string) (*model.Publication, error) {
	p, ok, err := vouched(ctx, orgs, period)
	if err != nil || !ok || p.Status != model.PublicationPublished {
		return nil, err
	}
	return p, nil
}

// attested reports whether p, unless it is still OPEN, is a publication a
// majority of the regions attested: its digest is the one its own fields
// give, and the attestations of a majority of its electorate (the orgs of
// the rules when it was published, recorded or, for an older record, those
// of its key's policy or of the rules now: electorates) are that digest. Counted over the orgs of
// the rules now, a publication that three of four regions attested would be
// none once two regions joined (three of six), and a majority of the six
// could then attest and publish other figures of the period.
// Creating a key needs only the chaincode's endorsement policy (a majority
// of the orgs, whoever they are), not the attestations a publication asks
// for, so orgs running code of their own could write a PUBLISHED
// record for a period nobody opened, or an index entry naming one; readers
// take no record this refuses. It does not ask that every org the record
// names (AttestedBy, who had attested when it was published) still holds the
// digest: each org alone writes its own implicit collection, so any one of
// them, running code of its own, could otherwise take back a publication
// that a majority of the regions still attest. Nor, for a record that keeps
// its electorate, that any of them does (recordedVotes): a publication made
// as soon as a majority attested would otherwise be taken back by one of
// that bare majority alone, until the rest attested.
func attested(ctx state.Context, orgs []string, p *model.Publication) (bool, error) {
	if p.Status == model.PublicationOpen {
		return true, nil
	}
	if p.Digest != model.IndicesDigest(p.Period, p.FromBlock, p.ToBlock, p.InputHash, model.FiguresHash(p.Figures)) {
		return false, nil
	}
	if ok, err := listed(ctx, p); err != nil || !ok {
		return false, err
	}
	// Of the electorate, only the orgs the rules still name vote, as
	// before records kept an electorate: an org the rules dropped may have
	// left the channel, taking its implicit collection with it (a read of
	// that would fail every read of the publication), and counting it as
	// not attesting would let the removal of one attester unpublish what
	// the rest of the electorate still attests. Dropping an org takes a
	// majority of the orgs changing the rules, in the open.
	elected, err := electorates(ctx, p, orgs)
	if err != nil {
		return false, err
	}
	for _, electorate := range elected {
		voters := slices.DeleteFunc(slices.Clone(electorate), func(msp string) bool { return !slices.Contains(orgs, msp) })
		agreed, err := attesters(ctx, voters, p.Period, p.Digest)
		if err != nil {
			return false, err
		}
		if majorityOf(len(recordedVotes(p, voters, agreed)), len(voters)) {
			return true, nil
		}
	}
	return false, nil
}

// listed reports whether p has its index entry, which Publish writes with
// it, as every version of it did: a record stands only then. Its own key
// proves less. Open put it under a majority of the orgs of the day of the
// opening, and once regions have joined before the publication, those may
// be a minority of the orgs of the day (three of six): running code of
// their own, they rewrote the OPEN record as a publication of figures
// nobody else attested, naming whatever electorate and attesters gave them
// a majority, or in the form of a record made before 9.0.0, naming none
// and so counted over their own (electorates, of the key's policy), and it
// read as published, for good (no later Publish went over it). The entry is
// a new key, which needs the chaincode's policy, a majority of the
// channel's orgs: the coalition that could as well have published by the
// rules. One request more per published record read.
func listed(ctx state.Context, p *model.Publication) (bool, error) {
	key, err := state.Key(ctx, idxPublished, p.Period)
	if err != nil {
		return false, err
	}
	return state.Exists(ctx, key)
}

// recordedVotes adds to agreed, the voters whose attestation is p's digest
// now, the voters p's AttestedBy names, when p keeps its electorate: Publish
// wrote AttestedBy after every endorsing peer read those attestations, under
// a majority policy, and a record with an electorate is from 9.0.0 on, when
// only a majority (the chaincode's policy) could plant one instead, a
// majority that could as well have attested. A record without one keeps
// counting attestations alone: two orgs could plant a record before 7.0.0.
func recordedVotes(p *model.Publication, voters, agreed []string) []string {
	if len(p.Electorate) == 0 {
		return agreed
	}
	votes := slices.Clone(agreed)
	for _, msp := range p.AttestedBy {
		if slices.Contains(voters, msp) && !slices.Contains(votes, msp) {
			votes = append(votes, msp)
		}
	}
	return votes
}

// List returns one page of the published periods, in period order, to any
// registered participant; an index entry whose record is missing or is no
// publication (attested) is left out. pageSize is 1 to 100 (default 20);
// bookmark is "" for the first page, then the bookmark the previous page
// returned.
func (c *Contract) List(ctx contractapi.TransactionContextInterface, pageSize, bookmark string) (*model.PublicationPage, error) {
	_, size, err := participants.CallerWithPageSize(ctx, pageSize)
	if err != nil {
		return nil, err
	}
	rows, next, err := state.IndexPage(ctx, idxPublished, nil, size, bookmark)
	if err != nil {
		return nil, err
	}
	orgs, err := channelOrgs(ctx)
	if err != nil {
		return nil, err
	}
	items := make([]*model.Publication, 0, len(rows))
	for _, row := range rows {
		p, err := published(ctx, orgs, row[0])
		if err != nil {
			return nil, err
		}
		if p != nil {
			items = append(items, p)
		}
	}
	return state.PageOf[model.PublicationPage](items, next, nil)
}
