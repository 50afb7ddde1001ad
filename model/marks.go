package model

// The key types of the marks interface 16.0.0 introduced: new keys, which
// need the chaincode-level endorsement policy (a majority of the orgs), so
// that no org, running chaincode of its own, writes one alone. The first
// write of any of them on a channel is where 16.0.0 took effect there.
const (
	// SaleMarkKeyType is the key type of a trade's completion mark
	// (SaleMark), whose only attribute is the trade's ID. The chaincode
	// writes it with the step that completes the trade; the gateways'
	// ledger index counts a sale only from a transaction that wrote it.
	SaleMarkKeyType = "trade~completed"
	// OpenedMarkKeyType is the key type of a trade's opening mark
	// (OpenedMark), whose only attribute is the trade's ID: written by the
	// Order or Propose that opens the trade.
	OpenedMarkKeyType = "trade~opened"
	// AssetSealedKeyType marks an asset written under a majority of the
	// orgs from its application on (chaincode/assets): an application, and
	// from interface 17.0.0 a registered asset too, which keeps the mark
	// its application had.
	AssetSealedKeyType = "asset~sealed"
	// RecordSealedKeyType marks a credit record written under a majority
	// of the orgs (chaincode/credit).
	RecordSealedKeyType = "credit.record~sealed"
	// AuthSealedKeyType marks a credit authorisation written under a
	// majority of the orgs (chaincode/credit).
	AuthSealedKeyType = "credit.auth~sealed"
	// RegisteredKeyType is the key type of a participant's registration
	// (chaincode/participants): the enterprise its certificate certified
	// when it was registered.
	RegisteredKeyType = "participant~cert"
)

// ListingClosedKeyType is the key type of a listing's closing
// (ListingClosing), whose only attribute is the listing's ID: written, from
// interface 18.0.0 on, by the step that sells the holding the listing
// offers or moves it away from the listing's seller, a new key with no
// key-level policy, which only a majority of the orgs writes.
const ListingClosedKeyType = "listing~closed"

// MajorityMarkKeyTypes are the key types only chaincode of interface
// 16.0.0 or later writes, and only under a majority of the orgs: the
// gateways' ledger index draws the line from which every sale needs its
// completion mark at the first block that writes one of them: an order, a
// registration, an application, a credit record or authorisation, a sale.
var MajorityMarkKeyTypes = []string{SaleMarkKeyType, OpenedMarkKeyType, AssetSealedKeyType, RecordSealedKeyType, AuthSealedKeyType, RegisteredKeyType}
