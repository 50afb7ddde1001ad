package chaincodetest

import (
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
)

// channel is the configuration of the channel and of the chaincode defined on
// it: what the peer looks up in channel config and in the chaincode
// definition. It does not change once the network is built.
type channel struct {
	name      string
	chaincode string
	// orgs maps MSP ID → CA of the channel's orgs; nil for an open channel.
	orgs map[string]*CA
	// orgIDs are the keys of orgs in the order they were configured.
	orgIDs      []string
	collections map[string]Collection
	// policy is the chaincode endorsement policy; nil stands for "any one
	// endorsement".
	policy *common.SignaturePolicyEnvelope
}

func newChannel(c *config) (*channel, error) {
	ch := &channel{
		name:        c.channel,
		chaincode:   c.chaincode,
		collections: map[string]Collection{},
		policy:      c.policy,
	}
	if ch.name == "" || ch.chaincode == "" {
		return nil, fmt.Errorf("channel and chaincode names must not be empty")
	}
	if len(c.orgs) > 0 {
		ch.orgs = map[string]*CA{}
		for _, ca := range c.orgs {
			if ca == nil {
				return nil, fmt.Errorf("nil CA in WithOrgs")
			}
			if ch.orgs[ca.MSPID()] != nil {
				return nil, fmt.Errorf("org %s configured twice", ca.MSPID())
			}
			ch.orgs[ca.MSPID()] = ca
			ch.orgIDs = append(ch.orgIDs, ca.MSPID())
		}
	}
	if c.planEndorser && ch.orgs == nil {
		return nil, fmt.Errorf("WithEndorsementPlanning requires WithOrgs")
	}
	for _, coll := range c.collections {
		if err := coll.validate(); err != nil {
			return nil, err
		}
		if _, dup := ch.collections[coll.Name]; dup {
			return nil, fmt.Errorf("collection %q defined twice", coll.Name)
		}
		for _, member := range coll.Members {
			if !ch.hasOrg(member) {
				return nil, fmt.Errorf("collection %q: member %q is not a channel org", coll.Name, member)
			}
		}
		ch.collections[coll.Name] = coll
	}
	return ch, nil
}

// hasOrg reports whether the org is a member of the channel.
func (ch *channel) hasOrg(mspID string) bool {
	if ch.orgs == nil {
		return mspID != ""
	}
	return ch.orgs[mspID] != nil
}

// checkCreator is the endorser's check of a proposal's creator: it must be
// an identity of a channel org, certified by that org's CA. The errors are
// the endorser's (core/endorser/msgvalidation.go).
func (ch *channel) checkCreator(id Identity) error {
	if id.MSPID == "" || id.Cert == nil {
		return fmt.Errorf("access denied: channel [%s] creator org unknown, creator is malformed", ch.name)
	}
	if ch.orgs == nil {
		return nil
	}
	ca := ch.orgs[id.MSPID]
	if ca == nil {
		return fmt.Errorf("access denied: channel [%s] creator org [%s]", ch.name, id.MSPID)
	}
	if err := ca.verify(id); err != nil {
		return fmt.Errorf("access denied: channel [%s] creator org [%s]: %w", ch.name, id.MSPID, err)
	}
	return nil
}
