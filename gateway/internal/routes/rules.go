package routes

func marketRuleRoutes() []Route {
	return []Route{
		ChaincodeRoute{
			Operation: Operation{ID: "getMarketRules", Method: "GET", Path: "/v1/market-rules", Tag: "market rules",
				Summary: "The market rules in force: each org's region and CA certificates, the regulators, the public-notice period.",
			},
			Function: "market:GetRules",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "initMarketRules", Method: "POST", Path: "/v1/market-rules", Tag: "market rules", Roles: []string{RoleOrgAdmin}, Created: true,
				Summary:     "Set the first market rules (version 1), once: the deployment does.",
				Description: "By an admin of an org the rules name, right after the chaincode is deployed and before anyone registers.",
			},
			Function: "market:Init",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listMarketRuleApprovals", Method: "GET", Path: "/v1/market-rules/approvals", Tag: "market rules",
				Summary: "Every org's latest approval of new rules, and how many a change needs.",
			},
			Function: "market:ListApprovals",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "approveMarketRules", Method: "POST", Path: "/v1/market-rules/approvals", Tag: "market rules", Roles: []string{RoleOrgAdmin},
				Summary:     "Approve, for the caller's org, exactly the rules given (the next version).",
				Description: "Only the org's own peers endorse its approval. A change applies once more than half of the orgs in force approved the same rules.",
			},
			Function: "market:Approve",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "applyMarketRules", Method: "PUT", Path: "/v1/market-rules", Tag: "market rules", Roles: []string{RoleOrgAdmin},
				Summary:     "Put in force rules a majority of the orgs approved.",
				Description: "A 409 names the orgs that approved while they are fewer than a majority.",
			},
			Function: "market:Apply",
		},
	}
}
