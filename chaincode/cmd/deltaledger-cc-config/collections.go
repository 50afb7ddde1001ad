package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/deltaledger/deltaledger/chaincode/trades"
)

// cliCollection is one collection in the peer CLI's collection
// configuration format (peer lifecycle chaincode approveformyorg
// --collections-config).
type cliCollection struct {
	Name              string    `json:"name"`
	Policy            string    `json:"policy"`
	RequiredPeerCount int       `json:"requiredPeerCount"`
	MaxPeerCount      int       `json:"maxPeerCount"`
	BlockToLive       uint64    `json:"blockToLive"`
	MemberOnlyRead    bool      `json:"memberOnlyRead"`
	MemberOnlyWrite   bool      `json:"memberOnlyWrite"`
	EndorsementPolicy cliPolicy `json:"endorsementPolicy"`
}

// cliPolicy is a collection's endorsement policy in that format.
type cliPolicy struct {
	SignaturePolicy string `json:"signaturePolicy"`
}

// collectionsConfig is the collection configuration of a channel of the
// orgs: the chaincode's collections (trades.TermsCollections) in the peer
// CLI's format, indented, ending in a newline.
func collectionsConfig(mspIDs []string) ([]byte, error) {
	defs, err := trades.TermsCollections(mspIDs)
	if err != nil {
		return nil, err
	}
	out := make([]cliCollection, len(defs))
	for i, c := range defs {
		out[i] = cliCollection{
			Name: c.Name, Policy: principals("OR", c.Members, "member"),
			RequiredPeerCount: c.RequiredPeerCount, MaxPeerCount: c.MaxPeerCount, BlockToLive: c.BlockToLive,
			MemberOnlyRead: c.MemberOnlyRead, MemberOnlyWrite: c.MemberOnlyWrite,
			EndorsementPolicy: cliPolicy{SignaturePolicy: principals("AND", c.Endorsers, "peer")},
		}
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding the collections: %w", err)
	}
	return append(b, '\n'), nil
}

// principals writes the signature policy op('<msp>.<role>', ...), as
// Fabric's policy language reads it: principals("AND", {"A", "B"}, "peer")
// is AND('A.peer','B.peer').
func principals(op string, mspIDs []string, role string) string {
	quoted := make([]string, len(mspIDs))
	for i, msp := range mspIDs {
		quoted[i] = "'" + msp + "." + role + "'"
	}
	return op + "(" + strings.Join(quoted, ",") + ")"
}
