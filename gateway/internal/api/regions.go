package api

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/model"
)

// regionsCache remembers the market rules in force (their regions and
// divisions), as the peer last answered market:GetRules.
type regionsCache struct {
	mu    sync.Mutex
	rules *model.Rules
	at    time.Time
}

// checkRegion refuses a region that the market rules in force do not hold,
// as the chaincode refuses it: the ledger index answers for the regions of
// the market only, and a region the rules lack is a mistake to name, not an
// empty answer. The regions are read through the peer as member
// (market:GetRules) and kept for rolesTTL; a region they lack is read again
// before it is refused, so a region that has just joined is known at once.
func (s *Server) checkRegion(ctx context.Context, member, field, region string) error {
	version, regions, err := s.marketRegions(ctx, member, false)
	if err != nil {
		return err
	}
	if slices.Contains(regions, region) {
		return nil
	}
	if version, regions, err = s.marketRegions(ctx, member, true); err != nil {
		return err
	}
	if slices.Contains(regions, region) {
		return nil
	}
	return invalid(field, "%q is not a region of the market rules in force (version %d: %s)", region, version, strings.Join(regions, ", "))
}

// marketRegions returns the version and the regions of the rules in force,
// from the cache unless fresh is asked for or it is older than rolesTTL.
func (s *Server) marketRegions(ctx context.Context, member string, fresh bool) (int, []string, error) {
	rules, err := s.marketRules(ctx, member, fresh)
	if err != nil {
		return 0, nil, err
	}
	return rules.Version, rules.Regions(), nil
}

// marketRules returns the rules in force without the orgs' certificates,
// from the cache unless fresh is asked for or it is older than rolesTTL.
func (s *Server) marketRules(ctx context.Context, member string, fresh bool) (*model.Rules, error) {
	c := &s.regions
	c.mu.Lock()
	if !fresh && c.rules != nil && time.Since(c.at) < s.rolesTTL {
		defer c.mu.Unlock()
		return c.rules, nil
	}
	c.mu.Unlock()
	payload, err := s.ledger.Evaluate(ctx, member, "market:GetRules", nil)
	if err != nil {
		return nil, err
	}
	var rules model.MarketRules
	if err := json.Unmarshal(payload, &rules); err != nil {
		// What encoding/json says is for the log.
		e := newError(http.StatusBadGateway, CodeInternal, "the chaincode answered market:GetRules with something other than the market rules")
		e.detail = err.Error()
		return nil, e
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rules, c.at = &rules.Rules, time.Now()
	return c.rules, nil
}

// rulesInForce returns the market rules in force, read from the peer (never
// the cache, which another request may have filled before a change).
func (s *Server) rulesInForce(ctx context.Context, member string) (*model.Rules, error) {
	return s.marketRules(ctx, member, true)
}
