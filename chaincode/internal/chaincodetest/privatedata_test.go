package chaincodetest_test

import (
	"crypto/sha256"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
)

// privateNetwork is a four-org channel with a collection shared by Org1 and
// Org2, and a collection of Org1 that only Org1 clients may use.
func privateNetwork(o orgs) *chaincodetest.Network {
	return chaincodetest.NewNetwork(kvChaincode(),
		o.withOrgs(),
		chaincodetest.WithCollection("shared", "Org1MSP", "Org2MSP"),
		chaincodetest.WithCollectionConfig(chaincodetest.Collection{
			Name: "org1only", Members: []string{"Org1MSP"}, MemberOnlyRead: true, MemberOnlyWrite: true,
		}),
	)
}

func putPrivate(collection, key, value string) chaincodetest.Call {
	return chaincodetest.Call{
		Function:  "putPrivate",
		Args:      []string{collection, key},
		Transient: map[string][]byte{"value": []byte(value)},
	}
}

func TestPrivateDataMembership(t *testing.T) {
	o := newOrgs()
	org1, org2, org3 := o.clients[0], o.clients[1], o.clients[2]
	net := privateNetwork(o)
	net.Invoke(org1, putPrivate("shared", "k", "secret")).MustOK(t)
	net.Invoke(org1, putPrivate(chaincodetest.ImplicitCollection("Org1MSP"), "k", "mine")).MustOK(t)

	tests := []struct {
		name       string
		client     chaincodetest.Identity
		peerMSP    string
		collection string
		want       string
		wantErr    string
	}{
		{name: "member peer reads", client: org1, collection: "shared", want: "secret"},
		{name: "other member peer reads", client: org2, collection: "shared", want: "secret"},
		{name: "non-member client through a member peer reads", client: org3, peerMSP: "Org1MSP", collection: "shared", want: "secret"},
		{name: "non-member peer is refused", client: org3, collection: "shared", wantErr: "peer org Org3MSP is not a member of collection shared"},
		{name: "own implicit collection", client: org1, collection: "_implicit_org_Org1MSP", want: "mine"},
		{name: "another org's implicit collection", client: org2, collection: "_implicit_org_Org1MSP", wantErr: "not a member of collection _implicit_org_Org1MSP"},
		{name: "implicit collection of a non-channel org", client: org1, collection: "_implicit_org_Org9MSP", wantErr: "collection mychannel/mycc/_implicit_org_Org9MSP could not be found"},
		{name: "unknown collection", client: org1, collection: "nope", wantErr: "collection mychannel/mycc/nope could not be found"},
		{name: "member-only-read refuses other clients", client: org2, peerMSP: "Org1MSP", collection: "org1only", wantErr: "tx creator does not have read access permission on privatedata in chaincodeName:mycc collectionName: org1only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := net.Invoke(tt.client, chaincodetest.Call{
				Function: "getPrivate", Args: []string{tt.collection, "k"}, PeerMSP: tt.peerMSP, Evaluate: true,
			})
			if tt.wantErr != "" {
				r.MustFail(t, tt.wantErr)
				assert.Contains(t, r.Err.Error(), "GET_STATE failed: transaction ID: "+r.TxID)
				return
			}
			r.MustOK(t)
			assert.Equal(t, tt.want, string(r.Payload))
			assert.Equal(t, []string{tt.collection}, r.PrivateReads, "the result names the collection read")
		})
	}
}

func TestPrivateDataHashWorksOnEveryPeer(t *testing.T) {
	o := newOrgs()
	net := privateNetwork(o)
	net.Invoke(o.clients[0], putPrivate("shared", "k", "secret")).MustOK(t)
	want := sha256.Sum256([]byte("secret"))

	r := net.SubmitFunc(o.clients[3], func(stub shim.ChaincodeStubInterface) error {
		hash, err := stub.GetPrivateDataHash("shared", "k")
		require.NoError(t, err)
		assert.Equal(t, want[:], hash)

		hash, err = stub.GetPrivateDataHash("shared", "missing")
		require.NoError(t, err)
		assert.Nil(t, hash)

		_, err = stub.GetPrivateDataHash("nope", "k")
		assert.ErrorContains(t, err, "collection [nope] not defined in the collection config for chaincode [mycc]")
		return nil
	}).MustOK(t)
	assert.Empty(t, r.PrivateReads, "a hash is no private read: every peer holds it")
	assert.Equal(t, want[:], net.Ledger().PrivateDataHash("shared", "k"))
}

func TestPrivateDataWrites(t *testing.T) {
	o := newOrgs()
	org1, org2, org3 := o.clients[0], o.clients[1], o.clients[2]

	t.Run("a non-member peer may endorse writes", func(t *testing.T) {
		net := privateNetwork(o)
		net.Invoke(org3, putPrivate("shared", "k", "from org3")).MustOK(t)
		assert.Equal(t, "from org3", string(net.Ledger().PrivateData("shared", "k")))
	})
	t.Run("member-only-write refuses other clients", func(t *testing.T) {
		net := privateNetwork(o)
		call := putPrivate("org1only", "k", "v")
		call.PeerMSP = "Org1MSP"
		net.Invoke(org2, call).MustFail(t, "tx creator does not have write access permission")
		assert.Empty(t, net.Ledger().PrivateDataKeys("org1only"))
	})
	t.Run("unknown collection", func(t *testing.T) {
		net := privateNetwork(o)
		net.Invoke(org1, putPrivate("nope", "k", "v")).MustFail(t, "could not be found")
	})
	t.Run("no read of own writes", func(t *testing.T) {
		net := privateNetwork(o)
		net.SubmitFunc(org1, func(stub shim.ChaincodeStubInterface) error {
			require.NoError(t, stub.PutPrivateData("shared", "k", []byte("v")))
			value, err := stub.GetPrivateData("shared", "k")
			require.NoError(t, err)
			assert.Nil(t, value)
			return nil
		}).MustOK(t)
	})
	t.Run("private data is not public state", func(t *testing.T) {
		net := privateNetwork(o)
		net.Invoke(org1, putPrivate("shared", "k", "v")).MustOK(t)
		assert.Nil(t, net.Ledger().State("k"))
		assert.Empty(t, net.Ledger().History("k"))
		assert.Equal(t, []string{"k"}, net.Ledger().PrivateDataKeys("shared"))
	})
}

func TestPrivateDataDeleteAndPurge(t *testing.T) {
	o := newOrgs()
	org1 := o.clients[0]
	for _, remove := range []struct {
		name string
		fn   func(stub shim.ChaincodeStubInterface) error
	}{
		{"delete", func(stub shim.ChaincodeStubInterface) error { return stub.DelPrivateData("shared", "k") }},
		{"purge", func(stub shim.ChaincodeStubInterface) error { return stub.PurgePrivateData("shared", "k") }},
	} {
		t.Run(remove.name, func(t *testing.T) {
			net := privateNetwork(o)
			net.Invoke(org1, putPrivate("shared", "k", "secret")).MustOK(t)
			net.Invoke(org1, putPrivate("shared", "other", "kept")).MustOK(t)
			require.NotNil(t, net.Ledger().PrivateDataHash("shared", "k"))

			// Nothing changes until the transaction commits.
			net.SubmitFunc(org1, func(stub shim.ChaincodeStubInterface) error {
				require.NoError(t, remove.fn(stub))
				value, err := stub.GetPrivateData("shared", "k")
				require.NoError(t, err)
				assert.Equal(t, "secret", string(value))
				return nil
			}).MustOK(t)

			assert.Nil(t, net.Ledger().PrivateData("shared", "k"))
			assert.Nil(t, net.Ledger().PrivateDataHash("shared", "k"))
			assert.Equal(t, "kept", string(net.Ledger().PrivateData("shared", "other")))
			net.Invoke(org1, chaincodetest.Call{Function: "getPrivate", Args: []string{"shared", "k"}, Evaluate: true}).MustOK(t)
		})
	}
}

func TestPrivateDataQueries(t *testing.T) {
	o := newOrgs()
	org1, org3 := o.clients[0], o.clients[2]
	net := privateNetwork(o)
	for _, key := range []string{"a", "b", "c"} {
		net.Invoke(org1, putPrivate("shared", key, "v"+key)).MustOK(t)
	}
	net.SubmitFunc(org1, func(stub shim.ChaincodeStubInterface) error {
		key, err := stub.CreateCompositeKey("owner~name", []string{"bob", "a1"})
		require.NoError(t, err)
		return stub.PutPrivateData("shared", key, []byte("x"))
	}).MustOK(t)

	t.Run("range excludes composite keys", func(t *testing.T) {
		net.SubmitFunc(org1, func(stub shim.ChaincodeStubInterface) error {
			it, err := stub.GetPrivateDataByRange("shared", "", "c")
			require.NoError(t, err)
			assert.Equal(t, []string{"a", "b"}, keysOf(t, it))
			it, err = stub.GetPrivateDataByPartialCompositeKey("shared", "owner~name", []string{"bob"})
			require.NoError(t, err)
			assert.Equal(t, []string{compositeKey("owner~name", "bob", "a1")}, keysOf(t, it))
			return nil
		}).MustOK(t)
	})
	t.Run("non-member peer is refused", func(t *testing.T) {
		net.SubmitFunc(org3, func(stub shim.ChaincodeStubInterface) error {
			_, err := stub.GetPrivateDataByRange("shared", "", "")
			return err
		}).MustFail(t, "not a member of collection shared")
	})
	t.Run("no private query after a write", func(t *testing.T) {
		net.SubmitFunc(org1, func(stub shim.ChaincodeStubInterface) error {
			require.NoError(t, stub.PutState("x", []byte("1")))
			_, err := stub.GetPrivateDataByRange("shared", "", "")
			return err
		}).MustFail(t, "Queries on pvt data is supported only in a read-only transaction")
	})
	t.Run("no write after a private query", func(t *testing.T) {
		net.SubmitFunc(org1, func(stub shim.ChaincodeStubInterface) error {
			_, err := stub.GetPrivateDataByRange("shared", "", "")
			require.NoError(t, err)
			return stub.PutState("x", []byte("1"))
		}).MustFail(t, "Transaction has already performed queries on pvt data. Writes are not allowed")
	})
	t.Run("private point reads mix with writes", func(t *testing.T) {
		net.SubmitFunc(org1, func(stub shim.ChaincodeStubInterface) error {
			values, err := stub.GetMultiplePrivateData("shared", "a", "missing")
			require.NoError(t, err)
			assert.Equal(t, [][]byte{[]byte("va"), nil}, values)
			return stub.PutState("x", []byte("1"))
		}).MustOK(t)
	})
}

func TestPrivateDataNotAllowedInInit(t *testing.T) {
	o := newOrgs()
	net := privateNetwork(o)
	call := putPrivate("shared", "k", "v")
	call.Init = true
	net.Invoke(o.clients[0], call).MustFail(t, "private data APIs are not allowed in chaincode Init()")

	net.Invoke(o.clients[0], chaincodetest.Call{Function: "put", Args: []string{"k", "v"}, Init: true}).MustOK(t)
	assert.Equal(t, "v", string(net.Ledger().State("k")))
}

func TestTransient(t *testing.T) {
	o := newOrgs()
	net := privateNetwork(o)
	r := net.Invoke(o.clients[0], putPrivate("shared", "k", "from transient"))
	r.MustOK(t)
	assert.Equal(t, "from transient", string(net.Ledger().PrivateData("shared", "k")))
	for _, tx := range net.Ledger().Transactions() {
		assert.NotContains(t, tx.Args, "from transient", "transient data must not reach the ledger")
	}
}
