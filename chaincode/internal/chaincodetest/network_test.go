package chaincodetest_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
)

func TestErroringInvocationCommitsNothing(t *testing.T) {
	net, client := kvNetwork(chaincodetest.WithCollection("coll", "Org1MSP"))
	net.Submit(client, "put", "k", "before").MustOK(t)
	before := net.Ledger().Transactions()

	r := net.InvokeFunc(client, chaincodetest.Call{Function: "update"}, func(stub shim.ChaincodeStubInterface) ([]byte, error) {
		require.NoError(t, stub.PutState("k", []byte("after")))
		require.NoError(t, stub.PutState("new", []byte("x")))
		require.NoError(t, stub.PutPrivateData("coll", "p", []byte("x")))
		require.NoError(t, stub.SetStateValidationParameter("k", chaincodetest.KeyPolicy("Org1MSP")))
		require.NoError(t, stub.SetEvent("Updated", []byte("x")))
		return []byte("partial"), fmt.Errorf("asset k is locked")
	})

	r.MustFail(t, "chaincode response 500, asset k is locked")
	assert.EqualValues(t, shim.ERROR, r.Status)
	assert.Equal(t, "asset k is locked", r.Message)
	assert.Empty(t, r.ValidationCode, "a failed endorsement never reaches the ledger")

	ledger := net.Ledger()
	assert.Equal(t, "before", string(ledger.State("k")))
	assert.Equal(t, []string{"k"}, ledger.StateKeys())
	assert.Empty(t, ledger.PrivateDataKeys("coll"))
	assert.Nil(t, ledger.ValidationParameter("k"))
	assert.Len(t, ledger.History("k"), 1)
	assert.Empty(t, ledger.Events())
	assert.Equal(t, before, ledger.Transactions())
}

func TestEvaluateCommitsNothing(t *testing.T) {
	net, client := kvNetwork()

	r := net.Evaluate(client, "put", "k", "v")
	r.MustOK(t)
	assert.Empty(t, r.ValidationCode)
	assert.Empty(t, net.Ledger().StateKeys())
	assert.Empty(t, net.Ledger().Transactions())
}

func TestEvents(t *testing.T) {
	client := chaincodetest.NewCA("Org1MSP").Issue("alice", "client")
	net := chaincodetest.NewNetwork(kvChaincode().with(testChaincode{
		"emit": func(stub shim.ChaincodeStubInterface, args []string) ([]byte, error) {
			for _, name := range args {
				if err := stub.SetEvent(name, []byte("payload of "+name)); err != nil {
					return nil, err
				}
			}
			return nil, nil
		},
	}))

	r := net.Submit(client, "emit", "First", "Second")
	r.MustOK(t)
	assert.Equal(t, &chaincodetest.Event{Name: "Second", Payload: []byte("payload of Second")}, r.Event, "the last SetEvent wins")

	net.Submit(client, "put", "k", "v").MustOK(t)
	net.Submit(client, "fail", "k", "v").MustFail(t, "refusing")
	net.Evaluate(client, "emit", "Evaluated").MustOK(t)
	net.Submit(client, "emit", "Third").MustOK(t)

	assert.Equal(t, []chaincodetest.Event{
		{Name: "Second", Payload: []byte("payload of Second")},
		{Name: "Third", Payload: []byte("payload of Third")},
	}, net.Ledger().Events())

	txs := net.Ledger().Transactions()
	require.Len(t, txs, 3)
	assert.Nil(t, txs[1].Event)
	assert.Equal(t, []string{"emit", "Third"}, txs[2].Args)
}

func TestTransactionIDsAndClock(t *testing.T) {
	client := chaincodetest.NewCA("Org1MSP").Issue("alice", "client")
	newNet := func() *chaincodetest.Network { return chaincodetest.NewNetwork(kvChaincode()) }

	net := newNet()
	assert.Equal(t, chaincodetest.DefaultStartTime, net.Now())
	r1 := net.Submit(client, "put", "k", "v")
	r2 := net.Evaluate(client, "get", "k")
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{64}$`), r1.TxID)
	assert.NotEqual(t, r1.TxID, r2.TxID)
	assert.Equal(t, r1.TxID, newNet().Submit(client, "put", "k", "v").TxID, "transaction IDs are deterministic")

	assert.Equal(t, chaincodetest.DefaultStartTime.Add(2*time.Second), net.Now())
	net.Advance(24 * time.Hour)
	r3 := net.Submit(client, "put", "k", "v2").MustOK(t)
	txs := net.Ledger().Transactions()
	assert.Equal(t, chaincodetest.DefaultStartTime, txs[0].Timestamp)
	assert.Equal(t, chaincodetest.DefaultStartTime.Add(24*time.Hour+2*time.Second), txs[1].Timestamp)
	assert.Equal(t, r3.TxID, txs[1].TxID)
	assert.Equal(t, client.MSPID, txs[1].Creator.MSPID)
	assert.Equal(t, []string{"Org1MSP"}, txs[1].Endorsers)

	// A transaction may read and move the clock, and read the ledger.
	net.SubmitFunc(client, func(stub shim.ChaincodeStubInterface) error {
		ts, err := stub.GetTxTimestamp()
		require.NoError(t, err)
		assert.Equal(t, ts.AsTime().Add(time.Second), net.Now())
		net.Advance(time.Minute)
		assert.Equal(t, "v2", string(net.Ledger().State("k")))
		return err
	}).MustOK(t)
	assert.Equal(t, txs[1].Timestamp.Add(2*time.Second+time.Minute), net.Now())
}

func TestCreatorMustBelongToTheChannel(t *testing.T) {
	o := newOrgs()
	net := chaincodetest.NewNetwork(kvChaincode(), o.withOrgs())

	outsider := chaincodetest.NewCA("Org9MSP").Issue("mallory", "client")
	net.Submit(outsider, "put", "k", "v").MustFail(t, "access denied: channel [mychannel] creator org [Org9MSP]")

	impostor := chaincodetest.NewCA("Org1MSP").Issue("mallory", "client") // not Org1's real CA
	net.Submit(impostor, "put", "k", "v").MustFail(t, "access denied: channel [mychannel] creator org [Org1MSP]")

	net.Submit(chaincodetest.Identity{}, "put", "k", "v").MustFail(t, "creator is malformed")

	net.Invoke(o.clients[0], chaincodetest.Call{Function: "put", Args: []string{"k", "v"}, Endorsers: []string{"Org9MSP"}}).
		MustFail(t, `no peer of org "Org9MSP"`)
	assert.Empty(t, net.Ledger().StateKeys())
}

func TestChaincodeEndorsementPolicy(t *testing.T) {
	o := newOrgs()
	client := o.clients[0]

	tests := []struct {
		name      string
		policy    []chaincodetest.Option
		endorsers []string
		wantErr   string
	}{
		{name: "default policy: any one peer", endorsers: nil},
		{name: "any of", policy: []chaincodetest.Option{chaincodetest.WithEndorsementPolicy(chaincodetest.AnyOf("Org2MSP", "Org3MSP"))}, endorsers: []string{"Org3MSP"}},
		{name: "any of, wrong org", policy: []chaincodetest.Option{chaincodetest.WithEndorsementPolicy(chaincodetest.AnyOf("Org2MSP", "Org3MSP"))}, endorsers: []string{"Org1MSP"}, wantErr: "ENDORSEMENT_POLICY_FAILURE"},
		{name: "2 of 4 with 2", policy: []chaincodetest.Option{chaincodetest.WithEndorsementPolicy(chaincodetest.OutOf(2, mspIDs...))}, endorsers: []string{"Org1MSP", "Org4MSP"}},
		{name: "2 of 4 with 1", policy: []chaincodetest.Option{chaincodetest.WithEndorsementPolicy(chaincodetest.OutOf(2, mspIDs...))}, endorsers: nil, wantErr: "validation of endorsement policy for chaincode mycc failed"},
		{name: "2 of 4 with the same org twice", policy: []chaincodetest.Option{chaincodetest.WithEndorsementPolicy(chaincodetest.OutOf(2, mspIDs...))}, endorsers: []string{"Org1MSP", "Org1MSP"}, wantErr: "signature set did not satisfy policy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net := chaincodetest.NewNetwork(kvChaincode(), append(tt.policy, o.withOrgs())...)
			r := net.Invoke(client, chaincodetest.Call{Function: "put", Args: []string{"k", "v"}, Endorsers: tt.endorsers})
			if tt.wantErr == "" {
				r.MustOK(t)
				assert.Equal(t, "VALID", r.ValidationCode)
				assert.Equal(t, "v", string(net.Ledger().State("k")))
				return
			}
			r.MustFail(t, tt.wantErr)
			assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", r.ValidationCode)
			assert.Empty(t, net.Ledger().StateKeys(), "an invalid transaction writes nothing")
			txs := net.Ledger().Transactions()
			require.Len(t, txs, 1, "an invalid transaction is still recorded")
			assert.False(t, txs[0].Valid())
		})
	}

	t.Run("a transaction without writes must satisfy it too", func(t *testing.T) {
		net := chaincodetest.NewNetwork(kvChaincode(), o.withOrgs(), chaincodetest.WithEndorsementPolicy(chaincodetest.AllOf("Org2MSP")))
		net.Submit(client, "get", "k").MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
		net.Evaluate(client, "get", "k").MustOK(t)
	})
}

func TestKeyLevelEndorsementPolicy(t *testing.T) {
	o := newOrgs()
	org1, org2 := o.clients[0], o.clients[1]
	as := func(endorsers ...string) chaincodetest.Call {
		return chaincodetest.Call{Function: "put", Args: []string{"asset", "changed"}, Endorsers: endorsers}
	}

	// newNet commits "asset", owned by Org1: changes to it need Org1's peer.
	newNet := func(t *testing.T, opts ...chaincodetest.Option) *chaincodetest.Network {
		net := chaincodetest.NewNetwork(kvChaincode(), append(opts, o.withOrgs())...)
		all := mspIDs // whatever the chaincode policy, all orgs satisfy it
		net.Invoke(org1, chaincodetest.Call{Function: "put", Args: []string{"asset", "v1"}, Endorsers: all}).MustOK(t)
		net.Invoke(org1, chaincodetest.Call{Function: "requireOrgs", Args: []string{"asset", "Org1MSP"}, Endorsers: all}).MustOK(t)
		require.Equal(t, chaincodetest.KeyPolicy("Org1MSP"), net.Ledger().ValidationParameter("asset"))
		return net
	}

	t.Run("enforced on value writes", func(t *testing.T) {
		net := newNet(t)
		r := net.Invoke(org2, as())
		r.MustFail(t, "failed to commit with status code 10 (ENDORSEMENT_POLICY_FAILURE)")
		assert.Contains(t, r.Err.Error(), `validation of key "asset"`)
		assert.Equal(t, "v1", string(net.Ledger().State("asset")))

		net.Invoke(org2, as("Org2MSP", "Org1MSP")).MustOK(t)
		assert.Equal(t, "changed", string(net.Ledger().State("asset")))
		assert.Equal(t, chaincodetest.KeyPolicy("Org1MSP"), net.Ledger().ValidationParameter("asset"), "a value write keeps the policy")
	})
	t.Run("an org alone writes its own key and no other", func(t *testing.T) {
		net := newNet(t, chaincodetest.WithEndorsementPolicy(chaincodetest.AllOf("Org3MSP")))
		net.PutAlone(org2, "asset", []byte("forged")).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
		net.PutAlone(org2, "new", []byte("forged")).MustFail(t, "validation of endorsement policy for chaincode mycc failed")
		net.PutAlone(org1, "asset", []byte("its own")).MustOK(t)
		assert.Equal(t, "its own", string(net.Ledger().State("asset")))
	})
	t.Run("forged writes need the orgs of every key written", func(t *testing.T) {
		net := newNet(t, chaincodetest.WithEndorsementPolicy(chaincodetest.AllOf("Org3MSP")))
		net.Invoke(org1, chaincodetest.Call{Function: "put", Args: []string{"shared", "v1"}, Endorsers: mspIDs}).MustOK(t)
		net.Invoke(org1, chaincodetest.Call{Function: "requireOrgs", Args: []string{"shared", "Org1MSP", "Org2MSP"}, Endorsers: mspIDs}).MustOK(t)

		r := net.Forge(org1, chaincodetest.Writes{"shared": []byte("forged")})
		r.MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
		assert.Equal(t, []string{"Org1MSP"}, r.Endorsers, "by default id's org alone endorses")
		r = net.Forge(org2, chaincodetest.Writes{"asset": []byte("x"), "shared": []byte("y")}, "Org2MSP", "Org1MSP")
		r.MustOK(t)
		assert.Equal(t, []string{"Org2MSP", "Org1MSP"}, r.Endorsers)
		assert.Equal(t, "x", string(net.Ledger().State("asset")))
		assert.Equal(t, "y", string(net.Ledger().State("shared")))

		net.Forge(org1, chaincodetest.Writes{"asset": nil, "shared": []byte("z")}).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
		assert.Equal(t, "x", string(net.Ledger().State("asset")), "no write of a refused transaction lands")
		net.Forge(org1, chaincodetest.Writes{"asset": nil}).MustOK(t)
		assert.Nil(t, net.Ledger().State("asset"), "a nil value deletes")

		net.Forge(org2, chaincodetest.Writes{"shared": chaincodetest.JSON(t, map[string]int{"n": 1})}, "Org1MSP", "Org2MSP").MustOK(t)
		assert.JSONEq(t, `{"n":1}`, string(net.Ledger().State("shared")))
	})
	t.Run("enforced on deletes and policy changes", func(t *testing.T) {
		net := newNet(t)
		net.Submit(org2, "del", "asset").MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
		net.Submit(org2, "requireOrgs", "asset", "Org2MSP").MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
		assert.Equal(t, chaincodetest.KeyPolicy("Org1MSP"), net.Ledger().ValidationParameter("asset"))
	})
	t.Run("replaces the chaincode policy", func(t *testing.T) {
		net := newNet(t, chaincodetest.WithEndorsementPolicy(chaincodetest.AllOf("Org3MSP")))
		net.Invoke(org1, as("Org1MSP")).MustOK(t)
	})
	t.Run("other keys in the transaction still need the chaincode policy", func(t *testing.T) {
		net := newNet(t, chaincodetest.WithEndorsementPolicy(chaincodetest.AllOf("Org3MSP")))
		net.Invoke(org1, chaincodetest.Call{Function: "put", Args: []string{"asset", "x", "other", "y"}, Endorsers: []string{"Org1MSP"}}).
			MustFail(t, "validation of endorsement policy for chaincode mycc failed")
		net.Invoke(org1, chaincodetest.Call{Function: "put", Args: []string{"asset", "x", "other", "y"}, Endorsers: []string{"Org1MSP", "Org3MSP"}}).
			MustOK(t)
	})
	t.Run("a new policy applies from the next transaction", func(t *testing.T) {
		net := newNet(t)
		r := net.InvokeFunc(org1, chaincodetest.Call{}, func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			if err := stub.SetStateValidationParameter("asset", chaincodetest.KeyPolicy("Org2MSP")); err != nil {
				return nil, err
			}
			return nil, stub.PutState("asset", []byte("handed over"))
		})
		r.MustOK(t) // validated against the committed policy (Org1), not the new one
		assert.Equal(t, chaincodetest.KeyPolicy("Org2MSP"), net.Ledger().ValidationParameter("asset"))
		net.Invoke(org1, as("Org1MSP")).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
		net.Invoke(org1, as("Org2MSP")).MustOK(t)
	})
	t.Run("dropped with its key", func(t *testing.T) {
		net := newNet(t)
		net.Invoke(org1, chaincodetest.Call{Function: "del", Args: []string{"asset"}}).MustOK(t)
		assert.Nil(t, net.Ledger().ValidationParameter("asset"))
		net.Submit(org2, "put", "asset", "recreated").MustOK(t)
	})
	t.Run("ignored for a key that does not exist", func(t *testing.T) {
		net := newNet(t)
		net.Submit(org1, "requireOrgs", "missing", "Org1MSP").MustOK(t)
		assert.Nil(t, net.Ledger().ValidationParameter("missing"))
		assert.Nil(t, net.Ledger().State("missing"))
	})
	t.Run("readable by chaincode", func(t *testing.T) {
		net := newNet(t)
		net.SubmitFunc(org2, func(stub shim.ChaincodeStubInterface) error {
			policy, err := stub.GetStateValidationParameter("asset")
			require.NoError(t, err)
			assert.Equal(t, chaincodetest.KeyPolicy("Org1MSP"), policy)
			policy, err = stub.GetStateValidationParameter("missing")
			require.NoError(t, err)
			assert.Nil(t, policy)
			return nil
		}).MustOK(t)
	})
	t.Run("a policy nobody can satisfy is still enforced", func(t *testing.T) {
		net := newNet(t)
		net.SubmitFunc(org1, func(stub shim.ChaincodeStubInterface) error {
			return stub.SetStateValidationParameter("asset", []byte("not a policy"))
		}).MustOK(t)
		net.Submit(org1, "put", "asset", "x").MustFail(t, "invalid endorsement policy")
	})
}

func TestPrivateDataEndorsementPolicies(t *testing.T) {
	o := newOrgs()
	org1, org2 := o.clients[0], o.clients[1]
	policy := chaincodetest.AllOf("Org1MSP", "Org2MSP")
	net := chaincodetest.NewNetwork(kvChaincode(), o.withOrgs(),
		chaincodetest.WithCollectionConfig(chaincodetest.Collection{Name: "deals", Members: []string{"Org1MSP", "Org2MSP"}, EndorsementPolicy: policy}),
		chaincodetest.WithEndorsementPolicy(chaincodetest.AllOf("Org4MSP")),
	)

	t.Run("collection policy replaces the chaincode policy", func(t *testing.T) {
		call := putPrivate("deals", "d1", "terms")
		call.Endorsers = []string{"Org1MSP"}
		net.Invoke(org1, call).MustFail(t, "validation of endorsement policy for collection deals chaincode mycc failed")
		call.Endorsers = []string{"Org1MSP", "Org2MSP"}
		net.Invoke(org1, call).MustOK(t)
	})
	t.Run("implicit collection needs its org", func(t *testing.T) {
		call := putPrivate(chaincodetest.ImplicitCollection("Org2MSP"), "bid", "100")
		net.Invoke(org1, call).MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
		call.Endorsers = []string{"Org2MSP"}
		net.Invoke(org1, call).MustOK(t)
	})
	t.Run("key-level policy of private data", func(t *testing.T) {
		net.InvokeFunc(org1, chaincodetest.Call{Endorsers: []string{"Org1MSP", "Org2MSP"}}, func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			return nil, stub.SetPrivateDataValidationParameter("deals", "d1", chaincodetest.KeyPolicy("Org2MSP"))
		}).MustOK(t)
		assert.Equal(t, chaincodetest.KeyPolicy("Org2MSP"), net.Ledger().PrivateDataValidationParameter("deals", "d1"))

		call := putPrivate("deals", "d1", "new terms")
		call.Endorsers = []string{"Org1MSP"}
		net.Invoke(org2, call).MustFail(t, `validation of key "d1" (coll'deals'`)
		call.Endorsers = []string{"Org2MSP"}
		net.Invoke(org2, call).MustOK(t)

		net.SubmitFunc(org2, func(stub shim.ChaincodeStubInterface) error {
			got, err := stub.GetPrivateDataValidationParameter("deals", "d1")
			assert.Equal(t, chaincodetest.KeyPolicy("Org2MSP"), got)
			return err
		})
	})
}

func TestEndorsementPlanning(t *testing.T) {
	o := newOrgs()
	org1, org2, org3 := o.clients[0], o.clients[1], o.clients[2]
	net := chaincodetest.NewNetwork(kvChaincode(), o.withOrgs(),
		chaincodetest.WithEndorsementPlanning(),
		chaincodetest.WithEndorsementPolicy(chaincodetest.OutOf(2, mspIDs...)),
		chaincodetest.WithCollection("org34", "Org3MSP", "Org4MSP"),
	)

	r := net.Submit(org2, "put", "asset", "v1").MustOK(t)
	assert.Equal(t, []string{"Org2MSP", "Org1MSP"}, r.Endorsers, "the client's org, then the first org that completes the policy")

	net.Submit(org2, "requireOrgs", "asset", "Org3MSP", "Org4MSP").MustOK(t)
	r = net.Submit(org1, "put", "asset", "v2").MustOK(t)
	assert.Equal(t, []string{"Org1MSP", "Org3MSP", "Org4MSP"}, r.Endorsers, "the key-level policy needs Org3 and Org4")

	// Transient data never goes to an org outside the collections written:
	// a planned endorser outside one fails the endorsement (the chaincode
	// policy would add Org1), and naming the endorsers is the way out.
	net.Invoke(org3, putPrivate("org34", "p", "x")).MustFail(t, "not in the distribution policy of the private data collection(s): [org34]")
	call := putPrivate("org34", "p", "x")
	call.Endorsers = []string{"Org3MSP", "Org4MSP"}
	net.Invoke(org3, call).MustOK(t)

	// Reading a collection restricts the plan to its members.
	r = net.InvokeFunc(org3, chaincodetest.Call{}, func(stub shim.ChaincodeStubInterface) ([]byte, error) {
		value, err := stub.GetPrivateData("org34", "p")
		if err != nil {
			return nil, err
		}
		return nil, stub.PutState("copy", value)
	}).MustOK(t)
	assert.Equal(t, []string{"Org3MSP", "Org4MSP"}, r.Endorsers)

	// Explicit endorsers are not second-guessed.
	net.Invoke(org1, chaincodetest.Call{Function: "put", Args: []string{"x", "y"}, Endorsers: []string{"Org1MSP"}}).
		MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
}

func TestEndorsementsMustAgree(t *testing.T) {
	o := newOrgs()
	runs := 0
	net := chaincodetest.NewNetwork(testChaincode{
		"nondeterministic": func(stub shim.ChaincodeStubInterface, args []string) ([]byte, error) {
			runs++
			return nil, stub.PutState("k", fmt.Appendf(nil, "run %d", runs))
		},
		"readPrivate": func(stub shim.ChaincodeStubInterface, args []string) ([]byte, error) {
			return stub.GetPrivateData(chaincodetest.ImplicitCollection("Org1MSP"), "k")
		},
	}, o.withOrgs())

	r := net.Invoke(o.clients[0], chaincodetest.Call{Function: "nondeterministic", Endorsers: []string{"Org1MSP", "Org2MSP"}})
	r.MustFail(t, "ProposalResponsePayloads do not match")
	assert.Equal(t, 2, runs, "every endorser runs the chaincode")
	assert.Empty(t, net.Ledger().StateKeys())
	assert.Empty(t, net.Ledger().Transactions())

	// An endorser that cannot do what the first one did fails the proposal.
	net.Invoke(o.clients[0], chaincodetest.Call{Function: "readPrivate", Endorsers: []string{"Org1MSP", "Org2MSP"}}).
		MustFail(t, "endorsement by a peer of Org2MSP failed: chaincode response 500")
}

func TestNewNetworkRejectsBadConfiguration(t *testing.T) {
	o := newOrgs()
	tests := []struct {
		name string
		opts []chaincodetest.Option
		want string
	}{
		{"collection member outside the channel", []chaincodetest.Option{o.withOrgs(), chaincodetest.WithCollection("c", "Org9MSP")}, "not a channel org"},
		{"collection without members", []chaincodetest.Option{chaincodetest.WithCollection("c")}, "has no members"},
		{"implicit collection name", []chaincodetest.Option{chaincodetest.WithCollection("_implicit_org_Org1MSP", "Org1MSP")}, "invalid collection name"},
		{"duplicate collection", []chaincodetest.Option{chaincodetest.WithCollection("c", "A"), chaincodetest.WithCollection("c", "B")}, "defined twice"},
		{"duplicate org", []chaincodetest.Option{chaincodetest.WithOrgs(o.cas[0], o.cas[0])}, "configured twice"},
		{"planning without orgs", []chaincodetest.Option{chaincodetest.WithEndorsementPlanning()}, "requires WithOrgs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				require.NotNil(t, r)
				assert.Contains(t, fmt.Sprint(r), tt.want)
			}()
			chaincodetest.NewNetwork(kvChaincode(), tt.opts...)
		})
	}
}

func TestSufficientEndorsers(t *testing.T) {
	o := newOrgs()
	org1 := o.clients[0]
	net := chaincodetest.NewNetwork(kvChaincode(), o.withOrgs(), chaincodetest.WithEndorsementPolicy(chaincodetest.OutOf(2, mspIDs...)))
	all := mspIDs

	// A new key is subject to the chaincode policy: any two orgs.
	r := net.Invoke(org1, chaincodetest.Call{Function: "put", Args: []string{"asset", "v1"}, Endorsers: all}).MustOK(t)
	assert.Equal(t, [][]string{
		{"Org1MSP", "Org2MSP"}, {"Org1MSP", "Org3MSP"}, {"Org1MSP", "Org4MSP"},
		{"Org2MSP", "Org3MSP"}, {"Org2MSP", "Org4MSP"}, {"Org3MSP", "Org4MSP"},
	}, r.SufficientEndorsers)

	// Setting a key-level policy is judged by the policy the key had.
	r = net.Invoke(org1, chaincodetest.Call{Function: "requireOrgs", Args: []string{"asset", "Org3MSP"}, Endorsers: all}).MustOK(t)
	assert.Len(t, r.SufficientEndorsers, 6)

	// A key with a key-level policy needs its orgs alone, whoever endorsed.
	r = net.Invoke(org1, chaincodetest.Call{Function: "put", Args: []string{"asset", "v2"}, Endorsers: all}).MustOK(t)
	assert.Equal(t, [][]string{{"Org3MSP"}}, r.SufficientEndorsers)

	// With a new key besides, the chaincode policy is needed too.
	r = net.Invoke(org1, chaincodetest.Call{Function: "put", Args: []string{"asset", "v3", "other", "x"}, Endorsers: all}).MustOK(t)
	assert.Equal(t, [][]string{{"Org1MSP", "Org3MSP"}, {"Org2MSP", "Org3MSP"}, {"Org3MSP", "Org4MSP"}}, r.SufficientEndorsers)

	// They are judged against the state the transaction was validated on,
	// and reported for an invalid transaction too; an evaluation has none.
	r = net.Invoke(org1, chaincodetest.Call{Function: "put", Args: []string{"asset", "v4"}, Endorsers: []string{"Org1MSP", "Org2MSP"}})
	r.MustFail(t, "ENDORSEMENT_POLICY_FAILURE")
	assert.Equal(t, [][]string{{"Org3MSP"}}, r.SufficientEndorsers)
	assert.Empty(t, net.Evaluate(org1, "get", "asset").MustOK(t).SufficientEndorsers)
}

// A time a record names parses to its instant, whatever its zone, so a test
// can move the clock to it.
func TestParseTime(t *testing.T) {
	want := time.Date(2026, time.March, 1, 0, 0, 0, 0, time.UTC)
	assert.True(t, want.Equal(chaincodetest.ParseTime(t, "2026-03-01T00:00:00Z")))
	assert.True(t, want.Equal(chaincodetest.ParseTime(t, "2026-03-01T08:00:00+08:00")))
}
