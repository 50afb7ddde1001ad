package main

import (
	"context"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/internal/private"
	"github.com/deltaledger/deltaledger/model"
)

func (a *app) membersCommand() *cobra.Command {
	return group("members", "Onboard enterprises into your org, and cut suspended ones off", "",
		a.membersRegisterCommand(),
		a.membersRevokeCommand(),
		a.membersReinviteCommand())
}

// membersRegisterCommand is `members register`.
func (a *app) membersRegisterCommand() *cobra.Command {
	var req client.OnboardRequest
	var roles string
	register := &cobra.Command{
		Use:   "register --legal-name NAME --uscc USCC --roles ROLE[,ROLE] [--division CODE]",
		Short: "Onboard an enterprise into your org (operators): answers its one-time enrollment secret",
		Long: "The gateway registers the enterprise with your org's Fabric CA, which certifies its USCC, roles and\n" +
			"legal name (and division, with --division) in its certificate, and answers the enrollment ID and a\n" +
			"secret that enrolls once. Hand both to the enterprise, which runs 'deltaledger enroll' on its own\n" +
			"machine. Roles: " + strings.Join(model.EnterpriseRoles, ", ") + ". The ledger places the member in the certified division\n" +
			"when it is registered.",
		Example: `  deltaledger --org jiangsu --role operator members register --legal-name "Suzhou Data Co., Ltd." \
    --uscc 91320500MA1MXXXX0X --roles holder,buyer --division 320576`,
		Args: exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			req.Roles = strings.Split(roles, ",")
			return c.Members().Register(ctx, req)
		}),
	}
	register.Flags().StringVar(&req.LegalName, "legal-name", "", "the enterprise's registered legal name")
	register.Flags().StringVar(&req.USCC, "uscc", "", "its Unified Social Credit Code (18 characters)")
	register.Flags().StringVar(&roles, "roles", "", "its roles, comma-separated: "+strings.Join(model.EnterpriseRoles, ", "))
	register.Flags().StringVar(&req.Division, "division", "", "where it is: six-digit GB/T 2260 code of a city or county-level division of your region, e.g. 320576 (certified; optional)")
	required(register, "legal-name", "uscc", "roles")
	return register
}

// membersRevokeCommand is `members revoke`.
func (a *app) membersRevokeCommand() *cobra.Command {
	var admin channelAdmin
	var revoke *cobra.Command
	revoke = &cobra.Command{
		Use:   "revoke PARTICIPANT_ID [--channel-admin DIR --peer HOST:PORT --orderer HOST:PORT --fabric-cacert FILE]",
		Short: "Revoke the certificates of a suspended member at your org's CA (org admin)",
		Long: "The gateway revokes, at your org's Fabric CA, every certificate of a participant the ledger records\n" +
			"SUSPENDED and refuses them from then on. 'participants suspend' does it after the suspension; run this\n" +
			"when that second step failed, or after 'participants suspend --keep-certificates'. Running it again\n" +
			"revokes what is left.\n\n" +
			"The peers check certificates against your org's MSP in the channel configuration, not against the CA:\n" +
			"with --channel-admin (your org admin's own MSP folder; its key signs here) the CA's CRL goes into that\n" +
			"MSP by a channel configuration update only your org's admin signs, and the command waits until your\n" +
			"peer has committed it. From then on every peer and orderer refuses the certificates, also from a member\n" +
			"that talks to them with a Fabric client of its own.",
		Args: exactArgs("PARTICIPANT_ID"),
		RunE: a.runE(func(ctx context.Context, c *client.Client, args []string) (any, error) {
			publishing, err := admin.resolve(a, revoke)
			if err != nil {
				return nil, err
			}
			revoked, published, err := a.revokeAndPublish(ctx, c, &admin, publishing, args[0])
			if err != nil || published == nil {
				return revoked, err
			}
			return revokedEverywhere{revoked, published}, nil
		}),
	}
	admin.add(revoke)
	return revoke
}

// membersReinviteCommand is `members reinvite`.
func (a *app) membersReinviteCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "reinvite PARTICIPANT_ID",
		Short: "Let a reinstated member enroll again: a new one-time secret for its identity (operators)",
		Long: "A revoked certificate never comes back. When your org's admin has reinstated a member whose\n" +
			"certificates were all revoked ('participants reinstate'), the gateway gives its identity at your org's\n" +
			"CA a new one-time enrollment secret. Hand the answer to the enterprise, which runs 'deltaledger enroll'\n" +
			"on its own machine: its new certificate has the same subject, so the ledger takes it as the same\n" +
			"participant, and certifies the same enterprise. A member that still holds a valid certificate rotates\n" +
			"its key with 'deltaledger reenroll' instead.",
		Args: exactArgs("PARTICIPANT_ID"),
		RunE: a.runE(func(ctx context.Context, c *client.Client, args []string) (any, error) {
			return c.Members().Reinvite(ctx, args[0])
		}),
	}
}

func (a *app) enrollCommand() *cobra.Command {
	var id, secret, mspDir string
	var cmd *cobra.Command
	cmd = &cobra.Command{
		Use:   "enroll --id ENROLLMENT_ID --msp-dir DIR",
		Short: "Enroll with an invitation: make your key pair here and get its certificate",
		Long: "Generates a P-256 key pair on this machine, sends only a certificate signing request with the\n" +
			"invitation's one-time secret to the gateway (which passes it to its org's CA; no API key needed), and\n" +
			"writes the key and the certificate as a Fabric MSP folder: DIR/keystore/priv_sk (mode 600),\n" +
			"DIR/signcerts/cert.pem, DIR/cacerts/ca.pem. The key never leaves this machine. Prints the certificate's\n" +
			"subject and certified attributes. With --pkcs11-lib, --pkcs11-label and --pkcs11-pin the key pair is made\n" +
			"inside that token (an HSM or a USB key), not extractable, and DIR gets no keystore.\n\n" +
			"Then sign your own transactions: --client-cert DIR/signcerts/cert.pem with --key DIR/keystore/priv_sk, or\n" +
			"with the same --pkcs11-* flags; the gateway holds no key of yours. Enroll writes these settings, with the\n" +
			"gateway and its CA file, as the member profile DIR/" + memberProfileName + " (no secret: a token's PIN stays in\n" +
			"DELTALEDGER_PKCS11_PIN), so that '--member DIR' is all a later command needs.\n\n" +
			"The invitation's one-time secret comes from DELTALEDGER_ENROLLMENT_SECRET (or --secret, which shows in the\n" +
			"process list: another user of the machine could read it and enroll before you).",
		Example: `  DELTALEDGER_ENROLLMENT_SECRET="$SECRET" deltaledger --gateway https://127.0.0.1:27280 \
    --cacert jiangsu-tls-ca.pem enroll --id 91320500MA1MXXXX0X --msp-dir ./my-msp`,
		Args: exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			if !cmd.Flags().Changed("secret") {
				secret = a.getenv("DELTALEDGER_ENROLLMENT_SECRET")
			}
			if secret == "" {
				return nil, usagef("no enrollment secret: give the invitation's one-time secret in DELTALEDGER_ENROLLMENT_SECRET (or --secret, which shows in the process list)")
			}
			if err := prepareMSPDir(mspDir); err != nil {
				return nil, err
			}
			var e *client.Enrollment
			keyFile := "" // in DIR; none for a key in a token
			if a.setting("pkcs11-lib", a.pkcs11Lib, "DELTALEDGER_PKCS11_LIB") != "" {
				// The key pair is made in the token and never leaves it; DIR gets the certificates only.
				token, err := a.openToken()
				if err != nil {
					return nil, err
				}
				key, err := token.GenerateKey(id)
				if err != nil {
					return nil, err
				}
				e, err = c.Members().EnrollWithSigner(ctx, id, secret, key)
				if err != nil {
					return nil, err
				}
			} else {
				var err error
				if e, err = c.Members().Enroll(ctx, id, secret); err != nil {
					return nil, err
				}
				keyFile = client.MSPKeyFile
			}
			if err := e.WriteMSP(mspDir); err != nil {
				return nil, err
			}
			profile, err := a.writeMemberProfile(mspDir, keyFile)
			if err != nil {
				return nil, err
			}
			out, err := enrolledOf(mspDir, e)
			if err != nil {
				return nil, err
			}
			out.Profile, out.MSPID = profile, e.MSPID
			return out, nil
		}),
	}
	cmd.Flags().StringVar(&id, "id", "", "the invitation's enrollment ID (the enterprise's USCC)")
	cmd.Flags().StringVar(&secret, "secret", "", "the invitation's one-time secret (prefer env DELTALEDGER_ENROLLMENT_SECRET: a flag shows in the process list)")
	cmd.Flags().StringVar(&mspDir, "msp-dir", "", "the folder to write the key and certificate to (new or empty)")
	required(cmd, "id", "msp-dir")
	return cmd
}

// enrolled is what 'deltaledger enroll' prints.
type enrolled struct {
	MSPDir    string `json:"mspDir"`
	Profile   string `json:"profile,omitempty"`
	MSPID     string `json:"mspId,omitempty"`
	USCC      string `json:"uscc"`
	Roles     string `json:"roles"`
	LegalName string `json:"legalName"`
	Division  string `json:"division,omitempty"`
	// KeySHA256 is the key the ledger bound (reenroll; none with --ca-only).
	KeySHA256 string `json:"keySha256,omitempty"`
}

// enrolledOf is what enroll and reenroll print of the enrollment e they wrote to the MSP folder dir: the folder
// and what e's certificate certifies.
func enrolledOf(dir string, e *client.Enrollment) (enrolled, error) {
	attrs, err := e.Attributes()
	if err != nil {
		return enrolled{}, err
	}
	return enrolled{MSPDir: dir, USCC: attrs[model.AttrUSCC], Roles: attrs[model.AttrRoles],
		LegalName: attrs[model.AttrLegalName], Division: attrs[model.AttrDivision]}, nil
}

// prepareMSPDir makes the MSP folder enroll writes to (mode 700), or checks the one there, before the one-time
// secret is sent: it must be empty, and no other user of the machine may own or write it, since that user could
// then rewrite the member profile or swap the key and certificate. Made or checked now, it stays the member's:
// another user cannot replace it afterwards, even in a shared folder such as /tmp (its sticky bit).
func prepareMSPDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return usageError{err}
	}
	if err := private.Check(dir); err != nil {
		return usageError{err}
	}
	if entries, err := os.ReadDir(dir); err != nil {
		return usageError{err}
	} else if len(entries) > 0 {
		return usagef("--msp-dir %s is not empty", dir)
	}
	return nil
}
