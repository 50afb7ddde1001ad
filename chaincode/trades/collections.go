package trades

import (
	"fmt"
	"slices"
	"strings"
)

// Collection is the definition of one private data collection of the
// chaincode, as its chaincode definition must carry it: the deployment
// writes it into the collection configuration (chaincode/cmd/
// deltaledger-cc-config), and the tests of the chaincode define their
// channel from it.
type Collection struct {
	// Name is the collection's name (TermsCollection).
	Name string
	// Members are the MSP IDs of the orgs whose peers hold the data and
	// whose members may read and write it (policy OR of their members).
	Members []string
	// Endorsers are the MSP IDs of the orgs whose peers must all endorse a
	// write to the collection (its endorsement policy: AND of their peers).
	Endorsers []string
	// RequiredPeerCount and MaxPeerCount bound the dissemination of the data
	// at endorsement to other member peers.
	RequiredPeerCount, MaxPeerCount int
	// BlockToLive is the number of blocks the data is kept; 0 is forever.
	BlockToLive uint64
	// MemberOnlyRead and MemberOnlyWrite let only clients of member orgs
	// read and write the collection.
	MemberOnlyRead, MemberOnlyWrite bool
}

// TermsCollections defines the terms collection of every pair of the orgs
// (TermsCollection): the two orgs as members, member-only reads and writes,
// kept forever, and an endorsement policy requiring a peer of each of the
// two orgs. Fabric checks a write to a collection against the collection's
// endorsement policy, so terms enter the pair's collection only when both
// sides' peers endorsed the transaction, and so held the terms when it
// committed; and the Fabric Gateway then plans the endorsement on the two
// orgs' peers only, so that no third org's peer is sent the terms. The
// definitions are in the order of the sorted MSP IDs, pair by pair, whatever
// the order given; a name that is empty, repeated or not a plain MSP ID is
// refused, and so are MSP IDs that would give two pairs one name.
func TermsCollections(mspIDs []string) ([]Collection, error) {
	orgs := slices.Clone(mspIDs)
	slices.Sort(orgs)
	for i, msp := range orgs {
		if err := checkMSPID(msp); err != nil {
			return nil, err
		}
		if i > 0 && orgs[i-1] == msp {
			return nil, fmt.Errorf("MSP ID %q is named twice", msp)
		}
	}
	var collections []Collection
	pairOf := map[string][2]string{}
	for i, a := range orgs {
		for _, b := range orgs[i+1:] {
			// MSP IDs may hold '-', so two pairs can join to one name
			// ("A-B" with "C", "A" with "B-C"): they would share terms.
			name := TermsCollection(a, b)
			if other, taken := pairOf[name]; taken {
				return nil, fmt.Errorf("the terms collection of %s and %s would be named %q like that of %s and %s: rename one of these MSP IDs", a, b, name, other[0], other[1])
			}
			pairOf[name] = [2]string{a, b}
			collections = append(collections, Collection{
				Name: name, Members: []string{a, b}, Endorsers: []string{a, b},
				RequiredPeerCount: 0, MaxPeerCount: 1, BlockToLive: 0, MemberOnlyRead: true, MemberOnlyWrite: true,
			})
		}
	}
	return collections, nil
}

// checkMSPID accepts an MSP ID that can stand in a collection's name and
// in a quoted principal of a policy: letters, digits, '.' and '-'.
func checkMSPID(msp string) error {
	if msp == "" {
		return fmt.Errorf("an MSP ID must not be empty")
	}
	if strings.HasPrefix(msp, ".") || strings.HasPrefix(msp, "-") {
		return fmt.Errorf("MSP ID %q must start with a letter or a digit", msp)
	}
	for _, r := range msp {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '.' && r != '-' {
			return fmt.Errorf("MSP ID %q may hold only letters, digits, '.' and '-'", msp)
		}
	}
	return nil
}
