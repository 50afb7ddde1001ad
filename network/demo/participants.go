package demo

import (
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"strings"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// Roles of the demo users, in the order of identities.env.
var Roles = model.Roles

// regionCodes are the administrative-division prefixes of the regions, used
// to make plausible enterprise codes.
var regionCodes = map[string]string{"shanghai": "3100", "jiangsu": "3200", "zhejiang": "3300", "anhui": "3400"}

// ParticipantID is the demo participant ID of a role in an org: "jiangsu.buyer".
func ParticipantID(org, role string) string { return org + "." + role }

// USCC returns the demo enterprise code of a role in an org: a valid Unified
// Social Credit Code whose check character is computed as GB 32100 defines.
func USCC(org, role string) string {
	idx := 0
	for i, r := range Roles {
		if r == role {
			idx = i
		}
	}
	code, ok := regionCodes[org]
	if !ok {
		// A region added to the running network: a code of its own, from its name.
		code = fmt.Sprintf("99%02d", crc32.ChecksumIEEE([]byte(org))%100)
	}
	prefix := fmt.Sprintf("91%s00MA1FL%d%d00", code, idx, len(org)%10)
	return prefix + string(checkChar(prefix))
}

func checkChar(prefix17 string) byte {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	weights := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(alphabet, prefix17[i]) * weights[i]
	}
	return alphabet[(31-sum%31)%31]
}

// enterpriseNames are the demo display names of each role.
var enterpriseNames = map[string]string{
	"operator":  "Data Exchange",
	"holder":    "Data Holdings Co., Ltd.",
	"buyer":     "Analytics Co., Ltd.",
	"agency":    "Credit Reference Co., Ltd.",
	"regulator": "Data Administration Bureau",
}

// Name is the demo display name of a role in an org: "Jiangsu Analytics Co., Ltd.".
func Name(org, role string) string {
	return strings.ToUpper(org[:1]) + org[1:] + " " + enterpriseNames[role]
}

// CertifiedAttributes are the Fabric CA attributes certified in the certificate of the demo user of role in org
// (network/enroll registers it with them), as onboarding certifies them: its enterprise, role and legal name when
// role is an enterprise role; none for operators and regulators, the exchanges' and authorities' staff. A region
// added to the running network (scripts/add-region.sh) has its enterprises too, so that its members trade.
func CertifiedAttributes(org, role string) map[string]string {
	if !slices.Contains(model.EnterpriseRoles, role) {
		return nil
	}
	return map[string]string{model.AttrUSCC: USCC(org, role), model.AttrRoles: role, model.AttrLegalName: Name(org, role)}
}

// RegisterParticipants has each org's admin register the org's demo users with
// their roles. Participants that exist already are left as they are, so it
// can run against a network that was seeded before.
func RegisterParticipants(ctx context.Context, net *fabricnet.Network, out io.Writer) error {
	for _, org := range net.Config().Orgs {
		admin, err := Connect(net, org.Key, "Admin")
		if err != nil {
			return err
		}
		for _, role := range Roles {
			id, _, err := net.Identity(org.Key, role)
			if err != nil {
				admin.Close()
				return err
			}
			_, err = admin.Submit(ctx, "participants:Register", []string{
				ParticipantID(org.Key, role), string(id.Credentials()), role, USCC(org.Key, role), Name(org.Key, role), org.Key,
			})
			if e, ok := CodeOf(err); ok && e.Code == ledgererr.Conflict {
				err = nil // registered by an earlier run
			}
			if err != nil {
				admin.Close()
				return fmt.Errorf("registering %s: %w", ParticipantID(org.Key, role), err)
			}
			fmt.Fprintf(out, "participant %-20s %s\n", ParticipantID(org.Key, role), role)
		}
		admin.Close()
	}
	return nil
}
