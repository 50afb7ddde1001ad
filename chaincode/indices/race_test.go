package indices_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
)

// An attestation racing the period's publication in one block reads the
// publication record the publication writes, so whichever is ordered second
// is voided (MVCC_READ_CONFLICT): no attestation of other figures slips in
// beside the publication it would contradict; and two publications of one
// period, each reading the record, cannot both pass.
func TestAnAttestationRacingThePublicationReadsItsRecord(t *testing.T) {
	f := newFixture(t)
	f.openAttestedBy(t, 2)
	record := chaincodetest.Key("indices.publication", period)
	assert.Contains(t, f.attest(t, 2, `{"other":"figures"}`).MustOK(t).Reads, record)
	sh, js := f.orgs[0], f.orgs[1]
	assert.Contains(t, f.publish(sh, js).MustOK(t).Reads, record)
}
