package main

import (
	"context"
	"errors"
	"iter"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/client/channelmsp"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

var participantColumns = []column[model.Participant]{
	col("ID", func(p model.Participant) string { return p.ID }),
	col("MSP", func(p model.Participant) string { return p.MSPID }),
	col("ROLES", func(p model.Participant) string { return strings.Join(p.Roles, ",") }),
	col("USCC", func(p model.Participant) string { return p.USCC }),
	col("NAME", func(p model.Participant) string { return p.Name }),
	col("REGION", func(p model.Participant) string { return p.Region }),
	col("STATUS", func(p model.Participant) string { return p.Status }),
}

func (a *app) whoamiCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "whoami",
		Short: "Show your own participant record (ID, org, roles, USCC)",
		Args:  exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			return c.Participants().Me(ctx)
		}),
	}
}

func (a *app) participantsCommand() *cobra.Command {
	return group("participants", "Participants: the members of each org and their roles", "",
		readCommand(a, "get", "ID", "Show a participant", (*client.Client).Participants, (*client.ParticipantService).Get),
		a.participantsListCommand(),
		a.participantsRegisterCommand(),
		a.participantsSetRolesCommand(),
		a.participantsSetDivisionCommand(),
		a.participantsSuspendCommand(),
		changeCommand(a, "reinstate", "ID", "Let a suspended member of your org act again (org admin)", (*client.Client).Participants, (*client.ParticipantService).Reinstate),
		a.participantsRebindKeyCommand(),
		readCommand(a, "enterprise", "USCC", "Show the org an enterprise is registered in", (*client.Client).Participants, (*client.ParticipantService).Enterprise),
		reasonChangeCommand(a, "release-enterprise", "USCC", "Release an enterprise of your org so another region may register it (org admin)", (*client.Client).Participants, (*client.ParticipantService).ReleaseEnterprise))
}

// participantsListCommand is `participants list`.
func (a *app) participantsListCommand() *cobra.Command {
	var msp, role string
	list := listCommand(a, &cobra.Command{
		Use: "list --msp MSPID [--with-role ROLE]", Short: "List an org's participants", Args: exactArgs(),
		Example: "  deltaledger --org shanghai --role operator participants list --msp JiangsuMSP --with-role buyer -o table",
	}, participantColumns, func(ctx context.Context, c *client.Client, _ []string, opts []client.ListOption) iter.Seq2[model.Participant, error] {
		return c.Participants().List(ctx, msp, role, opts...)
	})
	list.Flags().StringVar(&msp, "msp", "", "the org's MSP ID, e.g. ShanghaiMSP")
	list.Flags().StringVar(&role, "with-role", "", "only participants with this role")
	required(list, "msp")
	return list
}

// participantsRegisterCommand is `participants register`.
func (a *app) participantsRegisterCommand() *cobra.Command {
	var reg client.RegisterParticipantRequest
	var certFile string
	register := &cobra.Command{
		Use: "register", Short: "Register a member of your org (org admin)", Args: exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			pem, err := os.ReadFile(certFile)
			if err != nil {
				return nil, err
			}
			reg.CertificatePEM = string(pem)
			return c.Participants().Register(ctx, reg, a.submitOptions()...)
		}),
	}
	register.Flags().StringVar(&reg.ID, "id", "", "the new participant's ID")
	register.Flags().StringVar(&certFile, "cert-file", "", "the member's X.509 certificate (PEM), issued by the org's CA")
	register.Flags().StringSliceVar(&reg.Roles, "roles", nil, "roles: operator, holder, buyer, agency, regulator (comma-separated)")
	register.Flags().StringVar(&reg.USCC, "uscc", "", "Unified Social Credit Code of the member's enterprise")
	register.Flags().StringVar(&reg.Name, "name", "", "display name")
	register.Flags().StringVar(&reg.Region, "region", "", "the org's region")
	required(register, "id", "cert-file", "roles", "uscc", "name", "region")
	return register
}

// participantsSetRolesCommand is `participants set-roles`.
func (a *app) participantsSetRolesCommand() *cobra.Command {
	var roles []string
	setRoles := &cobra.Command{
		Use: "set-roles ID --roles R1,R2", Short: "Replace the roles of a member of your org (org admin)", Args: exactArgs("ID"),
		RunE: a.runE(func(ctx context.Context, c *client.Client, args []string) (any, error) {
			return c.Participants().SetRoles(ctx, args[0], roles, a.submitOptions()...)
		}),
	}
	setRoles.Flags().StringSliceVar(&roles, "roles", nil, "the new roles (comma-separated)")
	required(setRoles, "roles")
	return setRoles
}

// participantsSetDivisionCommand is `participants set-division`.
func (a *app) participantsSetDivisionCommand() *cobra.Command {
	return a.valueCommand("set-division", "ID", "Place a member of your org in a city or district (org admin)",
		valueFlag{"division", "CODE", "six-digit GB/T 2260 code of a city or county-level division of your region, e.g. 320576"},
		func(ctx context.Context, c *client.Client, id, division string) (any, error) {
			return c.Participants().SetDivision(ctx, id, division, a.submitOptions()...)
		})
}

// participantsSuspendCommand is `participants suspend`.
func (a *app) participantsSuspendCommand() *cobra.Command {
	var reason string
	var keepCertificates bool
	var admin channelAdmin
	var suspend *cobra.Command
	suspend = &cobra.Command{
		Use: "suspend ID --reason TEXT", Short: "Stop a member of your org from acting and cut it off at your CA (org admin)", Args: exactArgs("ID"),
		Long: "Records the suspension on the ledger (participants:Suspend, with the reason). Then, for a member the\n" +
			"gateway onboarded (its certificate certifies its enterprise), has the gateway revoke its certificates at\n" +
			"your org's Fabric CA: the gateway and the CA refuse them from then on, also for calls the member signs\n" +
			"itself. A revoked certificate never comes back; a reinstated member acts again with a new certificate.\n" +
			"--keep-certificates suspends on the ledger only (a suspension meant to be lifted soon).\n\n" +
			"With --channel-admin it also publishes the CA's CRL in the channel as your org's admin, so that the\n" +
			"peers refuse the certificates too (see 'members revoke').",
		RunE: a.runE(func(ctx context.Context, c *client.Client, args []string) (any, error) {
			publishing, err := admin.resolve(a, suspend)
			if err != nil {
				return nil, err
			}
			suspended, err := c.Participants().Suspend(ctx, args[0], reason, a.submitOptions()...)
			if err != nil || keepCertificates || !suspended.Committed || suspended.Result == nil || !suspended.Result.Certified() {
				return suspended, err
			}
			revoked, published, err := a.revokeAndPublish(ctx, c, &admin, publishing, args[0])
			var refused *client.Error
			if errors.As(err, &refused) && (refused.Code == client.CodeConflict || refused.Code == client.CodeNotFound) {
				// Not a member this gateway onboarded (or a gateway without a CA): the ledger's suspension stands alone.
				a.say(notePrefix, ledgererr.Messagef("%s is suspended on the ledger; no certificate revoked: %s", args[0], refused.Message))
				return suspended, nil
			}
			if err != nil && revoked == nil {
				return nil, ledgererr.Messagef("%s is suspended on the ledger (block %d), but its certificates were not revoked: %v; run 'deltaledger members revoke %s'",
					args[0], suspended.BlockNumber, err, args[0])
			}
			if err != nil {
				return nil, ledgererr.Messagef("%s is suspended on the ledger (block %d): %v", args[0], suspended.BlockNumber, err)
			}
			return suspendedAndRevoked{suspended, revoked, published}, nil
		}),
	}
	suspend.Flags().StringVar(&reason, "reason", "", "why")
	suspend.Flags().BoolVar(&keepCertificates, "keep-certificates", false, "suspend on the ledger only; revoke no certificate")
	admin.add(suspend)
	required(suspend, "reason")
	return suspend
}

// suspendedAndRevoked is what `participants suspend` answers for a member it also cut off at the CA.
type suspendedAndRevoked struct {
	*client.Submitted[model.Participant]
	Revocation *client.Revocation `json:"revocation"`
	// Channel is the CRL's publication in the channel (with --channel-admin).
	Channel *channelmsp.Publication `json:"channel,omitempty"`
}

// participantsRebindKeyCommand is `participants rebind-key`.
func (a *app) participantsRebindKeyCommand() *cobra.Command {
	cmd := a.valueReasonCommand("rebind-key", "ID", "Bind a member of your org to the key of its new certificate (org admin)",
		valueFlag{"certificate-file", "FILE", "the member's new certificate (PEM), e.g. the signcerts/cert.pem of its new enrollment"},
		"why: the member lost its key, or enrolled again after its certificates were revoked (the member sees it on its record)",
		func(ctx context.Context, c *client.Client, id, certFile, reason string) (any, error) {
			pem, err := os.ReadFile(certFile)
			if err != nil {
				return nil, usageError{err}
			}
			return c.Participants().RebindKey(ctx, id, string(pem), reason, a.submitOptions()...)
		})
	cmd.Long = "The ledger acts for a participant only with a certificate of the key its record binds. A member that\n" +
		"lost its key, or enrolled again after its certificates were revoked ('members reinvite', 'enroll'), has a\n" +
		"certificate of a new key that the ledger refuses until you bind it here (participants:RebindKey). The\n" +
		"member sees on its record when its key was bound and your reason. A member that still holds its key binds\n" +
		"a new one itself ('deltaledger reenroll')."
	return cmd
}
