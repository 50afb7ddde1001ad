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
	status        int
	name, meaning ledgererr.Text
	codes         []ledgererr.Code
}

// exitClasses is the one table of exit statuses: --help and the README
// show it, and run returns its statuses. Every error code of ledgererr is
// in exactly one class (a test checks it).
var exitClasses = []exitClass{
	{status: 0, name: ledgererr.Text{En: "ok", Zh: "成功"}, meaning: ledgererr.Text{En: "done", Zh: "完成"}},
	{status: 1, name: ledgererr.Text{En: "failed", Zh: "失败"},
		meaning: ledgererr.Text{
			En: "any other failure: an internal error of the chaincode or the gateway, a local file that cannot be read, a gateway certificate that does not verify",
			Zh: "其他失败：链码或网关的内部错误、无法读取的本地文件、无法验证的网关证书"},
		codes: []ledgererr.Code{ledgererr.Internal}},
	{status: 2, name: ledgererr.Text{En: "usage", Zh: "用法错误"},
		meaning: ledgererr.Text{En: "bad command line: nothing was sent", Zh: "命令行有误：未发送任何请求"}},
	{status: 3, name: ledgererr.Text{En: "invalid", Zh: "输入无效"},
		meaning: ledgererr.Text{
			En: "the gateway or the chaincode refused the input; the message names the field and the rule",
			Zh: "网关或链码拒绝了输入；消息指明字段和规则"},
		codes: []ledgererr.Code{ledgererr.InvalidArgument, ledgererr.PayloadTooLarge, ledgererr.UnsupportedMediaType, ledgererr.MethodNotAllowed, ledgererr.IdempotencyKeyReused}},
	{status: 4, name: ledgererr.Text{En: "unauthenticated", Zh: "未认证"},
		meaning: ledgererr.Text{
			En: "no valid credentials: a missing, wrong, expired or revoked API key, or a certificate of no member",
			Zh: "没有有效凭证：API 密钥缺失、错误、已过期或已吊销，或证书不属于任何成员"},
		codes: []ledgererr.Code{ledgererr.Unauthenticated}},
	{status: 5, name: ledgererr.Text{En: "forbidden", Zh: "无权操作"},
		meaning: ledgererr.Text{
			En: "refused by the market's rules: your org, role or part in the record does not allow it",
			Zh: "市场规则拒绝：您的组织、角色或在该记录中的身份不允许此操作"},
		codes: []ledgererr.Code{ledgererr.Forbidden}},
	{status: 6, name: ledgererr.Text{En: "not found", Zh: "未找到"},
		meaning: ledgererr.Text{
			En: "a record the command names does not exist (or is not yours to see)",
			Zh: "命令指定的记录不存在（或您无权查看）"},
		codes: []ledgererr.Code{ledgererr.NotFound}},
	{status: 7, name: ledgererr.Text{En: "conflict", Zh: "冲突"},
		meaning: ledgererr.Text{
			En: "the record is in another state, the ID is taken, or another transaction got there first: read again, repeat only if it still applies",
			Zh: "记录处于其他状态、ID 已被占用，或另一笔交易抢先：请重新读取，仅在仍然适用时重试"},
		codes: []ledgererr.Code{ledgererr.Conflict}},
	{status: 8, name: ledgererr.Text{En: "unavailable", Zh: "不可用"},
		meaning: ledgererr.Text{
			En: "the gateway, a peer or the ordering service could not be reached, did not answer in time or asked to slow down: retry later with the --idempotency-key the command names, under which a change already made is answered, not made twice. Also a credit lookup that a holding org's peer did not answer: its records are printed and its trace written; repeat it with the --idempotency-key it names. A lookup with a record whose contents do not match the public hash exits 8 too, but a repeat reads the same contents: report it",
			Zh: "无法连接网关、节点或排序服务，或其未及时应答、要求降低频率：请稍后以命令给出的 --idempotency-key 重试，已做出的变更只会被应答，不会重复做出。持有记录的组织的节点未应答的信用查询也属此类：已打印其记录并写入查询记录；请以其给出的 --idempotency-key 重复查询。有记录内容与公开哈希不符的查询也以 8 退出，但重复查询读到的仍是同样的内容：请报告此事"},
		codes: []ledgererr.Code{ledgererr.Unavailable, ledgererr.Timeout, ledgererr.RateLimited, ledgererr.EndorsementFailed, ledgererr.OrderingFailed}},
	{status: 9, name: ledgererr.Text{En: "outcome unknown", Zh: "结果未知"},
		meaning: ledgererr.Text{
			En: "the transaction was sent for ordering but its commit was not seen: it may still commit; follow it with 'deltaledger tx wait TXID', or repeat with the --idempotency-key the command names",
			Zh: "交易已发送排序但未见提交，仍可能提交：用 'deltaledger tx wait TXID' 跟踪，或以命令给出的 --idempotency-key 重试"},
		codes: []ledgererr.Code{ledgererr.OutcomeUnknown}},
	{status: 10, name: ledgererr.Text{En: "commit failed", Zh: "提交失败"},
		meaning: ledgererr.Text{
			En: "the transaction was committed as invalid and wrote nothing",
			Zh: "交易被判定为无效，未写入任何数据"},
		codes: []ledgererr.Code{ledgererr.CommitFailed}},
	{status: 130, name: ledgererr.Text{En: "interrupted", Zh: "已中断"},
		meaning: ledgererr.Text{
			En: "stopped by Ctrl-C or SIGTERM; a change sent before may still commit: repeat it with the --idempotency-key the command names",
			Zh: "被 Ctrl-C 或 SIGTERM 中止；此前发出的变更仍可能提交：请以命令给出的 --idempotency-key 重复"},
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
	var incomplete *client.IncompleteLookupError
	if errors.As(err, &incomplete) {
		return exitUnavailable // a holding org's peer did not answer: repeat the lookup under its trace
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

// exitStatusHelp is the table of exit statuses for --help, in the help's
// language.
func exitStatusHelp(lang ledgererr.Language) string {
	var b strings.Builder
	b.WriteString(exitStatusHeading.In(lang) + "\n")
	for _, c := range exitClasses {
		if lang == ledgererr.Chinese { // no spaces to wrap at: one line, the codes on the next
			fmt.Fprintf(&b, "  %3d  %s：%s\n", c.status, c.name.Zh, c.meaning.Zh)
			if len(c.codes) > 0 {
				fmt.Fprintf(&b, "       [%s]\n", joinCodes(c.codes, ", "))
			}
			continue
		}
		text := c.name.En + ": " + c.meaning.En
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

// exitStatusMarkdown is the same table as Markdown in lang, as the README
// (English) and README.zh-CN.md (Chinese) carry it.
func exitStatusMarkdown(lang ledgererr.Language) string {
	var b strings.Builder
	header := ledgererr.Text{En: "| Status | Class | Meaning | Error codes |", Zh: "| 退出状态 | 类别 | 含义 | 错误码 |"}
	b.WriteString(header.In(lang) + "\n|---|---|---|---|\n")
	for _, c := range exitClasses {
		codes := "-"
		if len(c.codes) > 0 {
			codes = "`" + joinCodes(c.codes, "`, `") + "`"
		}
		fmt.Fprintf(&b, "| %d | %s | %s | %s |\n", c.status, c.name.In(lang), c.meaning.In(lang), codes)
	}
	return b.String()
}

var exitStatusHeading = ledgererr.Text{
	En: "Exit status (the gateway's error codes of each class in brackets):",
	Zh: "退出状态（方括号内为每类对应的网关错误码）：",
}

func joinCodes(codes []ledgererr.Code, sep string) string {
	s := make([]string, len(codes))
	for i, c := range codes {
		s[i] = string(c)
	}
	return strings.Join(s, sep)
}
