package model

// The names the market is deployed under where a deployment names no others. network/network.env's CHANNEL_NAME
// and CHAINCODE_NAME say the same (a test of package fabricnet holds them to these), the gateway takes them as its
// defaults, and a member who signs for itself signs transactions of this channel and chaincode only, unless
// client.WithChaincode names others.
const (
	// DefaultChannel is the market's channel.
	DefaultChannel = "yrd-market"
	// DefaultChaincode is the name the market's chaincode is committed under on the channel.
	DefaultChaincode = "deltaledger"
)
