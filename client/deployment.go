package client

import (
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// deployment is the channel and the chaincode the market runs as: the only ones whose messages a member who signs
// for itself signs (WithSigner).
type deployment struct{ channel, chaincode string }

// WithChaincode names the market's channel and chaincode, for a network that deploys it under other names than
// model.DefaultChannel and model.DefaultChaincode. A member who signs for itself (WithSigner) signs proposals,
// transactions and commit-status requests of that channel and chaincode only; otherwise a gateway could have it
// sign the very call it asked for on another channel, or of another chaincode whose function of that name does
// something else. Without WithSigner the gateway signs, and the option changes nothing.
func WithChaincode(channel, chaincode string) Option {
	return refusing(channel == "" || chaincode == "", "WithChaincode: the channel and the chaincode must be named",
		func(s *settings) { s.deployment = deployment{channel: channel, chaincode: chaincode} })
}

// holds checks that a step's message is of the deployment's channel and chaincode.
func (d deployment) holds(p *stepPart) error {
	if p.channel != d.channel {
		return ledgererr.Messagef("the message is of channel %q, not the market's %q", p.channel, d.channel)
	}
	for _, cc := range p.chaincodes {
		if cc != d.chaincode {
			return ledgererr.Messagef("the message is of chaincode %q, not the market's %q", cc, d.chaincode)
		}
	}
	return nil
}
