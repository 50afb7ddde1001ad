// Package client is the Go SDK of DeltaLedger's REST gateway
// (deltaledger-gateway): what data exchanges, data holders, buyers, credit
// agencies and the regulator use to work with the ledger of one region
// without speaking Fabric.
//
// A Client talks to one region's gateway as one member, identified by an API
// key or by the member's TLS client certificate; the gateway signs every
// transaction with that member's own identity. Operations are grouped by
// resource (Participants, Assets, Rights, Listings, Trades, Credit, Market,
// Transactions, Events):
//
//	c, err := client.New("https://127.0.0.1:27180",
//		client.WithAPIKey(os.Getenv("SHANGHAI_HOLDER_KEY")),
//		client.WithCAFile(os.Getenv("SHANGHAI_CA")))
//	me, err := c.Participants().Me(ctx)
//	hash, err := client.SHA256File("data.csv")      // the data never leaves the machine
//	applied, err := c.Assets().Apply(ctx, client.ApplyRequest{ID: "a1", Name: "Port moves",
//		Category: "transport", SourceRegion: "shanghai", Description: "Hourly moves", ContentHash: hash})
//	fmt.Println(applied.Result.Status, applied.TransactionID, applied.BlockNumber)
//	for l, err := range c.Listings().ByCategory(ctx, "transport") {
//		...
//	}
//
// # Members who sign for themselves
//
// A member who keeps its own key (an enterprise onboarded through Members, enrolled with Enroll or, for a key in
// an HSM or a USB key, EnrollWithSigner and package client/pkcs11) gives WithSigner its enrolled certificate and a
// Signer instead of an API key. The gateway then holds no key of it: every call is signed here, step by step (the
// proposal, the endorsed transaction, the commit-status request), after the client has checked what it signs (of
// this member, of this call, of the market's channel and chaincode: the model's defaults, or WithChaincode's); the
// chaincode sees the member as the submitter. Every method works the same: Trades().StageTerms, whose endorsing
// orgs the gateway cannot ask the chaincode for as such a member, first asks for them itself (Trades().TermsOrgs,
// trades:TermsOrgs signed by the member) and names the buyer's and the seller's orgs it answers to the gateway:
//
//	key, err := client.LoadKeyFile("msp/keystore/priv_sk")
//	cert, err := os.ReadFile("msp/signcerts/cert.pem")
//	c, err := client.New(gatewayURL, client.WithCAFile(caFile), client.WithSigner(cert, key))
//
// # Results
//
// Reads return the chaincode's own record types, from package model
// (model.Asset, model.Listing, model.Trade, model.Record, ...), exactly as the gateway
// answers them. Transactions that change the ledger return a *Submitted
// holding the transaction ID, the block that committed it and the
// chaincode's result. A submit answers once the transaction is committed on
// the gateway's peer; with NoWait it answers as soon as the transaction is
// accepted for ordering, and Submitted.Wait (or Transactions().Wait) follows
// it to its commit.
//
// # Lists
//
// Lists are iterators (iter.Seq2) over every item: the gateway's pages and
// cursors are fetched as the loop advances. PageSize, FromCursor and
// TrackCursor control the pages when a caller needs to (a web page that shows
// one page at a time).
//
// # Errors and retries
//
// Every error the gateway answers is a *Error carrying the HTTP status and the
// gateway's code, message, field and transaction ID; use errors.As, or the
// helpers IsNotFound, IsConflict, IsForbidden, IsInvalidArgument and
// IsUnauthenticated. The client retries a request by itself, a bounded number
// of times with exponential backoff, only when the gateway answered 429 (rate
// limited, after the Retry-After it names) or 503 (peer or ordering
// unavailable), and only when repeating it is safe: reads, and submits that
// carry an idempotency key. Every submit carries one unless NoIdempotencyKey
// is given, and so do the calls that submit a transaction with an answer of
// their own (a credit lookup, which commits a query trace; an index's
// attestation and publication): the client generates a random key per call,
// which makes its own retries of that call safe (the gateway runs a key once
// and answers a retry with the first outcome). A retry the application makes
// by calling again is a new call with a new key; pass WithIdempotencyKey
// with a key derived from the business operation to make those safe too,
// for example after a 504 OUTCOME_UNKNOWN, or a lookup answered incomplete
// (an *IncompleteLookupError). The error of a keyed call carries the key it
// sent, generated or given (IdempotencyKeyOf: Error.IdempotencyKey, or an
// *UnansweredError after a timeout or a broken connection), so that such a
// repeat is answered the first outcome rather than run twice. The gateway
// keeps a refusal under the key too (a day by default) and answers it again
// (Error.Replayed): a new attempt after putting its cause right takes a new
// key. Failures to reach the gateway at all are not retried.
//
// # Events
//
// Client.Events streams the chaincode events the member may see (Server-Sent
// Events) and reconnects by itself after a dropped connection, resuming just
// after the last event received (Last-Event-ID), with no gap and no duplicate.
package client
