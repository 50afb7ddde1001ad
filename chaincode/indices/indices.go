// Package indices is the contract of the market's published indices: the
// monitoring figures (registrations, listings, trades, disclosed value,
// prices, price and activity indices per administrative division and
// category) of a closed period, published on the ledger only when a
// majority of the regions computed the very same figures from their own
// copy of the ledger.
//
// The chaincode does not compute the figures (that needs the whole history,
// which each region's gateway keeps in its ledger index); it makes them
// verifiable and agreed:
//
//  1. Attest: each region's gateway computes the period's figures from its
//     own index and records its attestation (a digest of the period, the
//     block range, the hash of the input rows and the hash of the figures)
//     in its own org's implicit private data collection. Only that org's
//     peers can write there (the collection's endorsement policy), so an
//     attestation is the org's own statement; and the hash of every private
//     value is on every peer of the channel, so every peer can check any
//     org's attestation without reading the value.
//  2. Open: the period's publication record is created, empty, with a
//     key-level endorsement policy of a majority of the channel's orgs.
//  3. Publish: the regulator submits the figures. Every endorsing peer
//     recomputes the digest from what is submitted and reads the hash of
//     every org's attestation (the same reads on every peer, so the
//     endorsements agree); it refuses to endorse unless its own org and a
//     majority of the orgs attested that digest. Because the record's key
//     needs a majority of the orgs' endorsements besides, the publication
//     commits only if a majority of the regions attested the same figures.
//  4. Get, GetPublished and List check it again at every read (sound): a new key needs
//     only the chaincode's endorsement policy (a majority), so orgs
//     running code of their own could create a PUBLISHED record, or an
//     index entry, that no majority attested, a copy of a publication under
//     another period's key, or an OPEN record carrying figures; readers take
//     no such record, and Publish and Attest go on over it.
//     Once a period is published an attestation can only confirm its
//     digest, and its index entry needs a majority to remove. The majority
//     is counted over the orgs the rules named when it was published (the
//     record's Electorate), so regions joining later do not undo it.
//
// Publication is the regulator's duty (issue 12): it is the one state
// change the regulator makes, and it changes no market record.
package indices

import (
	"fmt"
	"strconv"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// Key types of the indices contract.
const (
	keyPublication = "indices.publication" // period
	keyAttestation = "indices.attestation" // period, in each org's implicit collection
	idxPublished   = "indices~published"   // period (published ones only)
)

// parsePeriod checks a period argument, named field, and returns its bounds
// (model.ParsePeriod).
func parsePeriod(field, period string) (start, end time.Time, err error) {
	if start, end, err = model.ParsePeriod(period); err != nil {
		return start, end, ledgererr.Invalid(field, "%v", err)
	}
	return start, end, nil
}

// parsePeriods parses the periods argument of GetPublished: periods
// separated by commas (no period holds one), at most
// model.MaxPublicationsPerRead, each named once; "" names none. A period
// named twice is refused rather than answered once, so that every item of
// the answer stands for exactly one period asked.
func parsePeriods(s string) ([]string, error) {
	return validate.List("periods", s, model.MaxPublicationsPerRead, func(n int) error {
		return ledgererr.Invalid("periods", "must name at most %d periods, got %d", model.MaxPublicationsPerRead, n)
	}, func(item, period string) error {
		_, _, err := parsePeriod(item, period)
		return err
	})
}

// parsePeriodRange checks the period and the block range an attestation or a
// publication covers, naming the argument that breaks a rule, and returns
// the period's end and the range.
func parsePeriodRange(period, fromBlock, toBlock string) (end time.Time, from, to uint64, err error) {
	if _, end, err = parsePeriod("period", period); err != nil {
		return end, 0, 0, err
	}
	if from, err = parseBlock(fromBlock); err != nil {
		return end, 0, 0, ledgererr.Invalid("fromBlock", "%v", err)
	}
	if to, err = parseBlock(toBlock); err != nil || to < from {
		return end, 0, 0, ledgererr.Invalid("toBlock", "must be a block number not before fromBlock")
	}
	return end, from, to, nil
}

// parseBlock parses a block number argument.
func parseBlock(s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > model.MaxBlockNumber {
		return 0, fmt.Errorf("must be a block number (0 to %d), got %q", uint64(model.MaxBlockNumber), model.Clipped(s))
	}
	return n, nil
}

// checkFigures checks the figures a publication carries: at most
// model.MaxFiguresBytes of JSON, figures of the period and block range
// published in the market's own vocabulary (ledgerindex.PeriodFigures.Check),
// written in their one canonical text (ledgerindex.CanonicalFigures), so
// that nobody publishes free text as figures and equal figures cannot be
// published, or attested, under a second hash.
func checkFigures(figures, period string, from, to uint64) error {
	if len(figures) > model.MaxFiguresBytes {
		return ledgererr.Invalid("figures", "must be a JSON document of at most %d bytes", model.MaxFiguresBytes)
	}
	var f ledgerindex.PeriodFigures
	if err := validate.Object("figures", []byte(figures), &f, ledgerindex.FiguresShape); err != nil {
		return err
	}
	if err := f.Check(period, from, to); err != nil {
		return err
	}
	canonical, err := ledgerindex.CanonicalFigures(f)
	if err != nil {
		return ledgererr.Internalf(err, "writing the figures' canonical text")
	}
	if string(canonical) != figures {
		return ledgererr.Invalid("figures", "must be written in the canonical text of its figures, the one the regions hash (encoding/json's, no spaces, members in their order, [] for an empty list); it differs at byte %d", firstDifference(canonical, figures))
	}
	return nil
}

// firstDifference is the offset of the first byte where a and b differ.
func firstDifference(a []byte, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
