package chaincodetest

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/deltaledger/deltaledger/internal/subsets"
)

// validateEndorsements is the committing peer's check that the endorsers of
// a transaction satisfy the endorsement policies its writes are subject to;
// it follows Fabric's v2.0+ validator (core/common/validation/statebased):
//   - every key written, or whose key-level policy is written, is checked
//     against the key-level policy it has in committed state, if any;
//   - a key without one is checked against its collection's endorsement
//     policy, if it is private data in a collection that has one, or else
//     against the chaincode endorsement policy — each such policy once;
//   - a transaction for which no policy was checked (one without writes)
//     must still satisfy the chaincode endorsement policy.
//
// Notably, when every key written has a key-level policy, the chaincode
// policy is not checked at all.
func validateEndorsements(l *Ledger, ch *channel, ws *writeSet, endorsers []string) error {
	v := &endorsementValidator{ledger: l, channel: ch, endorsers: endorsers, checked: map[string]bool{}}
	for _, collection := range ws.collections() {
		keys := slices.Sorted(maps.Keys(ws.writes[collection]))
		keys = append(keys, slices.Sorted(maps.Keys(ws.validationParameters[collection]))...)
		for _, key := range keys {
			if err := v.checkKey(collection, key); err != nil {
				return err
			}
		}
	}
	if !v.someChecked {
		return v.checkChaincodePolicy()
	}
	return nil
}

type endorsementValidator struct {
	ledger    *Ledger
	channel   *channel
	endorsers []string
	// checked holds the collections whose collection policy passed, and
	// publicData once the chaincode policy passed.
	checked     map[string]bool
	someChecked bool
}

func (v *endorsementValidator) checkKey(collection, key string) error {
	_, keyPolicy := v.ledger.get(collection, key)
	if len(keyPolicy) == 0 {
		return v.checkCollectionPolicy(collection)
	}
	policy, err := unmarshalPolicy(keyPolicy)
	if err == nil {
		err = EvaluatePolicy(policy, v.endorsers)
	}
	if err != nil {
		return fmt.Errorf("validation of key %q (coll'%s':ns'%s') failed: %w", key, collection, v.channel.chaincode, err)
	}
	v.someChecked = true
	return nil
}

func (v *endorsementValidator) checkCollectionPolicy(collection string) error {
	if collection != publicData {
		if v.checked[collection] {
			return nil
		}
		if c, _ := v.channel.collection(collection); c.EndorsementPolicy != nil {
			if err := EvaluatePolicy(c.EndorsementPolicy, v.endorsers); err != nil {
				return fmt.Errorf("validation of endorsement policy for collection %s chaincode %s failed: %w", collection, v.channel.chaincode, err)
			}
			v.checked[collection] = true
			v.someChecked = true
			return nil
		}
	}
	return v.checkChaincodePolicy()
}

func (v *endorsementValidator) checkChaincodePolicy() error {
	if v.checked[publicData] {
		return nil
	}
	err := errors.New("no endorsements")
	switch {
	case v.channel.policy != nil:
		err = EvaluatePolicy(v.channel.policy, v.endorsers)
	case len(v.endorsers) > 0:
		err = nil
	}
	if err != nil {
		return fmt.Errorf("validation of endorsement policy for chaincode %s failed: %w", v.channel.chaincode, err)
	}
	v.checked[publicData] = true
	v.someChecked = true
	return nil
}

// planEndorsers picks endorsers the way the Fabric Gateway does after the
// first endorsement, from discovery: first (whose peer has endorsed) plus the
// fewest other channel orgs that together satisfy the policies the write set
// needs. Orgs whose peers could not read the private collections the
// transaction read are left out, as discovery leaves them out. Ties go to the
// orgs configured first. If no set of orgs satisfies the policies, first
// endorses alone and validation will fail, as it would on a channel.
func planEndorsers(l *Ledger, ch *channel, ws *writeSet, first string, privateReads []string) []string {
	var candidates []string
	for _, mspID := range ch.orgIDs {
		if mspID != first && canReadAll(ch, mspID, privateReads) {
			candidates = append(candidates, mspID)
		}
	}
	for size := 0; size <= len(candidates); size++ {
		for others := range subsets.Combinations(candidates, size) {
			endorsers := append([]string{first}, others...)
			if validateEndorsements(l, ch, ws, endorsers) == nil {
				return endorsers
			}
		}
	}
	return []string{first}
}

// sufficientEndorsers lists the smallest sets of channel orgs whose
// endorsement of the write set would pass validation on the current state,
// smallest first, each in channel order. Policies are monotone (more
// endorsers never fail one that fewer passed), so these sets describe every
// set that passes.
func sufficientEndorsers(l *Ledger, ch *channel, ws *writeSet) [][]string {
	var minimal [][]string
	for size := 1; size <= len(ch.orgIDs); size++ {
		for orgs := range subsets.Combinations(ch.orgIDs, size) {
			holdsSmaller := func(smaller []string) bool { return subsets.Includes(orgs, smaller) }
			if !slices.ContainsFunc(minimal, holdsSmaller) && validateEndorsements(l, ch, ws, orgs) == nil {
				minimal = append(minimal, orgs)
			}
		}
	}
	return minimal
}

// protectTransient is the Fabric Gateway's refusal to send a proposal's
// transient data to an org that is not a member of every private data
// collection the transaction writes: a planned endorser outside one fails
// the endorsement, as it does on a channel, unless the client names the
// endorsing orgs itself.
func protectTransient(ch *channel, ws *writeSet, endorsers []string) error {
	var collections []string
	for _, name := range ws.collections() {
		if name == publicData {
			continue
		}
		c, ok := ch.collection(name)
		if !ok {
			continue
		}
		for _, mspID := range endorsers {
			if !c.hasMember(mspID) {
				collections = append(collections, name)
				break
			}
		}
	}
	if len(collections) > 0 {
		return fmt.Errorf("requires endorsement from organisation(s) that are not in the distribution policy of the private data collection(s): %v; retry specifying trusted endorsing organizations to protect transient data", collections)
	}
	return nil
}

// canReadAll reports whether peers of the org hold every one of the
// collections.
func canReadAll(ch *channel, mspID string, collections []string) bool {
	for _, name := range collections {
		if c, ok := ch.collection(name); !ok || !c.hasMember(mspID) {
			return false
		}
	}
	return true
}
