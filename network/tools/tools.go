//go:build tools

// Package tools pins the Hyperledger Fabric v3.1.1 commands that the network
// scripts run. It is its own module so that Fabric's large dependency graph
// stays out of the project's main go.mod.
package tools

import (
	_ "github.com/hyperledger/fabric/cmd/configtxgen"
	_ "github.com/hyperledger/fabric/cmd/configtxlator"
	_ "github.com/hyperledger/fabric/cmd/orderer"
	_ "github.com/hyperledger/fabric/cmd/osnadmin"
	_ "github.com/hyperledger/fabric/cmd/peer"
)
