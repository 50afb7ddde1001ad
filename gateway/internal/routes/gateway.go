package routes

import (
	"fmt"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
)

// OpenAPIPath is where the gateway serves its OpenAPI document.
const OpenAPIPath = "/v1/openapi.json"

// EventStreamsMaxPerMember bounds the event streams one member may have
// open at once on a gateway. Each holds a delivery stream of the org's peer,
// which serves a bounded number of them for every client of the org (the
// ledger index's feed among them), and may replay the ledger from block 0.
const EventStreamsMaxPerMember = 8

// eventIDPattern is the form of an event's SSE id, "<block>-<transaction_id>".
const eventIDPattern = `^[0-9]+-[0-9a-f]+$`

func gatewayRoutes() []Route {
	return []Route{
		Answered(Handlers.Health, GatewayRoute{
			Operation: Operation{ID: "health", Method: "GET", Path: "/healthz", Tag: "operations",
				Summary:     "Liveness: the gateway process is serving.",
				Description: "Answers 200 as long as the process serves HTTP; it does not contact the peer.",
			},
			Public: true, Response: wire.HealthBody{},
		}),
		Answered(Handlers.Ready, GatewayRoute{
			Operation: Operation{ID: "ready", Method: "GET", Path: "/readyz", Tag: "operations",
				Summary:     "Readiness: the peer answers for the channel and chaincode.",
				Description: "Evaluates the chaincode's org.hyperledger.fabric:GetMetadata on the org's peer (cached for a few seconds). 503 when the peer, channel or chaincode does not answer.",
			},
			Public: true, MayBeUnready: true, Response: wire.HealthBody{},
		}),
		Answered(Handlers.Metrics, GatewayRoute{
			Operation: Operation{ID: "metrics", Method: "GET", Path: "/metrics", Tag: "operations", Roles: []string{RoleOrgAdmin},
				Summary: "Prometheus metrics, for the org's admins.",
				Description: "Only an admin of the gateway's org may read them (403 for any other member), as only the org's Admin reads its peer's and ordering node's: " +
					"requests counted by operation as they happen tell the market's activity (credit lookups, orders, payments) before any index is published. " +
					"Prometheus authenticates with an API key of scope " + auth.ScopeMetrics + " (deltaledger-gateway apikey ensure --scope " + auth.ScopeMetrics +
					"), which reads the metrics and nothing else (403 on every other operation), rather than with an admin's credentials, which whoever reads its configuration would hold.",
			},
			ForSelfSigners: true, Produces: "text/plain", Scope: auth.ScopeMetrics,
		}),
		Answered(Handlers.OpenAPI, GatewayRoute{
			Operation: Operation{ID: "openapi", Method: "GET", Path: OpenAPIPath, Tag: "operations",
				Summary: "This API's OpenAPI 3.1 document.",
			},
			Public: true, Response: map[string]any{},
		}),
		Answered(Handlers.TransactionStatus, GatewayRoute{
			Operation: Operation{ID: "getTransaction", Method: "GET", Path: "/v1/transactions/{txid}", Tag: "transactions",
				Summary: "Commit status of a transaction.",
				Description: "Reports whether the transaction is committed, whether it is valid, its validation code and block. A transaction the caller sent through this gateway that is not committed within a few seconds is pending: committed false. " +
					"An ID that is neither committed on the channel nor sent by the caller through this gateway in the last hour is unknown: 404 NOT_FOUND (a transaction sent by another member, or through another gateway or client, shows once committed). The result is included when this gateway submitted the transaction recently. " +
					"A member who signs its own calls may ask too, for its own transactions only (those it sent through this gateway in the last hour, and those committed with a certificate of its identity and key as creator once the gateway's ledger index has read their block; a gateway that keeps no index answers only the former): any other ID, another member's committed transaction included, is unknown to it, answered exactly as an ID nobody sent. While the gateway's ledger index has not read every block the gateway knows its peer holds (after a restart, while it reprojects the channel, lagging), an ID it neither sent for the caller nor finds in the index answers 503 UNAVAILABLE with Retry-After, whatever the ID, since the caller's own transaction may be in a block the index reads next: ask again; 404 comes only once the index has caught up. It signs nothing for this: the gateway reads the status with its own reading identity.",
			},
			ReadsLedger: true, ForSelfSigners: true, Response: wire.TransactionStatusBody{},
		}),
		Answered(Handlers.Events, GatewayRoute{
			Operation: Operation{ID: "streamEvents", Method: "GET", Path: "/v1/events", Tag: "events",
				Summary: "Chaincode events as Server-Sent Events.",
				Description: "Streams the chaincode events the caller may see (the regulator sees every event; other members see market events, never credit events). " +
					"Each SSE message has id \"<block>-<transaction_id>\", event = the chaincode event name and data = an EventBody. " +
					"After a disconnect (or a gateway restart) reconnect with the Last-Event-ID header (or ?after=) set to the last id received: the stream resumes just after that event, with no gap and no duplicate. " +
					"Without either, ?start_block= starts at a block; by default the stream starts at the next block. A comment line is sent every 15 s to keep connections open. " +
					"An event is its endorsers' claim (one org alone, endorsing a write under its own key-level policy with code of its own, commits a valid transaction with any event): read the state it names before acting on it. " +
					"A " + model.EventMarketRulesChanged + " whose version is newer than the market rules a peer that has committed its block answers is forged and not delivered; the stream goes on. " +
					fmt.Sprintf("A member may have %d streams open at once on a gateway; one more is 429.", EventStreamsMaxPerMember),
			},
			// trades:GetReadable narrows a sale's event (model.EventTradesClosed) to the closed trades the viewer may read.
			Produces: "text/event-stream", Response: wire.EventBody{}, Uses: []string{"trades:GetReadable"},
			Query: []Param{
				query(model.Field{Name: "after", Type: model.TypeString, Optional: true, Pattern: eventIDPattern,
					Description: "Resume just after this event id (same as the Last-Event-ID header, which wins)."}),
				query(model.Field{Name: "start_block", Type: model.TypeInteger, Optional: true, Description: "Start at this block when not resuming."}),
			},
			Headers: []Param{
				{Field: model.Field{Name: "Last-Event-ID", Type: model.TypeString, Pattern: eventIDPattern,
					Description: "The id of the last event received; the stream resumes just after it."}, In: InHeader},
			},
		}),
	}
}
