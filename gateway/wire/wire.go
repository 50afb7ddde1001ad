// Package wire holds the bodies the gateway answers with that it defines
// itself, as opposed to the records the chaincode returns (package model)
// and the ledger index's answers (model/ledgerindex): errors, submits and
// their status, health, events, onboarding, signing steps, the credit lookup
// and a publication. Package api writes them, package routes names them as
// its routes' responses and package openapi documents them from these types;
// the SDK (package client) reads them. It sits below all of them, and imports
// nothing of Fabric, so that none restates them.
package wire

import "encoding/json"

// MaxIdempotencyKeyLength bounds the Idempotency-Key header of a submit: 1 to
// this many printable ASCII characters.
const MaxIdempotencyKeyLength = 200

// EndorsingOrganizationsParam is the query parameter by which a request
// names the orgs whose peers endorse its call, comma-separated MSP IDs: a
// publication of the indices, and the private terms a member who signs its
// own calls stages.
const EndorsingOrganizationsParam = "endorsingOrganizations"

// ErrorBody is the one shape of every error answer.
type ErrorBody struct {
	// Code is a chaincode code (INVALID_ARGUMENT, FORBIDDEN, NOT_FOUND,
	// CONFLICT, INTERNAL) or a gateway code (UNAUTHENTICATED,
	// PAYLOAD_TOO_LARGE, RATE_LIMITED, ENDORSEMENT_FAILED, ORDERING_FAILED,
	// OUTCOME_UNKNOWN, COMMIT_FAILED, UNAVAILABLE, TIMEOUT, ...).
	Code string `json:"code"`
	// Message explains the error; for Fabric failures it keeps the detail
	// the peers and orderers gave.
	Message string `json:"message"`
	// Field names the request field at fault, for INVALID_ARGUMENT.
	Field string `json:"field,omitempty"`
	// TransactionID identifies the transaction the error concerns.
	TransactionID string `json:"transaction_id,omitempty"`
}

// SubmitBody answers a committed submit.
type SubmitBody struct {
	// TransactionID identifies the committed transaction.
	TransactionID string `json:"transaction_id"`
	// BlockNumber is the block that holds it.
	BlockNumber uint64 `json:"block_number"`
	// Result is the chaincode's JSON response.
	Result json.RawMessage `json:"result,omitempty" openapi:"any"`
}

// AcceptedBody answers a submit made with ?wait=false: the transaction is
// accepted for ordering and its commit is read from StatusURL.
type AcceptedBody struct {
	// TransactionID identifies the transaction.
	TransactionID string `json:"transaction_id"`
	// StatusURL is where its commit status is read.
	StatusURL string `json:"status_url"`
}

// TransactionStatusBody is the commit status of a transaction.
type TransactionStatusBody struct {
	// TransactionID identifies the transaction.
	TransactionID string `json:"transaction_id"`
	// Committed reports whether it is in a block yet.
	Committed bool `json:"committed"`
	// Valid reports whether it passed validation, so its writes took effect.
	Valid bool `json:"valid"`
	// Code is Fabric's validation code, e.g. VALID or MVCC_READ_CONFLICT.
	Code string `json:"code,omitempty"`
	// BlockNumber is the block that holds it.
	BlockNumber uint64 `json:"block_number,omitempty"`
	// Result is the chaincode's response, when this gateway submitted the
	// transaction and still remembers it.
	Result json.RawMessage `json:"result,omitempty" openapi:"any"`
}

// PageBody is one page of a list. Items are replaced by the item type of
// the route in the document.
type PageBody struct {
	// Items are the page's records.
	Items []json.RawMessage `json:"items"`
	// NextCursor reads the next page; absent on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// HealthBody answers /healthz and /readyz.
type HealthBody struct {
	// Status is "ok", or "unavailable" with Error saying why.
	Status string `json:"status"`
	// Error says why the gateway is not ready.
	Error string `json:"error,omitempty"`
}

// EventBody is the data of one Server-Sent Event of GET /v1/events. The
// event's SSE id is its position, "<block>-<transaction_id>", which
// Last-Event-ID resumes after.
type EventBody struct {
	// Name is the chaincode event name, e.g. "ParticipantRegistered".
	Name string `json:"name"`
	// BlockNumber is the block of the transaction that emitted it.
	BlockNumber uint64 `json:"block_number"`
	// TransactionID is the transaction that emitted it.
	TransactionID string `json:"transaction_id"`
	// Payload is the chaincode's event payload (IDs of what changed).
	Payload json.RawMessage `json:"payload,omitempty" openapi:"any"`
}
