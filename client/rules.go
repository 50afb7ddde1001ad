package client

import (
	"context"
	"net/http"

	"github.com/deltaledger/deltaledger/model"
)

// MarketRuleService is the market rules: which org is the exchange of which
// region, the CA certificates of each org, the regulators and the
// public-notice period. The deployment sets them; a majority of the orgs
// changes them, each org's admin approving the exact new rules.
type MarketRuleService struct{ c *Client }

// MarketRules returns the service of the market rules.
func (c *Client) MarketRules() *MarketRuleService { return &MarketRuleService{c} }

// Get returns the rules in force with every org's CA certificates.
func (s *MarketRuleService) Get(ctx context.Context) (*model.MarketRules, error) {
	return getQuery[model.MarketRules](ctx, s.c, "/v1/market-rules", nil)
}

// Approvals returns every org's latest approval of new rules.
func (s *MarketRuleService) Approvals(ctx context.Context) (*model.RulesApprovalList, error) {
	return getQuery[model.RulesApprovalList](ctx, s.c, "/v1/market-rules/approvals", nil)
}

// Init sets the first rules, once (an org admin; the deployment does it).
func (s *MarketRuleService) Init(ctx context.Context, r model.Rules, opts ...SubmitOption) (*Submitted[model.MarketRules], error) {
	return submit[model.MarketRules](ctx, s.c, http.MethodPost, "/v1/market-rules", map[string]any{"rules": r}, opts)
}

// Approve approves exactly the rules r, the next version, for the caller's
// org (an org admin).
func (s *MarketRuleService) Approve(ctx context.Context, r model.Rules, opts ...SubmitOption) (*Submitted[model.RulesApproval], error) {
	return submit[model.RulesApproval](ctx, s.c, http.MethodPost, "/v1/market-rules/approvals", map[string]any{"rules": r}, opts)
}

// Apply puts in force rules r, which a majority of the orgs approved (an org
// admin).
func (s *MarketRuleService) Apply(ctx context.Context, r model.Rules, opts ...SubmitOption) (*Submitted[model.MarketRules], error) {
	return submit[model.MarketRules](ctx, s.c, http.MethodPut, "/v1/market-rules", map[string]any{"rules": r}, opts)
}
