package model

import "slices"

// The KeyAttrs methods name, for each record the chaincode reads by ID, the
// attributes of the ledger key it is stored under, in the key's order. A
// new key needs only the chaincode-level endorsement policy, so orgs running
// chaincode of their own can store under a key of their choosing a copy of
// another record; a step on that key would then write the record it names.
// The chaincode treats a record read under a key it does not name as
// missing (chaincode/internal/state.Find), and the gateways' ledger index
// projects no such record (NamesItsKey).

// Keyed is a record that names the attributes of the key it is stored
// under.
type Keyed interface {
	KeyAttrs() []string
}

// NamesItsKey reports whether record r names attrs, the attributes of the
// key it was read (or written) under. A key that already holds a record is
// under that record's key-level policy, often of one org (a listing's
// seller's, a participant's, a trade's two parties' when they are one), and
// that org, running chaincode of its own, can write there a record naming
// any other: whoever reads by key takes it for none, and whoever reads by
// the record's own ID (the ledger index, which upserts rows by it) must
// too, or one org rewrites another's records.
func NamesItsKey(r Keyed, attrs []string) bool {
	return slices.Equal(r.KeyAttrs(), attrs)
}

// KeyAttrs is the trade's ID.
func (t *Trade) KeyAttrs() []string { return []string{t.ID} }

// KeyAttrs is the asset's ID.
func (a *Asset) KeyAttrs() []string { return []string{a.ID} }

// KeyAttrs is the asset and the ID of the objection against it.
func (o *Objection) KeyAttrs() []string { return []string{o.AssetID, o.ID} }

// KeyAttrs is the right's ID.
func (r *Right) KeyAttrs() []string { return []string{r.ID} }

// KeyAttrs is the asset and the HOLDING right the offer is of.
func (o *HoldingOffer) KeyAttrs() []string { return []string{o.AssetID, o.HoldingRightID} }

// KeyAttrs is the listing's ID.
func (l *Listing) KeyAttrs() []string { return []string{l.ID} }

// KeyAttrs is the participant's ID.
func (p *Participant) KeyAttrs() []string { return []string{p.ID} }

// KeyAttrs is the credit record's ID.
func (r *Record) KeyAttrs() []string { return []string{r.RecordID} }

// KeyAttrs is the authorization's ID.
func (a *Authorization) KeyAttrs() []string { return []string{a.AuthID} }

// KeyAttrs is the query trace's ID.
func (t *Trace) KeyAttrs() []string { return []string{t.TraceID} }

// KeyAttrs is the credit objection's ID.
func (o *CreditObjection) KeyAttrs() []string { return []string{o.ObjectionID} }
