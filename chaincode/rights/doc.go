// Package rights is the register of right certificates over data assets
// (数据确权), the contract "rights" on the channel: the three-rights split
// into HOLDING (数据资源持有权), USE (数据加工使用权) and OPERATION
// (数据产品经营权) rights, their grants, sublicences, revocations and
// renunciations, and the offers that move an asset's holding outside a
// trade.
//
// The package also exports what the listings and trades contracts call
// inside their own transactions (GetRight, CheckOffer, Convey, LockHolding
// and UnlockHolding) and, as Register, what the assets contract needs of
// the rights register: the HOLDING right a certification issues and the
// right that entitles a participant to process a source asset. Rights are
// over assets, so this package depends on package assets and not the other
// way round; the chaincode passes Register to assets.New.
//
// A right's key carries a key-level endorsement policy asking for a majority
// of the market's orgs (putRight), so that neither party's org alone
// rewrites a licence or blocks the other party's step; so does an open
// offer of a holding's (putHoldingOffer).
package rights
