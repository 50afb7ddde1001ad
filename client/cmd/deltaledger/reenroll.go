package main

import (
	"bytes"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The ledger acts for a participant only with a certificate of the key its record binds, so a participant that
// re-enrolls binds the new key on the ledger (participants:RotateKey), signed with the current key, before the new
// key replaces it in the MSP folder: when the ledger refuses, nothing is written and the current certificate stays
// valid (Fabric CA's reenroll revokes nothing). An enrollment that is no participant yet (re-enrolled before its
// registration) has nothing to bind: the member says so with --ca-only. It is never guessed from the ledger's
// answers: WhoAmI refuses alike an identity that is not registered, a suspended participant and a certificate of
// another key than the bound one, and a failure of the network must not pass for any of them.

func (a *app) reenrollCommand() *cobra.Command {
	var caURL, mspDir string
	var caOnly bool
	cmd := &cobra.Command{
		Use:   "reenroll --ca URL --msp-dir DIR [--ca-only]",
		Short: "Rotate your key before your certificate expires: a certificate of a new key at your region's CA, bound on the ledger",
		Long: "Generates a new P-256 key pair on this machine and asks the Fabric CA that issued the certificate in\n" +
			"DIR (straight, at --ca; its TLS certificate is checked with DIR/cacerts/ca.pem) for a certificate of it,\n" +
			"signing the request with the current key. The new certificate keeps the enrollment ID and the certified\n" +
			"USCC, roles and legal name.\n\n" +
			"The ledger acts for a participant only with a certificate of the key its record binds. Before anything\n" +
			"is written, the new key is bound on the ledger (participants:RotateKey) in a call signed with the current\n" +
			"key, through your gateway as DIR's member profile (or --member) names it; only then do the new key and\n" +
			"certificate replace the old ones in DIR. When the ledger refuses, nothing is written: DIR keeps the\n" +
			"current key and certificate, which stay valid.\n\n" +
			"--ca-only rotates at the CA only, for an enrollment that is no participant yet (re-enrolled before your\n" +
			"org's admin registers it): nothing is asked of the ledger. A participant that rotates with --ca-only gets\n" +
			"a key the ledger refuses until its org's admin binds it ('participants rebind-key').",
		Example: "  deltaledger reenroll --ca https://127.0.0.1:27254 --msp-dir ./my-msp\n" +
			"  deltaledger reenroll --ca https://127.0.0.1:27254 --msp-dir ./my-msp --ca-only",
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := ctxOf(cmd)
			current, err := client.ReadMSP(mspDir)
			if err != nil {
				return err
			}
			var member *client.Client
			if !caOnly {
				if member, err = a.memberOfFolder(mspDir, current); err != nil {
					return err
				}
			}
			next, err := current.Reenroll(ctx, caURL)
			if err != nil {
				return err
			}
			var keyBound string
			if !caOnly {
				// Never with --no-wait: the new key is written only once the ledger has committed its binding.
				bound, err := member.Participants().RotateKey(ctx, string(next.CertificatePEM))
				if err != nil {
					return ledgererr.Messagef("the ledger did not bind the new key: %v; nothing was written: %s keeps the current key and certificate, which stay valid "+
						"(an enrollment that is no participant yet re-enrolls with --ca-only)", err, mspDir)
				}
				if bound.Result != nil {
					keyBound = bound.Result.KeySHA256
				}
			}
			if err := next.ReplaceMSP(mspDir); err != nil {
				return err
			}
			out, err := enrolledOf(mspDir, next)
			if err != nil {
				return err
			}
			out.KeySHA256 = keyBound
			return a.printValue(out)
		},
	}
	cmd.Flags().StringVar(&caURL, "ca", "", "URL of the Fabric CA server that issued the certificate, e.g. https://127.0.0.1:27254")
	cmd.Flags().StringVar(&mspDir, "msp-dir", "", "the MSP folder 'deltaledger enroll' wrote")
	cmd.Flags().BoolVar(&caOnly, "ca-only", false, "rotate at the CA only: for an enrollment that is no participant yet")
	required(cmd, "ca", "msp-dir")
	return cmd
}

// memberOfFolder returns the client that signs as the enrollment current, read from the MSP folder dir, with its
// current key: the member profile --member (or DELTALEDGER_MEMBER) names or, when nothing names who the caller is,
// dir's own. It must sign its calls itself, with dir's certificate.
func (a *app) memberOfFolder(dir string, current *client.Enrollment) (*client.Client, error) {
	if a.setting("member", a.member, "DELTALEDGER_MEMBER") == "" && !a.signsItself() {
		if _, err := os.Stat(filepath.Join(dir, memberProfileName)); errors.Is(err, os.ErrNotExist) {
			return nil, usagef("reenroll binds the new key on the ledger with the current one, through your gateway: %s has no member profile (%s); "+
				"give --member DIR, or --gateway with --client-cert and --key; or --ca-only for an enrollment that is no participant yet", dir, memberProfileName)
		}
		if err := a.flags.Set("member", dir); err != nil {
			return nil, err
		}
		if err := a.useMemberProfile(); err != nil {
			return nil, err
		}
	}
	if !a.signsItself() {
		return nil, usagef("reenroll binds the new key in a call signed with the current key of %s: act as the member who signs for itself (--member DIR)", dir)
	}
	certPEM, err := os.ReadFile(a.setting("client-cert", a.certFile, "DELTALEDGER_CLIENT_CERT"))
	if err != nil {
		return nil, usageError{err}
	}
	if !sameCertificate(certPEM, current.CertificatePEM) {
		return nil, usagef("the member named signs with another certificate than %s's: reenroll signs with the current key of the folder it renews", dir)
	}
	return a.connect()
}

// sameCertificate reports whether two PEM texts hold the same certificate.
func sameCertificate(a, b []byte) bool {
	x, _ := pem.Decode(a)
	y, _ := pem.Decode(b)
	return x != nil && y != nil && bytes.Equal(x.Bytes, y.Bytes)
}
