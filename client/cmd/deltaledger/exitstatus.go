package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// exitClass is one class of outcome that a script tells apart by the exit
// status: the gateway's error codes (package ledgererr's, the one list of
// them) grouped by what the caller does next.
type exitClass struct {
	status  int
	name    string
	meaning string
	codes   []ledgererr.Code
}

// exitClasses is the one table of exit statuses: --help and the README
// show it, and run returns its statuses. Every error code of ledgererr is
// in exactly one class (a test checks it).
var exitClasses = []exitClass{
	{status: 0, name: "ok", meaning: "done"},
	{status: 1, name: "failed", meaning: "any other failure: an internal error of the chaincode or the gateway, a local file that cannot be read, a gateway certificate that does not verify",
		codes: []ledgererr.Code{ledgererr.Internal}},
	{status: 2, name: "usage", meaning: "bad command line: nothing was sent"},
	{status: 3, name: "invalid", meaning: "the gateway or the chaincode refused the input; the message names the field and the rule",
		codes: []ledgererr.Code{ledgererr.InvalidArgument, ledgererr.PayloadTooLarge, ledgererr.UnsupportedMediaType, ledgererr.MethodNotAllowed, ledgererr.IdempotencyKeyReused}},
	{status: 4, name: "unauthenticated", meaning: "no valid credentials: a missing, wrong or revoked API key, or a certificate of no member",
		codes: []ledgererr.Code{ledgererr.Unauthenticated}},
	{status: 5, name: "forbidden", meaning: "refused by the market's rules: your org, role or part in the record does not allow it",
		codes: []ledgererr.Code{ledgererr.Forbidden}},
	{status: 6, name: "not found", meaning: "a record the command names does not exist (or is not yours to see)",
		codes: []ledgererr.Code{ledgererr.NotFound}},
	{status: 7, name: "conflict", meaning: "the record is in another state, the ID is taken, or another transaction got there first: read again, repeat only if it still applies",
		codes: []ledgererr.Code{ledgererr.Conflict}},
	{status: 8, name: "unavailable", meaning: "the gateway, a peer or the ordering service could not be reached, did not answer in time or asked to slow down; nothing was written: retry later",
		codes: []ledgererr.Code{ledgererr.Unavailable, ledgererr.Timeout, ledgererr.RateLimited, ledgererr.EndorsementFailed, ledgererr.OrderingFailed}},
	{status: 9, name: "outcome unknown", meaning: "the transaction was sent for ordering but its commit was not seen: it may still commit; follow it with 'deltaledger tx wait TXID', or repeat with the same --idempotency-key",
		codes: []ledgererr.Code{ledgererr.OutcomeUnknown}},
	{status: 10, name: "commit failed", meaning: "the transaction was committed as invalid and wrote nothing",
		codes: []ledgererr.Code{ledgererr.CommitFailed}},
	{status: 130, name: "interrupted", meaning: "stopped by Ctrl-C or SIGTERM; a change sent before may still commit",
		codes: []ledgererr.Code{ledgererr.Canceled}},
}

// Exit statuses run returns without an error code to look up.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitUnavailable = 8
	exitInterrupted = 130
)

// exitStatusOfCode maps each error code to its class's status.
var exitStatusOfCode = func() map[string]int {
	m := map[string]int{}
	for _, c := range exitClasses {
		for _, code := range c.codes {
			m[string(code)] = c.status
		}
	}
	return m
}()

// exitStatusOfHTTP classifies answers without one of the API's codes (a
// proxy's page) by their HTTP status.
var exitStatusOfHTTP = map[int]int{
	http.StatusBadRequest:            exitStatusOfCode[string(ledgererr.InvalidArgument)],
	http.StatusUnauthorized:          exitStatusOfCode[string(ledgererr.Unauthenticated)],
	http.StatusForbidden:             exitStatusOfCode[string(ledgererr.Forbidden)],
	http.StatusNotFound:              exitStatusOfCode[string(ledgererr.NotFound)],
	http.StatusConflict:              exitStatusOfCode[string(ledgererr.Conflict)],
	http.StatusTooManyRequests:       exitUnavailable,
	http.StatusBadGateway:            exitUnavailable,
	http.StatusServiceUnavailable:    exitUnavailable,
	http.StatusGatewayTimeout:        exitUnavailable,
	http.StatusRequestEntityTooLarge: exitStatusOfCode[string(ledgererr.PayloadTooLarge)],
}

// exitStatusOf returns the exit status of a command's error.
func exitStatusOf(err error) int {
	var ue usageError
	if errors.As(err, &ue) || cobraUsageError(err) {
		return exitUsage
	}
	var apiErr *client.Error
	if errors.As(err, &apiErr) {
		if s, ok := exitStatusOfCode[apiErr.Code]; ok {
			return s
		}
		if s, ok := exitStatusOfHTTP[apiErr.Status]; ok {
			return s
		}
		return exitFailed
	}
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &invalid):
		return exitFailed // retrying will not help: the command line names the wrong CA or host
	case errors.Is(err, context.DeadlineExceeded), isNetError(err):
		return exitUnavailable
	}
	return exitFailed
}

// isNetError reports a failure to reach the gateway: refused or reset
// connections, unknown hosts, timeouts.
func isNetError(err error) bool {
	var ne net.Error
	var oe *net.OpError
	var de *net.DNSError
	return errors.As(err, &oe) || errors.As(err, &de) || (errors.As(err, &ne) && ne.Timeout()) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// exitStatusHelp is the table of exit statuses for --help.
func exitStatusHelp() string {
	var b strings.Builder
	b.WriteString("Exit status (the gateway's error codes of each class in brackets):\n")
	for _, c := range exitClasses {
		text := c.name + ": " + c.meaning
		if len(c.codes) > 0 {
			text += " [" + joinCodes(c.codes, ", ") + "]"
		}
		fmt.Fprintf(&b, "  %3d  ", c.status)
		width := 0
		for i, word := range strings.Fields(text) {
			if i > 0 && width+1+len(word) > 70 {
				b.WriteString("\n       ")
				width = 0
			} else if i > 0 {
				b.WriteByte(' ')
				width++
			}
			b.WriteString(word)
			width += len(word)
		}
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// exitStatusMarkdown is the same table as Markdown, as the README carries
// it.
func exitStatusMarkdown() string {
	var b strings.Builder
	b.WriteString("| Status | Class | Meaning | Error codes |\n|---|---|---|---|\n")
	for _, c := range exitClasses {
		codes := "-"
		if len(c.codes) > 0 {
			codes = "`" + joinCodes(c.codes, "`, `") + "`"
		}
		fmt.Fprintf(&b, "| %d | %s | %s | %s |\n", c.status, c.name, c.meaning, codes)
	}
	return b.String()
}

func joinCodes(codes []ledgererr.Code, sep string) string {
	s := make([]string, len(codes))
	for i, c := range codes {
		s[i] = string(c)
	}
	return strings.Join(s, sep)
}
