package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// The SDK is checked against the gateway's real OpenAPI document, which the
// gateway's command generates from its route table (the table itself is
// internal to the gateway): every request the SDK makes must be a documented
// operation with a valid path, query, headers and body; every answer the
// fake gateway gives is generated from and validated against the document;
// what the SDK decodes must hold every field of that answer; and every
// operation must be reachable through the SDK.

// notInTheSDK are the operations the SDK deliberately does not call.
var notInTheSDK = map[string]string{
	"metrics": "Prometheus scrapes it",
	// A sample answer cannot hold a certificate of the key the SDK generates, which Enroll checks.
	"enrollMember": "Members().Enroll: TestEnrollGeneratesTheKeyHereAndChecksTheCertificateIsOfIt, against a real issuance",
	// A sample answer cannot hold a Fabric message of the member's certificate, which the SDK checks before it signs.
	"signProposal":    "WithSigner: client/e2e TestAMemberSignsItsOwnTransactions, against the real gateway and peers",
	"signTransaction": "WithSigner: client/e2e TestAMemberSignsItsOwnTransactions",
	"signCommit":      "WithSigner: client/e2e TestAMemberSignsItsOwnTransactions",
}

const docURL = "https://deltaledger.local/openapi.json"

var (
	docOnce sync.Once
	docRaw  []byte
	docErr  error
)

// gatewayDocument returns the document `deltaledger-gateway openapi`
// prints.
func gatewayDocument(t *testing.T) []byte {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the gateway command; skipped with -short")
	}
	docOnce.Do(func() {
		goCmd, err := exec.LookPath("go")
		if err != nil {
			docErr = err
			return
		}
		root, err := filepath.Abs("..")
		if err != nil {
			docErr = err
			return
		}
		cmd := exec.Command(goCmd, "run", "./gateway/cmd/deltaledger-gateway", "openapi")
		cmd.Dir = root
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		docRaw, err = cmd.Output()
		if err != nil {
			docErr = fmt.Errorf("%w: %s", err, stderr.String())
		}
	})
	if docErr != nil {
		t.Skipf("cannot generate the gateway's OpenAPI document: %v", docErr)
	}
	return docRaw
}

// operation is one documented operation.
type operation struct {
	id, method, path string
	re               *regexp.Regexp
	def              map[string]any
}

// docGateway is a fake gateway that answers every documented operation with
// a sample answer generated from the document, after validating the
// request.
type docGateway struct {
	t       *testing.T
	doc     map[string]any
	schemas *jsonschema.Compiler
	ops     []operation

	mu      sync.Mutex
	called  map[string]int
	answers map[string]any // operation ID -> the sample answered last
}

func newDocGateway(t *testing.T) *docGateway {
	raw := gatewayDocument(t)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource(docURL, inst))
	d := &docGateway{t: t, schemas: c, called: map[string]int{}, answers: map[string]any{}}
	require.NoError(t, json.Unmarshal(raw, &d.doc))
	for path, item := range d.doc["paths"].(map[string]any) {
		segs := strings.Split(path, "/")
		for i, seg := range segs {
			if strings.HasPrefix(seg, "{") {
				segs[i] = `[^/]+`
			} else {
				segs[i] = regexp.QuoteMeta(seg)
			}
		}
		re := regexp.MustCompile("^" + strings.Join(segs, "/") + "$")
		for method, def := range item.(map[string]any) {
			op := def.(map[string]any)
			d.ops = append(d.ops, operation{id: op["operationId"].(string), method: strings.ToUpper(method), path: path, re: re, def: op})
		}
	}
	// Fixed paths win over templates (/v1/participants/me over {id}).
	sort.Slice(d.ops, func(i, j int) bool { return strings.Count(d.ops[i].path, "{") < strings.Count(d.ops[j].path, "{") })
	return d
}

func pointer(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1") }

// schemaAt compiles the schema at a JSON pointer of the document.
func (d *docGateway) schemaAt(ptr string) *jsonschema.Schema {
	s, err := d.schemas.Compile(docURL + "#" + ptr)
	require.NoError(d.t, err, "compiling %s", ptr)
	return s
}

// validate checks a JSON text against the schema at ptr.
func (d *docGateway) validate(ptr string, text []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(text))
	if err != nil {
		return fmt.Errorf("not JSON: %w: %s", err, text)
	}
	return d.schemaAt(ptr).Validate(inst)
}

// resolve follows a $ref.
func (d *docGateway) resolve(s map[string]any) map[string]any {
	for {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		var cur any = d.doc
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cur = cur.(map[string]any)[strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")]
		}
		s = cur.(map[string]any)
	}
}

// sample generates a value of a schema with every property present, each
// string holding its property's name, so that a field the decoder misses or
// misnames is seen.
func (d *docGateway) sample(s map[string]any, name string) any {
	s = d.resolve(s)
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		if list, ok := s[k].([]any); ok {
			for _, alt := range list {
				if v := d.sample(alt.(map[string]any), name); v != nil {
					return v
				}
			}
		}
	}
	if enum, ok := s["enum"].([]any); ok {
		return enum[0]
	}
	switch s["type"] {
	case "object":
		out := map[string]any{}
		props, _ := s["properties"].(map[string]any)
		for k, p := range props {
			out[k] = d.sample(p.(map[string]any), k)
		}
		return out
	case "array":
		return []any{d.sample(s["items"].(map[string]any), name)}
	case "string":
		return name
	case "integer", "number":
		return 7
	case "boolean":
		return true
	case "null":
		return nil
	case nil:
		return map[string]any{"any": name} // no type: any JSON value
	}
	d.t.Fatalf("cannot sample schema %v", s)
	return nil
}

// ServeHTTP validates the request against its operation and answers a
// sample of the documented success answer.
func (d *docGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var op *operation
	for i := range d.ops {
		if d.ops[i].method == r.Method && d.ops[i].re.MatchString(r.URL.EscapedPath()) {
			op = &d.ops[i]
			break
		}
	}
	if op == nil {
		d.t.Errorf("%s %s is not a documented operation", r.Method, r.URL.EscapedPath())
		fail(w, 404, "NOT_FOUND", "undocumented")
		return
	}
	if err := d.checkRequest(op, r); err != nil {
		d.t.Errorf("%s (%s %s): the request does not match the document: %v", op.id, r.Method, r.URL, err)
		fail(w, 400, "INVALID_ARGUMENT", err.Error())
		return
	}
	d.mu.Lock()
	d.called[op.id]++
	d.mu.Unlock()
	d.answer(op, w, r)
}

func (d *docGateway) checkRequest(op *operation, r *http.Request) error {
	base := "/paths/" + pointer(op.path) + "/" + strings.ToLower(op.method)
	params, _ := op.def["parameters"].([]any)
	known := map[string]bool{}
	pathValues := map[string]string{}
	tmpl, actual := strings.Split(op.path, "/"), strings.Split(r.URL.EscapedPath(), "/")
	for i, seg := range tmpl {
		if strings.HasPrefix(seg, "{") {
			pathValues[strings.Trim(seg, "{}")] = actual[i]
		}
	}
	for i, p := range params {
		p := p.(map[string]any)
		name, in := p["name"].(string), p["in"].(string)
		var value string
		var present bool
		switch in {
		case "query":
			known[name] = true
			vs, ok := r.URL.Query()[name]
			if len(vs) > 1 {
				return fmt.Errorf("query parameter %s given %d times", name, len(vs))
			}
			present = ok
			if ok {
				value = vs[0]
			}
		case "header":
			value = r.Header.Get(name)
			present = value != ""
		case "path":
			v, err := url.PathUnescape(pathValues[name])
			if err != nil {
				return err
			}
			value, present = v, true
		}
		if !present {
			if req, _ := p["required"].(bool); req {
				return fmt.Errorf("%s parameter %s is required", in, name)
			}
			continue
		}
		schema := d.resolve(p["schema"].(map[string]any))
		var text []byte
		switch schema["type"] {
		case "integer", "boolean":
			text = []byte(value)
		default:
			text, _ = json.Marshal(value)
		}
		if err := d.validate(base+"/parameters/"+strconv.Itoa(i)+"/schema", text); err != nil {
			return fmt.Errorf("%s parameter %s=%q: %v", in, name, value, err)
		}
	}
	for k := range r.URL.Query() {
		if !known[k] {
			return fmt.Errorf("query parameter %s is not documented", k)
		}
	}
	body, _ := io.ReadAll(r.Body)
	rb, hasBody := op.def["requestBody"].(map[string]any)
	switch {
	case hasBody:
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			return fmt.Errorf("content type %q", ct)
		}
		if _, ok := rb["content"].(map[string]any)["application/json"]; !ok {
			return fmt.Errorf("no JSON body documented")
		}
		if err := d.validate(base+"/requestBody/content/application~1json/schema", body); err != nil {
			return fmt.Errorf("body %s: %v", body, err)
		}
	case len(bytes.TrimSpace(body)) > 0 && string(bytes.TrimSpace(body)) != "{}":
		return fmt.Errorf("a body %s where the operation takes none", body)
	}
	return nil
}

// answer writes the sample success answer of an operation.
func (d *docGateway) answer(op *operation, w http.ResponseWriter, r *http.Request) {
	responses := op.def["responses"].(map[string]any)
	status := "200"
	if r.URL.Query().Get("wait") == "false" {
		status = "202"
	} else if _, ok := responses["201"]; ok {
		status = "201"
	}
	resp, ok := responses[status].(map[string]any)
	if !ok {
		d.t.Errorf("%s: no %s answer documented", op.id, status)
		return
	}
	base := "/paths/" + pointer(op.path) + "/" + strings.ToLower(op.method) + "/responses/" + status
	if ref, ok := resp["$ref"].(string); ok {
		base = strings.TrimPrefix(ref, "#")
		resp = d.resolve(resp)
	}
	content := resp["content"].(map[string]any)
	if op.id == "openapi" {
		reply(w, 200, string(gatewayDocument(d.t)))
		return
	}
	if es, ok := content["text/event-stream"].(map[string]any); ok {
		ev := d.sample(es["schema"].(map[string]any)["contentSchema"].(map[string]any), "event").(map[string]any)
		ev["block_number"], ev["transaction_id"] = 7, txA
		data, _ := json.Marshal(ev)
		require.NoError(d.t, d.validate("/components/schemas/EventBody", data))
		d.remember(op.id, ev)
		sse(w, "retry: 2000\n\nid: 7-"+txA+"\nevent: "+ev["name"].(string)+"\ndata: "+string(data)+"\n\n")
		<-r.Context().Done()
		return
	}
	if _, ok := content["text/csv"]; ok {
		d.remember(op.id, nil)
		w.Header().Set("Content-Type", "text/csv")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, "period,division,activity,index\n")
		return
	}
	js := content["application/json"].(map[string]any)
	body := d.sample(js["schema"].(map[string]any), "answer")
	if m, ok := body.(map[string]any); ok {
		delete(m, "next_cursor") // one page
		if _, ok := m["transaction_id"]; ok {
			m["transaction_id"] = txA // a submit's answer: the SDK checks the ID's form
		}
		if op.id == "getTransaction" {
			m["committed"], m["valid"], m["transaction_id"] = true, true, txA
			m["result"] = map[string]any{"id": "t1"}
		}
	}
	text, _ := json.Marshal(body)
	if err := d.validate(base+"/content/application~1json/schema", text); err != nil {
		d.t.Errorf("%s: the sample answer does not match the document: %v", op.id, err)
	}
	d.remember(op.id, body)
	st, _ := strconv.Atoi(status)
	reply(w, st, string(text))
}

func (d *docGateway) remember(id string, v any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.answers[id] = v
}

func (d *docGateway) answered(id string) any {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.answers[id]
}

// sdkCall is one SDK method, the operation it must reach and the part of the
// answer it returns.
type sdkCall struct {
	op   string
	call func(ctx context.Context, c *Client) (any, error)
	// part picks the value the call returns from the answer: "" the whole
	// answer, "result" a submit's result, "item" a list's first item.
	part string
}

func first[T any](seq func(func(T, error) bool)) (any, error) {
	for item, err := range seq {
		return item, err
	}
	return nil, fmt.Errorf("the list was empty")
}

func result[T any](s *Submitted[T], err error) (any, error) {
	if err != nil {
		return nil, err
	}
	if s.TransactionID != txA || !s.Committed || s.BlockNumber != 7 {
		return nil, fmt.Errorf("submitted %+v", s)
	}
	return s.Result, nil
}

func TestTheSDKAgainstTheGatewaysOpenAPIDocument(t *testing.T) {
	d := newDocGateway(t)
	srv := httptest.NewServer(d)
	defer srv.Close()
	c, err := New(srv.URL, WithAPIKey(testKey))
	require.NoError(t, err)

	hash := SHA256([]byte("data"))
	uscc := "91310000MA1FL1800B"
	until := time.Now().AddDate(1, 0, 0)
	scope := Scope{Purpose: "route analytics", Regions: []string{"shanghai", "jiangsu"}, ValidUntil: until}
	rules := model.Rules{Version: 2, NoticePeriodSeconds: 60, Orgs: []model.MarketOrg{{MSPID: "ShanghaiMSP", Region: "shanghai",
		RootCerts: []string{"-----BEGIN CERTIFICATE-----"}, IntermediateCerts: []string{}}}, Regulators: []model.Regulator{}}
	apply := ApplyRequest{ID: "asset-1", Name: "Port moves", Category: "transport", SourceRegion: "shanghai", Description: "Hourly moves", ContentHash: hash}
	terms := OfferTerms{PriceFen: 120000, Conditions: "SFTP"}

	calls := []sdkCall{
		{"health", func(ctx context.Context, c *Client) (any, error) { return nil, c.Health(ctx) }, "-"},
		{"ready", func(ctx context.Context, c *Client) (any, error) { return nil, c.Ready(ctx) }, "-"},
		{"openapi", func(ctx context.Context, c *Client) (any, error) { _, err := c.OpenAPI(ctx); return nil, err }, "-"},
		{"getTransaction", func(ctx context.Context, c *Client) (any, error) { return c.Transactions().Status(ctx, txA) }, ""},
		{"streamEvents", func(ctx context.Context, c *Client) (any, error) {
			for ev, err := range c.Events(ctx, EventsFromBlock(3)) {
				if err != nil {
					return nil, err
				}
				if ev.ID != "7-"+txA {
					return nil, fmt.Errorf("event ID %q", ev.ID)
				}
				b, _ := json.Marshal(ev)
				var m map[string]any
				err = json.Unmarshal(b, &m)
				delete(m, "id") // the SSE id, not part of the data
				return m, err
			}
			return nil, fmt.Errorf("no event")
		}, ""},
		{"streamEvents", func(ctx context.Context, c *Client) (any, error) {
			return first(c.Events(ctx, EventsFrom("6-"+txB)))
		}, "-"},

		{"registerParticipant", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Participants().Register(ctx, RegisterParticipantRequest{ID: "anhui.bank", CertificatePEM: "-----BEGIN CERTIFICATE-----",
				Roles: []string{"buyer", "agency"}, USCC: uscc, Name: "Bank", Region: "anhui"}))
		}, "result"},
		{"whoAmI", func(ctx context.Context, c *Client) (any, error) { return c.Participants().Me(ctx) }, ""},
		{"registerMember", func(ctx context.Context, c *Client) (any, error) {
			return c.Members().Register(ctx, OnboardRequest{LegalName: "Bank", USCC: uscc, Roles: []string{"buyer"}})
		}, ""},
		{"revokeMember", func(ctx context.Context, c *Client) (any, error) { return c.Members().Revoke(ctx, "anhui.bank") }, ""},
		{"reinviteMember", func(ctx context.Context, c *Client) (any, error) { return c.Members().Reinvite(ctx, "anhui.bank") }, ""},
		{"getParticipant", func(ctx context.Context, c *Client) (any, error) { return c.Participants().Get(ctx, "anhui.buyer") }, ""},
		{"listParticipants", func(ctx context.Context, c *Client) (any, error) {
			return first(c.Participants().List(ctx, "AnhuiMSP", "buyer", PageSize(5), FromCursor("c1.YQ")))
		}, "item"},
		{"setParticipantRoles", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Participants().SetRoles(ctx, "anhui.bank", []string{"buyer"}))
		}, "result"},
		{"setParticipantDivision", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Participants().SetDivision(ctx, "anhui.bank", "340176"))
		}, "result"},
		{"suspendParticipant", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Participants().Suspend(ctx, "anhui.bank", "audit"))
		}, "result"},
		{"reinstateParticipant", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Participants().Reinstate(ctx, "anhui.bank"))
		}, "result"},
		{"rotateParticipantKey", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Participants().RotateKey(ctx, "-----BEGIN CERTIFICATE-----"))
		}, "result"},
		{"rebindParticipantKey", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Participants().RebindKey(ctx, "anhui.bank", "-----BEGIN CERTIFICATE-----", "lost its key"))
		}, "result"},

		{"applyAsset", func(ctx context.Context, c *Client) (any, error) { return result(c.Assets().Apply(ctx, apply)) }, "result"},
		{"deriveAsset", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Assets().Derive(ctx, DeriveRequest{ApplyRequest: apply, SourceAssetIDs: []string{"a1", "a2"}}))
		}, "result"},
		{"getAsset", func(ctx context.Context, c *Client) (any, error) { return c.Assets().Get(ctx, "asset-1") }, ""},
		{"reviewAsset", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Assets().Review(ctx, "asset-1", ReviewRequest{Decision: model.DecisionApprove}))
		}, "result"},
		{"objectToAsset", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Assets().Object(ctx, "asset-1", "obj-1", "not theirs"))
		}, "result"},
		{"listAssetObjections", func(ctx context.Context, c *Client) (any, error) { return c.Assets().Objections(ctx, "asset-1") }, ""},
		{"decideAssetObjection", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Assets().DecideObjection(ctx, "asset-1", "obj-1", DecideObjectionRequest{Decision: model.DecisionDismiss, Reason: "unfounded"}))
		}, "result"},
		{"certifyAsset", func(ctx context.Context, c *Client) (any, error) { return result(c.Assets().Certify(ctx, "asset-1")) }, "result"},
		{"verifyAssetContent", func(ctx context.Context, c *Client) (any, error) {
			return c.Assets().VerifyContent(ctx, "asset-1", hash)
		}, ""},
		{"getAssetHistory", func(ctx context.Context, c *Client) (any, error) { return first(c.Assets().History(ctx, "asset-1")) }, "item"},
		{"getAssetLineage", func(ctx context.Context, c *Client) (any, error) { return c.Assets().Lineage(ctx, "asset-1") }, ""},
		{"listDerivedAssets", func(ctx context.Context, c *Client) (any, error) { return first(c.Assets().Derived(ctx, "asset-1")) }, "item"},
		{"listAssetsByHolder", func(ctx context.Context, c *Client) (any, error) {
			return first(c.Assets().ByHolder(ctx, "shanghai.holder"))
		}, "item"},
		{"getMarketRules", func(ctx context.Context, c *Client) (any, error) { return c.MarketRules().Get(ctx) }, ""},
		{"listMarketRuleApprovals", func(ctx context.Context, c *Client) (any, error) { return c.MarketRules().Approvals(ctx) }, ""},
		{"initMarketRules", func(ctx context.Context, c *Client) (any, error) { return result(c.MarketRules().Init(ctx, rules)) }, "result"},
		{"approveMarketRules", func(ctx context.Context, c *Client) (any, error) {
			return result(c.MarketRules().Approve(ctx, rules))
		}, "result"},
		{"applyMarketRules", func(ctx context.Context, c *Client) (any, error) { return result(c.MarketRules().Apply(ctx, rules)) }, "result"},
		{"getEnterprise", func(ctx context.Context, c *Client) (any, error) {
			return c.Participants().Enterprise(ctx, "91310000MA1FL1800B")
		}, ""},
		{"releaseEnterprise", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Participants().ReleaseEnterprise(ctx, "91310000MA1FL1800B", "moving to Hefei"))
		}, "result"},

		{"grantRight", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Rights().Grant(ctx, GrantRequest{AssetID: "asset-1", GranteeID: "jiangsu.buyer", RightType: model.RightUse, Scope: scope}))
		}, "result"},
		{"sublicenseRight", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Rights().Sublicense(ctx, "R-1", "anhui.buyer", scope))
		}, "result"},
		{"revokeRight", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Rights().Revoke(ctx, "R-1", "breach"))
		}, "result"},
		{"renounceRight", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Rights().Renounce(ctx, "R-1"))
		}, "result"},
		{"acceptRight", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Rights().Accept(ctx, "R-1"))
		}, "result"},
		{"declineRight", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Rights().Decline(ctx, "R-1", "never asked"))
		}, "result"},
		{"transferHolding", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Rights().TransferHolding(ctx, "asset-1", "zhejiang.holder", "merger"))
		}, "result"},
		{"getHoldingOffer", func(ctx context.Context, c *Client) (any, error) { return c.Rights().HoldingOffer(ctx, "asset-1") }, ""},
		{"acceptHolding", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Rights().AcceptHolding(ctx, "asset-1"))
		}, "result"},
		{"refuseHolding", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Rights().RefuseHolding(ctx, "asset-1", "not wanted"))
		}, "result"},
		{"withdrawHolding", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Rights().WithdrawHolding(ctx, "asset-1", "changed my mind"))
		}, "result"},
		{"getRight", func(ctx context.Context, c *Client) (any, error) { return c.Rights().Get(ctx, "R-1") }, ""},
		{"getRightHistory", func(ctx context.Context, c *Client) (any, error) { return c.Rights().History(ctx, "R-1") }, ""},
		{"listRightsByHolder", func(ctx context.Context, c *Client) (any, error) {
			return first(c.Rights().ByHolder(ctx, "jiangsu.buyer"))
		}, "item"},
		{"listRightsByAsset", func(ctx context.Context, c *Client) (any, error) { return first(c.Rights().ByAsset(ctx, "asset-1")) }, "item"},

		{"createListing", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Listings().Create(ctx, CreateListingRequest{ID: "listing-1", AssetID: "asset-1", RightType: model.RightUse,
				Scope: &scope, Pricing: "FIXED", PriceFen: 150000, TermsHash: hash}))
		}, "result"},
		{"getListing", func(ctx context.Context, c *Client) (any, error) { return c.Listings().Get(ctx, "listing-1") }, ""},
		{"updateListingPrice", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Listings().UpdatePrice(ctx, "listing-1", 140000, "promotion"))
		}, "result"},
		{"delistListing", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Listings().Delist(ctx, "listing-1", "withdrawn"))
		}, "result"},
		{"getListingPriceHistory", func(ctx context.Context, c *Client) (any, error) { return c.Listings().PriceHistory(ctx, "listing-1") }, ""},
		{"listListingsByCategory", func(ctx context.Context, c *Client) (any, error) {
			return first(c.Listings().ByCategory(ctx, "smart-city", PageSize(100)))
		}, "item"},
		{"listListingsByRegion", func(ctx context.Context, c *Client) (any, error) { return first(c.Listings().ByRegion(ctx, "anhui")) }, "item"},
		{"listListingsBySeller", func(ctx context.Context, c *Client) (any, error) {
			return first(c.Listings().BySeller(ctx, "shanghai.holder"))
		}, "item"},

		{"orderTrade", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Trades().Order(ctx, OrderRequest{TradeID: "trade-1", ListingID: "listing-1"}))
		}, "result"},
		// Terms staged first (round 1 names the listing), the public steps carry none.
		{"stageTradeTerms", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Trades().StageTerms(ctx, "trade-3", 1, "listing-2", terms))
		}, "result"},
		{"stageTradeTerms", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Trades().StageTerms(ctx, "trade-3", 2, "", terms))
		}, "result"},
		{"withdrawTradeTerms", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Trades().WithdrawTerms(ctx, "trade-3", 1, "listing-2"))
		}, "result"},
		{"withdrawTradeTerms", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Trades().WithdrawTerms(ctx, "trade-3", 2, ""))
		}, "result"},
		{"proposeTrade", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Trades().Propose(ctx, ProposeRequest{TradeID: "trade-3", ListingID: "listing-2"}))
		}, "result"},
		{"counterTrade", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Trades().Counter(ctx, "trade-3"))
		}, "result"},
		{"acceptTradeOffer", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Trades().AcceptOffer(ctx, "trade-2"))
		}, "result"},
		{"acceptTrade", func(ctx context.Context, c *Client) (any, error) { return result(c.Trades().Accept(ctx, "trade-1")) }, "result"},
		{"rejectTrade", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Trades().Reject(ctx, "trade-1", "sold out"))
		}, "result"},
		{"recordTradePayment", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Trades().Pay(ctx, "trade-1", PaymentRequest{SettlementRef: "BANK-1", AmountFen: 150000}))
		}, "result"},
		{"deliverTrade", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Trades().Deliver(ctx, "trade-1", hash))
		}, "result"},
		{"confirmTrade", func(ctx context.Context, c *Client) (any, error) { return result(c.Trades().Confirm(ctx, "trade-1")) }, "result"},
		{"closeOtherTrades", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Trades().CloseOthers(ctx, "trade-1"))
		}, "result"},
		{"cancelTrade", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Trades().Cancel(ctx, "trade-1", "changed my mind"))
		}, "result"},
		{"expireTrade", func(ctx context.Context, c *Client) (any, error) { return result(c.Trades().Expire(ctx, "trade-1")) }, "result"},
		{"disputeTrade", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Trades().Dispute(ctx, "trade-1", "bad data"))
		}, "result"},
		{"resolveTrade", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Trades().Resolve(ctx, "trade-1", "REFUND", "the data was bad"))
		}, "result"},
		{"requestTermsPurge", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Trades().RequestPurge(ctx, "trade-1"))
		}, "result"},
		{"getTrade", func(ctx context.Context, c *Client) (any, error) { return c.Trades().Get(ctx, "trade-1") }, ""},
		{"getTradeTerms", func(ctx context.Context, c *Client) (any, error) { return c.Trades().Terms(ctx, "trade-2", 2) }, ""},
		{"getTradeTermsOrgs", func(ctx context.Context, c *Client) (any, error) {
			return c.Trades().TermsOrgs(ctx, "trade-1", 1, "listing-1")
		}, ""},
		{"listTradesByParticipant", func(ctx context.Context, c *Client) (any, error) {
			return first(c.Trades().ByParticipant(ctx, "jiangsu.buyer"))
		}, "item"},
		{"listMarketTrades", func(ctx context.Context, c *Client) (any, error) {
			return first(c.Trades().Market(ctx, MarketFilter{Region: "jiangsu", Status: model.TradePaid,
				OpenedFrom: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), OpenedBefore: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}))
		}, "item"},
		{"listTradesByListing", func(ctx context.Context, c *Client) (any, error) {
			return first(c.Trades().ByListing(ctx, "listing-1"))
		}, "item"},

		{"stageCreditRecord", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Credit().Stage(ctx, StageRequest{RecordID: "rating-1", SubjectUSCC: uscc, Record: CreditContents{
				Type: "RATING", Grade: "A", EvidenceHash: hash, ValidUntil: until, Summary: "Annual rating"}}))
		}, "result"},
		{"publishCreditRecord", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Credit().Publish(ctx, "rating-1", uscc))
		}, "result"},
		{"getCreditRecord", func(ctx context.Context, c *Client) (any, error) { return c.Credit().Record(ctx, "rating-1") }, ""},
		{"listCreditRecords", func(ctx context.Context, c *Client) (any, error) { return first(c.Credit().Records(ctx, uscc)) }, "item"},
		{"authorizeCreditQuery", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Credit().Authorize(ctx, AuthorizeRequest{AuthID: "auth-1", GranteeID: "jiangsu.buyer", Purpose: "due diligence", ValidUntil: until}))
		}, "result"},
		{"revokeCreditAuthorization", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Credit().RevokeAuthorization(ctx, "auth-1"))
		}, "result"},
		{"listCreditAuthorizations", func(ctx context.Context, c *Client) (any, error) { return first(c.Credit().Authorizations(ctx, uscc)) }, "item"},
		{"creditLookup", func(ctx context.Context, c *Client) (any, error) {
			return sampledLookup(c.Credit().Lookup(ctx, uscc, LookupRequest{Purpose: "due diligence", AuthorizationID: "auth-1"}))
		}, ""},
		{"creditLookup", func(ctx context.Context, c *Client) (any, error) {
			return sampledLookup(c.Credit().Lookup(ctx, uscc, LookupRequest{Purpose: "supervision"}))
		}, ""},
		{"listCreditTraces", func(ctx context.Context, c *Client) (any, error) { return first(c.Credit().Traces(ctx, uscc)) }, "item"},
		{"listMyCreditAuthorizations", func(ctx context.Context, c *Client) (any, error) { return first(c.Credit().MyAuthorizations(ctx)) }, "item"},
		{"listMyCreditTraces", func(ctx context.Context, c *Client) (any, error) { return first(c.Credit().MyTraces(ctx)) }, "item"},
		{"raiseCreditObjection", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Credit().RaiseObjection(ctx, "cobj-1", "rating-1", "outdated"))
		}, "result"},
		{"answerCreditObjection", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Credit().AnswerObjection(ctx, "cobj-1", AnswerObjectionRequest{Outcome: "CORRECT", Reason: "updated", NewRecordID: "rating-2"}))
		}, "result"},
		{"getCreditObjection", func(ctx context.Context, c *Client) (any, error) { return c.Credit().Objection(ctx, "cobj-1") }, ""},
		{"listCreditObjections", func(ctx context.Context, c *Client) (any, error) { return first(c.Credit().Objections(ctx, uscc)) }, "item"},
		{"listAgencyCreditObjections", func(ctx context.Context, c *Client) (any, error) {
			return first(c.Credit().AgencyObjections(ctx))
		}, "item"},

		{"getMarketStatistics", func(ctx context.Context, c *Client) (any, error) {
			return c.Market().Statistics(ctx, MarketStatisticsQuery{GroupBy: ledgerindex.GroupByRegion,
				MarketWindow: MarketWindow{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))}})
		}, ""},
		{"getMarketStatistics", func(ctx context.Context, c *Client) (any, error) {
			return c.Market().Statistics(ctx, MarketStatisticsQuery{})
		}, ""},
		{"getMarketPriceIndex", func(ctx context.Context, c *Client) (any, error) {
			return c.Market().PriceIndex(ctx, PriceIndexQuery{Category: "transport", Region: "shanghai", Interval: ledgerindex.IntervalWeek,
				MarketWindow: MarketWindow{From: time.Now().AddDate(0, -1, 0), To: time.Now()}})
		}, ""},

		{"searchCatalogue", func(ctx context.Context, c *Client) (any, error) {
			return c.Market().Catalogue(ctx, CatalogueQuery{Text: "port", Category: "transport", MinPriceFen: new(int64(5)), Sort: "price", Limit: 10,
				IndexQuery: IndexQuery{MinBlock: 3}})
		}, ""},
		{"getPortfolio", func(ctx context.Context, c *Client) (any, error) {
			return c.Market().Portfolio(ctx, "jiangsu.buyer", "ACTIVE", PageQuery{Limit: 5})
		}, ""},
		{"getTradeHistory", func(ctx context.Context, c *Client) (any, error) {
			return c.Market().TradeHistory(ctx, "jiangsu.buyer", PageQuery{IndexQuery: IndexQuery{MinBlock: 9}})
		}, ""},
		{"getTradeFlows", func(ctx context.Context, c *Client) (any, error) {
			return c.Market().Flows(ctx, MarketWindow{From: time.Now().AddDate(0, -1, 0)}, IndexQuery{})
		}, ""},
		{"getCreditLookupCounts", func(ctx context.Context, c *Client) (any, error) {
			return c.Market().CreditLookups(ctx, MarketWindow{}, IndexQuery{MinBlock: 2})
		}, ""},
		{"listPublishedIndices", func(ctx context.Context, c *Client) (any, error) { return first(c.Indices().List(ctx)) }, "item"},
		{"listPublishedIndicesByKey", func(ctx context.Context, c *Client) (any, error) { return first(c.Indices().ListByKey(ctx)) }, "item"},
		{"getPublishedIndices", func(ctx context.Context, c *Client) (any, error) { return c.Indices().Get(ctx, "day:2026-03-04") }, ""},
		{"getOwnAttestation", func(ctx context.Context, c *Client) (any, error) {
			return c.Indices().Attestation(ctx, "month:2026-03")
		}, ""},
		{"downloadPublishedIndices", func(ctx context.Context, c *Client) (any, error) {
			_, err := c.Indices().CSV(ctx, "day:2026-03-04", "activity")
			return nil, err
		}, "-"},
		{"computeIndices", func(ctx context.Context, c *Client) (any, error) {
			return c.Indices().Computed(ctx, "day:2026-03-04", 40)
		}, ""},
		{"attestIndices", func(ctx context.Context, c *Client) (any, error) {
			return c.Indices().Attest(ctx, "day:2026-03-04", 40)
		}, ""},
		{"publishIndices", func(ctx context.Context, c *Client) (any, error) {
			return result(c.Indices().Publish(ctx, "day:2026-03-04", 40, []string{"ShanghaiMSP", "JiangsuMSP"}))
		}, "result"},
	}

	for _, call := range calls {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		before := d.calledCount(call.op)
		got, err := call.call(ctx, c)
		cancel()
		require.NoError(t, err, call.op)
		require.Equal(t, before+1, d.calledCount(call.op), "%s did not reach its operation", call.op)
		if call.part == "-" {
			continue
		}
		want := d.answered(call.op)
		switch call.part {
		case "result":
			want = want.(map[string]any)["result"]
		case "item":
			want = want.(map[string]any)["items"].([]any)[0]
		}
		require.False(t, reflect.ValueOf(got).IsZero(), "%s returned nothing", call.op)
		wantJSON, _ := json.Marshal(want)
		gotJSON, _ := json.Marshal(got)
		assert.JSONEq(t, string(wantJSON), string(gotJSON), "%s: what the SDK decoded differs from the gateway's answer", call.op)
	}

	// A submit with NoWait is the documented 202, followed to its commit.
	sub, err := c.Trades().Confirm(context.Background(), "trade-1", NoWait())
	require.NoError(t, err)
	assert.False(t, sub.Committed)
	done, err := sub.Wait(context.Background())
	require.NoError(t, err)
	assert.True(t, done.Committed)
	assert.Equal(t, "t1", done.Result.ID)

	var missing []string
	for _, op := range d.ops {
		if _, skip := notInTheSDK[op.id]; !skip && d.calledCount(op.id) == 0 {
			missing = append(missing, op.id+" ("+op.method+" "+op.path+")")
		}
	}
	sort.Strings(missing)
	assert.Empty(t, missing, "operations of the gateway the SDK does not reach")
}

// sampledLookup takes a lookup of the sampled answer knowingly: its
// contents are the string "contents", which does not hash to its
// contentHash "contentHash" (LookupResult.Err names it); any other fault
// stays an error.
func sampledLookup(res *LookupResult, err error) (*LookupResult, error) {
	var e *IncompleteLookupError
	if errors.As(err, &e) && len(e.Holders) == 0 && len(e.Records) == 0 && len(e.Mismatched) == len(res.Records) {
		return res, nil
	}
	return res, err
}

func (d *docGateway) calledCount(id string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.called[id]
}

// The sample generator's output must itself be what the document allows,
// or the test above would prove little.
func TestDocumentSamplesAreValid(t *testing.T) {
	d := newDocGateway(t)
	for _, name := range []string{"Asset", "Trade", "Listing", "Record", "CreditLookupBody", "TransactionStatusBody"} {
		v := d.sample(map[string]any{"$ref": "#/components/schemas/" + name}, name)
		b, _ := json.Marshal(v)
		assert.NoError(t, d.validate("/components/schemas/"+name, b), name)
	}
}
