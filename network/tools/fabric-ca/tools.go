//go:build tools

// Package tools pins the Hyperledger Fabric CA v1.5.15 commands that the
// network scripts run: one fabric-ca-server per region, and fabric-ca-client to
// enroll the network's identities from it. It is a module of its own, apart
// from network/tools, because Fabric CA's dependencies (viper 1.7, cfssl, the
// SQL drivers) clash with Fabric v3's.
package tools

import (
	_ "github.com/hyperledger/fabric-ca/cmd/fabric-ca-client"
	_ "github.com/hyperledger/fabric-ca/cmd/fabric-ca-server"
)
