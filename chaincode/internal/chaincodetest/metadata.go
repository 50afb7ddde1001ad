package chaincodetest

import "testing"

// MetadataFunction is the system contract's function that describes the
// chaincode (contractapi's metadata, which clients read to learn its
// transactions).
const MetadataFunction = "org.hyperledger.fabric:GetMetadata"

// TransactionMetadata is a transaction function as the chaincode's metadata
// describes it: its name and its tags ("submit" or "evaluate", and their
// upper-case forms, which contractapi writes both of).
type TransactionMetadata struct {
	Name string   `json:"name"`
	Tag  []string `json:"tag"`
}

// Transactions evaluates MetadataFunction as id and returns each contract's
// transaction functions by contract name, failing the test unless the
// metadata is served and decodes.
func (n *Network) Transactions(t testing.TB, id Identity) map[string][]TransactionMetadata {
	t.Helper()
	var md struct {
		Contracts map[string]struct {
			Transactions []TransactionMetadata `json:"transactions"`
		} `json:"contracts"`
	}
	n.Evaluate(id, MetadataFunction).Unmarshal(t, &md)
	out := make(map[string][]TransactionMetadata, len(md.Contracts))
	for name, c := range md.Contracts {
		out[name] = c.Transactions
	}
	return out
}
