package model

import "time"

// PeriodClosingDelay is how long after its end a period of the published
// indices closes, for the periods from ClosingRuleCutOver on (PeriodClosesAt).
// A period is closed by the first valid transaction of the market chaincode
// stamped that long after its end (the gateways' index.ClosingBlock), and
// indices:Open opens it only then. The endorsers accept a stamp up to
// MaxClockLead ahead of their clocks, so such a stamp proves only that their
// clocks had passed end+MaxClockSkew; and a transaction stamped in the
// period's last seconds may still be endorsed until MaxClockSkew after the
// end (a member signing its own calls, stamped behind). Waiting MaxClockLead
// longer than MaxClockSkew is what keeps that transaction before the closer
// and so in the period's figures.
const PeriodClosingDelay = MaxClockSkew + MaxClockLead

// legacyPeriodClosingDelay is how long after its end a period before
// ClosingRuleCutOver closes: MaxClockSkew alone, the rule the periods
// already published were closed by. It stays so that every index, also one
// rebuilt from block 0, finds their closing blocks again (the regions
// attest the digest of figures counted up to it).
const legacyPeriodClosingDelay = MaxClockSkew

// ClosingRuleCutOver is the first instant of 2027 in Beijing (the periods'
// zone, so a boundary of every kind of period): a period that ends after it
// (minute:2027-01-01T00:00, hour:2027-01-01T00, day:2027-01-01,
// month:2027-01 and every later one) closes PeriodClosingDelay after its
// end, an earlier one legacyPeriodClosingDelay after. It is fixed in code,
// not read from the ledger, so that the closing block of a period is a
// function of the ledger's blocks alone; it was chosen in the future when
// the rule changed (December 2026), so that no period already published
// closes anew, and the gateways and the chaincode must run the new rule
// before it comes.
func ClosingRuleCutOver() time.Time { return time.Date(2027, 1, 1, 0, 0, 0, 0, chinaStandardTime) }

// PeriodClosesAt is when the period of the published indices that ends at
// end closes: a valid transaction of the market chaincode stamped then or
// later closes it (index.ClosingBlock), and from then on indices:Open opens
// it (by the stamp and by the endorsing peer's clock) and a regulator's
// publisher opens it. Every rule about when a period closes reads it here.
func PeriodClosesAt(end time.Time) time.Time {
	if end.After(ClosingRuleCutOver()) {
		return end.Add(PeriodClosingDelay)
	}
	return end.Add(legacyPeriodClosingDelay)
}
