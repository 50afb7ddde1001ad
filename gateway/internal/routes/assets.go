package routes

import "github.com/deltaledger/deltaledger/chaincode/assets"

// scopeSchema is a value of the chaincode's Scope type (read through a
// field, since the type lives in a chaincode-internal package).
var scopeSchema = assets.Right{}.Scope

const scopeNote = "A JSON object {purpose, regions, validFrom, validUntil, maySublicense}: purpose text, regions a non-empty list of shanghai, jiangsu, zhejiang, anhui, validFrom (optional, default now) and validUntil as RFC 3339."

func assetRoutes() []Route {
	id := idParam("id", "asset")
	hash := func(name, desc string) Param {
		return Param{Name: name, In: InBody, Type: String, Required: true, Pattern: hashPattern, Description: desc}
	}
	application := []Param{
		bodyID("id", "asset"),
		text("name", "The asset's name.", 100),
		{Name: "category", In: InBody, Type: String, Required: true, MaxLength: 40, Pattern: `^[a-z0-9]+(-[a-z0-9]+)*$`,
			Description: "Data category, a lowercase slug such as finance or smart-city."},
		{Name: "sourceRegion", In: InBody, Type: String, Required: true, Enum: Regions, Description: "Where the data comes from."},
		text("description", "Description of the content and its lawful source, reviewed by the exchange.", 2000),
		hash("contentHash", "SHA-256 (lowercase hex) of the data or its canonical manifest; the data itself never goes on the ledger."),
	}
	return []Route{
		{
			ID: "applyAsset", Method: "POST", Path: "/v1/assets", Tag: "assets",
			Function: "assets:Apply", Submit: true, Created: true, Roles: []string{RoleHolder},
			Summary:     "Apply to register a data asset.",
			Description: "The caller (a holder) is the applicant and initial holder; its region's exchange reviews the application (PENDING_REVIEW). A content hash can be registered once.",
			Params:      application,
			Result:      returns((*assets.Contract).Apply),
		},
		{
			ID: "deriveAsset", Method: "POST", Path: "/v1/assets/derived", Tag: "assets",
			Function: "assets:Derive", Submit: true, Created: true, Roles: []string{RoleHolder},
			Summary:     "Apply to register a data product derived from registered assets (lineage).",
			Description: "The caller must be entitled to process each source now for the purpose: it holds it, or holds a usable USE right over it licensed for that purpose and covering sourceRegion. The lineage and the purpose are recorded on the product.",
			Params: append(append([]Param(nil), application...), Param{Name: "sourceAssetIds", In: InBody, Type: StringList, Required: true,
				Description: "IDs of the source assets, 1 to 20, unique."},
				text("purpose", "What the sources are processed for: the purpose of the USE rights the product is derived under.", 200)),
			Result: returns((*assets.Contract).Derive),
		},
		{
			ID: "getAsset", Method: "GET", Path: "/v1/assets/{id}", Tag: "assets",
			Function: "assets:Get", Summary: "An asset (public register).",
			Params: []Param{id}, Result: returns((*assets.Contract).Get),
		},
		{
			ID: "reviewAsset", Method: "POST", Path: "/v1/assets/{id}/review", Tag: "assets",
			Function: "assets:Review", Submit: true, Roles: []string{RoleOperator},
			Summary:     "The exchange's decision on an application: APPROVE (public notice) or REJECT with a reason.",
			Description: "By an operator of the applicant's regional exchange other than the applicant.",
			Params: []Param{id,
				{Name: "decision", In: InBody, Type: String, Required: true, Enum: []string{"APPROVE", "REJECT"}, Description: "APPROVE or REJECT."},
				optionalText("reason", "Why; required to reject.", 500),
			},
			Result: returns((*assets.Contract).Review),
		},
		{
			ID: "objectToAsset", Method: "POST", Path: "/v1/assets/{assetId}/objections", Tag: "assets",
			Function: "assets:Object", Submit: true, Created: true,
			Summary:     "Object to an application during its public-notice period.",
			Description: "Any active participant may. The objection is OPEN until the exchange decides it; certification waits for that.",
			Params: []Param{
				bodyID("objectionId", "objection (unique per asset)"),
				idParam("assetId", "asset"),
				text("reason", "The grounds of the objection.", 500),
			},
			Result: returns((*assets.Contract).Object),
		},
		{
			ID: "listAssetObjections", Method: "GET", Path: "/v1/assets/{assetId}/objections", Tag: "assets",
			Function: "assets:Objections", Summary: "Every objection filed against an asset.",
			Params: []Param{idParam("assetId", "asset")}, Result: returns((*assets.Contract).Objections),
		},
		{
			ID: "decideAssetObjection", Method: "POST", Path: "/v1/assets/{assetId}/objections/{objectionId}/decide", Tag: "assets",
			Function: "assets:DecideObjection", Submit: true, Roles: []string{RoleOperator},
			Summary:     "Decide an OPEN objection: UPHOLD (withdraws the application) or DISMISS.",
			Description: "By an operator of the exchange running the procedure, other than the objector.",
			Params: []Param{
				idParam("assetId", "asset"),
				idParam("objectionId", "objection"),
				{Name: "decision", In: InBody, Type: String, Required: true, Enum: []string{"UPHOLD", "DISMISS"}, Description: "UPHOLD or DISMISS."},
				text("reason", "Why.", 500),
			},
			Result: returns((*assets.Contract).DecideObjection),
		},
		{
			ID: "certifyAsset", Method: "POST", Path: "/v1/assets/{id}/certify", Tag: "assets",
			Function: "assets:Certify", Submit: true, Roles: []string{RoleHolder, RoleOperator},
			Summary:     "Complete a registration after its public notice: the asset is REGISTERED and the holder receives its HOLDING right.",
			Description: "No objection may be left OPEN. The holder or an operator of the exchange may certify.",
			Params:      []Param{id},
			Result:      returns((*assets.Contract).Certify),
		},
		{
			ID: "verifyAssetContent", Method: "GET", Path: "/v1/assets/{id}/content-check", Tag: "assets",
			Function: "assets:VerifyContent",
			Summary:  "Check whether a SHA-256 of data someone holds is the content registered as the asset.",
			Params: []Param{id, {Name: "contentHash", In: InQuery, Type: String, Required: true, Pattern: hashPattern,
				Description: "SHA-256 (lowercase hex) of the data to check."}},
			Result: returns((*assets.Contract).VerifyContent),
		},
		{
			ID: "getAssetHistory", Method: "GET", Path: "/v1/assets/{id}/history", Tag: "assets",
			Function: "assets:History",
			Summary:  "Every committed version of an asset record, with the transaction that wrote it.",
			Params:   []Param{id}, Result: returns((*assets.Contract).History),
		},
		{
			ID: "getAssetLineage", Method: "GET", Path: "/v1/assets/{id}/lineage", Tag: "assets",
			Function: "assets:Lineage", CursorFields: []string{"derivedBookmark"},
			Summary:     "The sources a data product was derived from and the first page of products derived from it.",
			Description: "derivedBookmark is a cursor for GET /v1/assets/{id}/derived.",
			Params:      []Param{id}, Result: returns((*assets.Contract).Lineage),
		},
		{
			ID: "listDerivedAssets", Method: "GET", Path: "/v1/assets/{id}/derived", Tag: "assets",
			Function: "assets:ListDerived", List: true,
			Summary: "One page of the IDs of the products derived from an asset.",
			Params:  []Param{id, limitParam, cursorParam}, Result: items((*assets.Contract).ListDerived),
		},
		{
			ID: "listAssetsByHolder", Method: "GET", Path: "/v1/participants/{holderId}/assets", Tag: "assets",
			Function: "assets:ListByHolder", List: true,
			Summary: "One page of the assets a participant holds or has applied for.",
			Params:  []Param{idParam("holderId", "participant"), limitParam, cursorParam}, Result: items((*assets.Contract).ListByHolder),
		},
		{
			ID: "getRegistrationRules", Method: "GET", Path: "/v1/registration-rules", Tag: "assets",
			Function: "assets:GetRules", Summary: "The registration rules in force (public-notice period).",
			Result: returns((*assets.Contract).GetRules),
		},
		{
			ID: "setNoticePeriod", Method: "PUT", Path: "/v1/registration-rules/notice-period", Tag: "assets",
			Function: "assets:SetNoticePeriod", Submit: true, Roles: []string{RoleOperator},
			Summary:     "Set the market-wide public-notice period, 1 second to 30 days (default three days).",
			Description: "Any operator may propose it; a majority of the orgs must endorse the change.",
			Params:      []Param{{Name: "seconds", In: InBody, Type: Integer, Required: true, Minimum: ptr(1), Description: "Length of the public-notice period in seconds, 1 to 2592000."}},
			Result:      returns((*assets.Contract).SetNoticePeriod),
		},
	}
}

func rightRoutes() []Route {
	id := idParam("rightId", "right")
	scope := Param{Name: "scope", In: InBody, Type: Object, Required: true, Schema: scopeSchema, Description: "The scope of the right. " + scopeNote}
	return []Route{
		{
			ID: "grantRight", Method: "POST", Path: "/v1/rights", Tag: "rights",
			Function: "rights:Grant", Submit: true, Created: true, Roles: []string{RoleHolder},
			Summary:     "Grant a USE or OPERATION right over a REGISTERED asset.",
			Description: "Only the asset's holder may grant.",
			Params: []Param{
				{Name: "assetId", In: InBody, Type: String, Required: true, Pattern: idPattern, Description: "The asset."},
				{Name: "granteeId", In: InBody, Type: String, Required: true, Pattern: idPattern, Description: "The participant receiving the right."},
				{Name: "rightType", In: InBody, Type: String, Required: true, Enum: []string{"USE", "OPERATION"}, Description: "USE (processing and use) or OPERATION (product operation)."},
				scope,
			},
			Result: returns((*assets.RightsContract).Grant),
		},
		{
			ID: "sublicenseRight", Method: "POST", Path: "/v1/rights/{parentRightId}/sublicenses", Tag: "rights",
			Function: "rights:Sublicense", Submit: true, Created: true,
			Summary:     "License a right on, within its scope.",
			Description: "The caller holds the parent right, which must be usable now, allow sublicensing and cover the scope.",
			Params: []Param{
				idParam("parentRightId", "right licensed on"),
				{Name: "granteeId", In: InBody, Type: String, Required: true, Pattern: idPattern, Description: "The participant receiving the right."},
				scope,
			},
			Result: returns((*assets.RightsContract).Sublicense),
		},
		{
			ID: "revokeRight", Method: "POST", Path: "/v1/rights/{rightId}/revoke", Tag: "rights",
			Function: "rights:Revoke", Submit: true,
			Summary: "End an ACTIVE USE or OPERATION right, with a reason.",
			Params:  []Param{id, text("reason", "Why.", 500)},
			Result:  returns((*assets.RightsContract).Revoke),
		},
		{
			ID: "transferHolding", Method: "POST", Path: "/v1/assets/{assetId}/holding/transfer", Tag: "rights",
			Function: "rights:TransferHolding", Submit: true, Roles: []string{RoleHolder},
			Summary:     "Give the holding of a REGISTERED asset to another participant outside a trade.",
			Description: "The caller must be the holder and the holding must not be promised to a trade. Returns the new HOLDING right.",
			Params: []Param{
				idParam("assetId", "asset"),
				{Name: "newHolderId", In: InBody, Type: String, Required: true, Pattern: idPattern, Description: "The new holder."},
				text("reason", "Why (a gift, a merger).", 500),
			},
			Result: returns((*assets.RightsContract).TransferHolding),
		},
		{
			ID: "getRight", Method: "GET", Path: "/v1/rights/{rightId}", Tag: "rights",
			Function: "rights:Get", Summary: "A right certificate.",
			Params: []Param{id}, Result: returns((*assets.RightsContract).Get),
		},
		{
			ID: "getRightHistory", Method: "GET", Path: "/v1/rights/{rightId}/history", Tag: "rights",
			Function: "rights:History", Summary: "Every committed version of a right record.",
			Params: []Param{id}, Result: returns((*assets.RightsContract).History),
		},
		{
			ID: "listRightsByHolder", Method: "GET", Path: "/v1/participants/{holderId}/rights", Tag: "rights",
			Function: "rights:ListByHolder", List: true,
			Summary: "One page of the rights a participant holds or held.",
			Params:  []Param{idParam("holderId", "participant"), limitParam, cursorParam}, Result: items((*assets.RightsContract).ListByHolder),
		},
		{
			ID: "listRightsByAsset", Method: "GET", Path: "/v1/assets/{assetId}/rights", Tag: "rights",
			Function: "rights:ListByAsset", List: true,
			Summary: "One page of the rights over an asset, of every type and status.",
			Params:  []Param{idParam("assetId", "asset"), limitParam, cursorParam}, Result: items((*assets.RightsContract).ListByAsset),
		},
	}
}

func ptr(n int64) *int64 { return &n }
