package state

import (
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"

	"github.com/deltaledger/deltaledger/chaincode/internal/peerclock"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// TimestampField is the field a refusal of a skewed transaction timestamp
// names: the timestamp in the proposal's channel header.
const TimestampField = "txTimestamp"

// refuseSkewedTimestamp refuses a transaction, submitted or evaluated,
// whose timestamp lies more than model.MaxClockSkew before this peer's clock
// (peerclock.Now), or more than model.MaxClockLead after it. The timestamp is the client's own claim, which Fabric
// does not check; with it bounded by every endorser's clock, the
// transaction time (Now) that deadlines, terms and traces are judged by is
// one no caller chooses, to within the skew. Describe runs it before every
// function of every contract, so no function repeats it.
func refuseSkewedTimestamp(ctx Context) error {
	return RefuseSkewedTimestamp(ctx.GetStub())
}

// RefuseSkewedTimestamp is refuseSkewedTimestamp for what the chaincode
// answers outside its contracts (the system contract's GetMetadata): a
// transaction of the market chaincode, even one that writes nothing, is
// stamped within model.MaxClockSkew before and model.MaxClockLead after
// every endorser's clock. Only a transaction a majority endorses proves it
// (one org endorsing a write under its own key-level policy runs code of
// its own), so the gateways' ledger indices close a period of the
// published indices by its opening, not by any stamp.
func RefuseSkewedTimestamp(stub shim.ChaincodeStubInterface) error {
	stamp, err := stampOf(stub)
	if err != nil {
		return err
	}
	wall := peerclock.Now().UTC().Truncate(time.Second)
	if d := stamp.Sub(wall); d > model.MaxClockLead || d < -model.MaxClockSkew {
		return ledgererr.Invalid(TimestampField, "must lie %s before to %s after the endorsing peer's clock (%s), got %s",
			model.MaxClockSkew, model.MaxClockLead, Format(wall), Format(stamp))
	}
	return nil
}

// RequireAfterLastChange refuses a change to record id (kind names what it
// is: asset, right, record) stamped at now before last, the stored instant
// of that record's last change (its UpdatedAt). A stamp may lie
// model.MaxClockSkew behind the endorsing peers' clocks, so without this a
// party answering another's step within that time could date its own
// before it: its step then reads, in a history kept in time order, before
// the one committed ahead of it, and a deadline it sets for the other party
// starts before that party's own step. With it, time order is ledger order
// for each record; an honest client whose proposal waited past another's
// change stamps it anew. A change at the last change's own instant is
// taken (stamps are not unique).
func RequireAfterLastChange(kind, id, last string, now time.Time) error {
	if at := Format(now); at < last {
		return ledgererr.Invalid(TimestampField, "must not lie before the last change of %s %q, at %s, got %s", kind, id, last, at)
	}
	return nil
}

// NotBeforeLastChange is the time a step that answers no step of record id
// (kind names what it is) is dated at: now, the transaction's stamp, or
// last, the stored instant of the record's last change, if that lies later.
// A change may be stamped up to model.MaxClockLead ahead of the clocks;
// refusing a step that follows it (RequireAfterLastChange) would let whoever
// stamped ahead hold that step off, while dating the step at the change
// keeps the record's history in time order without refusing anyone.
func NotBeforeLastChange(kind, id, last string, now time.Time) (time.Time, error) {
	if Format(now) >= last {
		return now, nil
	}
	at, err := time.Parse(TimeLayout, last)
	if err != nil {
		return time.Time{}, ledgererr.Internalf(err, "reading the last change of %s %q", kind, id)
	}
	return at, nil
}

// ClockReached reports whether this endorsing peer's clock (peerclock.Now)
// has reached at, a stored instant. A deadline that one party beats and
// another waits out is judged by the transaction time and by this clock
// together: the stamp may lie model.MaxClockSkew behind and
// model.MaxClockLead ahead of the clock, and within that slack the party who
// profits, not the time, would decide on which side of the deadline its call
// falls. A refusal may depend on this clock; what a transaction writes
// depends on its timestamp alone.
func ClockReached(at string) bool {
	return peerClock() >= at
}

// ClockPassed reports whether this endorsing peer's clock has passed at, a
// stored instant: the strict side of ClockReached, for a deadline that is
// still met at its own second.
func ClockPassed(at string) bool {
	return peerClock() > at
}

// peerClock is this endorsing peer's clock (peerclock.Now) as a stored
// instant reads, to the second.
func peerClock() string {
	return Format(peerclock.Now().UTC().Truncate(time.Second))
}
