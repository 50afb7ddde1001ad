package chain

// CallOption adjusts one Submit or Evaluate call.
type CallOption func(*CallOptions)

// CallOptions is the resolved set of a call's options. Implementations of
// Ledger read it through Options.
type CallOptions struct {
	// Transient is private input passed to the chaincode outside the
	// transaction's public arguments; it is never written to a block.
	Transient map[string][]byte
	// EndorsingOrganizations, when set, restricts the call to the peers of
	// these MSPs: the endorsers of a submit, the target of an evaluate.
	EndorsingOrganizations []string
	// NoCommitWait makes Submit return as soon as the transaction has been
	// accepted for ordering.
	NoCommitWait bool
	// BeforeOrdering, when set, is called by Submit once the transaction is
	// endorsed and before it is sent for ordering.
	BeforeOrdering func(Prepared) error
}

// Options resolves a list of options.
func Options(options ...CallOption) CallOptions {
	var o CallOptions
	for _, apply := range options {
		apply(&o)
	}
	return o
}

// WithTransient passes private input as transient data. Keys are the names
// the chaincode reads with GetTransient.
func WithTransient(transient map[string][]byte) CallOption {
	return func(o *CallOptions) {
		if len(transient) == 0 {
			return
		}
		if o.Transient == nil {
			o.Transient = make(map[string][]byte, len(transient))
		}
		for k, v := range transient {
			o.Transient[k] = v
		}
	}
}

// WithEndorsingOrganizations sends the proposal only to the peers of the
// given MSPs. Private data transactions and reads of private data use it so
// that private input reaches only the organisations entitled to it.
func WithEndorsingOrganizations(mspIDs ...string) CallOption {
	return func(o *CallOptions) {
		o.EndorsingOrganizations = append(o.EndorsingOrganizations, mspIDs...)
	}
}

// WithoutCommitWait makes Submit return once the transaction is accepted for
// ordering, without waiting for its commit. Its status is read later with
// CommitStatus.
func WithoutCommitWait() CallOption {
	return func(o *CallOptions) {
		o.NoCommitWait = true
	}
}

// Prepared is an endorsed transaction about to be sent for ordering.
type Prepared struct {
	// TransactionID identifies the transaction.
	TransactionID string
	// Result is the chaincode's response, as endorsed.
	Result []byte
	// Transaction is the endorsed transaction, unsigned, which Resubmit
	// sends again.
	Transaction []byte
}

// WithBeforeOrdering makes Submit call record with the endorsed
// transaction just before sending it for ordering, so that a caller can
// write down a transaction that may commit before anything else can go
// wrong (the gateway killed while it is being ordered). When record fails,
// nothing is sent and Submit returns its error.
func WithBeforeOrdering(record func(Prepared) error) CallOption {
	return func(o *CallOptions) {
		o.BeforeOrdering = record
	}
}
