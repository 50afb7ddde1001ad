// Command chaincode is the DeltaLedger chaincode: the ledger of data-asset
// rights, listings, trade contracts and cross-region credit records.
//
// It runs as a chaincode service (CCaaS) when CHAINCODE_SERVER_ADDRESS is set,
// and otherwise in the classic mode where the peer launches it; package
// ccaas documents the environment it reads. CORE_PEER_LOCALMSPID names the
// MSP of the org whose peer this process serves.
package main

import (
	"log"

	"github.com/deltaledger/deltaledger/chaincode/ccaas"
	"github.com/deltaledger/deltaledger/chaincode/contracts"
)

func main() {
	cc, err := contracts.NewChaincode()
	if err != nil {
		log.Fatalf("creating chaincode: %v", err)
	}
	if err := ccaas.Run(cc); err != nil {
		log.Fatal(err)
	}
}
