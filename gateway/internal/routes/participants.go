package routes

func participantRoutes() []Route {
	return []Route{
		ChaincodeRoute{
			Operation: Operation{ID: "registerParticipant", Method: "POST", Path: "/v1/participants", Tag: "participants", Roles: []string{RoleOrgAdmin}, Created: true,
				Summary:     "Register a member of the caller's org.",
				Description: "Only an admin of the org (its Fabric admin identity) registers members, with roles, the enterprise's USCC, a name and the org's region (the one the market rules bind the org to). The certificate must chain to the org's CA as the market rules hold it; a USCC registered in another org is a 409 until that org releases it; the regulator role only for a participant the market rules name, and an ID they name a regulator of another org is a 403; an admin's certificate is no member's (400 naming certificatePem). The member's role then lives on the ledger.",
			},
			Function: "participants:Register",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "whoAmI", Method: "GET", Path: "/v1/participants/me", Tag: "participants",
				Summary: "The caller's own participant record.",
			},
			Function: "participants:WhoAmI",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "getParticipant", Method: "GET", Path: "/v1/participants/{id}", Tag: "participants",
				Summary: "A participant (public market information).",
			},
			Function: "participants:Get",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "listParticipants", Method: "GET", Path: "/v1/participants", Tag: "participants",
				Summary: "One page of an org's participants, optionally those with one role.",
			},
			Function: "participants:List",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "setParticipantRoles", Method: "PUT", Path: "/v1/participants/{id}/roles", Tag: "participants", Roles: []string{RoleOrgAdmin},
				Summary: "Replace the roles of a member of the caller's org.",
			},
			Function: "participants:SetRoles",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "setParticipantDivision", Method: "PUT", Path: "/v1/participants/{id}/division", Tag: "participants", Roles: []string{RoleOrgAdmin},
				Summary:     "Place a member of the caller's org in a city or district.",
				Description: "The division is a city or county-level code of GB/T 2260 (with the statistical functional zones) in the member's region; the assets the member applies for from then on count there in the published indices.",
			},
			Function: "participants:SetDivision",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "suspendParticipant", Method: "POST", Path: "/v1/participants/{id}/suspend", Tag: "participants", Roles: []string{RoleOrgAdmin},
				Summary: "Stop a member of the caller's org from acting.",
			},
			Function: "participants:Suspend",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "reinstateParticipant", Method: "POST", Path: "/v1/participants/{id}/reinstate", Tag: "participants", Roles: []string{RoleOrgAdmin},
				Summary: "Let a suspended member of the caller's org act again.",
			},
			Function: "participants:Reinstate",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "rotateParticipantKey", Method: "POST", Path: "/v1/participants/me/key", Tag: "participants",
				Summary: "Bind the caller's participant record to the key of a new certificate of its own identity.",
				Description: "The ledger acts for a participant only with a certificate of the key its record binds (keySha256), so that a certificate the org's CA issued with the member's subject for another key is not the member. " +
					"A member that re-enrolled a new key (`deltaledger reenroll` does this before it writes the new key) binds it here, in a call signed with its current key: any participant, whether it signs its own calls or the gateway holds its key. " +
					"The certificate must be of the caller's identity (subject and issuer) and org, issued by a CA of its org as the market rules hold it, in force now, not an admin's (400 naming certificatePem otherwise) and, for a certified participant, certify the same enterprise; the key bound already is a 409. " +
					"From the commit on, the previous key is refused (403).",
			},
			Function: "participants:RotateKey",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "rebindParticipantKey", Method: "POST", Path: "/v1/participants/{id}/key", Tag: "participants", Roles: []string{RoleOrgAdmin},
				Summary: "Bind a member of the caller's org to the key of a certificate, for a member that lost its key or enrolled again.",
				Description: "Only an admin of the member's org (its Fabric admin identity), with a reason, for an ACTIVE or SUSPENDED member: a member whose certificates were revoked and who enrolled again (POST /v1/participants/{id}/enrollment), or one that lost its key. " +
					"The certificate is checked as for a rotation. The member sees who bound its key and why: keyBoundAt and keyRebindReason on its record, and the event ParticipantKeyRebound.",
			},
			Function: "participants:RebindKey",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "getEnterprise", Method: "GET", Path: "/v1/enterprises/{uscc}", Tag: "participants",
				Summary: "The org an enterprise (USCC) is registered in: an enterprise is one identity on the ledger.",
			},
			Function: "participants:GetEnterprise",
		},
		ChaincodeRoute{
			Operation: Operation{ID: "releaseEnterprise", Method: "POST", Path: "/v1/enterprises/{uscc}/release", Tag: "participants", Roles: []string{RoleOrgAdmin},
				Summary:     "Release an enterprise of the caller's org, so that another region may register it.",
				Description: "The first step of moving an enterprise between regions: its participants in the caller's org become RELEASED (they never act again); then the new region's admin registers it.",
			},
			Function: "participants:ReleaseEnterprise",
		},
	}
}
