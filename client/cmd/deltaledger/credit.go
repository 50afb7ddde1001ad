package main

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

var (
	recordColumns = []column[model.Record]{
		col("RECORD", func(r model.Record) string { return r.RecordID }),
		col("SUBJECT", func(r model.Record) string { return r.SubjectUSCC }),
		col("AGENCY", func(r model.Record) string { return r.AgencyID }),
		col("REGION", func(r model.Record) string { return r.Region }),
		col("STATUS", func(r model.Record) string { return r.Status }),
		col("PUBLISHED", func(r model.Record) string { return r.PublishedAt }),
		col("DISPUTES", func(r model.Record) string { return strconv.Itoa(r.Disputes) }),
		col("LAST_DISPUTE", func(r model.Record) string {
			if d := r.LastDispute; d != nil {
				return d.ObjectionID + " " + d.Status + map[bool]string{true: " (answered late)"}[d.AnsweredLate] +
					map[bool]string{true: " (by a regulator)"}[d.AnsweredByRegulator]
			}
			return ""
		}),
	}
	authorizationColumns = []column[model.Authorization]{
		col("AUTH", func(a model.Authorization) string { return a.AuthID }),
		col("SUBJECT", func(a model.Authorization) string { return a.SubjectUSCC }),
		col("GRANTEE", func(a model.Authorization) string { return a.GranteeID }),
		col("PURPOSE", func(a model.Authorization) string { return a.Purpose }),
		col("VALID_UNTIL", func(a model.Authorization) string { return a.ValidUntil }),
		col("STATUS", func(a model.Authorization) string { return a.Status }),
	}
	traceColumns = []column[model.Trace]{
		col("AT", func(t model.Trace) string { return t.At }),
		col("QUERIER", func(t model.Trace) string { return t.QuerierID }),
		col("MSP", func(t model.Trace) string { return t.QuerierMSP }),
		col("PURPOSE", func(t model.Trace) string { return t.Purpose }),
		col("BASIS", func(t model.Trace) string { return t.Basis }),
		col("AUTH", func(t model.Trace) string { return t.AuthID }),
		col("SUBJECT", func(t model.Trace) string { return t.SubjectUSCC }),
	}
	creditObjectionColumns = []column[model.ObjectionView]{
		col("OBJECTION", func(o model.ObjectionView) string { return o.ObjectionID }),
		col("RECORD", func(o model.ObjectionView) string { return o.RecordID }),
		col("RAISED_BY", func(o model.ObjectionView) string { return o.RaisedBy }),
		col("STATUS", func(o model.ObjectionView) string { return o.Status }),
		col("RAISED", func(o model.ObjectionView) string { return o.RaisedAt }),
		col("DUE", func(o model.ObjectionView) string { return o.DueAt }),
		col("OVERDUE", func(o model.ObjectionView) string { return strconv.FormatBool(o.Overdue) }),
		col("ANSWERED_LATE", func(o model.ObjectionView) string { return strconv.FormatBool(o.AnsweredLate) }),
	}
)

func (a *app) creditCommand() *cobra.Command {
	return group("credit", "Credit records: stage and publish, authorise, traced lookups, objections",
		`Licensed agencies publish credit records about enterprises in two steps (stage
the contents privately, then publish the metadata and SHA-256); the subject
authorises readers; every lookup commits a trace the subject and the regulator
can list.`,
		a.creditStageCommand(),
		a.creditPublishCommand(),
		readCommand(a, "record", "ID", "Show a record's public metadata (never its contents)", (*client.Client).Credit, (*client.CreditService).Record),
		a.creditRecordsCommand(),
		a.creditAuthorizeCommand(),
		changeCommand(a, "revoke-authorization", "AUTH", "Revoke an authorisation (the subject)", (*client.Client).Credit, (*client.CreditService).RevokeAuthorization),
		a.creditAuthorizationsCommand(),
		a.creditLookupCommand(),
		a.creditTracesCommand(),
		a.creditObjectCommand(),
		a.creditAnswerObjectionCommand(),
		readCommand(a, "objection", "ID", "Show an objection, with whether it is overdue", (*client.Client).Credit, (*client.CreditService).Objection),
		a.creditObjectionsCommand())
}

// creditStageCommand is `credit stage`.
func (a *app) creditStageCommand() *cobra.Command {
	var stage client.StageRequest
	var evidence *hashFlags
	var until *timeFlag
	stageCmd := &cobra.Command{
		Use:   "stage --record-id ID --subject USCC --type TYPE (--grade G | --score N) (--evidence-file F | --evidence-hash H) --valid-until TIME --summary TEXT",
		Short: "Step 1 of publishing a credit record (agency): stage its contents in your org's private data",
		Long: `Stage the contents of a credit record: they go, as transient data, to your own
org's peers only (nothing public is written). The answer is the record ID and
the SHA-256 of the stored contents; then publish with 'credit publish'.`,
		Args: exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			h, err := evidence.value()
			if err != nil {
				return nil, err
			}
			r := stage
			r.Record.EvidenceHash = h
			if r.Record.ValidUntil, err = until.value(); err != nil {
				return nil, err
			}
			return c.Credit().Stage(ctx, r, a.submitOptions()...)
		}),
	}
	stageCmd.Flags().StringVar(&stage.RecordID, "record-id", "", "the new record's ID")
	stageCmd.Flags().StringVar(&stage.SubjectUSCC, "subject", "", "the subject enterprise's Unified Social Credit Code")
	stageCmd.Flags().StringVar(&stage.Record.Type, "type", "", recordTypeUsage)
	stageCmd.Flags().StringVar(&stage.Record.Grade, "grade", "", "the grade, e.g. AA")
	stageCmd.Flags().StringVar(&stage.Record.Score, "score", "", scoreUsage)
	until = addTimeFlag(stageCmd, "valid-until", "when the record stops being in force: RFC 3339, a date, or a time from now (1y)")
	stageCmd.Flags().StringVar(&stage.Record.Summary, "summary", "", summaryUsage)
	evidence = a.addHash(stageCmd, "evidence-hash", "the evidence package", true)
	required(stageCmd, "record-id", "subject", "type", "valid-until", "summary")
	return stageCmd
}

// creditPublishCommand is `credit publish`.
func (a *app) creditPublishCommand() *cobra.Command {
	var pubRecord, pubSubject string
	publish := &cobra.Command{
		Use: "publish --record-id ID --subject USCC", Short: "Step 2: publish the record you staged (metadata and SHA-256 only)",
		Args: exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			return c.Credit().Publish(ctx, pubRecord, pubSubject, a.submitOptions()...)
		}),
	}
	publish.Flags().StringVar(&pubRecord, "record-id", "", "the staged record's ID")
	publish.Flags().StringVar(&pubSubject, "subject", "", "the subject's USCC")
	required(publish, "record-id", "subject")
	return publish
}

// creditRecordsCommand is `credit records`.
func (a *app) creditRecordsCommand() *cobra.Command {
	var recordsSubject string
	records := listCommand(a, &cobra.Command{Use: "records --subject USCC", Short: "List the public metadata of a subject's records", Args: exactArgs()}, recordColumns,
		func(ctx context.Context, c *client.Client, _ []string, opts []client.ListOption) iter.Seq2[model.Record, error] {
			return c.Credit().Records(ctx, recordsSubject, opts...)
		})
	records.Flags().StringVar(&recordsSubject, "subject", "", "the subject's USCC")
	required(records, "subject")
	return records
}

// creditAuthorizeCommand is `credit authorize`.
func (a *app) creditAuthorizeCommand() *cobra.Command {
	var auth client.AuthorizeRequest
	var until *timeFlag
	authorize := &cobra.Command{
		Use:   "authorize --auth-id ID --grantee PARTICIPANT --purpose TEXT --valid-until TIME",
		Short: "Authorise a participant to read your enterprise's records for a purpose (the subject)",
		Args:  exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			r := auth
			var err error
			if r.ValidUntil, err = until.value(); err != nil {
				return nil, err
			}
			return c.Credit().Authorize(ctx, r, a.submitOptions()...)
		}),
	}
	authorize.Flags().StringVar(&auth.AuthID, "auth-id", "", "the new authorisation's ID")
	authorize.Flags().StringVar(&auth.GranteeID, "grantee", "", "the participant authorised, e.g. jiangsu.buyer")
	authorize.Flags().StringVar(&auth.Purpose, "purpose", "", "the purpose the reads must state")
	until = addTimeFlag(authorize, "valid-until", "when it ends: RFC 3339, a date, or a time from now (30d)")
	required(authorize, "auth-id", "grantee", "purpose", "valid-until")
	return authorize
}

// creditAuthorizationsCommand is `credit authorizations`.
func (a *app) creditAuthorizationsCommand() *cobra.Command {
	return subjectOrOwnListCommand(a, "authorizations", "List a subject's authorisations (the subject, the regulator), or those granted to you",
		"mine", "the authorisations granted to you", authorizationColumns,
		(*client.CreditService).Authorizations, (*client.CreditService).MyAuthorizations)
}

// creditLookupLong is `credit lookup`'s Long help, a constant so that its
// Chinese translation (help_zh.go) is keyed by it rather than by a second copy.
const creditLookupLong = `Read a subject's credit records. The gateway first commits a query trace (the
chaincode checks that you act for the subject, are a regulator, or hold the
subject's authorisation for the purpose), then reads each record's contents
from the peers of the agency's org and checks them against the public SHA-256
('verified'); this command checks them once more, locally ('checked here').
A record past its validUntil is marked 'expired': under an authorisation its
contents are withheld, since an expired record is not supplied to a querier;
the subject and the regulator still read them.

A lookup that a holding org's peer did not answer is incomplete: the command
prints the records it got, names on the standard error each org that did not
answer with its error, and exits with status 8 (unavailable), never 0. Repeat
it with the --idempotency-key it names, before the trace's window ends: the
repeat reads every holding org again under the same trace and writes no
second one. Give your own --idempotency-key to make any repeat of the
command line leave one trace. A record whose contents do not match the
public hash when checked here, however the gateway marked it, exits 8 too,
but it is an integrity fault, not an outage: a repeat reads the same
contents; report it to the agency and the regulator.`

// creditLookupCommand is `credit lookup`.
func (a *app) creditLookupCommand() *cobra.Command {
	var lookupReq client.LookupRequest
	lookup := &cobra.Command{
		Use:   "lookup SUBJECT_USCC --purpose TEXT [--authorization AUTH]",
		Short: "Read a subject's credit records; the lookup leaves a trace the subject sees",
		Long:  creditLookupLong,
		Args:  exactArgs("SUBJECT_USCC"),
		RunE: a.runE(func(ctx context.Context, c *client.Client, args []string) (any, error) {
			res, err := c.Credit().Lookup(ctx, args[0], lookupReq, a.keyOptions()...)
			var incomplete *client.IncompleteLookupError
			if errors.As(err, &incomplete) {
				answer, _ := tableAnswerOf(res, nil, a.printLookupTable)
				return partialAnswer{answer, incompleteLookup{incomplete}}, nil
			}
			return tableAnswerOf(res, err, a.printLookupTable)
		}),
	}
	lookup.Flags().StringVar(&lookupReq.Purpose, "purpose", "", "why you read the records (recorded in the trace)")
	lookup.Flags().StringVar(&lookupReq.AuthorizationID, "authorization", "", "the subject's authorisation to you")
	required(lookup, "purpose")
	return lookup
}

// creditTracesCommand is `credit traces`.
func (a *app) creditTracesCommand() *cobra.Command {
	return subjectOrOwnListCommand(a, "traces", "List the query traces of a subject's records (the subject, the regulator), or yours",
		"mine", "the lookups you made", traceColumns,
		(*client.CreditService).Traces, (*client.CreditService).MyTraces)
}

// creditObjectCommand is `credit object`.
func (a *app) creditObjectCommand() *cobra.Command {
	var objID, objRecord, objReason string
	object := &cobra.Command{
		Use: "object --id OBJECTION --record RECORD --reason TEXT", Short: "Object to a record about your enterprise (the subject)",
		Args: exactArgs(),
		RunE: a.runE(func(ctx context.Context, c *client.Client, _ []string) (any, error) {
			return c.Credit().RaiseObjection(ctx, objID, objRecord, objReason, a.submitOptions()...)
		}),
	}
	object.Flags().StringVar(&objID, "id", "", "the new objection's ID")
	object.Flags().StringVar(&objRecord, "record", "", "the record objected to")
	object.Flags().StringVar(&objReason, "reason", "", "the grounds")
	required(object, "id", "record", "reason")
	return object
}

// creditAnswerObjectionCommand is `credit answer-objection`.
func (a *app) creditAnswerObjectionCommand() *cobra.Command {
	var newRecord string
	answer := a.valueReasonCommand("answer-objection", "OBJECTION", "Answer an objection (the issuing agency, or a regulator of a third org once it is overdue and its agency can no longer answer, UPHOLD or DISMISS); CORRECT names a record staged beforehand",
		valueFlag{"outcome", answerValue, answerUsage}, "why",
		func(ctx context.Context, c *client.Client, objection, outcome, reason string) (any, error) {
			return c.Credit().AnswerObjection(ctx, objection, client.AnswerObjectionRequest{Outcome: outcome, Reason: reason, NewRecordID: newRecord}, a.submitOptions()...)
		})
	answer.Use += " [--new-record ID]"
	answer.Flags().StringVar(&newRecord, "new-record", "", "the staged correcting record (CORRECT)")
	return answer
}

// creditObjectionsCommand is `credit objections`.
func (a *app) creditObjectionsCommand() *cobra.Command {
	return subjectOrOwnListCommand(a, "objections", "List the objections about a subject's records, or those your agency must answer",
		"agency", "the objections your agency must answer", creditObjectionColumns,
		(*client.CreditService).Objections, (*client.CreditService).AgencyObjections)
}

// subjectOrOwnListCommand is `NAME (--subject USCC | --OWN)`: a list of
// what concerns one subject's credit records (bySubject), or of the
// caller's own (owned, with the flag own), one of the two and not both.
// The credit lists that a subject, the regulator and the caller each read
// take their choice alike.
func subjectOrOwnListCommand[T any](a *app, name, short, own, ownUsage string, cols []column[T],
	bySubject func(s *client.CreditService, ctx context.Context, subjectUSCC string, opts ...client.ListOption) iter.Seq2[T, error],
	owned func(s *client.CreditService, ctx context.Context, opts ...client.ListOption) iter.Seq2[T, error]) *cobra.Command {
	var subject string
	var mine bool
	cmd := listCommand(a, &cobra.Command{Use: name + " (--subject USCC | --" + own + ")", Short: short, Args: exactArgs()}, cols,
		func(ctx context.Context, c *client.Client, _ []string, opts []client.ListOption) iter.Seq2[T, error] {
			if mine {
				return owned(c.Credit(), ctx, opts...)
			}
			return bySubject(c.Credit(), ctx, subject, opts...)
		})
	cmd.Flags().StringVar(&subject, "subject", "", "the subject's USCC")
	cmd.Flags().BoolVar(&mine, own, false, ownUsage)
	cmd.MarkFlagsMutuallyExclusive("subject", own)
	cmd.MarkFlagsOneRequired("subject", own)
	return cmd
}

// printLookupTable prints a lookup as a table of the records with the
// trace above it.
func (a *app) printLookupTable(res *client.LookupResult) error {
	fmt.Fprintf(a.stdout, "trace %s by %s at %s (%s, basis %s); complete: %t\n\n",
		res.Trace.TraceID, res.Trace.QuerierID, res.Trace.At, res.Trace.Purpose, res.Trace.Basis, res.Complete)
	return printList(a, seqOf(res.Records), 0, []column[client.RecordRead]{
		col("RECORD", func(r client.RecordRead) string { return r.Record.RecordID }),
		col("AGENCY", func(r client.RecordRead) string { return r.Record.AgencyID }),
		col("HELD_BY", func(r client.RecordRead) string { return r.HeldBy }),
		col("VERIFIED", func(r client.RecordRead) string { return strconv.FormatBool(r.Verified) }),
		col("CHECKED_HERE", func(r client.RecordRead) string { return strconv.FormatBool(r.CheckContents()) }),
		col("EXPIRED", func(r client.RecordRead) string { return strconv.FormatBool(r.Expired) }),
		col("TYPE", func(r client.RecordRead) string {
			return contentsField(r, func(c *model.RecordContents) string { return c.Type })
		}),
		col("GRADE", func(r client.RecordRead) string {
			return contentsField(r, func(c *model.RecordContents) string { return c.Grade })
		}),
		col("SCORE", func(r client.RecordRead) string {
			return contentsField(r, func(c *model.RecordContents) string { return c.Score })
		}),
		col("SUMMARY", func(r client.RecordRead) string {
			return contentsField(r, func(c *model.RecordContents) string { return c.Summary })
		}),
	})
}

// incompleteLookup fails a lookup that some holding org's peer did not
// answer, or with contents that do not match their record's public hash
// (exit status 8, exitStatusOf), after its records were printed: it names
// each such org with its error, each record whose contents did not come
// verified, and the --idempotency-key that repeats the lookup under the
// same trace; and each record whose contents do not match, with no advice
// to repeat, which reads the same contents again.
type incompleteLookup struct{ e *client.IncompleteLookupError }

func (l incompleteLookup) Error() string { return l.In(ledgererr.English) }

// Unwrap returns the SDK's error, by which exitStatusOf classes it.
func (l incompleteLookup) Unwrap() error { return l.e }

// In writes the error in lang, a line for each org and record; the orgs'
// errors as the gateway wrote them.
func (l incompleteLookup) In(lang ledgererr.Language) string {
	head := ledgererr.Messagef("the lookup under trace %s is incomplete: the records above may lack some of the subject's", l.e.TraceID)
	if !l.e.Repeatable() {
		head = ledgererr.Messagef("the lookup under trace %s returned contents that are not their record's", l.e.TraceID)
	}
	lines := []string{head.In(lang)}
	for _, h := range l.e.Holders {
		why := "?"
		if h.Error != nil {
			why = h.Error.Code + ": " + h.Error.Message
		}
		lines = append(lines, "  "+ledgererr.Messagef("%s did not answer: %s", h.MSPID, why).In(lang))
	}
	for _, id := range l.e.Records {
		lines = append(lines, "  "+ledgererr.Messagef("record %s: its contents did not come verified", id).In(lang))
	}
	for _, id := range l.e.Mismatched { // an integrity fault: a repeat reads the same contents
		lines = append(lines, "  "+ledgererr.Messagef("record %s: its contents do not match the public content hash; they are not the record's, and repeating the lookup reads them again: report it to the agency and the regulator", id).In(lang))
	}
	if l.e.Repeatable() {
		lines = append(lines, ledgererr.Messagef("repeat the command with --idempotency-key %s before %s: it reads them again under the same trace and writes no second one",
			l.e.IdempotencyKey, l.e.ExpiresAt).In(lang))
	}
	return strings.Join(lines, "\n")
}

func contentsField(r client.RecordRead, f func(*model.RecordContents) string) string {
	c, err := r.DecodeContents()
	if err != nil {
		return ""
	}
	return f(c)
}
