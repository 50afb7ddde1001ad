package participants

import (
	"cmp"
	"slices"

	"github.com/deltaledger/deltaledger/chaincode/internal/state"
	"github.com/deltaledger/deltaledger/model"
)

// A binding of an enterprise to an org is that org's alone: each org that registers the enterprise writes its own
// key (keyBinding: USCC, org) under the key-level policy of its own peers (state.PutOwned), and only its own
// peers change or delete it (participants:ReleaseEnterprise). No org, and no coalition short of what the
// chaincode-level policy asks to create a key, writes another org's binding. Which binding is in force is not
// stored but resolved here from the USCC's keys under the market rules in force (bindingIn): a majority removing
// an org, or releasing the pair (model.Rules.Released), voids the org's binding without writing it, so another
// org registers the enterprise by creating its own key, and no removed org's endorsement is ever needed.

// binding is one org's binding of an enterprise as stored, with the key it is stored under.
type binding struct {
	key string
	*model.Enterprise
}

// storedBindings reads every binding of an enterprise, void or not: each org's key (keyBinding), and the single
// key a ledger older than 11.0.0 wrote (keyEnterprise), read as the binding of the org it names, which wrote it
// under its own peers' policy. A record that does not name the USCC and org of its key is not a binding: an org's
// key is new to the ledger when first written, so orgs running chaincode of their own could plant one.
func storedBindings(ctx state.Context, uscc string) ([]binding, error) {
	rows, err := state.Collect(ctx, keyBinding, []string{uscc})
	if err != nil {
		return nil, err
	}
	legacy, err := state.Key(ctx, keyEnterprise, uscc)
	if err != nil {
		return nil, err
	}
	reads, orgs := []*state.Read{{Key: legacy, Into: &model.Enterprise{}}}, []string{""}
	for _, r := range rows {
		key, err := state.Key(ctx, keyBinding, uscc, r[0])
		if err != nil {
			return nil, err
		}
		reads, orgs = append(reads, &state.Read{Key: key, Into: &model.Enterprise{}}), append(orgs, r[0])
	}
	if err := state.GetAll(ctx, reads...); err != nil {
		return nil, err
	}
	var all []binding
	for i, r := range reads {
		e := r.Into.(*model.Enterprise)
		if r.Found && e.USCC == uscc && (orgs[i] == "" || orgs[i] == e.MSPID) {
			all = append(all, binding{r.Key, e})
		}
	}
	return all, nil
}

// bindingIn reads the binding of an enterprise to its org as the market rules in force see it: the one of an org
// the rules name and do not release (model.Rules.MayHold), its Region the region the rules give the org now (a
// majority may have moved it since). With none in force the enterprise is free (bound false): a majority removing
// an org frees its enterprises to register where the rules name an org, whether or not the removed org releases
// them, and so does releasing the pair. The org's members acting for it do not act meanwhile (orgOf,
// applyRules). It is the one answer to "which org holds this enterprise" (Register, GetEnterprise, the caller's
// resolution, credit's actsFor).
func bindingIn(ctx state.Context, rules *model.Rules, uscc string) (*model.Enterprise, bool, error) {
	all, err := storedBindings(ctx, uscc)
	if err != nil {
		return nil, false, err
	}
	all = slices.DeleteFunc(all, func(b binding) bool { return !rules.MayHold(b.MSPID, uscc) })
	if len(all) == 0 {
		return nil, false, nil
	}
	e := latest(all).Enterprise
	e.Region = rules.OrgRegion(e.MSPID)
	return e, true, nil
}

// latest is the binding created last (registeredAt, then MSP ID for a total order). When more than one is in
// force (a removed org named again, a release dropped from the rules), the later one wins: Register writes a
// binding only while none is in force, so the later one was made while the earlier was void, by a majority's
// decision, and re-adding an org does not hand back what the market gave another meanwhile.
func latest(all []binding) binding {
	return slices.MaxFunc(all, func(a, b binding) int {
		return cmp.Or(cmp.Compare(a.RegisteredAt, b.RegisteredAt), cmp.Compare(a.MSPID, b.MSPID))
	})
}
