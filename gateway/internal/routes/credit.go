package routes

import (
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
)

// authorizationStatusNote is how a list of authorisations shows their
// status, whichever side of them the caller is on.
const authorizationStatusNote = "Revoked ones included; an ACTIVE authorisation past its validUntil reads EXPIRED, and one whose grantor no longer acts for the subject in the org holding it (released, its org removed), or granted before chaincode interface 16.0.0 (under its subject's org alone), reads LAPSED: neither entitles anyone."

func creditRoutes() []Route {
	return []Route{
		Answered(Handlers.CreditLookup, GatewayRoute{
			Operation: Operation{ID: "creditLookup", Method: "GET", Path: "/v1/credit/subjects/{uscc}/records", Tag: "credit",
				Summary: "Read a subject's credit records, leaving a query trace.",
				Description: "One call performs the chaincode's two steps: it SUBMITS credit:RequestQuery (the chaincode checks that the caller acts for the subject, is a regulator, or holds the subject's authorisation for the purpose, and commits a query trace), " +
					"then EVALUATES credit:ReadRecords on a peer of the caller's own org, which lists the records in force and the org holding each, and on a peer of each other org that holds records, merges the answers and verifies each record's contents against its public SHA-256. " +
					"No record contents are returned without a committed trace. Contents never enter a block. " +
					"When the chaincode refuses the read under the trace (its 15 minutes over, the authorisation revoked or expired since; a retry with the same Idempotency-Key reads under the first trace), the answer is that 403 FORBIDDEN naming why, never a lookup without records. " +
					"Under an authorisation, a record whose objection is unanswered past the due time (20 days) is not read while nobody at its agency can answer it (licence or agency role lost, suspended, released), nor a record published before chaincode interface 16.0.0 (its agency publishes it again); an authorisation granted before 16.0.0 entitles nobody (403).",
			},
			ReadsLedger: true, Commits: true, Uses: []string{"credit:RequestQuery", "credit:ReadRecords"},
			Query: []Param{
				query(paramOf("credit:RequestQuery", "purpose")),
				query(paramOf("credit:RequestQuery", "authId").Named("authorization").
					Describe("ID of the subject's authorisation to the caller; omitted when the caller acts for the subject or is a regulator.")),
			},
			Response: wire.CreditLookupBody{},
		}),
		ChaincodeRoute{
			Operation: Operation{ID: "stageCreditRecord", Method: "POST", Path: "/v1/credit/records/staged", Tag: "credit", Roles: []string{model.RoleAgency}, Created: true,
				Summary: "Step 1 of publishing a credit record: stage its contents in the agency org's private data.",
				Description: "The contents travel as transient data and the transaction is endorsed by the gateway's org alone, so no other org receives them; nothing public is written. " +
					"The answer is the record ID and the SHA-256 of the stored contents. Then publish with POST /v1/credit/records (same recordId and subjectUscc); staging again before that replaces the contents.",
			},
			Function: "credit:StageRecord", Endorsers: OwnOrg,
		},
		ChaincodeRoute{
			Operation: Operation{ID: "publishCreditRecord", Method: "POST", Path: "/v1/credit/records", Tag: "credit", Roles: []string{model.RoleAgency}, Created: true,
				Summary: "Step 2 of publishing a credit record: write the public record of contents the caller staged.",
				Description: "Takes no contents: the public record gets the hash of the staged contents (check that contentHash equals the one staging returned). " +
					"The record ID must be unused; the answer is the public record only.",
			},
			Function: "credit:Publish",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "getCreditRecord", Method: "GET", Path: "/v1/credit/records/{recordId}", Tag: "credit",
				Summary:     "A record's public metadata (never its contents).",
				Description: "Read by the subject's participants, the regulator and the agencies of the enterprise that issued it; to anyone else, another agency included, the record is NOT_FOUND, as a missing one.",
			},
			Function: "credit:GetRecord",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listCreditRecords", Method: "GET", Path: "/v1/credit/records", Tag: "credit",
				Summary:     "One page of the public metadata of a subject's records.",
				Description: "The subject's participants and the regulator list them all; an agency those its own enterprise issued.",
			},
			Function: "credit:ListRecords",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "authorizeCreditQuery", Method: "POST", Path: "/v1/credit/authorizations", Tag: "credit", Created: true,
				Summary:     "Authorise a participant to read the caller's enterprise's records for a purpose until a time.",
				Description: "Granted by a participant acting for the subject enterprise.",
			},
			Function: "credit:Authorize",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "revokeCreditAuthorization", Method: "POST", Path: "/v1/credit/authorizations/{authId}/revoke", Tag: "credit",
				Summary: "Revoke an authorisation (the subject); reads under it stop at once.",
			},
			Function: "credit:RevokeAuthorization",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listCreditAuthorizations", Method: "GET", Path: "/v1/credit/authorizations", Tag: "credit",
				Summary:     "One page of a subject's authorisations.",
				Description: authorizationStatusNote,
			},
			Function: "credit:ListAuthorizations",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listMyCreditAuthorizations", Method: "GET", Path: "/v1/credit/authorizations/mine", Tag: "credit",
				Summary:     "One page of the authorisations granted to the caller: whose records it may query, for what, until when.",
				Description: authorizationStatusNote,
			},
			Function: "credit:ListMyAuthorizations",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listCreditTraces", Method: "GET", Path: "/v1/credit/traces", Tag: "credit", Roles: []string{"the subject", model.RoleRegulator},
				Summary: "One page of the query traces of a subject's records, oldest first.",
			},
			Function: "credit:ListTraces",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listMyCreditTraces", Method: "GET", Path: "/v1/credit/traces/mine", Tag: "credit",
				Summary: "One page of the query traces the caller made.",
			},
			Function: "credit:ListMyTraces",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "raiseCreditObjection", Method: "POST", Path: "/v1/credit/objections", Tag: "credit", Created: true,
				Summary:     "Object to a record about the caller's enterprise; the record is UNDER_OBJECTION until the agency answers.",
				Description: "The agency must answer within 20 days; past that the objection shows overdue.",
			},
			Function: "credit:RaiseObjection",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "answerCreditObjection", Method: "POST", Path: "/v1/credit/objections/{objectionId}/answer", Tag: "credit", Roles: []string{model.RoleAgency, model.RoleRegulator},
				Summary: "Answer an objection (the issuing agency): UPHOLD, CORRECT with a new record, or DISMISS with a reason; a regulator of a third org answers an overdue one for an agency that can no longer answer.",
				Description: "CORRECT names newRecordId, whose contents the caller staged beforehand (POST /v1/credit/records/staged with the record's subject); no contents travel with the answer, which other orgs than the agency's endorse (a majority of the orgs). " +
					"A regulator answers an objection only once it is overdue and nobody of the issuing agency can answer it any more (its licence lost, all of it suspended or reinstated with its keys not yet rebound, its org released it or was removed from the market rules), where a lookup withholds the record, with UPHOLD or DISMISS, never CORRECT, and only as a regulator of a third org: never one its own enterprise raised or must answer, nor one of the agency's org (when it issued the record, or holding the agency enterprise now), of the org that raised it or of the org holding the subject enterprise; the objection then says answeredByRegulator. " +
					"Otherwise it is refused 403 in the words of an objection that does not exist.",
			},
			Function: "credit:AnswerObjection",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "getCreditObjection", Method: "GET", Path: "/v1/credit/objections/{objectionId}", Tag: "credit",
				Summary: "An objection, with whether it is overdue.",
			},
			Function: "credit:GetObjection",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listCreditObjections", Method: "GET", Path: "/v1/credit/objections", Tag: "credit",
				Summary: "One page of the objections about a subject's records.",
			},
			Function: "credit:ListObjections",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listAgencyCreditObjections", Method: "GET", Path: "/v1/credit/agency/objections", Tag: "credit", Roles: []string{model.RoleAgency},
				Summary: "One page of the objections the calling agency must answer.",
			},
			Function: "credit:ListAgencyObjections",
		},
	}
}
