package api_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/calls"
	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/openapi"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/model"
)

// docValidator validates answers against the served OpenAPI document.
type docValidator struct {
	t   *testing.T
	doc map[string]any
	c   *jsonschema.Compiler
}

func newDocValidator(t *testing.T, raw []byte) *docValidator {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("https://deltaledger.local/openapi.json", doc))
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	return &docValidator{t: t, doc: m, c: c}
}

func pointerEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// validate checks an answer of the operation at method+path (the route's
// path template) against the document: its status must be documented and
// its body must match the schema.
func (v *docValidator) validate(method, path string, resp response) {
	v.t.Helper()
	op, ok := v.doc["paths"].(map[string]any)[path].(map[string]any)[strings.ToLower(method)].(map[string]any)
	require.True(v.t, ok, "%s %s is not in the document", method, path)
	status := strconv.Itoa(resp.Status)
	r, ok := op["responses"].(map[string]any)[status].(map[string]any)
	require.True(v.t, ok, "%s %s: status %s is not documented (body %s)", method, path, status, resp.Body)
	ptr := "#/paths/" + pointerEscape(path) + "/" + strings.ToLower(method) + "/responses/" + status
	if ref, isRef := r["$ref"].(string); isRef {
		ptr = ref
	}
	ptr += "/content/application~1json/schema"
	sch, err := v.c.Compile("https://deltaledger.local/openapi.json" + ptr)
	require.NoError(v.t, err, "compiling %s", ptr)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(resp.Body))
	require.NoError(v.t, err, "answer is not JSON: %s", resp.Body)
	require.NoError(v.t, sch.Validate(inst), "%s %s answer %s does not match the document: %s", method, path, status, resp.Body)
}

// sampleString returns a valid value of a string parameter.
func sampleString(t testing.TB, p routes.Param) string {
	t.Helper()
	var v string
	switch {
	case len(p.Enum) > 0:
		v = p.Enum[0]
	case strings.Contains(p.Pattern, "{64}"):
		v = strings.Repeat("ab", 32)
	case strings.HasPrefix(p.Pattern, "^[1-9]"):
		v = "2"
	case strings.Contains(p.Pattern, "{18}"):
		v = "91330100799655058B"
	case strings.Contains(p.Pattern, "day:"):
		v = "day:2026-03-04"
	case p.Pattern == model.DivisionPattern:
		v = "320576"
	case p.Pattern == model.TimePattern:
		v = "2027-01-31T00:00:00Z"
	case p.Pattern == model.RegionPattern:
		v = "suzhou"
	case p.Pattern != "":
		v = "p-1"
	default:
		v = "some text"
	}
	if p.Pattern != "" {
		require.Regexp(t, regexp.MustCompile(p.Pattern), v, "sample of %s", p.Name)
	}
	return v
}

// sampleRequest builds a valid request for a route and the chaincode
// arguments and transient data it must produce.
func sampleRequest(t testing.TB, rt routes.ChaincodeRoute) (path, body string, args []string, transient map[string][]byte) {
	t.Helper()
	path = rt.Path
	query := url.Values{}
	fields := map[string]any{}
	for _, p := range rt.Params {
		var arg string
		switch p.In {
		case routes.InPath:
			arg = sampleString(t, p)
			path = strings.Replace(path, "{"+p.RequestKey()+"}", url.PathEscape(arg), 1)
		case routes.InLimit:
			arg = "5"
			query.Set("limit", arg)
		case routes.InCursor:
			arg = "bookmark-1"
			query.Set("cursor", "c1."+base64.RawURLEncoding.EncodeToString([]byte(arg)))
		case routes.InQuery:
			switch p.Type {
			case model.TypeInteger:
				arg = "3"
			default:
				arg = sampleString(t, p)
			}
			query.Set(p.RequestKey(), arg)
		case routes.InBody, routes.InTransient:
			var value any
			switch p.Type {
			case model.TypeInteger:
				n := int64(12345)
				if p.Maximum != nil {
					n = min(n, *p.Maximum)
				}
				value, arg = n, strconv.FormatInt(n, 10)
			case model.TypeStringList:
				s := sampleString(t, p)
				value, arg = []string{s}, s
			case model.TypeObject:
				var obj any = map[string]any{"k": "v"}
				if p.Schema != nil {
					obj = sample(reflect.TypeOf(p.Schema))
				}
				b, _ := json.Marshal(obj)
				value, arg = json.RawMessage(b), string(b)
			default:
				s := sampleString(t, p)
				value, arg = s, s
			}
			fields[p.RequestKey()] = value
			if p.In == routes.InTransient {
				if transient == nil {
					transient = map[string][]byte{}
				}
				transient[p.Name] = []byte(arg)
			}
		}
		if p.InChaincodeArgs() {
			args = append(args, arg)
		}
	}
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	if len(fields) > 0 {
		b, _ := json.Marshal(fields)
		body = string(b)
	}
	return path, body, args, transient
}

// chaincodeRoutes returns the table's chaincode routes.
func chaincodeRoutes() []routes.ChaincodeRoute {
	var out []routes.ChaincodeRoute
	for _, rt := range routes.Table() {
		if c, ok := rt.(routes.ChaincodeRoute); ok {
			out = append(out, c)
		}
	}
	return out
}

// samplePath is a route's path with "x" for each placeholder.
func samplePath(rt routes.Route) string {
	path := rt.Op().Path
	for _, p := range routes.PathParams(rt) {
		path = strings.Replace(path, "{"+p.RequestKey()+"}", "x", 1)
	}
	return path
}

// programResult makes the fake answer a route's function with a sample of
// its result type.
func programResult(f *chaintest.Fake, rt routes.ChaincodeRoute) {
	var result any = map[string]any{}
	if rt.Result != nil {
		result = sample(reflect.TypeOf(rt.Result))
	}
	if rt.List {
		result = map[string]any{"items": []any{result}, "bookmark": "next-bm"}
	}
	f.Returns(rt.Function, result)
}

// TestEveryChaincodeRoute calls every chaincode operation with a valid
// request and checks the function, arguments, transient data and
// submit/evaluate it reached, and that the answer matches the document.
func TestEveryChaincodeRoute(t *testing.T) {
	e := newEnv(t, api.WithOrg(ownMSP))
	v := newDocValidator(t, e.srv.Document())
	for _, rt := range chaincodeRoutes() {
		t.Run(rt.ID, func(t *testing.T) {
			e.t = t
			if rt.Endorsers == routes.TradeParties {
				// The gateway asks the chaincode for the parties' orgs first.
				e.fake.Returns("trades:TermsOrgs", model.TermsOrgs{BuyerMSP: ownMSP, SellerMSP: "JiangsuMSP"})
			}
			programResult(e.fake, rt)
			before := len(e.fake.CallsTo(rt.Function))
			path, body, args, transient := sampleRequest(t, rt)
			resp := e.do("alice", rt.Method, path, body)
			require.Equal(t, rt.SuccessStatus(), resp.Status, "body: %s", resp.Body)
			made := e.fake.CallsTo(rt.Function)
			require.Len(t, made, before+1)
			c := made[len(made)-1]
			assert.Equal(t, rt.Submit, c.Submit, "submit or evaluate")
			assert.Equal(t, "alice", c.Member, "signed as the caller")
			if args == nil {
				args = []string{}
			}
			gotArgs := c.Args
			if gotArgs == nil {
				gotArgs = []string{}
			}
			assert.Equal(t, args, gotArgs, "chaincode arguments")
			assert.Equal(t, transient, c.Options.Transient, "transient data")
			// A member who signs for itself binds its request with package calls: the same call.
			reqPath, query, _ := strings.Cut(path, "?")
			bound, err := calls.Of(rt.Method, reqPath, query, []byte(body))
			require.NoError(t, err)
			assert.Equal(t, rt.Function, bound.Function, "package calls' function")
			assert.Equal(t, gotArgs, append([]string{}, bound.Args...), "package calls' arguments")
			assert.Equal(t, c.Options.Transient, bound.Transient, "package calls' transient data")
			assert.Equal(t, !c.Submit, bound.Evaluate, "package calls' evaluate or submit")
			for _, value := range transient {
				for _, a := range c.Args {
					assert.NotContains(t, a, string(value), "a transient value leaked into the public arguments")
				}
			}
			v.validate(rt.Method, rt.Path, resp)
			m := resp.json(t)
			if rt.Submit {
				assert.Len(t, m["transaction_id"], 64)
				assert.NotZero(t, m["block_number"])
			}
			if rt.List {
				assert.Equal(t, "c1."+base64.RawURLEncoding.EncodeToString([]byte("next-bm")), m["next_cursor"])
			}
		})
	}
}

// TestDocumentMatchesServedRoutes walks the document's operations and the
// server's registered patterns and requires them to be the same set.
func TestDocumentMatchesServedRoutes(t *testing.T) {
	e := newEnv(t)
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(e.srv.Document(), &doc))
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(documented)
	assert.Equal(t, documented, e.srv.Patterns())

	// Every documented operation is routed to its own handler: a request to
	// it never answers 404 or 405 (a 401 shows the route was found).
	for _, rt := range routes.Table() {
		resp := e.do("", rt.Op().Method, samplePath(rt), "")
		assert.NotContains(t, []int{404, 405}, resp.Status, "%s %s", rt.Op().Method, samplePath(rt))
	}
}

// TestDocumentIsServed checks /v1/openapi.json and that it is valid
// OpenAPI-shaped JSON whose schemas compile.
func TestDocumentIsServed(t *testing.T) {
	e := newEnv(t)
	resp := e.do("", "GET", "/v1/openapi.json", "")
	require.Equal(t, 200, resp.Status)
	doc := resp.json(t)
	assert.Equal(t, "3.1.0", doc["openapi"])
	want, err := openapi.JSON(routes.Table())
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(resp.Body))
	// Every schema of every answer compiles.
	v := newDocValidator(t, resp.Body)
	for path, ops := range doc["paths"].(map[string]any) {
		for method, op := range ops.(map[string]any) {
			for status, r := range op.(map[string]any)["responses"].(map[string]any) {
				ptr := "#/paths/" + pointerEscape(path) + "/" + method + "/responses/" + status
				if ref, ok := r.(map[string]any)["$ref"].(string); ok {
					ptr = ref
				}
				content, _ := r.(map[string]any)["content"].(map[string]any)
				if _, ok := r.(map[string]any)["$ref"]; !ok && content["application/json"] == nil {
					continue
				}
				_, err := v.c.Compile("https://deltaledger.local/openapi.json" + ptr + "/content/application~1json/schema")
				assert.NoError(t, err, "%s %s %s", method, path, status)
			}
		}
	}
}

// The document tells clients in any language about read-your-writes: every
// operation the gateway runs against the ledger takes X-Min-Block and names
// its block in X-Ledger-Block; every answer of the ledger index takes
// X-Min-Block (its body names the index's block); the others (health,
// metrics, the document, onboarding) do neither, as the server does.
func TestDocumentDescribesTheBlockHeaders(t *testing.T) {
	e := newEnv(t)
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Parameters  []struct {
				Name, In string
			} `json:"parameters"`
			Responses map[string]struct {
				Headers map[string]any `json:"headers"`
			} `json:"responses"`
		} `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(e.srv.Document(), &doc))
	ledger, indexed := 0, 0
	for _, route := range routes.Table() {
		rt := route.Op()
		gw, _ := route.(routes.GatewayRoute)
		op := doc.Paths[rt.Path][strings.ToLower(rt.Method)]
		takes := false
		for _, p := range op.Parameters {
			takes = takes || p.In == "header" && p.Name == model.MinBlockHeader
		}
		_, names := op.Responses[fmt.Sprint(rt.SuccessStatus())].Headers[model.LedgerBlockHeader]
		assert.Equal(t, route.FromLedger() || gw.FromIndex(), takes, "%s: %s", rt.ID, model.MinBlockHeader)
		assert.Equal(t, route.FromLedger(), names, "%s: %s", rt.ID, model.LedgerBlockHeader)
		if gw.FromIndex() {
			indexed++
		}
		if route.FromLedger() || gw.FromIndex() {
			if route.FromLedger() {
				ledger++
			}
			resp := e.do("alice", rt.Method, samplePath(route), "", header(model.MinBlockHeader, "not-a-block"))
			assert.Equal(t, 400, resp.Status, "%s honours %s", rt.ID, model.MinBlockHeader)
		}
	}
	assert.Greater(t, ledger, 60)
	assert.Greater(t, indexed, 5)
}

// TestRouteTableIsConsistent runs the table's own checks.
func TestRouteTableIsConsistent(t *testing.T) {
	require.NoError(t, routes.Check(routes.Table()))
}

// TestInvalidTextIsRefusedInEveryField puts text that is not valid UTF-8
// (a raw byte, an escaped lone surrogate) into every text field of every
// chaincode operation, in the body, nested documents, the path and the
// query: each is a 400 naming that field, and nothing reaches the ledger.
// encoding/json alone would turn both into U+FFFD and store them.
func TestInvalidTextIsRefusedInEveryField(t *testing.T) {
	e := newEnv(t)
	const marker = "@@bad@@"
	spellings := map[string]string{"raw byte": "a\xffb", "lone surrogate": `a\ud800b`}
	tried := 0
	for _, rt := range chaincodeRoutes() {
		for _, p := range rt.Params {
			for spelling, bad := range spellings {
				path, body, _, _ := sampleRequest(t, rt)
				field := p.RequestKey()
				switch {
				case p.InRequestBody():
					var fields map[string]json.RawMessage
					require.NoError(t, json.Unmarshal([]byte(body), &fields))
					switch p.Type {
					case model.TypeString:
						fields[field] = json.RawMessage(`"` + marker + `"`)
					case model.TypeStringList:
						fields[field] = json.RawMessage(`["` + marker + `"]`)
						field += "[0]"
					case model.TypeObject:
						var obj map[string]any
						require.NoError(t, json.Unmarshal(fields[field], &obj))
						keys := make([]string, 0, len(obj))
						for k, v := range obj {
							if _, isText := v.(string); isText {
								keys = append(keys, k)
							}
						}
						if len(keys) == 0 {
							continue
						}
						sort.Strings(keys)
						obj[keys[0]] = marker
						b, _ := json.Marshal(obj)
						fields[field] = b
						field += "." + keys[0]
					default:
						continue
					}
					b, _ := json.Marshal(fields)
					body = strings.Replace(string(b), marker, bad, 1)
				case p.In == routes.InPath && spelling == "raw byte":
					_, query, _ := strings.Cut(path, "?")
					path = rt.Path
					for _, pp := range routes.PathParams(rt) {
						v := url.PathEscape(sampleString(t, pp))
						if pp.Name == p.Name {
							v += "%FF"
						}
						path = strings.Replace(path, "{"+pp.RequestKey()+"}", v, 1)
					}
					if query != "" {
						path += "?" + query
					}
				case p.In == routes.InQuery && p.Type == model.TypeString && spelling == "raw byte":
					path = strings.Replace(path, p.RequestKey()+"=", p.RequestKey()+"=%FF", 1)
				default:
					continue
				}
				t.Run(rt.ID+"/"+field+"/"+spelling, func(t *testing.T) {
					e.t = t
					before := len(e.fake.Calls())
					resp := e.do("alice", rt.Method, path, body)
					require.Equal(t, 400, resp.Status, "body: %s", resp.Body)
					eb := resp.errorBody(t)
					assert.Equal(t, "INVALID_ARGUMENT", eb.Code)
					assert.Equal(t, field, eb.Field, "the field at fault: %s", resp.Body)
					assert.Contains(t, eb.Message, "UTF-8")
					assert.Len(t, e.fake.Calls(), before, "a refused request must not reach the ledger")
				})
				tried++
			}
		}
	}
	assert.Greater(t, tried, 50, "the sweep must cover the text fields")
}

// TestDocumentStatesTheTermsRules checks that a client finds, in the API
// document, every rule of private terms and how the public termsHash is
// computed (issue 15): the body field of each offer carries them.
func TestDocumentStatesTheTermsRules(t *testing.T) {
	b, err := openapi.JSON(routes.Table())
	require.NoError(t, err)
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Properties map[string]map[string]any `json:"properties"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	terms := doc.Paths["/v1/trades/{tradeId}/terms"]["post"].RequestBody.Content["application/json"].Schema.Properties["terms"]
	require.NotNil(t, terms)
	assert.Contains(t, terms["description"], model.TermsRules)
	assert.Equal(t, true, terms["x-transient"])
	for _, path := range []string{"/v1/trades", "/v1/trades/proposals", "/v1/trades/{tradeId}/counter"} {
		assert.NotContains(t, doc.Paths[path]["post"].RequestBody.Content["application/json"].Schema.Properties, "terms", "%s: terms are staged first", path)
	}
	for _, rule := range []string{"1 to 1000000000000000", "at most 2000 characters", "32 to 128 lowercase hexadecimal",
		`{"tradeId", "round", "by", "priceFen", "conditions", "salt"}`, "RFC 8785 canonical JSON", "SHA-256"} {
		assert.Contains(t, model.TermsRules, rule)
	}
}
