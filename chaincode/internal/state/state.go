// Package state holds the world-state helpers every contract uses, on the
// chaincode's side of the ledger: typed reads and writes of JSON records under
// composite keys, the transaction clock, events, key-level endorsement and
// paginated index queries.
package state

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Contract is what every contract of the market embeds: contractapi's
// contract, named and described by its declaration in the model, whose
// functions the declaration marks read-only are tagged for evaluation, and
// which, before any of its functions runs, refuses a transaction timestamp
// far from this peer's clock (refuseSkewedTimestamp) and text that is not
// valid UTF-8 in the arguments (refuseInvalidText).
type Contract struct {
	contractapi.Contract
	declared model.Contract
}

// Declare returns the base of the contract declared.
func Declare(declared model.Contract) Contract {
	c := Contract{declared: declared}
	c.Name = declared.Name
	c.Info.Title = declared.Title
	c.Info.Description = declared.Description
	text := refuseInvalidText(declared)
	c.BeforeTransaction = func(ctx Context) error {
		if err := refuseSkewedTimestamp(ctx); err != nil {
			return err
		}
		return text(ctx)
	}
	return c
}

// GetEvaluateTransactions tags the declaration's read-only functions
// "evaluate" in the chaincode metadata, telling clients and the gateway to
// evaluate rather than submit them: pagination works only there, and some
// (credit's ReadRecords, trades' Terms) must never be answered into a block.
func (c *Contract) GetEvaluateTransactions() []string {
	return c.declared.Evaluated()
}

// Context is the transaction context every contract function receives.
type Context = contractapi.TransactionContextInterface

// TimeLayout is how the ledger writes instants (model.TimeLayout).
const TimeLayout = model.TimeLayout

// Now is the transaction's timestamp: the only clock what chaincode writes
// may depend on, because every endorsing peer must compute the same result.
// Every contract has refused it beforehand unless it is within
// model.MaxClockSkew of the endorsing peer's clock (Describe).
func Now(ctx Context) (time.Time, error) {
	return stampOf(ctx.GetStub())
}

// stampOf is the transaction's timestamp as Now reads it: whole seconds, UTC.
func stampOf(stub shim.ChaincodeStubInterface) (time.Time, error) {
	ts, err := stub.GetTxTimestamp()
	if err != nil {
		return time.Time{}, ledgererr.Internalf(err, "reading the transaction timestamp")
	}
	return ts.AsTime().UTC().Truncate(time.Second), nil
}

// Format writes an instant the way the ledger stores it (model.FormatTime).
func Format(t time.Time) string {
	return model.FormatTime(t)
}

// Key builds the composite key of a record of the given type.
func Key(ctx Context, objectType string, attrs ...string) (string, error) {
	key, err := ctx.GetStub().CreateCompositeKey(objectType, attrs)
	if err != nil {
		return "", ledgererr.Invalid("id", "cannot be used in a key: %v", err)
	}
	return key, nil
}

// Get reads the JSON record at key into v. It reports false when the key has
// no value.
func Get(ctx Context, key string, v any) (bool, error) {
	b, err := ctx.GetStub().GetState(key)
	if err != nil {
		return false, ledgererr.Internalf(err, "reading state")
	}
	if b == nil {
		return false, nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, ledgererr.Internalf(err, "decoding %T", v)
	}
	return true, nil
}

// Read is one key of GetAll: its JSON record is decoded into Into (nil:
// only whether it exists, or a reader that decodes Value itself; a Decoder
// decodes it itself) and Found says whether it has a value.
type Read struct {
	Key   string
	Into  any
	Found bool
	// Value is the record as stored (nil when not Found), for a reader that
	// remembers what it decodes from it (market.CAsRead).
	Value []byte
}

// Decoder is a record that GetAll (and so a Batch, an indexed page) lets
// decode its stored bytes itself, and never fails on them: one read where
// some org alone may have written any bytes, which takes bytes of another
// form as no record (a Keyed one naming no key) rather than fail every read
// that meets them.
type Decoder interface {
	DecodeStored(value []byte)
}

// GetAll reads independent keys in one request to the peer
// (GetMultipleStates): every read is a round trip between the chaincode and
// the peer, on every endorsing peer.
func GetAll(ctx Context, reads ...*Read) error {
	keys := make([]string, len(reads))
	for i, r := range reads {
		keys[i] = r.Key
	}
	values, err := ctx.GetStub().GetMultipleStates(keys...)
	if err != nil {
		return ledgererr.Internalf(err, "reading state")
	}
	for i, r := range reads {
		r.Found, r.Value = values[i] != nil, values[i]
		if d, ok := r.Into.(Decoder); ok && r.Found {
			d.DecodeStored(values[i])
		} else if r.Found && r.Into != nil {
			if err := json.Unmarshal(values[i], r.Into); err != nil {
				return ledgererr.Internalf(err, "decoding %T", r.Into)
			}
		}
	}
	return nil
}

// Put writes v as JSON at key.
func Put(ctx Context, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return ledgererr.Internalf(err, "encoding %T", v)
	}
	if err := ctx.GetStub().PutState(key, b); err != nil {
		return ledgererr.Internalf(err, "writing state")
	}
	return nil
}

// Exists reports whether key has a value.
func Exists(ctx Context, key string) (bool, error) {
	b, err := ctx.GetStub().GetState(key)
	if err != nil {
		return false, ledgererr.Internalf(err, "reading state")
	}
	return b != nil, nil
}

// indexMarker is the value of index entries: the peer deletes a key whose
// value is empty, so an index entry needs one byte.
var indexMarker = []byte{0}

// PutIndex writes an index entry: a composite key whose attributes carry the
// information and whose value is a marker.
func PutIndex(ctx Context, objectType string, attrs ...string) error {
	key, err := Key(ctx, objectType, attrs...)
	if err != nil {
		return err
	}
	if err := ctx.GetStub().PutState(key, indexMarker); err != nil {
		return ledgererr.Internalf(err, "writing index %s", objectType)
	}
	return nil
}

// PutKeyIndex writes the index entry key, a simple key, for an index that
// is read as a range from any of its entries on (KeyedFrom).
func PutKeyIndex(ctx Context, key string) error {
	if err := ctx.GetStub().PutState(key, indexMarker); err != nil {
		return ledgererr.Internalf(err, "writing index entry %s", key)
	}
	return nil
}

// DelIndex deletes an index entry written by PutIndex.
func DelIndex(ctx Context, objectType string, attrs ...string) error {
	key, err := Key(ctx, objectType, attrs...)
	if err != nil {
		return err
	}
	return delIndexKey(ctx, objectType, key)
}

// DelIndexIfAny is DelIndex for an entry whose attributes come from a record
// one org alone may have written: attributes that no composite key can hold
// (U+0000, U+10FFFF) name no entry, as none was ever written under them, so
// there is nothing to delete and nothing fails. DelIndex refuses them, and
// a step that takes the record's entries out of an index for others (a
// sale's closing of its seller's listings) would fail for good on bytes
// that org wrote.
func DelIndexIfAny(ctx Context, objectType string, attrs ...string) error {
	key, err := ctx.GetStub().CreateCompositeKey(objectType, attrs)
	if err != nil {
		return nil
	}
	return delIndexKey(ctx, objectType, key)
}

// delIndexKey deletes the entry key of index objectType.
func delIndexKey(ctx Context, objectType, key string) error {
	if err := ctx.GetStub().DelState(key); err != nil {
		return ledgererr.Internalf(err, "deleting index %s", objectType)
	}
	return nil
}

// Emit sets the transaction's chaincode event. Fabric keeps one event per
// transaction, so each contract function emits once, naming what changed.
func Emit(ctx Context, name string, payload any) error {
	// Clients decide who may see an event by its entry in the catalogue
	// (model.Events): an event missing there would be hidden or shown by
	// accident, so the chaincode refuses to emit it.
	if _, known := model.LookupEvent(name); !known {
		return ledgererr.Internalf(fmt.Errorf("event %q", name), "emitting an event that is not in the catalogue")
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return ledgererr.Internalf(err, "encoding event %s", name)
	}
	if err := ctx.GetStub().SetEvent(name, b); err != nil {
		return ledgererr.Internalf(err, "setting event %s", name)
	}
	return nil
}

// Must panics on a programming error while building static keys; it never
// sees caller input.
func Must(s string, err error) string {
	if err != nil {
		panic(fmt.Sprintf("ledger: %v", err))
	}
	return s
}
