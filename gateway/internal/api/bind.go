package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/internal/transactions"
	"github.com/deltaledger/deltaledger/internal/textcheck"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// call is a request bound to a chaincode function's arguments.
type call struct {
	args      []string
	transient map[string][]byte
	values    map[string]string // argument values by chaincode parameter name
	orgs      transactions.Orgs // whose peers alone run the call
	wait      bool
	// request and body are what fingerprint hashes: the request line
	// (method, path, raw query) and the body as read.
	request *http.Request
	body    []byte
}

// fingerprint identifies the request (method, path, raw query and body), so
// that an idempotency key that comes back with another request is refused.
// Only a call that takes an idempotency key needs it, so it is computed
// when asked for, not for every read.
func (c *call) fingerprint() string { return fingerprint(c.request, c.body) }

// fingerprint identifies a request by its method, path, raw query and body.
func fingerprint(r *http.Request, body []byte) string {
	h := sha256.New()
	h.Write([]byte(r.Method + " " + r.URL.Path + "?" + r.URL.RawQuery + "\n"))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

var patterns sync.Map // string -> *regexp.Regexp

func compiled(p string) *regexp.Regexp {
	if re, ok := patterns.Load(p); ok {
		return re.(*regexp.Regexp)
	}
	re := regexp.MustCompile(p)
	patterns.Store(p, re)
	return re
}

// checkString applies a parameter's enum, pattern and length rules.
func checkString(p routes.Param, v string) *apiError {
	key := p.RequestKey()
	if !utf8.ValidString(v) {
		return invalidRule(key, ledgererr.RuleValidText)
	}
	if p.MaxLength > 0 && utf8.RuneCountInString(v) > p.MaxLength {
		return invalidRule(key, ledgererr.RuleMaxLength, p.MaxLength)
	}
	if len(p.Enum) > 0 && !slices.Contains(p.Enum, v) {
		return invalidRule(key, ledgererr.RuleEnum, strings.Join(p.Enum, ", "), clip(v))
	}
	if p.Pattern != "" && !compiled(p.Pattern).MatchString(v) {
		return invalidRule(key, ledgererr.RulePattern, p.Pattern, clip(v))
	}
	return nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// bind reads a request into the route's chaincode arguments.
func (s *Server) bind(w http.ResponseWriter, r *http.Request, rt routes.Route) (*call, error) {
	c := &call{wait: true, request: r}
	query, err := s.bindQuery(r, rt, c)
	if err != nil {
		return nil, err
	}
	body, fields, err := s.readBody(w, r, rt)
	if err != nil {
		return nil, err
	}
	c.body = body
	inputs := rt.Inputs()
	c.values = make(map[string]string, len(inputs))
	for _, p := range inputs {
		var v string
		switch p.In {
		case routes.InPath:
			v = r.PathValue(p.RequestKey())
			if v == "" {
				return nil, invalidRule(p.RequestKey(), ledgererr.RuleRequired)
			}
			if e := checkString(p, v); e != nil {
				return nil, e
			}
		case routes.InQuery, routes.InLimit, routes.InCursor:
			v = query[p.RequestKey()]
		case routes.InBody, routes.InTransient:
			raw, present := fields[p.RequestKey()]
			if present && bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
				present = false
			}
			if !present {
				if p.Required {
					return nil, invalidRule(p.RequestKey(), ledgererr.RuleRequired)
				}
				break
			}
			v, err = bodyValue(p, raw)
			if err != nil {
				return nil, err
			}
			if p.In == routes.InTransient {
				if c.transient == nil {
					c.transient = map[string][]byte{}
				}
				c.transient[p.Name] = []byte(v)
			}
		}
		c.values[p.Name] = v
		if p.InChaincodeArgs() {
			c.args = append(c.args, v)
		}
	}
	if f := refused(rt, fields); f != nil {
		return nil, invalidRule(f.Name, f.Rule)
	}
	var unknown []string
	for k := range fields {
		if !slices.ContainsFunc(inputs, func(p routes.Param) bool { return p.InRequestBody() && p.RequestKey() == k }) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, invalidRule(unknown[0], ledgererr.RuleNotAField)
	}
	if cc, ok := rt.(routes.ChaincodeRoute); ok {
		if c.orgs, err = s.endorsers(r, cc, c.values); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// refused returns the first field of the body the route refuses, nil when
// the body has none.
func refused(rt routes.Route, fields map[string]json.RawMessage) *routes.Refused {
	cc, _ := rt.(routes.ChaincodeRoute)
	for _, f := range cc.Refused {
		if _, present := fields[f.Name]; present {
			return &f
		}
	}
	return nil
}

// bindQuery checks the query parameters: each known, given once, valid.
func (s *Server) bindQuery(r *http.Request, rt routes.Route, c *call) (map[string]string, error) {
	params := routes.QueryParams(rt)
	if r.URL.RawQuery == "" {
		// Most reads have no query: only a required parameter can be wrong.
		return nil, missingQuery(params, nil)
	}
	q, err := parseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	known := make(map[string]routes.Param, len(params))
	for _, p := range params {
		known[p.RequestKey()] = p
	}
	cc, _ := rt.(routes.ChaincodeRoute)
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		vs := q[k]
		if len(vs) > 1 {
			return nil, invalidRule(k, ledgererr.RuleOnce)
		}
		v := vs[0]
		if k == "wait" && cc.Submit {
			switch v {
			case "", "true":
			case "false":
				c.wait = false
			default:
				return nil, invalidRule("wait", ledgererr.RuleBoolean)
			}
			continue
		}
		p, ok := known[k]
		if !ok {
			return nil, invalidRule(k, ledgererr.RuleNotAQueryParameter)
		}
		switch p.In {
		case routes.InLimit:
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > model.MaxPageSize {
				return nil, invalidRule("limit", ledgererr.RulePageSize, model.MaxPageSize)
			}
			v = strconv.Itoa(n)
		case routes.InCursor:
			if v == "" {
				break
			}
			b, ok := routes.DecodeCursor(v)
			if !ok {
				return nil, invalid("cursor", "%v", ledgererr.Messagef("is not a cursor this API returned"))
			}
			v = b
		default:
			switch p.Type {
			case model.TypeInteger:
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return nil, invalidRule(k, ledgererr.RuleInteger)
				}
				if p.Minimum != nil && n < *p.Minimum {
					return nil, invalidRule(k, ledgererr.RuleMinimum, *p.Minimum)
				}
				if p.Maximum != nil && n > *p.Maximum {
					return nil, invalidRule(k, ledgererr.RuleMaximum, *p.Maximum)
				}
			default:
				if v != "" {
					if e := checkString(p, v); e != nil {
						return nil, e
					}
				}
			}
		}
		out[k] = v
	}
	if err := missingQuery(params, out); err != nil {
		return nil, err
	}
	return out, nil
}

// missingQuery refuses the first required query parameter of params that
// values lacks (or gives empty); nil when none is.
func missingQuery(params []routes.Param, values map[string]string) error {
	for _, p := range params {
		if p.Required && values[p.RequestKey()] == "" {
			return invalidRule(p.RequestKey(), ledgererr.RuleRequired)
		}
	}
	return nil
}

// parseQuery parses a raw query strictly: malformed escapes are a 400.
func parseQuery(raw string) (map[string][]string, error) {
	out := map[string][]string{}
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err1 := queryUnescape(k)
		val, err2 := queryUnescape(v)
		if err1 != nil || err2 != nil {
			return nil, invalid("", "the query string is malformed")
		}
		out[key] = append(out[key], val)
	}
	return out, nil
}

func queryUnescape(s string) (string, error) {
	s = strings.ReplaceAll(s, "+", " ")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", errors.New("bad escape")
		}
		v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			return "", err
		}
		b.WriteByte(byte(v))
		i += 2
	}
	return b.String(), nil
}

// readBody reads the JSON body (bounded in size) into its fields.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, rt routes.Route) ([]byte, map[string]json.RawMessage, error) {
	if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil, nil, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.bodyLimit))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, nil, newError(http.StatusRequestEntityTooLarge, CodePayloadTooLarge, "the request body exceeds %d bytes", s.bodyLimit)
		}
		return nil, nil, invalid("", "the request body could not be read to its end")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if !routes.BodyRequired(rt) {
			return body, nil, nil
		}
		return nil, nil, invalid("", "a JSON object body is required")
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, nil, newError(http.StatusUnsupportedMediaType, CodeUnsupportedMedia, "the request body must be application/json, got %q", clip(ct))
		}
	}
	fields, err := decodeObject(body)
	if err != nil {
		return nil, nil, err
	}
	// encoding/json would store invalid text as U+FFFD without a word.
	if path, ok := textcheck.JSON(body); !ok {
		return nil, nil, invalidRule(path, ledgererr.RuleValidText)
	}
	return body, fields, nil
}

// decodeObject reads a body that must be exactly one JSON object into its
// fields, refusing a field given twice (which encoding/json would resolve
// silently in favour of the last).
func decodeObject(body []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	notObject := invalid("", "the request body must be a JSON object")
	tok, err := dec.Token()
	if err != nil {
		return nil, notJSON("", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, notObject
	}
	fields := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, notJSON("", err)
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, notJSON(key, err)
		}
		if _, dup := fields[key]; dup {
			return nil, invalidRule(key, ledgererr.RuleOnce)
		}
		fields[key] = value
	}
	if _, err := dec.Token(); err != nil {
		return nil, notJSON("", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, invalid("", "the request body must hold exactly one JSON object")
	}
	return fields, nil
}

// notJSON answers a body that is not valid JSON with where it broke, in
// the catalogue's words: encoding/json's own text ("invalid character 'x'
// looking for beginning of object key string") names its scanner's states,
// in English.
func notJSON(key string, err error) *apiError {
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax) && key != "":
		return invalid("", "the request body is not valid JSON at byte %d (at field %q)", syntax.Offset, key)
	case errors.As(err, &syntax):
		return invalid("", "the request body is not valid JSON at byte %d", syntax.Offset)
	}
	// The decoder's one other error: the body ends inside a value.
	return invalid("", "the request body ends before its JSON is complete")
}

// bodyValue turns a body field into the chaincode's string argument,
// checking its JSON type.
func bodyValue(p routes.Param, raw json.RawMessage) (string, error) {
	key := p.RequestKey()
	raw = bytes.TrimSpace(raw)
	switch p.Type {
	case model.TypeInteger:
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil || raw[0] == '"' {
			return "", invalidRule(key, ledgererr.RuleInteger)
		}
		v, err := strconv.ParseInt(n.String(), 10, 64)
		if err != nil {
			return "", invalidRule(key, ledgererr.RuleInteger64)
		}
		if p.Minimum != nil && v < *p.Minimum {
			return "", invalidRule(key, ledgererr.RuleMinimum, *p.Minimum)
		}
		if p.Maximum != nil && v > *p.Maximum {
			return "", invalidRule(key, ledgererr.RuleMaximum, *p.Maximum)
		}
		return p.Arg(raw)
	case model.TypeStringList:
		var list []string
		if err := json.Unmarshal(raw, &list); err != nil {
			return "", invalidRule(key, ledgererr.RuleStringList)
		}
		if len(list) == 0 {
			return "", invalidRule(key, ledgererr.RuleNonEmptyList)
		}
		for i, item := range list {
			field := key + "[" + strconv.Itoa(i) + "]"
			if strings.Contains(item, ",") {
				return "", invalidRule(field, ledgererr.RuleNoComma)
			}
			if len(p.Enum) > 0 && !slices.Contains(p.Enum, item) {
				return "", invalidRule(field, ledgererr.RuleEnum, strings.Join(p.Enum, ", "), clip(item))
			}
		}
		return p.Arg(raw)
	case model.TypeObject:
		if raw[0] != '{' {
			return "", invalidRule(key, ledgererr.RuleObject)
		}
		return p.Arg(raw)
	default:
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return "", invalidRule(key, ledgererr.RuleString)
		}
		if e := checkString(p, v); e != nil {
			return "", e
		}
		return v, nil
	}
}
