package model

import "time"

// PeriodClosingDelay is how long after its end a period of the published
// indices closes, for the periods from ClosingRuleCutOver on (PeriodClosesAt).
// indices:Open opens a period only then, by the transaction's stamp and by
// the endorsing peer's clock, and the opening is what closes it (the
// gateways' index.ClosingBlock: the block before it is the last the
// period counts). A transaction stamped in the period's last seconds may
// still be endorsed until MaxClockSkew after the end (a member signing its
// own calls, stamped behind), and the endorsers accept a stamp up to
// MaxClockLead ahead of their clocks: waiting both keeps that transaction
// before the opening, and so in the period's figures.
const PeriodClosingDelay = MaxClockSkew + MaxClockLead

// legacyPeriodClosingDelay is how long after its end a period before
// ClosingRuleCutOver closes: MaxClockSkew alone, the rule the periods
// published in 2026 were opened by.
const legacyPeriodClosingDelay = MaxClockSkew

// ClosingRuleCutOver is the first instant of 2027 in Beijing (the periods'
// zone, so a boundary of every kind of period): a period that ends after it
// (minute:2027-01-01T00:00, hour:2027-01-01T00, day:2027-01-01,
// month:2027-01 and every later one) closes PeriodClosingDelay after its
// end, an earlier one legacyPeriodClosingDelay after. It is fixed in code,
// not read from the ledger, so that when a period opens is a function of
// its name alone; it was chosen in the future when the rule changed
// (December 2026), so that the gateways and the chaincode run the new rule
// before it comes.
func ClosingRuleCutOver() time.Time { return time.Date(2027, 1, 1, 0, 0, 0, 0, chinaStandardTime) }

// PeriodClosesAt is when the period of the published indices that ends at
// end closes: from then on indices:Open opens it (by the stamp and by the
// endorsing peer's clock), which closes it (index.ClosingBlock), and a
// regulator's publisher opens it. Every rule about when a period closes
// reads it here.
func PeriodClosesAt(end time.Time) time.Time {
	if end.After(ClosingRuleCutOver()) {
		return end.Add(PeriodClosingDelay)
	}
	return end.Add(legacyPeriodClosingDelay)
}
