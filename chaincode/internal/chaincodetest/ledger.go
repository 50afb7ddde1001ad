package chaincodetest

import (
	"crypto/sha256"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
)

// Ledger is the committed ledger of the chaincode under test: its world
// state, the private data of its collections, the history of its public keys
// and the transactions submitted to the channel. Only a [Network] changes it,
// by committing transactions; tests read it to check what a transaction did,
// or that it did nothing.
//
// The ledger is omniscient: it holds the private data of every collection,
// where a real peer holds only that of the collections its org is a member
// of. Membership is enforced where chaincode reads it, in [Stub].
//
// All returned byte slices are copies. A Ledger is safe for concurrent use.
type Ledger struct {
	mu sync.RWMutex
	// state maps collection (publicData for the world state) → key → entry.
	state map[string]map[string]*entry
	// history maps public key → its modifications, oldest first.
	history map[string][]HistoryEntry
	txs     []Transaction
}

// entry is a committed key: its value and its key-level endorsement policy
// (the VALIDATION_PARAMETER metadata entry, nil when unset). The peer stores
// metadata with the value, so deleting a key drops its policy too.
type entry struct {
	value               []byte
	validationParameter []byte
}

// HistoryEntry is one committed modification of a key, as GetHistoryForKey
// reports it.
type HistoryEntry struct {
	// TxID is the ID of the transaction that made the modification.
	TxID string
	// Timestamp is the transaction's timestamp (from its proposal header).
	Timestamp time.Time
	// Value is the value written, nil for a delete.
	Value []byte
	// IsDelete reports whether the key was deleted.
	IsDelete bool
}

// Transaction is a transaction that reached the ledger, valid or not. On a
// real channel every transaction that is ordered is recorded in a block; only
// valid ones change state. Proposals that fail endorsement, and evaluations,
// never get here.
type Transaction struct {
	// TxID is the transaction ID.
	TxID string
	// Timestamp is the transaction's timestamp.
	Timestamp time.Time
	// Creator is the identity that submitted the transaction.
	Creator Identity
	// Args are the chaincode arguments; Args[0] is the function name.
	Args []string
	// Endorsers are the MSP IDs of the peers that endorsed the transaction.
	Endorsers []string
	// ValidationCode is the peer.TxValidationCode name given at commit:
	// "VALID" or why the transaction was invalidated.
	ValidationCode string
	// Event is the chaincode event the transaction set, or nil.
	Event *Event
}

// Valid reports whether the transaction was committed as valid.
func (tx Transaction) Valid() bool {
	return tx.ValidationCode == peer.TxValidationCode_VALID.String()
}

// Event is a chaincode event, set with SetEvent.
type Event struct {
	// Name is the event name.
	Name string
	// Payload is the event payload.
	Payload []byte
}

func newLedger() *Ledger {
	return &Ledger{
		state:   map[string]map[string]*entry{},
		history: map[string][]HistoryEntry{},
	}
}

// State returns the committed value of the public key, or nil if it does not
// exist.
func (l *Ledger) State(key string) []byte {
	value, _ := l.get(publicData, key)
	return value
}

// StateKeys returns every public key with a committed value, simple and
// composite, sorted by their bytes.
func (l *Ledger) StateKeys() []string {
	return l.keys(publicData)
}

// ValidationParameter returns the key-level endorsement policy of the public
// key (a marshalled common.SignaturePolicyEnvelope), or nil if it has none.
func (l *Ledger) ValidationParameter(key string) []byte {
	_, policy := l.get(publicData, key)
	return policy
}

// History returns the committed modifications of the public key, newest
// first, as GetHistoryForKey does.
func (l *Ledger) History(key string) []HistoryEntry {
	l.mu.RLock()
	defer l.mu.RUnlock()
	entries := l.history[key]
	newestFirst := make([]HistoryEntry, len(entries))
	for i, e := range entries {
		e.Value = clone(e.Value)
		newestFirst[len(entries)-1-i] = e
	}
	return newestFirst
}

// PrivateData returns the committed value of key in the private data
// collection, or nil if it does not exist.
func (l *Ledger) PrivateData(collection, key string) []byte {
	value, _ := l.get(collection, key)
	return value
}

// PrivateDataHash returns the SHA-256 hash of the committed value of key in
// the collection (what every peer of the channel holds, member or not), or
// nil if it does not exist.
func (l *Ledger) PrivateDataHash(collection, key string) []byte {
	return hashOf(l.PrivateData(collection, key))
}

// PrivateDataKeys returns every key with a committed value in the
// collection, sorted by their bytes.
func (l *Ledger) PrivateDataKeys(collection string) []string {
	return l.keys(collection)
}

// PrivateDataValidationParameter returns the key-level endorsement policy of
// key in the collection, or nil if it has none.
func (l *Ledger) PrivateDataValidationParameter(collection, key string) []byte {
	_, policy := l.get(collection, key)
	return policy
}

// Transactions returns the transactions that reached the ledger, valid or
// invalid, in commit order.
func (l *Ledger) Transactions() []Transaction {
	l.mu.RLock()
	defer l.mu.RUnlock()
	txs := make([]Transaction, len(l.txs))
	for i, tx := range l.txs {
		txs[i] = tx.clone()
	}
	return txs
}

// Events returns the chaincode events of valid transactions in commit order,
// which is what a client listening for chaincode events receives.
func (l *Ledger) Events() []Event {
	var events []Event
	for _, tx := range l.Transactions() {
		if tx.Valid() && tx.Event != nil {
			events = append(events, *tx.Event)
		}
	}
	return events
}

// get returns copies of the committed value and validation parameter of key.
func (l *Ledger) get(collection, key string) (value, validationParameter []byte) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	e := l.state[collection][key]
	if e == nil {
		return nil, nil
	}
	return clone(e.value), clone(e.validationParameter)
}

func (l *Ledger) keys(collection string) []string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return slices.Sorted(maps.Keys(l.state[collection]))
}

// kv is a key and a copy of its value, as a query returns them.
type kv struct {
	key   string
	value []byte
}

// scan is LevelDB's range scan: the keys of the collection in [start, end)
// in byte order, an empty end meaning no upper bound. When limit > 0 it
// returns at most limit keys, and next is the key that would come after them
// ("" if none) — the bookmark a paginated query hands back.
func (l *Ledger) scan(collection, start, end string, limit int) (kvs []kv, next string) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var keys []string
	for key := range l.state[collection] {
		if key >= start && (end == "" || key < end) {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys)
	if limit > 0 && len(keys) > limit {
		next = keys[limit]
		keys = keys[:limit]
	}
	for _, key := range keys {
		kvs = append(kvs, kv{key: key, value: clone(l.state[collection][key].value)})
	}
	return kvs, next
}

// commit records tx in the ledger and, if ws is not nil, applies the write
// set atomically. It follows the peer's rules for combining a key's value
// and metadata writes (kvledger/txmgmt/validation/tx_ops.go):
//   - a delete removes the key together with its endorsement policy;
//   - a value write keeps the committed policy unless the transaction also
//     sets one;
//   - a policy write alone updates the policy of an existing key and is
//     dropped if the key does not exist.
//
// History is kept for public keys only, one entry per value write (metadata
// writes do not appear), as the peer's history database does.
func (l *Ledger) commit(tx Transaction, ws *writeSet) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.txs = append(l.txs, tx.clone())
	if ws == nil {
		return
	}
	for _, collection := range ws.collections() {
		l.apply(collection, ws.writes[collection], ws.validationParameters[collection])
	}
	for _, key := range slices.Sorted(maps.Keys(ws.writes[publicData])) {
		w := ws.writes[publicData][key]
		l.history[key] = append(l.history[key], HistoryEntry{
			TxID:      tx.TxID,
			Timestamp: tx.Timestamp,
			Value:     clone(w.value),
			IsDelete:  w.isDelete(),
		})
	}
}

func (l *Ledger) apply(collection string, writes map[string]write, policies map[string][]byte) {
	if l.state[collection] == nil {
		l.state[collection] = map[string]*entry{}
	}
	state := l.state[collection]
	for key, w := range writes {
		if w.isDelete() {
			delete(state, key)
			continue
		}
		e := &entry{value: clone(w.value)}
		if old := state[key]; old != nil {
			e.validationParameter = old.validationParameter
		}
		state[key] = e
	}
	for key, policy := range policies {
		if w, written := writes[key]; written && w.isDelete() {
			continue
		}
		if e := state[key]; e != nil {
			e.validationParameter = clone(policy)
		}
	}
}

func (tx Transaction) clone() Transaction {
	tx.Args = slices.Clone(tx.Args)
	tx.Endorsers = slices.Clone(tx.Endorsers)
	if tx.Event != nil {
		event := Event{Name: tx.Event.Name, Payload: clone(tx.Event.Payload)}
		tx.Event = &event
	}
	return tx
}

// hashOf is the hash the peer keeps of private data: SHA-256 of the value,
// nil for no value.
func hashOf(value []byte) []byte {
	if value == nil {
		return nil
	}
	sum := sha256.Sum256(value)
	return sum[:]
}
