package routes

import (
	"fmt"
	"time"

	"github.com/deltaledger/deltaledger/model"
)

// offerWindowDays is model.OfferWindow in days, as the descriptions of the
// offers' routes say it.
var offerWindowDays = fmt.Sprintf("%d days", model.OfferWindow/(24*time.Hour))

func assetRoutes() []Route {
	return []Route{
		ChaincodeRoute{
			Operation: Operation{ID: "applyAsset", Method: "POST", Path: "/v1/assets", Tag: "assets", Roles: []string{model.RoleHolder}, Created: true,
				Summary:     "Apply to register a data asset.",
				Description: "The caller (a holder) is the applicant and initial holder; its region's exchange reviews the application (PENDING_REVIEW). A content hash can be registered once.",
			},
			Function: "assets:Apply",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "deriveAsset", Method: "POST", Path: "/v1/assets/derived", Tag: "assets", Roles: []string{model.RoleHolder}, Created: true,
				Summary:     "Apply to register a data product derived from registered assets (lineage).",
				Description: "The caller must be entitled to process each source now for the purpose: it holds it, or holds a usable USE right over it licensed for that purpose and covering sourceRegion. The lineage and the purpose are recorded on the product.",
			},
			Function: "assets:Derive",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "getAsset", Method: "GET", Path: "/v1/assets/{id}", Tag: "assets",
				Summary: "An asset (public register).",
			},
			Function: "assets:Get",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "reviewAsset", Method: "POST", Path: "/v1/assets/{id}/review", Tag: "assets", Roles: []string{model.RoleOperator},
				Summary:     "The exchange's decision on an application: APPROVE (public notice) or REJECT with a reason.",
				Description: "By an operator of the applicant's regional exchange other than the applicant. An application recorded before chaincode interface 16.0.0 is reviewed again in public notice too (APPROVE starts a new notice) before it can be certified; an asset ever registered is a 409.",
			},
			Function: "assets:Review",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "objectToAsset", Method: "POST", Path: "/v1/assets/{assetId}/objections", Tag: "assets", Created: true,
				Summary:     "Object to an application during its public-notice period.",
				Description: "Any active participant may. The objection is OPEN until the exchange decides it; certification waits for that.",
			},
			Function: "assets:Object",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listAssetObjections", Method: "GET", Path: "/v1/assets/{assetId}/objections", Tag: "assets",
				Summary: "Every objection filed against an asset.",
			},
			Function: "assets:Objections",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "decideAssetObjection", Method: "POST", Path: "/v1/assets/{assetId}/objections/{objectionId}/decide", Tag: "assets", Roles: []string{model.RoleOperator},
				Summary:     "Decide an OPEN objection: UPHOLD (withdraws the application) or DISMISS.",
				Description: "By an operator of the exchange running the procedure, other than the objector.",
			},
			Function: "assets:DecideObjection",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "certifyAsset", Method: "POST", Path: "/v1/assets/{id}/certify", Tag: "assets", Roles: []string{model.RoleHolder, model.RoleOperator},
				Summary:     "Complete a registration after its public notice: the asset is REGISTERED and the holder receives its HOLDING right.",
				Description: "No objection may be left OPEN. The holder or an operator of the exchange may certify. An application recorded before chaincode interface 16.0.0 and not reviewed since is a 409: the exchange reviews it again first. An asset is certified once.",
			},
			Function: "assets:Certify",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "verifyAssetContent", Method: "GET", Path: "/v1/assets/{id}/content-check", Tag: "assets",
				Summary: "Check whether a SHA-256 of data someone holds is the content registered as the asset.",
			},
			Function: "assets:VerifyContent",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "getAssetHistory", Method: "GET", Path: "/v1/assets/{id}/history", Tag: "assets",
				Summary:     "One page of an asset's history, oldest first: registration, every right granted, sublicensed, sold, revoked or expired over it, holding moves, products derived.",
				Description: "Each entry names its transaction and time. An EXPIRED entry carries the time the term ended and the transaction that issued the right; it shows once that time has come.",
			},
			Function: "assets:History",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "getAssetLineage", Method: "GET", Path: "/v1/assets/{id}/lineage", Tag: "assets",
				Summary:     "The sources a data product was derived from and the first page of products derived from it.",
				Description: "derivedBookmark is a cursor for GET /v1/assets/{id}/derived.",
			},
			Function: "assets:Lineage", CursorFields: []string{"derivedBookmark"},
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listDerivedAssets", Method: "GET", Path: "/v1/assets/{id}/derived", Tag: "assets",
				Summary: "One page of the IDs of the products derived from an asset.",
			},
			Function: "assets:ListDerived",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listAssetsByHolder", Method: "GET", Path: "/v1/participants/{holderId}/assets", Tag: "assets",
				Summary: "One page of the assets a participant holds or has applied for.",
			},
			Function: "assets:ListByHolder",
		},
	}
}

func rightRoutes() []Route {
	return []Route{
		ChaincodeRoute{
			Operation: Operation{ID: "grantRight", Method: "POST", Path: "/v1/rights", Tag: "rights", Roles: []string{model.RoleHolder}, Created: true,
				Summary:     "Offer a USE or OPERATION right over a REGISTERED asset to a grantee.",
				Description: "Only the asset's holder may grant. The right is OFFERED and entitles nothing until the grantee accepts it (POST /v1/rights/{rightId}/accept) by its offerExpiresAt (" + offerWindowDays + " after the offer, or the end of its term if sooner), after which the offer lapses and reads EXPIRED; the grantee may decline it, and the grantor withdraw it (revoke) meanwhile.",
			},
			Function: "rights:Grant",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "sublicenseRight", Method: "POST", Path: "/v1/rights/{parentRightId}/sublicenses", Tag: "rights", Created: true,
				Summary:     "License a right on, within its scope.",
				Description: "The caller holds the parent right, which must be usable now, allow sublicensing and cover the scope. The sublicence is OFFERED until the grantee accepts or declines it, and lapses by its offerExpiresAt as a grant does.",
			},
			Function: "rights:Sublicense",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "revokeRight", Method: "POST", Path: "/v1/rights/{rightId}/revoke", Tag: "rights",
				Summary: "End an ACTIVE USE or OPERATION right, or withdraw an OFFERED one, with a reason; a RENOUNCED right is revoked too, which ends what was sold under it.",
			},
			Function: "rights:Revoke",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "acceptRight", Method: "POST", Path: "/v1/rights/{rightId}/accept", Tag: "rights",
				Summary: "Accept a right offered to the caller (a grant or a sublicence): it becomes ACTIVE.",
				Description: "Only the right's grantee may accept it, while it is OFFERED and the offer still stands: the asset REGISTERED, a grant's grantor still its holder " +
					"and the holding promised to no trade, a sublicence's parent still usable, the term not ended and the offer not lapsed (offerExpiresAt, by the transaction's time and the endorsing peer's clock); otherwise a CONFLICT.",
			},
			Function: "rights:Accept",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "declineRight", Method: "POST", Path: "/v1/rights/{rightId}/decline", Tag: "rights",
				Summary:     "Decline a right offered to the caller, with a reason: it reads DECLINED and never entitled anything.",
				Description: "Only the right's grantee may decline it, while it is OFFERED; an accepted right is renounced instead.",
			},
			Function: "rights:Decline",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "renounceRight", Method: "POST", Path: "/v1/rights/{rightId}/renounce", Tag: "rights",
				Summary: "Give up a USE or OPERATION right the caller holds.",
				Description: "Only the right's holder may renounce it; a HOLDING right moves by transfer or trade instead, a right OFFERED and not yet accepted is declined instead, and a right no longer ACTIVE, or backing a licence its holder sold in a trade not yet ended, is a CONFLICT. " +
					"The right reads RENOUNCED and its sublicences can no longer be used; a right sold under it in a trade stands, within its term.",
			},
			Function: "rights:Renounce",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "transferHolding", Method: "POST", Path: "/v1/assets/{assetId}/holding/transfer", Tag: "rights", Roles: []string{model.RoleHolder},
				Summary: "Offer the holding of a REGISTERED asset to another participant outside a trade (nothing moves until the recipient accepts).",
				Description: "The caller must be the holder, the holding must not be promised to a trade nor back a licence the holder sold from it in a trade not yet ended, and no other offer of it may be open. " +
					"The recipient accepts or refuses within 7 days (the endorsing peers' clocks judge the deadline); the holder may withdraw the offer until then. Returns the offer.",
			},
			Function: "rights:TransferHolding",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "getHoldingOffer", Method: "GET", Path: "/v1/assets/{assetId}/holding/offer", Tag: "rights",
				Summary: "The open offer of an asset's holding; 404 when there is none (answered offers are in the asset's history).",
			},
			Function: "rights:GetHoldingOffer",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "acceptHolding", Method: "POST", Path: "/v1/assets/{assetId}/holding/accept", Tag: "rights",
				Summary: "Accept an offered holding (its recipient, before the offer expires): the holding moves, and the new HOLDING right is returned.",
			},
			Function: "rights:AcceptHolding",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "refuseHolding", Method: "POST", Path: "/v1/assets/{assetId}/holding/refuse", Tag: "rights",
				Summary: "Refuse an offered holding (its recipient): nothing moves.",
			},
			Function: "rights:RefuseHolding",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "withdrawHolding", Method: "POST", Path: "/v1/assets/{assetId}/holding/withdraw", Tag: "rights", Roles: []string{model.RoleHolder},
				Summary: "Withdraw an offer of the holding (the holder who offered it): nothing moves.",
			},
			Function: "rights:WithdrawHolding",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "getRight", Method: "GET", Path: "/v1/rights/{rightId}", Tag: "rights",
				Summary: "A right certificate.",
			},
			Function: "rights:Get",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "getRightHistory", Method: "GET", Path: "/v1/rights/{rightId}/history", Tag: "rights",
				Summary: "Every committed version of a right record.",
			},
			Function: "rights:History",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listRightsByHolder", Method: "GET", Path: "/v1/participants/{holderId}/rights", Tag: "rights",
				Summary: "One page of the rights a participant holds or held.",
			},
			Function: "rights:ListByHolder",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listRightsByAsset", Method: "GET", Path: "/v1/assets/{assetId}/rights", Tag: "rights",
				Summary: "One page of the rights over an asset, of every type and status.",
			},
			Function: "rights:ListByAsset",
		},
	}
}
