package chaincodetest

import (
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
)

// Defaults of a Network.
const (
	// DefaultChannel is the channel name unless WithChannel sets another.
	DefaultChannel = "mychannel"
	// DefaultChaincode is the chaincode name unless WithChaincodeName sets
	// another. It appears as the namespace of query results and in errors.
	DefaultChaincode = "mycc"
)

// DefaultStartTime is the time of the first transaction unless
// WithStartTime sets another. It is fixed so that test output is stable.
var DefaultStartTime = time.Date(2026, time.March, 1, 8, 0, 0, 0, time.UTC)

// Option configures a Network.
type Option func(*config)

type config struct {
	channel      string
	chaincode    string
	orgs         []*CA
	collections  []Collection
	start        time.Time
	policy       *common.SignaturePolicyEnvelope
	planEndorser bool
}

func newConfig(opts []Option) *config {
	c := &config{channel: DefaultChannel, chaincode: DefaultChaincode, start: DefaultStartTime}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// WithChannel sets the channel name that GetChannelID returns.
func WithChannel(name string) Option {
	return func(c *config) { c.channel = name }
}

// WithChaincodeName sets the name the chaincode is defined with on the
// channel.
func WithChaincodeName(name string) Option {
	return func(c *config) { c.chaincode = name }
}

// WithOrgs makes the orgs of the given CAs the members of the channel. Only
// their identities may then submit transactions (a certificate must be issued
// by the CA of its MSP), only their peers endorse, and only they have
// implicit collections. Without WithOrgs the channel is open: any identity
// is accepted and every MSP ID has an implicit collection.
func WithOrgs(cas ...*CA) Option {
	return func(c *config) { c.orgs = append(c.orgs, cas...) }
}

// WithCollection defines a private data collection whose data the peers of
// the member orgs hold. Any client may read and write it; use
// WithCollectionConfig for the other settings.
func WithCollection(name string, members ...string) Option {
	return WithCollectionConfig(Collection{Name: name, Members: members})
}

// WithCollectionConfig defines a private data collection.
func WithCollectionConfig(collection Collection) Option {
	return func(c *config) { c.collections = append(c.collections, collection) }
}

// WithStartTime sets the timestamp of the first transaction.
func WithStartTime(t time.Time) Option {
	return func(c *config) { c.start = t }
}

// WithEndorsementPolicy sets the chaincode endorsement policy, which the
// writes of a transaction must satisfy unless a key-level or collection
// policy applies to them. Build it with AnyOf, AllOf or OutOf, or unmarshal
// one. The default is satisfied by the endorsement of any one peer.
func WithEndorsementPolicy(policy *common.SignaturePolicyEnvelope) Option {
	return func(c *config) { c.policy = policy }
}

// WithEndorsementPlanning makes the network pick the endorsers of a
// submitted transaction the way the Fabric Gateway does when the client names
// none: after the first endorsement, on a peer of the client's org (or
// Call.PeerMSP), it adds the fewest other channel orgs needed to satisfy the
// policies the transaction's writes are subject to — chaincode, collection and
// key-level policies alike. Ties go to orgs in WithOrgs order. It requires
// WithOrgs. Without it, a transaction is endorsed by the first peer alone
// unless Call.Endorsers says otherwise.
func WithEndorsementPlanning() Option {
	return func(c *config) { c.planEndorser = true }
}
