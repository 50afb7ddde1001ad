package routes

import (
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

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
		Answered(Handlers.PublishedIndices, GatewayRoute{
			Operation: Operation{ID: "listPublishedIndices", Method: "GET", Path: "/v1/indices", Tag: "indices",
				Summary: "The published periods, newest first: each publication as the chain vouches for it.",
				Description: "Ordered by the period's end, latest first, so that months, days, hours and minutes interleave by time; of periods that end together (a month and its last day), the shorter first. " +
					"The order comes from this gateway's ledger index, which records each publication as it reads it in a block; the content of the page's items from the chain, in one evaluation (indices:GetPublished), " +
					"which answers only a publication a majority of the regions attested: a period the index lists but the chain does not vouch for is left out, so a page may hold fewer than limit items and still have a next_cursor. " +
					"Any member may read it. " + indexNote,
			},
			ReadsLedger: true, Uses: []string{"indices:GetPublished"}, Response: ledgerindex.PublishedIndices{},
			Query: indexPage(),
		}),
		ChaincodeRoute{
			Operation: Operation{ID: "listPublishedIndicesByKey", Method: "GET", Path: "/v1/indices/by-key", Tag: "indices",
				Summary:     "The published periods in the chaincode's key order (every day: period before every hour:, minute: and month: one, each kind oldest first), read from the chain alone.",
				Description: "indices:List, page by page: for a gateway that keeps no ledger index, and for checking the index's list against the chain. Readers who want the latest publications use GET /v1/indices.",
			},
			Function: "indices:List",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "getPublishedIndices", Method: "GET", Path: "/v1/indices/{period}", Tag: "indices",
				Summary:     "A period's publication: its figures (JSON text), block range, input and figures hashes, and the digest the endorsing regions attested.",
				Description: "The proof: the record is on the ledger under a majority-of-orgs endorsement policy; anyone can recompute figuresHash = SHA-256(figures) and digest (see model.IndicesDigest). " + indicesNote,
			},
			Function: "indices:Get",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "getOwnAttestation", Method: "GET", Path: "/v1/indices/{period}/attestation", Tag: "indices", Roles: []string{model.RoleRegulator, model.RoleOperator},
				Summary:     "The attestation of the period this gateway's org recorded (read from its own peer's implicit collection).",
				Description: "A regulator or an operator of this gateway's org.",
			},
			Function: "indices:MyAttestation", Endorsers: OwnOrg,
		},
		Answered(Handlers.IndexCSV, GatewayRoute{
			Operation: Operation{ID: "downloadPublishedIndices", Method: "GET", Path: "/v1/indices/{period}/figures.csv", Tag: "indices",
				Summary: "A published period's figures as CSV: one row per division, level and category (table=divisions, the default), or the price index (table=priceIndex) or the activity index (table=activity).",
			},
			ReadsLedger: true, Produces: "text/csv", Uses: []string{"indices:Get"},
			Query: []Param{query(model.Field{Name: "table", Type: model.TypeString, Optional: true, Enum: []string{"divisions", "priceIndex", "activity"},
				Description: "Which table of the figures (default divisions)."})},
		}),
		Answered(Handlers.IndexFigures, GatewayRoute{
			Operation: Operation{ID: "computeIndices", Method: "GET", Path: "/v1/indices/{period}/computed", Tag: "indices",
				Summary:     "This gateway's own computation of a period's figures from its ledger index, with the hashes and the digest it would attest.",
				Description: "Any member may read it; each call takes from the caller's write budget, not its read budget, as its cost grows with the market's history (the chained price index reads every sale since the first). " + indicesNote,
			},
			Recomputes: true, Response: ledgerindex.ComputedIndices{}, Query: []Param{toBlock},
		}),
		Answered(Handlers.IndexAttest, GatewayRoute{
			Operation: Operation{ID: "attestIndices", Method: "POST", Path: "/v1/indices/{period}/attest", Tag: "indices", Roles: []string{model.RoleRegulator, model.RoleOperator},
				Summary:     "Compute a period's figures from this gateway's index and record the org's attestation (as the caller, endorsed by this org's peers only).",
				Description: "A regulator or an operator of this gateway's org. A retry with the same Idempotency-Key answers the figures computed again only when they are those its transaction attested, and otherwise 409 CONFLICT naming the digest attested. " + indicesNote,
			},
			ReadsLedger: true, Commits: true, Uses: []string{"indices:Attest"}, Response: ledgerindex.ComputedIndices{}, Query: []Param{toBlock},
		}),
		Answered(Handlers.IndexPublish, GatewayRoute{
			Operation: Operation{ID: "publishIndices", Method: "POST", Path: "/v1/indices/{period}/publish", Tag: "indices", Roles: []string{model.RoleRegulator},
				Summary:     "Open the period if needed, compute its figures from this gateway's index and publish them on chain.",
				Description: "The regulator. The publication commits only if the endorsing peers' orgs (a majority) attested the same digest; name them with endorsingOrganizations when Fabric's own endorsement plan picks an org that has not attested. " + indicesNote,
			},
			ReadsLedger: true, Commits: true, Uses: []string{"indices:Open", "indices:Publish"}, Response: wire.PublishedBody{},
			Query: []Param{toBlock, endorsingOrganizations("MSP IDs of the orgs whose peers endorse the publication, comma-separated (default: Fabric's plan).")},
		}),
	}
}
