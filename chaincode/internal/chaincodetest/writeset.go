package chaincodetest

import (
	"bytes"
	"maps"
	"slices"
)

// publicData names the public world state wherever state is keyed by
// collection, the way the peer passes an empty collection name for it.
const publicData = ""

// writeSet is what a transaction simulation wants to change: the write set
// of a Fabric read-write set, with private values kept in the clear (a peer
// would keep them in its transient store and put only their hashes in the
// transaction). Like the peer's read-write set builder it keeps one write
// per key and one metadata write per key: a later write replaces an earlier
// one.
type writeSet struct {
	// writes maps collection (publicData for the world state) → key → write.
	writes map[string]map[string]write
	// validationParameters maps collection → key → the key-level
	// endorsement policy to set; a nil policy removes it.
	validationParameters map[string]map[string][]byte
}

// write is one key's write. A nil value is a delete: the peer turns empty
// values into deletes too (rwsetutil.newKVWrite: IsDelete = len(value) == 0).
type write struct {
	value []byte
	purge bool
}

func (w write) isDelete() bool {
	return len(w.value) == 0
}

func newWriteSet() *writeSet {
	return &writeSet{
		writes:               map[string]map[string]write{},
		validationParameters: map[string]map[string][]byte{},
	}
}

// put records a write of value (a delete if value is empty) to key.
func (ws *writeSet) put(collection, key string, value []byte) {
	ws.set(collection, key, write{value: clone(value)})
}

// purge records a delete of key that also purges its private history.
func (ws *writeSet) purge(collection, key string) {
	ws.set(collection, key, write{purge: true})
}

func (ws *writeSet) set(collection, key string, w write) {
	if ws.writes[collection] == nil {
		ws.writes[collection] = map[string]write{}
	}
	ws.writes[collection][key] = w
}

// setValidationParameter records a metadata write of key's endorsement policy.
func (ws *writeSet) setValidationParameter(collection, key string, policy []byte) {
	if ws.validationParameters[collection] == nil {
		ws.validationParameters[collection] = map[string][]byte{}
	}
	ws.validationParameters[collection][key] = clone(policy)
}

// collections returns the collections the write set touches, sorted, with
// publicData first when present.
func (ws *writeSet) collections() []string {
	seen := map[string]bool{}
	for c := range ws.writes {
		seen[c] = true
	}
	for c := range ws.validationParameters {
		seen[c] = true
	}
	return slices.Sorted(maps.Keys(seen))
}

// equal reports whether two simulations of the same proposal wrote the same
// things; the gateway rejects endorsements whose write sets differ.
func (ws *writeSet) equal(other *writeSet) bool {
	return maps.EqualFunc(ws.writes, other.writes, func(a, b map[string]write) bool {
		return maps.EqualFunc(a, b, func(x, y write) bool {
			return x.purge == y.purge && bytes.Equal(x.value, y.value)
		})
	}) && maps.EqualFunc(ws.validationParameters, other.validationParameters, func(a, b map[string][]byte) bool {
		return maps.EqualFunc(a, b, bytes.Equal)
	})
}

// clone copies b so that neither chaincode nor tests can change ledger data
// through a slice they hold; an empty b becomes nil, as it would after a
// round trip through protobuf between shim and peer.
func clone(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return bytes.Clone(b)
}
