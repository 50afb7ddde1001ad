package ledgererr

// Codes the REST gateway answers beside the chaincode's: failures of the
// caller's credentials and request, and of Fabric around the chaincode.
// Clients switch on them as on the chaincode's.
const (
	// Unauthenticated means the request carried no valid credentials.
	Unauthenticated Code = "UNAUTHENTICATED"
	// PayloadTooLarge means the request body exceeds the gateway's limit.
	PayloadTooLarge Code = "PAYLOAD_TOO_LARGE"
	// UnsupportedMediaType means the request body is not JSON.
	UnsupportedMediaType Code = "UNSUPPORTED_MEDIA_TYPE"
	// MethodNotAllowed means the path does not take the request's method.
	MethodNotAllowed Code = "METHOD_NOT_ALLOWED"
	// RateLimited means the caller sent too many requests; retry later.
	RateLimited Code = "RATE_LIMITED"
	// IdempotencyKeyReused means an idempotency key came back with another
	// request.
	IdempotencyKeyReused Code = "IDEMPOTENCY_KEY_REUSED"
	// EndorsementFailed means no valid endorsement could be had for a reason
	// other than a chaincode refusal.
	EndorsementFailed Code = "ENDORSEMENT_FAILED"
	// OrderingFailed means the ordering service refused the transaction and
	// it was not committed.
	OrderingFailed Code = "ORDERING_FAILED"
	// OutcomeUnknown means the transaction was sent for ordering but neither
	// its failure nor its commit could be confirmed in time.
	OutcomeUnknown Code = "OUTCOME_UNKNOWN"
	// CommitFailed means the transaction was committed invalid and wrote
	// nothing.
	CommitFailed Code = "COMMIT_FAILED"
	// Unavailable means the peer or the ordering service could not be
	// reached.
	Unavailable Code = "UNAVAILABLE"
	// Timeout means Fabric did not answer in time.
	Timeout Code = "TIMEOUT"
	// Canceled means the client went away before the answer.
	Canceled Code = "CANCELED"
)
