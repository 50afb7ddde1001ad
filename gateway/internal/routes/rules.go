package routes

func marketRuleRoutes() []Route {
	return []Route{
		{
			ID: "getMarketRules", Method: "GET", Path: "/v1/market-rules", Tag: "market rules",
			Function: "market:GetRules",
			Summary:  "The market rules in force: each org's region and CA certificates, the regulators, the public-notice period.",
		},
		{
			ID: "initMarketRules", Method: "POST", Path: "/v1/market-rules", Tag: "market rules",
			Function: "market:Init", Created: true, Roles: []string{RoleOrgAdmin},
			Summary:     "Set the first market rules (version 1), once: the deployment does.",
			Description: "By an admin of an org the rules name, right after the chaincode is deployed and before anyone registers.",
		},
		{
			ID: "listMarketRuleApprovals", Method: "GET", Path: "/v1/market-rules/approvals", Tag: "market rules",
			Function: "market:ListApprovals",
			Summary:  "Every org's latest approval of new rules, and how many a change needs.",
		},
		{
			ID: "approveMarketRules", Method: "POST", Path: "/v1/market-rules/approvals", Tag: "market rules",
			Function: "market:Approve", Roles: []string{RoleOrgAdmin},
			Summary:     "Approve, for the caller's org, exactly the rules given (the next version).",
			Description: "Only the org's own peers endorse its approval. A change applies once more than half of the orgs in force approved the same rules.",
		},
		{
			ID: "applyMarketRules", Method: "PUT", Path: "/v1/market-rules", Tag: "market rules",
			Function: "market:Apply", Roles: []string{RoleOrgAdmin},
			Summary:     "Put in force rules a majority of the orgs approved.",
			Description: "A 409 names the orgs that approved while they are fewer than a majority.",
		},
	}
}
