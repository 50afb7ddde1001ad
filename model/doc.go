// Package model is the market's vocabulary, written once: the records the
// chaincode stores and returns, as they travel over the wire (participants,
// assets, rights, listings, trades, credit metadata); the enumerations and
// limits of their fields; the patterns of identifiers; the contracts'
// functions with their parameters; and the catalogue of chaincode events,
// with who may see each.
//
// The chaincode enforces these rules (it is the law); the REST gateway checks
// them early, builds its routes and OpenAPI document from them and filters
// its event stream by them; the SDK and the CLI speak these types. The
// package imports nothing of Fabric, so that every client can use it.
//
// Error codes and the wire form of refusals are in the sub-package
// ledgererr.
package model
