// Package chaincodetest runs chaincode in memory the way a Hyperledger
// Fabric v3 channel whose peers use LevelDB runs it, so that chaincode unit
// tests meet the ledger semantics of production rather than those of a map.
//
// A [Network] holds a chaincode (any shim.Chaincode, such as a
// *contractapi.ContractChaincode), the configuration of its channel and the
// committed [Ledger]. Clients are [Identity] values issued by a test [CA] per
// org. Each invocation is a proposal, simulated by the chaincode on a fresh
// [Stub] for every endorsing peer; a submitted transaction whose chaincode
// succeeds is validated against the endorsement policies and committed:
//
//	org1 := chaincodetest.NewCA("Org1MSP")
//	org2 := chaincodetest.NewCA("Org2MSP")
//	alice := org1.Issue("alice", "client")
//
//	net := chaincodetest.NewNetwork(cc,
//		chaincodetest.WithOrgs(org1, org2),
//		chaincodetest.WithCollection("shared", "Org1MSP", "Org2MSP"),
//		chaincodetest.WithEndorsementPolicy(chaincodetest.AnyOf("Org1MSP", "Org2MSP")),
//	)
//
//	net.Submit(alice, "CreateAsset", "asset1", "blue").MustOK(t)
//	var asset Asset
//	net.Evaluate(alice, "ReadAsset", "asset1").Unmarshal(t, &asset)
//	require.Nil(t, net.Ledger().State("asset2"))
//
// # What is faithful to a peer
//
//   - Reads see committed state only; there is no read-your-own-writes.
//   - Writes reach the ledger only when a submitted transaction succeeds
//     and is valid, all at once. A chaincode error response (status 400 or
//     more) writes nothing, and neither does an evaluation.
//   - Keys, composite keys, range queries, pagination and bookmarks,
//     history (newest first) and the simulator's restrictions on
//     paginated and private queries follow the shim and the LevelDB state
//     database, including their error messages.
//   - Private data is readable only on peers of member orgs, subject to
//     MemberOnlyRead/MemberOnlyWrite; hashes are readable everywhere. Every
//     channel org has an implicit collection.
//   - Validation follows the peer's: key-level endorsement policies in
//     committed state, collection policies and the chaincode policy, with
//     ENDORSEMENT_POLICY_FAILURE for a transaction that does not satisfy
//     them. Key-level policies survive value writes, are dropped with their
//     key, and are ignored when set on a key that does not exist.
//   - Endorsing peers each run the chaincode, and their results must agree.
//
// # What is simplified
//
//   - Transactions are committed one at a time, so there are no MVCC or
//     phantom read conflicts.
//   - Rich queries fail as they do on LevelDB; chaincode-to-chaincode
//     invocation fails; proposals are not signed; the peer's total query
//     limit is not enforced.
//   - Non-member peers refuse all reads of a collection's values, where a
//     real peer answers nil for keys that were never written (see [Stub]).
package chaincodetest
