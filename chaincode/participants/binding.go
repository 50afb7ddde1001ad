package participants

import (
	"cmp"
	"slices"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A binding of an enterprise to an org is that org's alone: each org that registers the enterprise writes its own
// key (keyBinding: USCC, org) under the key-level policy of its own peers (state.PutOwned), and only its own
// peers change or delete it (participants:ReleaseEnterprise). No org, and no coalition short of what the
// chaincode-level policy asks to create a key, writes another org's binding. Which binding is in force is not
// stored but resolved here from the USCC's keys under the market rules in force (bindingIn): a majority removing
// an org, or releasing the pair (model.Rules.Released), voids the org's binding without writing it, so another
// org registers the enterprise by creating its own key, and no removed org's endorsement is ever needed.
//
// Bindings are ordered by their generation, which Register counts (keyGeneration) and the caller cannot choose,
// not by their stamps, which it can skew by model.MaxClockSkew: only the binding of the last generation may be in
// force, so a binding another org's later one superseded never comes back, whichever org the rules remove later.
// The generation's key, not the binding, says which org's binding is the last (lastGeneration): a binding is its
// org's alone to rewrite, generation and stamp included.

// binding is one org's binding of an enterprise as stored, with the key it is stored under.
type binding struct {
	key string
	// legacy is set for the single key of a ledger older than 11.0.0 (keyEnterprise).
	legacy bool
	*storedBinding
}

// storedBinding is a binding's value: the enterprise as its org bound it, and, in a binding its org released while
// another org's (void) binding was stored too, when it did (ReleaseEnterprise). A released binding binds nothing and
// is never answered: it is kept, not deleted, so that the older binding stays behind it and does not come into
// force again (bindingIn; from 13.0.0 the older binding's generation keeps it out too, but one written before has
// none). Ledgers before 12.0.0 stored the enterprise alone, which reads as a binding never
// released.
type storedBinding struct {
	model.Enterprise
	ReleasedAt string `json:"releasedAt,omitempty"`
	// Generation is the binding's place among the enterprise's bindings (the enterprise's lastGeneration once
	// Register wrote it), written from 13.0.0 to 15.0.0 only: its org alone rewrites it, so it counts only while
	// the enterprise's keyGeneration names no org (written before 16.0.0), and never in the key of a ledger older
	// than 11.0.0 (readBindings).
	Generation int `json:"generation,omitempty"`
}

// lastGeneration is the value of an enterprise's keyGeneration: the generation of the last binding Register wrote
// (none before 13.0.0, which reads as 0) and, from 16.0.0, the org that binding is of: the one org whose binding
// may be in force (bindingAndGeneration). It is one key of the enterprise's, not an org's: every org that binds the
// enterprise moves it on under the chaincode-level policy, as it creates its binding's key, so no removed org's
// endorsement is ever needed, and no org alone rewrites it; a coalition that meets that policy with chaincode of its
// own, and so could rewrite it, could as well plant a binding of a later generation, and the majority frees an
// enterprise through the rules. An org's own binding key is that org's alone to rewrite, so what it says of its
// place among the bindings (storedBinding.Generation, its stamp) is its org's word: before 16.0.0 an org whose
// binding another org's had superseded wrote the later generation into its own and took the enterprise back.
type lastGeneration struct {
	Generation int `json:"generation"`
	// MSPID is the org of the binding of that generation; "" in a key written before 16.0.0, where the binding
	// whose own generation is Generation is the one that may be in force, as it was then (latest), until the
	// enterprise is next bound.
	MSPID string `json:"mspId,omitempty"`
}

// storedBindings reads every binding of an enterprise, void or not, released ones too: each org's key (keyBinding),
// and the single key a ledger older than 11.0.0 wrote (keyEnterprise), read as the binding of the org it names,
// which wrote it under its own peers' policy. It is what an org releasing its own binding, void or not, reads
// (participants:ReleaseEnterprise); the binding in force needs only the keys of the orgs the rules name
// (heldBindings).
func storedBindings(ctx state.Context, uscc string) ([]binding, error) {
	orgs, err := state.CollectIDs(ctx, keyBinding, []string{uscc})
	if err != nil {
		return nil, err
	}
	return readBindings(ctx, uscc, orgs)
}

// heldBindings reads the bindings of an enterprise that the rules let their orgs hold (model.Rules.MayHold), and
// the generation of its last binding (keyGeneration): the key of each org the rules name and do not release, the
// single key of a ledger older than 11.0.0 and the generation's key, all in one request to the peer
// (GetMultipleStates, at most model.MaxRulesOrgs + 2 point keys), where a range over the USCC's keys and then
// their values took two (three on a peer: the range's iterator is closed by a request of its own). The key of an
// org the rules do not name need not be read, its binding being void whatever it says, nor to know that it
// superseded the older ones (its generation is the last); and a point read of a key that does not exist is in the
// read set as a range would be, so a binding written meanwhile by an org the rules name (which moves the
// generation on) fails the transaction at validation.
//
// The key of a ledger older than 11.0.0 counts only while the enterprise has no generation (no org bound it since
// 13.0.0): it is its writer's to rewrite alone (its policy was its org's or a majority's), naming another org or a
// generation of its choice, and a binding made since supersedes it.
func heldBindings(ctx state.Context, rules *model.Rules, uscc string) ([]binding, lastGeneration, error) {
	var orgs []string
	for _, o := range rules.Orgs {
		if rules.MayHold(o.MSPID, uscc) {
			orgs = append(orgs, o.MSPID)
		}
	}
	key, err := state.Key(ctx, keyGeneration, uscc)
	if err != nil {
		return nil, lastGeneration{}, err
	}
	var last lastGeneration
	all, err := readBindings(ctx, uscc, orgs, &state.Read{Key: key, Into: &last})
	if err != nil {
		return nil, lastGeneration{}, err
	}
	return slices.DeleteFunc(all, func(b binding) bool {
		return !rules.MayHold(b.MSPID, uscc) || (b.legacy && last.Generation != 0)
	}), last, nil
}

// readBindings reads, in one request, the single key of a ledger older than 11.0.0 and the keys of the orgs
// given, and with them the reads given (with). A record that does not name the USCC and org of its key is not a
// binding: an org's key is new to the ledger when first written, so orgs running chaincode of their own could
// plant one. The single key's generation is ignored: that ledger wrote none, and its writer alone could since.
func readBindings(ctx state.Context, uscc string, orgs []string, with ...*state.Read) ([]binding, error) {
	legacy, err := state.Key(ctx, keyEnterprise, uscc)
	if err != nil {
		return nil, err
	}
	reads := []*state.Read{{Key: legacy, Into: &storedBinding{}}}
	for _, org := range orgs {
		key, err := state.Key(ctx, keyBinding, uscc, org)
		if err != nil {
			return nil, err
		}
		reads = append(reads, &state.Read{Key: key, Into: &storedBinding{}})
	}
	if err := state.GetAll(ctx, append(slices.Clone(reads), with...)...); err != nil {
		return nil, err
	}
	orgs = append([]string{""}, orgs...)
	var all []binding
	for i, r := range reads {
		e := r.Into.(*storedBinding)
		if r.Found && e.USCC == uscc && (orgs[i] == "" || orgs[i] == e.MSPID) {
			if orgs[i] == "" {
				e.Generation = 0
			}
			all = append(all, binding{key: r.Key, legacy: orgs[i] == "", storedBinding: e})
		}
	}
	return all, nil
}

// bindingIn reads the binding of an enterprise to its org as the market rules in force see it: the one of an org
// the rules name and do not release (model.Rules.MayHold), its Region the region the rules give the org now (a
// majority may have moved it since). With none in force the enterprise is free (bound false): a majority removing
// an org frees its enterprises to register where the rules name an org, whether or not the removed org releases
// them, and so does releasing the pair. The org's members acting for it do not act meanwhile (orgOf,
// applyRules), nor once another org's binding is in force (requireBindingInForce). Nor is one bound whose last
// binding its org released (storedBinding.ReleasedAt), or is of an org the rules do not let hold it: a binding
// another org's later one superseded is out of force for good (its org binds the enterprise again by registering
// it, in a generation of its own). It is the one answer to "which org holds this enterprise" (Register,
// GetEnterprise, the caller's resolution).
func bindingIn(ctx state.Context, rules *model.Rules, uscc string) (*model.Enterprise, bool, error) {
	e, bound, _, err := bindingAndGeneration(ctx, rules, uscc)
	return e, bound, err
}

// bindingAndGeneration is bindingIn that also answers the generation of the enterprise's last binding, which
// Register moves on when it binds the enterprise.
//
// From 16.0.0 the enterprise's generation key names the org of its last binding (lastGeneration.MSPID), and only
// that org's own key may be in force: what another org's key says of its generation or stamp is that org's word
// alone, and never takes the enterprise from the org the key names. A key written before 16.0.0 names none: the
// binding in force is then the one whose own generation is the last (latest), as before, until the enterprise is
// next bound.
func bindingAndGeneration(ctx state.Context, rules *model.Rules, uscc string) (*model.Enterprise, bool, int, error) {
	all, gen, err := heldBindings(ctx, rules, uscc)
	if err != nil {
		return nil, false, 0, err
	}
	var last *binding
	if gen.MSPID != "" {
		i := slices.IndexFunc(all, func(b binding) bool { return !b.legacy && b.MSPID == gen.MSPID })
		if i >= 0 {
			last = &all[i]
		}
	} else if len(all) > 0 {
		if b := latest(all); b.Generation == gen.Generation {
			last = &b
		}
	}
	if last == nil || last.ReleasedAt != "" {
		// Superseded by a later binding of an org the rules do not let hold it, or released by the org that held
		// it last: older bindings (of an org removed and named again, or whose release the rules dropped) stay
		// behind it (ReleaseEnterprise keeps a released one for ledgers before 13.0.0, whose bindings have no
		// generation).
		return nil, false, gen.Generation, nil
	}
	e := &last.Enterprise
	e.Region = rules.OrgRegion(e.MSPID)
	return e, true, gen.Generation, nil
}

// requireBindingInForce refuses a participant that acts for an enterprise (its certificate certifies it) unless
// its org's binding of that enterprise is the one in force (bindingIn). An org a majority removed and named again,
// or whose release it dropped, keeps its binding, but the binding another org made meanwhile is the one in force
// (latest): the old org's members would otherwise list, buy, hold, license and answer as an enterprise another
// region now registers. Staff act for no enterprise (their USCC is their org's word) and are not read for.
func requireBindingInForce(ctx state.Context, rules *model.Rules, p *model.Participant) error {
	if !p.Certified() {
		return nil
	}
	e, bound, err := bindingIn(ctx, rules, p.USCC)
	if err != nil {
		return err
	}
	if !bound {
		return ledgererr.Forbiddenf("participant %q acts for enterprise %s, which no org holds under the market rules in force: %s's binding of it is gone, and its participants act for it no more", p.ID, p.USCC, p.MSPID)
	}
	if e.MSPID != p.MSPID {
		return ledgererr.Forbiddenf("participant %q acts for enterprise %s, which the market rules in force bind to %s (region %s), not to %s: its participants in %s act for it no more", p.ID, p.USCC, e.MSPID, e.Region, p.MSPID, p.MSPID)
	}
	return nil
}

// latest is the binding created last as ledgers before 16.0.0 tell it (their generation key names no org): the
// highest generation, then (among bindings written before 13.0.0, of generation 0) registeredAt, then MSP ID for a
// total order. When more than one is held (a removed org named again, a release dropped from the rules), the later
// one wins: Register writes a binding only while none is in force, so the later one was made while the earlier was
// void, by a majority's decision, and re-adding an org does not hand back what the market gave another meanwhile.
// Each binding's org writes its generation and stamp alone, so this is only the rule of those ledgers, until the
// enterprise is next bound (bindingAndGeneration); ReleaseEnterprise names by it the org that holds what another
// org cannot release.
func latest(all []binding) binding {
	return slices.MaxFunc(all, func(a, b binding) int {
		return cmp.Or(cmp.Compare(a.Generation, b.Generation), cmp.Compare(a.RegisteredAt, b.RegisteredAt), cmp.Compare(a.MSPID, b.MSPID))
	})
}

// putBinding writes b as its org's binding, under its org's own peers' policy, and generation, with b's org, as
// the enterprise's last (keyGeneration, under the chaincode-level policy): the binding itself carries no
// generation, its org being free to rewrite it.
func putBinding(ctx state.Context, b *storedBinding, generation int) error {
	key, err := state.Key(ctx, keyBinding, b.USCC, b.MSPID)
	if err != nil {
		return err
	}
	if err := state.PutOwned(ctx, key, b, b.MSPID); err != nil {
		return err
	}
	genKey, err := state.Key(ctx, keyGeneration, b.USCC)
	if err != nil {
		return err
	}
	return state.Put(ctx, genKey, &lastGeneration{Generation: generation, MSPID: b.MSPID})
}
