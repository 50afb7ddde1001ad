package chaincodetest

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
)

// implicitCollectionPrefix starts the name of every org's implicit
// collection (core/chaincode/implicitcollection in Fabric).
const implicitCollectionPrefix = "_implicit_org_"

// collectionNameRegexp is what the peer's lifecycle accepts as the name of an
// explicitly defined collection.
var collectionNameRegexp = regexp.MustCompile("^[A-Za-z0-9-]+([A-Za-z0-9_-]+)*$")

// Collection is the definition of a private data collection, the part of a
// Fabric collection configuration that decides what chaincode may do with it.
type Collection struct {
	// Name is the collection name.
	Name string
	// Members are the MSP IDs of the orgs that hold the collection's data;
	// only their peers can read it.
	Members []string
	// MemberOnlyRead, when set, lets only clients of member orgs read the
	// collection.
	MemberOnlyRead bool
	// MemberOnlyWrite, when set, lets only clients of member orgs write to
	// the collection.
	MemberOnlyWrite bool
	// EndorsementPolicy, when set, replaces the chaincode endorsement
	// policy for writes to the collection.
	EndorsementPolicy *common.SignaturePolicyEnvelope
}

// ImplicitCollection returns the name of the implicit private data
// collection of the org with the given MSP ID, "_implicit_org_<mspID>".
func ImplicitCollection(mspID string) string {
	return implicitCollectionPrefix + mspID
}

// hasMember reports whether peers of the org hold the collection's data.
func (c Collection) hasMember(mspID string) bool {
	return slices.Contains(c.Members, mspID)
}

func (c Collection) validate() error {
	if !collectionNameRegexp.MatchString(c.Name) {
		return fmt.Errorf("invalid collection name %q: must match %s", c.Name, collectionNameRegexp)
	}
	if len(c.Members) == 0 {
		return fmt.Errorf("collection %q has no members", c.Name)
	}
	return nil
}

// implicitCollection is the definition a peer generates for an org's
// implicit collection: the org is its only member, any client may read and
// write it, and writes need the org's endorsement (Fabric uses the org's
// Endorsement policy, by convention a peer of the org).
func implicitCollection(mspID string) Collection {
	return Collection{
		Name:              ImplicitCollection(mspID),
		Members:           []string{mspID},
		EndorsementPolicy: AnyOf(mspID),
	}
}

// collection looks up a collection of the chaincode: an explicitly defined
// one, or the implicit collection of a channel org.
func (ch *channel) collection(name string) (Collection, bool) {
	if mspID, ok := strings.CutPrefix(name, implicitCollectionPrefix); ok {
		if mspID == "" || !ch.hasOrg(mspID) {
			return Collection{}, false
		}
		return implicitCollection(mspID), true
	}
	c, ok := ch.collections[name]
	return c, ok
}

// authorize returns the collection if the transaction creator may access it
// as the collection's MemberOnlyRead/MemberOnlyWrite flags say. Its errors
// are the peer's (core/chaincode/handler.go, core/common/privdata).
func (ch *channel) authorize(name string, creator Identity, write bool) (Collection, error) {
	c, ok := ch.collection(name)
	if !ok {
		return Collection{}, fmt.Errorf("collection %s/%s/%s could not be found", ch.name, ch.chaincode, name)
	}
	if c.hasMember(creator.MSPID) {
		return c, nil
	}
	if write && c.MemberOnlyWrite {
		return Collection{}, fmt.Errorf("tx creator does not have write access permission on privatedata in chaincodeName:%s collectionName: %s", ch.chaincode, name)
	}
	if !write && c.MemberOnlyRead {
		return Collection{}, fmt.Errorf("tx creator does not have read access permission on privatedata in chaincodeName:%s collectionName: %s", ch.chaincode, name)
	}
	return c, nil
}

// checkCollectionName is the ledger's check that a collection is defined,
// made by the calls that skip authorize (GetPrivateDataHash).
func (ch *channel) checkCollectionName(name string) error {
	if _, ok := ch.collection(name); !ok {
		return fmt.Errorf("collection [%s] not defined in the collection config for chaincode [%s]", name, ch.chaincode)
	}
	return nil
}
