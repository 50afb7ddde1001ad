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
//
// Publication is the regulator's duty (issue 12): it is the one state
// change the regulator makes, and it changes no market record.
package indices

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Publication statuses.
const (
	StatusOpen      = "OPEN"
	StatusPublished = "PUBLISHED"
)

// Event names of the indices contract.
const (
	EventPeriodOpened   = "IndexPeriodOpened"
	EventIndexPublished = "IndexPublished"
)

// MaxFiguresBytes bounds the figures of one publication.
const MaxFiguresBytes = 1 << 20

// Key types of the indices contract.
const (
	keyPublication = "indices.publication" // period
	keyAttestation = "indices.attestation" // period, in each org's implicit collection
	idxPublished   = "indices~published"   // period (published ones only)
)

// Publication is a period's published indices.
type Publication struct {
	// Period is "hour:YYYY-MM-DDTHH", "day:YYYY-MM-DD" or "month:YYYY-MM"
	// (China Standard Time).
	Period string `json:"period"`
	Status string `json:"status"`
	// FromBlock and ToBlock are the blocks whose transactions the figures
	// count (those with a time in the period).
	FromBlock uint64 `json:"fromBlock"`
	ToBlock   uint64 `json:"toBlock"`
	// InputHash is the SHA-256 (hex) of the input rows, as the gateways'
	// ledger index serialises them.
	InputHash string `json:"inputHash,omitempty" metadata:",optional"`
	// FiguresHash is the SHA-256 (hex) of Figures' exact bytes.
	FiguresHash string `json:"figuresHash,omitempty" metadata:",optional"`
	// Digest is what each endorsing org attested (see Digest).
	Digest string `json:"digest,omitempty" metadata:",optional"`
	// Figures is the JSON document of the figures (gateway/README.md).
	Figures string `json:"figures,omitempty" metadata:",optional"`
	// AttestedBy are the orgs (MSP IDs, sorted) whose attestation of the
	// digest was on the ledger when it was published: a majority.
	AttestedBy  []string `json:"attestedBy,omitempty" metadata:",optional"`
	OpenedBy    string   `json:"openedBy"`
	OpenedAt    string   `json:"openedAt"`
	PublishedBy string   `json:"publishedBy,omitempty" metadata:",optional"`
	PublishedAt string   `json:"publishedAt,omitempty" metadata:",optional"`
}

// Attestation is an org's statement that it computed a period's figures.
// The private value is the digest's text alone, so that anyone can check
// the public hash of it: SHA-256(Digest).
type Attestation struct {
	Period string `json:"period"`
	MSPID  string `json:"mspId"`
	Digest string `json:"digest"`
}

// PublicationPage is one page of published periods.
type PublicationPage struct {
	Items    []*Publication `json:"items"`
	Bookmark string         `json:"bookmark"`
}

// Digest is what an org attests and a publication must match: the SHA-256
// (hex) of "deltaledger-indices/1|period|fromBlock|toBlock|inputHash|figuresHash".
func Digest(period string, fromBlock, toBlock uint64, inputHash, figuresHash string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("deltaledger-indices/1|%s|%d|%d|%s|%s", period, fromBlock, toBlock, inputHash, figuresHash)))
	return hex.EncodeToString(sum[:])
}

// FiguresHash is the SHA-256 (hex) of the figures' bytes.
func FiguresHash(figures string) string {
	sum := sha256.Sum256([]byte(figures))
	return hex.EncodeToString(sum[:])
}

// PeriodPattern is the form of a period.
const PeriodPattern = `^(hour:[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}|day:[0-9]{4}-[0-9]{2}-[0-9]{2}|month:[0-9]{4}-[0-9]{2})$`

var periodPattern = regexp.MustCompile(PeriodPattern)

// ParsePeriod checks a period and returns its bounds in China Standard
// Time: start inclusive, end exclusive.
func ParsePeriod(period string) (start, end time.Time, err error) {
	if !periodPattern.MatchString(period) {
		return start, end, fmt.Errorf("must be hour:YYYY-MM-DDTHH, day:YYYY-MM-DD or month:YYYY-MM, got %q", clip(period))
	}
	cst := time.FixedZone("CST", 8*60*60)
	switch {
	case strings.HasPrefix(period, "hour:"):
		start, err = time.ParseInLocation("2006-01-02T15", period[5:], cst)
		return start, start.Add(time.Hour), err
	case strings.HasPrefix(period, "day:"):
		start, err = time.ParseInLocation(time.DateOnly, period[4:], cst)
		return start, start.AddDate(0, 0, 1), err
	}
	start, err = time.ParseInLocation("2006-01", period[6:], cst)
	return start, start.AddDate(0, 1, 0), err
}

func parseBlock(s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > 1<<53 {
		return 0, fmt.Errorf("must be a block number, got %q", clip(s))
	}
	return n, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
