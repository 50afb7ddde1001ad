package model

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Publication statuses of a period's indices.
const (
	PublicationOpen      = "OPEN"      // opened under the majority policy, figures not yet published
	PublicationPublished = "PUBLISHED" // published: final
)

// PublicationStatuses lists every status of a period's publication.
var PublicationStatuses = []string{PublicationOpen, PublicationPublished}

// MaxFiguresBytes bounds the figures of one publication.
const MaxFiguresBytes = 1 << 20

// MaxBlockNumber bounds a block number argument, so that every client (a
// JSON number in JavaScript included) reads it exactly.
const MaxBlockNumber = 1 << 53

// MaxPublicationsPerRead bounds the periods one indices:GetPublished reads:
// a page of GET /v1/indices, at most MaxPageSize periods, is read in one
// evaluation.
const MaxPublicationsPerRead = MaxPageSize

// MaxPublicationsAnswerBytes bounds the JSON of the publications one
// indices:GetPublished answers (but always answers one): a publication's
// figures may reach MaxFiguresBytes, so MaxPublicationsPerRead of them
// would not fit the 4 MiB a gRPC client (Fabric's gateway clients, this
// project's gateway) receives by default; it leaves 1 MiB of that to the
// response around them. The periods it has no room for are answered as
// Publications.Remaining, to ask again.
const MaxPublicationsAnswerBytes = 3 << 20

// PeriodPattern is the form of a period of the published indices.
const PeriodPattern = `^(minute:[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}|hour:[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}|` +
	`day:[0-9]{4}-[0-9]{2}-[0-9]{2}|month:[0-9]{4}-[0-9]{2})$`

// PeriodRule says PeriodPattern in words, for messages and documents.
const PeriodRule = "minute:YYYY-MM-DDTHH:MM, hour:YYYY-MM-DDTHH, day:YYYY-MM-DD or month:YYYY-MM (China Standard Time)"

var periodPattern = regexp.MustCompile(PeriodPattern)

// ParsePeriod checks a period and returns its bounds in China Standard
// Time: start inclusive, end exclusive.
func ParsePeriod(period string) (start, end time.Time, err error) {
	if !periodPattern.MatchString(period) {
		return start, end, fmt.Errorf("must be %s, got %q", PeriodRule, Clipped(period))
	}
	kind, name, _ := strings.Cut(period, ":")
	k := periodKinds[kind]
	start, err = time.ParseInLocation(k.layout, name, chinaStandardTime)
	return start, k.next(start), err
}

// Clipped shortens a rejected value quoted in a message.
func Clipped(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// IndicesDigest is what an org attests and a publication must match: the
// SHA-256 (hex) of
// "deltaledger-indices/1|period|fromBlock|toBlock|inputHash|figuresHash".
func IndicesDigest(period string, fromBlock, toBlock uint64, inputHash, figuresHash string) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "deltaledger-indices/1|%s|%d|%d|%s|%s", period, fromBlock, toBlock, inputHash, figuresHash))
	return hex.EncodeToString(sum[:])
}

// FiguresHash is the SHA-256 (hex) of the figures' exact bytes.
func FiguresHash(figures string) string {
	sum := sha256.Sum256([]byte(figures))
	return hex.EncodeToString(sum[:])
}

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
	// Digest is what each endorsing org attested (see IndicesDigest).
	Digest string `json:"digest,omitempty" metadata:",optional"`
	// Figures is the JSON document of the figures (gateway/README.md), in
	// their canonical text (ledgerindex.CanonicalFigures) from 11.0.0 on.
	Figures string `json:"figures,omitempty" metadata:",optional"`
	// AttestedBy are the orgs (MSP IDs, sorted) whose attestation of the
	// digest was on the ledger when it was published: a majority. On a
	// publication with an Electorate they keep their votes at every read
	// (interface 10.0.0), so that one of a bare majority, rewriting its own
	// attestation, takes the publication back no more.
	AttestedBy []string `json:"attestedBy,omitempty" metadata:",optional"`
	// Electorate are the orgs (MSP IDs, sorted, each once) the market rules
	// named when the period was published: the majority that vouches for
	// the publication (AttestedBy when it was published, a majority of
	// them) is counted over these orgs for good, not over those the rules
	// name at the time of a read. Otherwise regions joining later, which
	// never attested a period closed before they joined, would leave an
	// older publication without a majority (three of four orgs are none of
	// six), and a majority of the larger set could then publish other
	// figures over it: published figures would not be final. Empty on a
	// publication made before interface 9.0.0, whose majority is counted
	// over the orgs of the majority policy its key was put under (the orgs
	// of the rules of its publication or, before 6.0.0, of its opening) or
	// over the orgs the rules name now, a majority of either sufficing; if
	// its key has no such policy, over the orgs the rules name now alone.
	Electorate  []string `json:"electorate,omitempty" metadata:",optional"`
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
type PublicationPage struct{ Page[*Publication] }

// Publications answers indices:GetPublished: of the periods asked, those
// the chain vouches for as published, in the order asked.
type Publications struct {
	Items []*Publication `json:"items"`
	// Remaining are the periods asked, from the first whose publication did
	// not fit the answer (MaxPublicationsAnswerBytes) to the last, in the
	// order asked: ask them again. Empty when every period was read.
	Remaining []string `json:"remaining,omitempty" metadata:",optional"`
}

// IndexEvent is the payload of the indices contract's events. An opened
// period carries the period alone.
type IndexEvent struct {
	Period      string `json:"period"`
	FromBlock   uint64 `json:"fromBlock,omitempty"`
	ToBlock     uint64 `json:"toBlock,omitempty"`
	InputHash   string `json:"inputHash,omitempty"`
	FiguresHash string `json:"figuresHash,omitempty"`
	Digest      string `json:"digest,omitempty"`
}

// Event names of the indices contract.
const (
	EventIndexPeriodOpened = "IndexPeriodOpened"
	EventIndexPublished    = "IndexPublished"
)

var (
	// PeriodField is a period of the published indices.
	PeriodField = Field{Name: "period", Type: TypeString, Pattern: PeriodPattern,
		Description: "The period: " + PeriodRule + "."}
	// periodsField names the periods of indices:GetPublished.
	periodsField = Field{Name: "periods", Type: TypeStringList, Optional: true,
		Description: fmt.Sprintf("The periods, comma-separated, each once, at most %d; each %s. Empty for none.", MaxPublicationsPerRead, PeriodRule)}
	fromBlockField = blockField("fromBlock", "The first block whose transactions the figures count.")
	toBlockField   = blockField("toBlock", "The last block whose transactions the figures count; not before fromBlock.")
	inputHashField = hashField("inputHash", "SHA-256 (lowercase hex) of the input rows, as the ledger index serialises them.")
)

// blockField is a block number.
func blockField(name, description string) Field {
	return Field{Name: name, Type: TypeInteger, Minimum: bound(0), Maximum: bound(MaxBlockNumber), Description: description}
}

// IndicesContract publishes the monitoring indices of closed periods.
var IndicesContract = contract("indices", "DeltaLedger published indices",
	"Monitoring figures of closed periods, published when a majority of the regions attested the same figures",
	Function{Name: "Attest", Returns: Attestation{}, Params: []Field{PeriodField, fromBlockField, toBlockField, inputHashField,
		hashField("figuresHash", "SHA-256 (lowercase hex) of the figures' canonical JSON.")}}.endorsedBy(
		callerOrgAlone.noted("the attestation is written in the caller's org's implicit collection, which that org's peers alone endorse")),
	Function{Name: "MyAttestation", Evaluate: true, Returns: Attestation{}, Params: []Field{PeriodField}}.answeredBy(peersOf(PartyCaller)),
	Function{Name: "Open", Returns: Publication{}, Params: []Field{PeriodField}}.endorsedBy(chaincodePolicyWith()),
	Function{Name: "Publish", Returns: Publication{}, Params: []Field{PeriodField, fromBlockField, toBlockField, inputHashField,
		Field{Name: "figures", Type: TypeString, MaxLength: MaxFiguresBytes,
			Description: "The figures: a JSON document of at most 1 MiB, the very bytes whose hash the regions attested: figures of the period and block range published " +
				"in the market's vocabulary (division codes of the division table or YRD at their level, data categories or *, counts and amounts in fen in range, " +
				"lists sorted, each entry once) and in their canonical text (ledgerindex.CanonicalFigures), else INVALID_ARGUMENT naming the member."}}}.endorsedBy(
		majorityOfOrgs.noted("each endorsing peer's own org must have attested the same figures")),
	Function{Name: "Get", Evaluate: true, Returns: Publication{}, Params: []Field{PeriodField}},
	Function{Name: "GetPublished", Evaluate: true, Returns: Publications{}, Params: []Field{periodsField}},
	Function{Name: "List", Evaluate: true, Returns: PublicationPage{}, Params: list()},
)
