package routes

import "github.com/deltaledger/deltaledger/chaincode/participants"

func participantRoutes() []Route {
	id := idParam("id", "participant")
	roles := Param{Name: "roles", In: InBody, Type: StringList, Required: true, Enum: AllRoles,
		Description: "The participant's roles, at least one."}
	return []Route{
		{
			ID: "registerParticipant", Method: "POST", Path: "/v1/participants", Tag: "participants",
			Function: "participants:Register", Submit: true, Created: true, Roles: []string{RoleOrgAdmin},
			Summary:     "Register a member of the caller's org.",
			Description: "Only an admin of the org (its Fabric admin identity) registers members, with roles, the enterprise's USCC, a name and the org's region. The member's role then lives on the ledger.",
			Params: []Param{
				bodyID("id", "participant"),
				{Name: "certificatePem", In: InBody, Type: String, Required: true, MaxLength: 16384,
					Description: "The member's X.509 certificate (PEM), issued by the org's CA."},
				roles,
				{Name: "uscc", In: InBody, Type: String, Required: true, Pattern: usccPattern,
					Description: "Unified Social Credit Code of the enterprise the member acts for (18 characters, check character verified)."},
				text("name", "Display name.", 100),
				{Name: "region", In: InBody, Type: String, Required: true, Enum: Regions,
					Description: "The org's region. " + regionsNote},
			},
			Result: returns((*participants.Contract).Register),
		},
		{
			ID: "whoAmI", Method: "GET", Path: "/v1/participants/me", Tag: "participants",
			Function: "participants:WhoAmI",
			Summary:  "The caller's own participant record.",
			Result:   returns((*participants.Contract).WhoAmI),
		},
		{
			ID: "getParticipant", Method: "GET", Path: "/v1/participants/{id}", Tag: "participants",
			Function: "participants:Get",
			Summary:  "A participant (public market information).",
			Params:   []Param{id},
			Result:   returns((*participants.Contract).Get),
		},
		{
			ID: "listParticipants", Method: "GET", Path: "/v1/participants", Tag: "participants",
			Function: "participants:List", List: true,
			Summary: "One page of an org's participants, optionally those with one role.",
			Params: []Param{
				{Name: "mspId", In: InQuery, Type: String, Required: true, MaxLength: 64, Description: "The org's MSP ID, e.g. ShanghaiMSP."},
				{Name: "role", In: InQuery, Type: String, Enum: AllRoles, Description: "Only participants holding this role."},
				limitParam, cursorParam,
			},
			Result: items((*participants.Contract).List),
		},
		{
			ID: "setParticipantRoles", Method: "PUT", Path: "/v1/participants/{id}/roles", Tag: "participants",
			Function: "participants:SetRoles", Submit: true, Roles: []string{RoleOrgAdmin},
			Summary: "Replace the roles of a member of the caller's org.",
			Params:  []Param{id, roles},
			Result:  returns((*participants.Contract).SetRoles),
		},
		{
			ID: "suspendParticipant", Method: "POST", Path: "/v1/participants/{id}/suspend", Tag: "participants",
			Function: "participants:Suspend", Submit: true, Roles: []string{RoleOrgAdmin},
			Summary: "Stop a member of the caller's org from acting.",
			Params:  []Param{id, text("reason", "Why, recorded on the participant.", 500)},
			Result:  returns((*participants.Contract).Suspend),
		},
		{
			ID: "reinstateParticipant", Method: "POST", Path: "/v1/participants/{id}/reinstate", Tag: "participants",
			Function: "participants:Reinstate", Submit: true, Roles: []string{RoleOrgAdmin},
			Summary: "Let a suspended member of the caller's org act again.",
			Params:  []Param{id},
			Result:  returns((*participants.Contract).Reinstate),
		},
	}
}
