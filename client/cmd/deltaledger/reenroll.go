package main

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// The ledger acts for a participant only with a certificate of the key its record binds, so a participant that
// re-enrolls binds the new key on the ledger (participants:RotateKey), signed with the current key, before the new
// key replaces it in the MSP folder: when the ledger refuses, the new key is discarded and the current certificate
// stays valid (Fabric CA's reenroll revokes nothing); when its answer is lost, see reenrollresume.go. An enrollment that is no participant yet (re-enrolled before its
// registration) has nothing to bind: the member says so with --ca-only. It is never guessed from the ledger's
// answers: WhoAmI refuses alike an identity that is not registered, a suspended participant and a certificate of
// another key than the bound one, and a failure of the network must not pass for any of them.

func (a *app) reenrollCommand() *cobra.Command {
	var caURL, mspDir string
	var caOnly, resume bool
	cmd := &cobra.Command{
		Use:   "reenroll (--ca URL [--ca-only] | --resume) --msp-dir DIR",
		Short: "Rotate your key before your certificate expires: a certificate of a new key at your region's CA, bound on the ledger",
		Long: "Generates a new P-256 key pair on this machine and asks the Fabric CA that issued the certificate in\n" +
			"DIR (straight, at --ca; its TLS certificate is checked with DIR/cacerts/ca.pem) for a certificate of it,\n" +
			"signing the request with the current key. The new certificate keeps the enrollment ID and the certified\n" +
			"USCC, roles and legal name.\n\n" +
			"The ledger acts for a participant only with a certificate of the key its record binds. Before anything\n" +
			"is written, the new key is bound on the ledger (participants:RotateKey) in a call signed with the current\n" +
			"key, through your gateway as DIR's member profile (or --member) names it; only then do the new key and\n" +
			"certificate replace the old ones in DIR. Meanwhile they wait in DIR/pending (the key mode 600). When the\n" +
			"ledger refuses, they are discarded: DIR keeps the current key and certificate, which stay valid.\n\n" +
			"When the ledger's answer is lost (the gateway or the network failed after the call was sent), the ledger\n" +
			"may bind the new key and refuse the current one: DIR/pending is kept and reenroll is refused until\n" +
			"--resume settles it. When the lost answer named the binding's transaction (kept in DIR/pending), --resume\n" +
			"first asks its status: committed valid, the pending key is installed; not committed yet, or not known to\n" +
			"the gateway yet, nothing is changed (run --resume again later: the binding may still commit). Then it asks\n" +
			"the ledger which key your record binds (participants:WhoAmI, signed with the pending key, then with the\n" +
			"current one) and installs the pending key or discards it; when the ledger cannot be asked, it changes\n" +
			"nothing. A refusal that names participants:RebindKey (a record registered before keys were bound) leaves\n" +
			"the key to your org's admin: the admin binds your current certificate ('participants rebind-key'), then\n" +
			"you re-enroll again.\n\n" +
			"--ca-only rotates at the CA only, for an enrollment that is no participant yet (re-enrolled before your\n" +
			"org's admin registers it): nothing is asked of the ledger. A participant that rotates with --ca-only gets\n" +
			"a key the ledger refuses until its org's admin binds it ('participants rebind-key').",
		Example: "  deltaledger reenroll --ca https://127.0.0.1:27254 --msp-dir ./my-msp\n" +
			"  deltaledger reenroll --ca https://127.0.0.1:27254 --msp-dir ./my-msp --ca-only\n" +
			"  deltaledger reenroll --resume --msp-dir ./my-msp",
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var out enrolled
			var err error
			if resume {
				out, err = a.resumeReenroll(ctxOf(cmd), mspDir)
			} else {
				out, err = a.reenroll(ctxOf(cmd), caURL, mspDir, caOnly)
			}
			if err != nil {
				return err
			}
			return a.printValue(out)
		},
	}
	cmd.Flags().StringVar(&caURL, "ca", "", "URL of the Fabric CA server that issued the certificate, e.g. https://127.0.0.1:27254")
	cmd.Flags().StringVar(&mspDir, "msp-dir", "", "the MSP folder 'deltaledger enroll' wrote")
	cmd.Flags().BoolVar(&caOnly, "ca-only", false, "rotate at the CA only: for an enrollment that is no participant yet")
	cmd.Flags().BoolVar(&resume, "resume", false, "settle a re-enrollment whose binding on the ledger was not answered: install or discard the new key as the ledger binds it")
	required(cmd, "msp-dir")
	cmd.MarkFlagsOneRequired("ca", "resume")
	cmd.MarkFlagsMutuallyExclusive("ca", "resume")
	cmd.MarkFlagsMutuallyExclusive("ca-only", "resume")
	return cmd
}

// reenroll rotates the key of the MSP folder dir at the CA caURL and, unless caOnly, binds it on the ledger before
// it replaces the current one. The new enrollment is kept pending in the folder while the binding is sent: a
// binding the ledger refused discards it, a committed one installs it, and one whose outcome was lost leaves it for
// --resume, which asks the ledger.
func (a *app) reenroll(ctx context.Context, caURL, dir string, caOnly bool) (enrolled, error) {
	current, err := client.ReadMSP(dir)
	if err != nil {
		return enrolled{}, err
	}
	// The pending key may be the one the ledger binds: a new one must not take its place, nor --ca-only overwrite
	// the folder under it.
	if _, err := os.Lstat(filepath.Join(dir, client.MSPPendingDir)); err == nil {
		return enrolled{}, pendingExists(dir)
	}
	var member *client.Client
	if !caOnly {
		if member, err = a.memberOfFolder(dir, current); err != nil {
			return enrolled{}, err
		}
	}
	next, err := current.Reenroll(ctx, caURL)
	if err != nil {
		return enrolled{}, err
	}
	if caOnly {
		if err := next.ReplaceMSP(dir); err != nil {
			return enrolled{}, err
		}
		return enrolledOf(dir, next)
	}
	if err := next.WritePendingMSP(dir); err != nil {
		if errors.Is(err, client.ErrPendingMSP) {
			return enrolled{}, pendingExists(dir)
		}
		return enrolled{}, err
	}
	// Never with --no-wait: the new key is installed only once the ledger has committed its binding.
	bound, err := member.Participants().RotateKey(ctx, string(next.CertificatePEM))
	if err != nil {
		if !refusedWith(err, bindingRefusals...) {
			lost := ledgererr.Messagef("the ledger's answer to the binding of the new key was lost: %v; the ledger may bind it: %s keeps the current key and certificate, "+
				"and the new ones wait in %s: once your gateway answers, run 'deltaledger reenroll --resume --msp-dir %s', which asks the ledger which key it binds",
				err, dir, filepath.Join(dir, client.MSPPendingDir), dir)
			// The transaction that may still commit: --resume asks its status before anything else, so that a
			// binding still on its way is never taken for one that failed.
			if txID, ok := client.InFlight(err); ok {
				if werr := client.WritePendingTransaction(dir, txID); werr != nil {
					return enrolled{}, errors.Join(lost, werr)
				}
			}
			return enrolled{}, lost
		}
		if derr := client.DiscardPendingMSP(dir); derr != nil {
			return enrolled{}, derr
		}
		return enrolled{}, notBound(dir, err)
	}
	out, err := a.installPending(dir)
	if err != nil {
		return enrolled{}, err
	}
	if bound.Result != nil {
		out.KeySHA256 = bound.Result.KeySHA256
	}
	return out, nil
}

// notBound is the error of a binding the ledger refused (err), after which the MSP folder dir keeps its key. A
// refusal that names participants:RebindKey says that the key is its org admin's to bind: the record binds no key
// yet (registered before keys were bound) or another one than dir's. The hint says no more than that answer: any
// other refusal keeps the general one.
func notBound(dir string, err error) error {
	var e *client.Error
	if errors.As(err, &e) && e.Code == client.CodeForbidden && strings.Contains(e.Message, "participants:RebindKey") {
		return ledgererr.Messagef("the ledger did not bind the new key: %v; nothing was written: %s keeps the current key and certificate. The ledger leaves this key to your org's admin: "+
			"hand your current certificate (%s) to the admin, who runs 'deltaledger participants rebind-key ID --certificate-file FILE --reason REASON' "+
			"(ID: the participant the ledger names), then run 'deltaledger reenroll' again", err, dir, filepath.Join(dir, client.MSPCertFile))
	}
	return ledgererr.Messagef("the ledger did not bind the new key: %v; nothing was written: %s keeps the current key and certificate, which stay valid "+
		"(an enrollment that is no participant yet re-enrolls with --ca-only)", err, dir)
}

// memberOfFolder returns the client that signs as the enrollment current, read from the MSP folder dir, with its
// current key: the member profile --member (or DELTALEDGER_MEMBER) names or, when nothing names who the caller is,
// dir's own. It must sign its calls itself, with dir's certificate.
func (a *app) memberOfFolder(dir string, current *client.Enrollment) (*client.Client, error) {
	if err := a.useFolderProfile(dir); err != nil {
		return nil, err
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

// useFolderProfile makes the command reach the ledger as a member who signs its calls itself: as the member
// profile --member (or DELTALEDGER_MEMBER) names or, when nothing names who the caller is, as the MSP folder dir's.
func (a *app) useFolderProfile(dir string) error {
	if a.setting("member", a.member, "DELTALEDGER_MEMBER") == "" && !a.signsItself() {
		if _, err := os.Stat(filepath.Join(dir, memberProfileName)); errors.Is(err, os.ErrNotExist) {
			return usagef("reenroll binds the new key on the ledger with the current one, through your gateway: %s has no member profile (%s); "+
				"give --member DIR, or --gateway with --client-cert and --key; or --ca-only for an enrollment that is no participant yet", dir, memberProfileName)
		}
		if err := a.flags.Set("member", dir); err != nil {
			return err
		}
		if err := a.useMemberProfile(); err != nil {
			return err
		}
	}
	if !a.signsItself() {
		return usagef("reenroll binds the new key in a call signed with the current key of %s: act as the member who signs for itself (--member DIR)", dir)
	}
	return nil
}

// sameCertificate reports whether two PEM texts hold the same certificate.
func sameCertificate(a, b []byte) bool {
	x, _ := pem.Decode(a)
	y, _ := pem.Decode(b)
	return x != nil && y != nil && bytes.Equal(x.Bytes, y.Bytes)
}
