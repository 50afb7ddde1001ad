// Package openapi generates the gateway's OpenAPI 3.1 document from the
// route table, the same table the HTTP mux is built from, so that the
// document describes exactly the operations that are served.
package openapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/jsonschema"
)

// Schema is a JSON Schema (draft 2020-12, as OpenAPI 3.1 uses it).
type Schema = jsonschema.Schema

// Version is the REST API's version, reported in the document's
// info.version. It follows semantic versioning for clients of the API: a new
// route, an optional parameter or a new answer field raises the minor
// version; removing or renaming a route, parameter or field, changing a
// type, or making a rule stricter (a parameter required, a narrower pattern)
// raises the major version. What each version changed is in
// docs/api-changes.md; TestAPIVersionFollowsTheAPI fails when the document
// changes (prose aside) and Version does not. A stricter rule the document
// does not show changes no digest: its author raises Version by hand.
const Version = "14.0.0"

// Document is an OpenAPI document as generic JSON.
type Document = map[string]any

// errorStatuses are the error answers every operation with credentials
// documents, with what they mean; operations with a body add
// bodyErrorStatuses. A public route documents only those it can answer
// (publicErrorStatuses and its own Errors).
var errorStatuses = map[int]string{
	http.StatusBadRequest:          "Invalid request or INVALID_ARGUMENT from the chaincode; field names the input at fault.",
	http.StatusUnauthorized:        "No valid credentials (client certificate or API key).",
	http.StatusForbidden:           "The caller may not do this (chaincode FORBIDDEN), or is a member of another org.",
	http.StatusNotFound:            "A record the request names does not exist, or is a trade or a credit record the caller may not read, which the chaincode answers exactly as a missing one.",
	http.StatusConflict:            "CONFLICT: the record's state does not allow this, it already exists, or a concurrent transaction changed it first (this one was committed without effect; read the record again).",
	http.StatusTooManyRequests:     "Rate limit exceeded; Retry-After says when to retry.",
	http.StatusInternalServerError: "Internal error of the gateway or chaincode.",
	http.StatusBadGateway:          "Endorsement failed other than by a chaincode refusal (Fabric's detail is in the gateway's log under the answer's X-Request-ID), or the transaction was committed invalid (the message names its validation code).",
	http.StatusServiceUnavailable:  "The peer or ordering service is unavailable, ordering failed, or this region's peer has not committed the X-Min-Block block in time (Retry-After).",
	http.StatusGatewayTimeout:      "Fabric did not answer in time; for a submit, the outcome is unknown: read GET /v1/transactions/{txid}.",
}

var bodyErrorStatuses = map[int]string{
	http.StatusRequestEntityTooLarge: "The request body exceeds the size limit.",
	http.StatusUnsupportedMediaType:  "The request body is not application/json.",
	http.StatusUnprocessableEntity:   "The Idempotency-Key was used before with a different request.",
}

// Build returns the document describing table.
func Build(table []routes.Route) Document {
	reg := jsonschema.NewRegistry()
	errRef := reg.Of(wire.ErrorBody{})
	paths := map[string]map[string]any{}
	tags := map[string]bool{}
	for _, rt := range table {
		r := rt.Op()
		if paths[r.Path] == nil {
			paths[r.Path] = map[string]any{}
		}
		paths[r.Path][strings.ToLower(r.Method)] = operation(reg, rt)
		tags[r.Tag] = true
	}
	responses := map[string]any{}
	for status, desc := range errorStatuses {
		responses[errorResponseName(status)] = errorResponse(desc, errRef)
	}
	for status, desc := range bodyErrorStatuses {
		responses[errorResponseName(status)] = errorResponse(desc, errRef)
	}
	var tagList []any
	var names []string
	for t := range tags {
		names = append(names, t)
	}
	sort.Strings(names)
	for _, t := range names {
		tagList = append(tagList, map[string]any{"name": t})
	}
	return Document{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "DeltaLedger gateway",
			"version": Version,
			"description": "REST access to the DeltaLedger ledger of data-asset rights, trades and credit records. " +
				"Each organisation runs this gateway next to its peer; it signs every transaction as the calling member. " +
				"Errors have one shape (Error). Submits answer {transaction_id, block_number, result} once committed, or 202 with ?wait=false. " +
				"A submit with an Idempotency-Key header returns the first outcome on a retry instead of submitting twice. " +
				"A member whose key the gateway does not hold (an onboarded enterprise, authenticating with its enrolled certificate) signs its own calls: " +
				"every chaincode operation answers it 202 with the proposal to sign, and the operations of tag signing take its signatures step by step.",
		},
		"jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
		"servers":           []any{map[string]any{"url": "/"}},
		"tags":              tagList,
		"security":          []any{map[string]any{"apiKey": []any{}}, map[string]any{"clientCertificate": []any{}}},
		"paths":             paths,
		"components": map[string]any{
			"schemas":   reg.Components(),
			"responses": responses,
			"securitySchemes": map[string]any{
				"apiKey": map[string]any{"type": "http", "scheme": "bearer",
					"description": "An API key of a member, created with `deltaledger-gateway apikey create`."},
				"clientCertificate": map[string]any{"type": "mutualTLS",
					"description": "A TLS client certificate issued by the org's CA, mapped to the member with the same subject and issuer."},
			},
		},
	}
}

// JSON renders the document, indented.
func JSON(table []routes.Route) ([]byte, error) {
	return json.MarshalIndent(Build(table), "", "  ")
}

func errorResponseName(status int) string {
	return fmt.Sprintf("Error%d", status)
}

func errorResponse(desc string, errRef Schema) map[string]any {
	return map[string]any{
		"description": desc,
		"content":     map[string]any{"application/json": map[string]any{"schema": errRef}},
	}
}

func refResponse(status int) map[string]any {
	return map[string]any{"$ref": "#/components/responses/" + errorResponseName(status)}
}

func operation(reg *jsonschema.Registry, rt routes.Route) map[string]any {
	r := rt.Op()
	cc, chaincode := rt.(routes.ChaincodeRoute)
	gw, _ := rt.(routes.GatewayRoute)
	op := map[string]any{
		"operationId": r.ID,
		"summary":     r.Summary,
		"tags":        []any{r.Tag},
	}
	desc := r.Description
	if chaincode {
		kind := "evaluated on a peer (read-only)"
		if cc.Submit {
			kind = "submitted: endorsed, ordered and committed"
		}
		desc = strings.TrimSpace(desc + "\n\nChaincode function `" + cc.Function + "`, " + kind + ".")
		op["x-chaincode-function"] = cc.Function
		op["x-submit"] = cc.Submit
	}
	if len(r.Roles) > 0 {
		desc += "\n\nMay be called by: " + strings.Join(r.Roles, ", ") + " (enforced by the chaincode)."
		op["x-roles"] = r.Roles
	}
	if desc != "" {
		op["description"] = desc
	}
	if gw.Public {
		op["security"] = []any{}
	}

	var params []any
	for _, p := range routes.PathParams(rt) {
		params = append(params, parameter(reg, p, "path"))
	}
	for _, p := range routes.QueryParams(rt) {
		params = append(params, parameter(reg, p, "query"))
	}
	for _, p := range routes.HeaderParams(rt) {
		params = append(params, parameter(reg, p, "header"))
	}
	if minBlock := minBlockParameter(rt); minBlock != nil {
		params = append(params, minBlock)
	}
	if cc.Submit {
		params = append(params,
			map[string]any{"name": "wait", "in": "query", "schema": Schema{"type": "boolean", "default": true},
				"description": "false answers 202 as soon as the transaction is accepted for ordering, with its status URL."})
	}
	if cc.Submit || gw.Commits {
		params = append(params,
			map[string]any{"name": "Idempotency-Key", "in": "header", "schema": Schema{"type": "string", "minLength": 1, "maxLength": wire.MaxIdempotencyKeyLength},
				"description": "A key unique to this request: a retry with the same key (same caller) returns the first outcome instead of submitting again. " +
					"The gateway keeps a bounded number of outcomes per member and in all: a NEW key past the bound is 429 with Retry-After, nothing submitted (a key already used is still answered; a request without a key still runs)."},
		)
	}
	if len(params) > 0 {
		op["parameters"] = params
	}

	body := routes.BodyParams(rt)
	if len(body) > 0 {
		op["requestBody"] = map[string]any{
			"required": routes.BodyRequired(rt),
			"content":  map[string]any{"application/json": map[string]any{"schema": requestSchema(reg, body)}},
		}
	}

	responses := map[string]any{}
	success := map[string]any{"description": "Success."}
	if content := successContent(reg, rt); content != nil {
		success["content"] = content
	}
	if rt.FromLedger() {
		success["headers"] = map[string]any{model.LedgerBlockHeader: map[string]any{
			"schema": Schema{"type": "integer", "minimum": 0},
			"description": "The block the answer reflects: the block a submit committed in, or the last block this region's peer had committed before a read. Send the highest one seen as " +
				model.MinBlockHeader + " to read your writes through any region.",
		}}
	}
	responses[fmt.Sprint(r.SuccessStatus())] = success
	signingStep := reg.Of(wire.SigningStepBody{})
	switch {
	case cc.Submit:
		responses["202"] = map[string]any{
			"description": "Accepted for ordering (?wait=false); read the status URL for the commit. " +
				"For a member whose key the gateway does not hold: the proposal to sign (SigningStepBody; tag signing).",
			"content": map[string]any{"application/json": map[string]any{"schema": Schema{"oneOf": []any{reg.Of(wire.AcceptedBody{}), signingStep}}}},
		}
	case chaincode || r.Tag == "signing":
		responses["202"] = map[string]any{
			"description": "For a member whose key the gateway does not hold: the next step to sign (tag signing).",
			"content":     map[string]any{"application/json": map[string]any{"schema": signingStep}},
		}
	}
	if !gw.Public {
		for status := range errorStatuses {
			responses[fmt.Sprint(status)] = refResponse(status)
		}
		if len(body) > 0 || cc.Submit {
			for status := range bodyErrorStatuses {
				responses[fmt.Sprint(status)] = refResponse(status)
			}
		}
	} else {
		for _, status := range publicErrorStatuses(gw) {
			responses[fmt.Sprint(status)] = refResponse(status)
		}
		for status, desc := range gw.Errors {
			responses[fmt.Sprint(status)] = errorResponse(desc, reg.Of(wire.ErrorBody{}))
		}
		if gw.MayBeUnready {
			responses["503"] = map[string]any{
				"description": "Not ready.",
				"content":     map[string]any{"application/json": map[string]any{"schema": reg.Of(wire.HealthBody{})}},
			}
		}
	}
	op["responses"] = responses
	return op
}

// minBlockParameter documents model.MinBlockHeader for a route that takes
// it, or is nil: a ledger route runs once the region's peer has committed
// the block (package api, Server.consistent), an index route answers once
// the index has read it (Server.fromIndex), and a route of both does both,
// one after the other. One parameter: OpenAPI allows a name once per place.
func minBlockParameter(rt routes.Route) map[string]any {
	gw, _ := rt.(routes.GatewayRoute)
	seen := "this block (the highest " + model.LedgerBlockHeader + " the client has seen)"
	var desc string
	switch {
	case rt.FromLedger() && gw.FromIndex():
		desc = "Run only once this region's peer has committed " + seen + ", waiting up to 10 s, " +
			"then answer only once this gateway's ledger index has read it (or minBlock, the higher of the two), waiting again (bounded); " +
			"else 503 with Retry-After: a client's session reads its own writes through any region."
	case rt.FromLedger():
		desc = "Run only once this region's peer has committed " + seen + ", waiting up to 10 s, else 503 with Retry-After: " +
			"reads and endorsements see every step the client saw, through any region."
	case gw.FromIndex():
		desc = "Answer only once this gateway's ledger index has read " + seen + ", like minBlock (the higher of the two counts), " +
			"else 503 with Retry-After: a client's session reads its own writes here too."
	default:
		return nil
	}
	return map[string]any{"name": model.MinBlockHeader, "in": "header", "schema": Schema{"type": "integer", "minimum": 0}, "description": desc}
}

// publicErrorStatuses are the error answers every public route of gw's
// kind can give, whatever its own code: 400 when it reads inputs (a query,
// a path or a body it binds), 413 and 415 when it reads a body, and 429 when
// it is not a GET (the write budget of the client's address, package api's
// limitByAddress). Its own code's are in gw.Errors; routes.Check keeps public
// routes off the ledger, whose answers these do not cover.
func publicErrorStatuses(gw routes.GatewayRoute) []int {
	var statuses []int
	if len(gw.Inputs()) > 0 {
		statuses = append(statuses, http.StatusBadRequest)
	}
	if len(routes.BodyParams(gw)) > 0 {
		statuses = append(statuses, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType)
	}
	if gw.Method != http.MethodGet {
		statuses = append(statuses, http.StatusTooManyRequests)
	}
	return statuses
}

func successContent(reg *jsonschema.Registry, rt routes.Route) map[string]any {
	var s Schema
	switch r := rt.(type) {
	case routes.GatewayRoute:
		if r.Produces != "" && r.Produces != "application/json" {
			media := Schema{"type": "string"}
			if r.Response != nil {
				media["description"] = "Each message's data is JSON of this shape."
				media["contentSchema"] = reg.Of(r.Response)
				media["contentMediaType"] = "application/json"
			}
			return map[string]any{r.Produces: map[string]any{"schema": media}}
		}
		if r.Response == nil {
			return nil
		}
		s = reg.Of(r.Response)
	case routes.ChaincodeRoute:
		s = chaincodeResult(reg, r)
	}
	return map[string]any{"application/json": map[string]any{"schema": s}}
}

// chaincodeResult is the schema of a chaincode route's success body: a
// page, a submit's outcome, or what the function returns.
func chaincodeResult(reg *jsonschema.Registry, r routes.ChaincodeRoute) Schema {
	switch {
	case r.List:
		return Schema{
			"type": "object",
			"properties": Schema{
				"items":       Schema{"type": "array", "items": reg.Of(r.Result)},
				"next_cursor": Schema{"type": "string", "description": "Cursor of the next page; absent on the last page."},
			},
			"required": []string{"items"},
		}
	case r.Submit:
		result := Schema{"description": "The chaincode's response."}
		if r.Result != nil {
			result = reg.Of(r.Result)
		}
		return Schema{
			"type": "object",
			"properties": Schema{
				"transaction_id": Schema{"type": "string"},
				"block_number":   Schema{"type": "integer", "minimum": 0},
				"result":         result,
			},
			"required": []string{"transaction_id", "block_number"},
		}
	default:
		return reg.Of(r.Result)
	}
}

func parameter(reg *jsonschema.Registry, p routes.Param, in string) map[string]any {
	out := map[string]any{
		"name":   p.RequestKey(),
		"in":     in,
		"schema": paramSchema(reg, p),
	}
	if in == "path" || p.Required {
		out["required"] = true
	}
	if p.Description != "" {
		out["description"] = p.Description
	}
	return out
}

// paramSchema is the schema of one argument as the request carries it.
func paramSchema(reg *jsonschema.Registry, p routes.Param) Schema {
	s := reg.Field(p.Field)
	switch p.In {
	case routes.InLimit:
		s = Schema{"type": "integer", "minimum": 1, "maximum": model.MaxPageSize, "default": model.DefaultPageSize}
	case routes.InCursor:
		s = Schema{"type": "string"}
	}
	if p.Description != "" && p.InRequestBody() {
		s = withDescription(s, p)
	}
	return s
}

func withDescription(s Schema, p routes.Param) Schema {
	desc := p.Description
	if p.In == routes.InTransient {
		desc += " Private: passed to the chaincode as transient data, never in the transaction's public arguments."
	}
	if _, isRef := s["$ref"]; isRef {
		out := Schema{"allOf": []any{s}, "description": desc}
		if p.In == routes.InTransient {
			out["x-transient"] = true
		}
		return out
	}
	out := Schema{}
	for k, v := range s {
		out[k] = v
	}
	out["description"] = desc
	if p.In == routes.InTransient {
		out["x-transient"] = true
	}
	return out
}

// requestSchema is the schema of a JSON request body made of params.
func requestSchema(reg *jsonschema.Registry, params []routes.Param) Schema {
	props := Schema{}
	var required []string
	for _, p := range params {
		props[p.RequestKey()] = paramSchema(reg, p)
		if p.Required {
			required = append(required, p.RequestKey())
		}
	}
	s := Schema{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}
