// Package calls says which chaincode call a request of the gateway's REST API runs: the function, its arguments and
// its transient documents, bound from the request's path, query and JSON body as the gateway binds them (the
// routes' table and routes.Param.Arg). A member who signs for itself holds the proposal a gateway asks it to sign to
// the call of its own request (client.WithSigner), so that a gateway cannot have it sign another function or other
// arguments. It binds requests its caller made itself: what a request breaks, the gateway answers.
package calls

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"github.com/deltaledger/deltaledger/gateway/internal/routes"
)

// Call is a chaincode call: what a proposal of it carries.
type Call struct {
	// Function is the chaincode function, "contract:Function".
	Function string
	// Args are its arguments in the chaincode's order.
	Args []string
	// Transient are its transient documents by name (none: nil).
	Transient map[string][]byte
	// Evaluate is true for a function that reads the ledger: the gateway evaluates its proposal and never orders
	// a transaction of it, whatever the request's method (a read that takes transient data is a POST).
	Evaluate bool
}

// Of binds a request of the API: its method, its path as sent (escaped), its raw query and its JSON body (nil for
// none). It fails for a request that runs no chaincode function or does not bind.
func Of(method, path, rawQuery string, body []byte) (*Call, error) {
	u, err := url.Parse(path)
	if err != nil {
		return nil, fmt.Errorf("path %q: %w", path, err)
	}
	u.RawQuery = rawQuery
	req, err := http.NewRequest(method, u.String(), nil)
	if err != nil {
		return nil, err
	}
	var m matched
	mux().ServeHTTP(discard{}, req.WithContext(context.WithValue(req.Context(), matchKey{}, &m)))
	if m.route == nil {
		return nil, fmt.Errorf("%s %s runs no chaincode function of the API", method, path)
	}
	var fields map[string]json.RawMessage
	if len(body) > 0 {
		if err := json.Unmarshal(body, &fields); err != nil {
			return nil, fmt.Errorf("the request body: %w", err)
		}
	}
	query := m.query
	c := &Call{Function: m.route.Function, Evaluate: !m.route.Submit}
	for _, p := range m.route.Inputs() {
		var v string
		switch p.In {
		case routes.InPath:
			v = m.path[p.Name]
		case routes.InQuery:
			v = query.Get(p.RequestKey())
		case routes.InLimit:
			if s := query.Get(p.RequestKey()); s != "" {
				n, err := strconv.Atoi(s)
				if err != nil {
					return nil, fmt.Errorf("limit %q: %w", s, err)
				}
				v = strconv.Itoa(n)
			}
		case routes.InCursor:
			if s := query.Get(p.RequestKey()); s != "" {
				b, ok := routes.DecodeCursor(s)
				if !ok {
					return nil, errors.New("the cursor is not one the API returned")
				}
				v = b
			}
		case routes.InBody, routes.InTransient:
			raw, ok := fields[p.RequestKey()]
			if !ok || string(raw) == "null" {
				break
			}
			if v, err = p.Arg(raw); err != nil {
				return nil, fmt.Errorf("%s: %w", p.RequestKey(), err)
			}
			if p.In == routes.InTransient {
				if c.Transient == nil {
					c.Transient = map[string][]byte{}
				}
				c.Transient[p.Name] = []byte(v)
			}
		}
		if p.InChaincodeArgs() {
			c.Args = append(c.Args, v)
		}
	}
	return c, nil
}

// matched is what the mux found for a request: its route, path values and query.
type matched struct {
	route *routes.ChaincodeRoute
	path  map[string]string
	query url.Values
}

type matchKey struct{}

// mux matches a request to its chaincode route as the gateway's own mux does: the same patterns, Go's rules of
// precedence.
var mux = sync.OnceValue(func() *http.ServeMux {
	m := http.NewServeMux()
	for _, r := range routes.Table() {
		route, ok := r.(routes.ChaincodeRoute)
		if !ok {
			continue
		}
		m.HandleFunc(route.Pattern(), func(_ http.ResponseWriter, req *http.Request) {
			out, _ := req.Context().Value(matchKey{}).(*matched)
			if out == nil {
				return
			}
			out.route, out.path, out.query = &route, map[string]string{}, req.URL.Query()
			for _, p := range route.Inputs() {
				if p.In == routes.InPath {
					out.path[p.Name] = req.PathValue(p.RequestKey())
				}
			}
		})
	}
	return m
})

// discard is a ResponseWriter that keeps nothing: the mux's handlers write no answer.
type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}
