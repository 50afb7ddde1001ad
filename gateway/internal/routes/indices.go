package routes

import (
	"math/big"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// AllCategories names every category together in the figures.
const AllCategories = "*"

// DivisionFigures are the monitoring figures of one division and category
// in a period.
type DivisionFigures struct {
	// Division is a division code (model.Division) or model.DeltaDivision;
	// Level is its level (model.LevelDistrict, ...).
	Division string `json:"division"`
	Level    string `json:"level"`
	Category string `json:"category"`
	// Registrations are the assets certified in the period.
	Registrations int64 `json:"registrations"`
	// Listings are the listings created in the period.
	Listings int64 `json:"listings"`
	// Trades are the trades completed in the period; DisclosedTrades those
	// at a public (FIXED) price.
	Trades          int64 `json:"trades"`
	DisclosedTrades int64 `json:"disclosedTrades"`
	// DisclosedValueFen is the exact sum of the disclosed prices, a JSON
	// integer of any size.
	DisclosedValueFen *big.Int `json:"disclosedValueFen"`
	// MeanPriceFen and MedianPriceFen are over the disclosed prices,
	// rounded down (the median of an even count is the mean of the middle
	// two); absent without a disclosed trade.
	MeanPriceFen   *int64 `json:"meanPriceFen,omitempty"`
	MedianPriceFen *int64 `json:"medianPriceFen,omitempty"`
}

// PriceIndexFigure is a chained price index of a category (or AllCategories)
// at the period.
type PriceIndexFigure struct {
	Category string `json:"category"`
	// Index is 1000 at the base period (the first with a disclosed trade of
	// the category), then chained: each period with disclosed trades
	// multiplies the last index by its median price over the median of the
	// last earlier period that had disclosed trades. Rounded down.
	Index int64 `json:"index"`
	// BasePeriod is the period where the index is 1000.
	BasePeriod string `json:"basePeriod"`
	// Traded is false when the period itself had no disclosed trade of the
	// category: the index is carried over unchanged.
	Traded bool `json:"traded"`
}

// ActivityFigure is the market activity index of a district in the period.
type ActivityFigure struct {
	Division string `json:"division"`
	// Activity is registrations + listings + completed trades.
	Activity int64 `json:"activity"`
	// Index is Activity × 1000 / the mean activity of the districts with
	// any activity in the period, rounded down: 1000 is an average district.
	Index int64 `json:"index"`
}

// PeriodFigures are the published figures of a period: every region's
// gateway computes the same document, byte for byte, from its own index.
type PeriodFigures struct {
	Period string `json:"period"`
	// Start and End bound the period (China Standard Time, RFC 3339).
	Start string `json:"start"`
	End   string `json:"end"`
	// FromBlock and ToBlock are the blocks counted: transactions in blocks
	// up to ToBlock whose time is in the period.
	FromBlock  uint64             `json:"fromBlock"`
	ToBlock    uint64             `json:"toBlock"`
	Divisions  []DivisionFigures  `json:"divisions"`
	PriceIndex []PriceIndexFigure `json:"priceIndex"`
	Activity   []ActivityFigure   `json:"activity"`
}

// ComputedIndices answers the computation of a period's figures: the
// figures, their canonical JSON's hash, the hash of the input rows and the
// digest an org attests.
type ComputedIndices struct {
	Figures     PeriodFigures `json:"figures"`
	FiguresHash string        `json:"figuresHash"`
	InputHash   string        `json:"inputHash"`
	InputRows   int           `json:"inputRows"`
	Digest      string        `json:"digest"`
	ledgerindex.IndexHeight
}

const indicesNote = "A period's figures are computed by each region's gateway from its own ledger index, over the transactions of blocks up to toBlock whose time is in the period, " +
	"so every region that has read toBlock computes the same document byte for byte. " +
	"A region attests its figures (indices:Attest, recorded in its org's implicit private data collection, endorsed by its own peers only); " +
	"the regulator opens the period (indices:Open, a record under a majority-of-orgs key-level policy) and publishes the figures (indices:Publish): " +
	"each endorsing peer checks the public hashes of every org's attestation and refuses unless its own org and a majority of the orgs attested the same digest, so a publication commits only when a majority of the regions computed the same figures. " +
	"The method of each figure is in gateway/README.md (\"Published indices\")."

func indicesRoutes() []Route {
	toBlock := query(model.Field{Name: "toBlock", Type: model.TypeInteger, Minimum: new(int64(0)), Maximum: new(int64(model.MaxBlockNumber)),
		Description: "The last block counted; every region must use the same. The index waits (bounded) until it has read it."})
	return []Route{
		{
			ID: "listPublishedIndices", Method: "GET", Path: "/v1/indices", Tag: "indices", Function: "indices:List",
			Summary: "The published periods, in period order.",
		},
		{
			ID: "getPublishedIndices", Method: "GET", Path: "/v1/indices/{period}", Tag: "indices", Function: "indices:Get",
			Summary:     "A period's publication: its figures (JSON text), block range, input and figures hashes, and the digest the endorsing regions attested.",
			Description: "The proof: the record is on the ledger under a majority-of-orgs endorsement policy; anyone can recompute figuresHash = SHA-256(figures) and digest (see model.IndicesDigest). " + indicesNote,
		},
		{
			ID: "getOwnAttestation", Method: "GET", Path: "/v1/indices/{period}/attestation", Tag: "indices", Function: "indices:MyAttestation", OwnOrg: true,
			Summary:     "The attestation of the period this gateway's org recorded (read from its own peer's implicit collection).",
			Description: "A regulator or an operator of this gateway's org.",
			Roles:       []string{model.RoleRegulator, model.RoleOperator},
		},
		{
			ID: "downloadPublishedIndices", Method: "GET", Path: "/v1/indices/{period}/figures.csv", Tag: "indices", Serve: Handlers.IndexCSV,
			Summary:  "A published period's figures as CSV: one row per division, level and category (table=divisions, the default), or the price index (table=priceIndex) or the activity index (table=activity).",
			Produces: "text/csv",
			Uses:     []string{"indices:Get"},
			Query: []Param{query(model.Field{Name: "table", Type: model.TypeString, Optional: true, Enum: []string{"divisions", "priceIndex", "activity"},
				Description: "Which table of the figures (default divisions)."})},
		},
		{
			ID: "computeIndices", Method: "GET", Path: "/v1/indices/{period}/computed", Tag: "indices", Serve: Handlers.IndexFigures,
			Summary:     "This gateway's own computation of a period's figures from its ledger index, with the hashes and the digest it would attest.",
			Description: "Any member may read it. " + indicesNote,
			Response:    ComputedIndices{},
			Query:       []Param{toBlock},
		},
		{
			ID: "attestIndices", Method: "POST", Path: "/v1/indices/{period}/attest", Tag: "indices", Serve: Handlers.IndexAttest,
			Summary:     "Compute a period's figures from this gateway's index and record the org's attestation (as the caller, endorsed by this org's peers only).",
			Description: "A regulator or an operator of this gateway's org. " + indicesNote,
			Roles:       []string{model.RoleRegulator, model.RoleOperator},
			Uses:        []string{"indices:Attest"},
			Response:    ComputedIndices{},
			Query:       []Param{toBlock},
		},
		{
			ID: "publishIndices", Method: "POST", Path: "/v1/indices/{period}/publish", Tag: "indices", Serve: Handlers.IndexPublish,
			Summary:     "Open the period if needed, compute its figures from this gateway's index and publish them on chain.",
			Description: "The regulator. The publication commits only if the endorsing peers' orgs (a majority) attested the same digest; name them with endorsingOrganizations when Fabric's own endorsement plan picks an org that has not attested. " + indicesNote,
			Roles:       []string{model.RoleRegulator},
			Uses:        []string{"indices:Open", "indices:Publish"},
			Response:    PublishedBody{},
			Query: []Param{toBlock, query(model.Field{Name: "endorsingOrganizations", Type: model.TypeString, Optional: true, MaxLength: 400, Pattern: `^[A-Za-z0-9.-]{1,64}(,[A-Za-z0-9.-]{1,64})*$`,
				Description: "MSP IDs of the orgs whose peers endorse the publication, comma-separated (default: Fabric's plan)."})},
		},
	}
}

// PublishedBody answers a publication: the committed transaction and the
// publication record it wrote.
type PublishedBody struct {
	TransactionID string            `json:"transaction_id"`
	BlockNumber   uint64            `json:"block_number"`
	Result        model.Publication `json:"result"`
}
