package main

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The command follows the POSIX locale: it asks the gateway for messages in
// that language and writes its own words in it; English otherwise.
func TestTheCommandFollowsTheLocale(t *testing.T) {
	f := newFake(t, false)
	f.on("GET /v1/assets/a1", func(w http.ResponseWriter, r *http.Request) {
		message := "the record does not exist: asset \"a1\" does not exist"
		if r.Header.Get("Accept-Language") == "zh" {
			message = "记录不存在: asset \"a1\" does not exist"
		}
		jsonAnswer(w, 404, map[string]string{"code": "NOT_FOUND", "message": message})
	})
	for _, c := range []struct {
		env                  map[string]string
		header, prefix, text string
	}{
		{nil, "en", "Error: ", "the record does not exist"},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, "zh", "错误： ", "记录不存在"},
		{map[string]string{"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en", "Error: ", "the record does not exist"},
		{map[string]string{"LANG": "fr_FR.UTF-8"}, "en", "Error: ", "the record does not exist"},
		{map[string]string{"LC_MESSAGES": "zh_CN.UTF-8"}, "zh", "错误： ", "记录不存在"},
	} {
		code, out, errOut := cli(t, c.env, "--gateway", f.srv.URL, "--api-key", "k", "assets", "get", "a1")
		require.Equal(t, 6, code, errOut)
		assert.Empty(t, out)
		assert.Equal(t, c.header, f.last().Header.Get("Accept-Language"), "%v", c.env)
		assert.Contains(t, errOut, c.prefix+"404 NOT_FOUND: "+c.text, "%v", c.env)
	}

	code, _, errOut := cli(t, map[string]string{"LANG": "zh_CN.UTF-8"}, "assets", "get")
	require.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "用法见 'deltaledger --help'")
}

// The command line's mistakes, cobra's and pflag's own (an unknown command
// or flag, a flag's bad value, flag groups) and the command's (a missing
// argument, a bad --output), are written in Chinese under a Chinese locale,
// with no English word left but the names and values typed; English
// otherwise, as made.
func TestCommandLineMistakesFollowTheLocale(t *testing.T) {
	zh := map[string]string{"LANG": "zh_CN.UTF-8"}
	for _, c := range []struct {
		args   []string
		en, zh string
	}{
		{[]string{"nosuch"}, `unknown command "nosuch" for "deltaledger"`, `"deltaledger" 没有子命令 "nosuch"`},
		{[]string{"asets"}, "unknown command \"asets\" for \"deltaledger\"\n\nDid you mean this?\n\tassets\n", "\"deltaledger\" 没有子命令 \"asets\"\n\n您要输入的是不是：\n\tassets\n"},
		{[]string{"--nosuch"}, "unknown flag: --nosuch", "未知选项：--nosuch"},
		{[]string{"-Z"}, `unknown shorthand flag: 'Z' in -Z`, `未知短选项：-Z 中的 'Z'`},
		{[]string{"assets", "get", "a1", "--gateway"}, "flag needs an argument: --gateway", "选项 --gateway 需要一个值"},
		{[]string{"listings", "update-price", "l1", "--price-fen", "ten", "--reason", "r"}, `invalid argument "ten" for "--price-fen" flag: strconv.ParseInt: parsing "ten": invalid syntax`,
			`选项 "--price-fen" 的值 "ten" 无效："ten" 不是整数`},
		{[]string{"--timeout", "soon", "assets", "get", "a1"}, `invalid argument "soon" for "--timeout" flag: time: invalid duration "soon"`,
			`选项 "--timeout" 的值 "soon" 无效："soon" 不是时长（例如 30s、5m、1h）`},
		{[]string{"listings", "browse"}, "at least one of the flags in the group [category region seller] is required",
			"选项组 [category region seller] 中至少需要设置一个选项"},
		{[]string{"listings", "browse", "--category", "finance", "--region", "shanghai"}, "if any flags in the group [category region seller] are set none of the others can be; [category region] were all set",
			"选项组 [category region seller] 中只能设置一个选项；[category region] 都已设置"},
		{[]string{"listings", "update-price", "l1", "--price-fen", "10"}, `required flag(s) "reason" not set`, `未设置必需的选项 "reason"`},
		{[]string{"assets", "get"}, "deltaledger assets get needs ID", "deltaledger assets get 需要参数 ID"},
		{[]string{"--output", "xml", "assets", "get", "a1"}, `--output "xml": want json or table`, `--output "xml"：应为 json 或 table`},
	} {
		code, _, errOut := cli(t, nil, c.args...)
		assert.Equal(t, exitUsage, code, "%v: %s", c.args, errOut)
		assert.Contains(t, errOut, "Error: "+c.en, c.args)
		code, _, errOut = cli(t, zh, c.args...)
		assert.Equal(t, exitUsage, code, "%v: %s", c.args, errOut)
		assert.Contains(t, errOut, "错误： "+c.zh, c.args)
		words := regexp.MustCompile(`"[^"]*"|'[^']*'|--?[a-zA-Z-]+|\[[^\]]*\]|\t[a-z]+|deltaledger[a-z ]*|[0-9]+[a-z]+|json|table`).ReplaceAllString(c.zh, "")
		assert.NotRegexp(t, `[a-z]{2,}`, words, "English left inside %q", c.zh)
	}
}

// What fails on this machine or on the way to the gateway (a file that is
// not there, a certificate that does not verify, a server that does not
// speak TLS, nobody listening) is written in Chinese under a Chinese locale,
// naming the file or server, with no English of Go's left; English
// otherwise, as Go says it. The exit status is the same in both.
func TestLocalFailuresFollowTheLocale(t *testing.T) {
	zh := map[string]string{"LANG": "zh_CN.UTF-8"}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := l.Addr().String()
	require.NoError(t, l.Close())
	plain := newFake(t, false)
	plain.on("GET /v1/participants/me", me)
	untrusted := newFake(t, true)
	untrusted.on("GET /v1/participants/me", me)
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.csv")
	notPEM := filepath.Join(dir, "cert.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("not a certificate\n"), 0o600))
	plainHost := strings.TrimPrefix(plain.srv.URL, "http://")
	tlsHost := strings.TrimPrefix(untrusted.srv.URL, "https://")
	for _, c := range []struct {
		name   string
		args   []string
		status int
		zh     string
	}{
		{"nobody listens", []string{"--gateway", "http://" + closed, "whoami"}, exitUnavailable,
			closed + " 上没有服务在监听：服务器是否在运行？"},
		{"untrusted certificate", []string{"--gateway", untrusted.srv.URL, "whoami"}, exitFailed,
			tlsHost + "：其 TLS 证书不是由本客户端信任的 CA 签发的"},
		{"not TLS", []string{"--gateway", "https://" + plainHost, "whoami"}, exitFailed,
			plainHost + " 没有以 TLS 应答（它是 http:// 服务器吗？）"},
		{"missing CA file", []string{"--gateway", untrusted.srv.URL, "--cacert", missing, "whoami"}, exitUsage,
			missing + " 不存在\n用法见 'deltaledger --help'（或 COMMAND --help）。"},
		{"missing data file", []string{"--gateway", plain.srv.URL, "assets", "verify", "a1", "--content-file", missing}, exitFailed,
			missing + " 不存在"},
		{"data file is a folder", []string{"--gateway", plain.srv.URL, "assets", "verify", "a1", "--content-file", dir}, exitFailed,
			dir + " 是目录，不是文件"},
		{"client certificate not PEM", []string{"--gateway", untrusted.srv.URL, "--client-cert", notPEM, "--client-key", notPEM, "whoami"}, exitFailed,
			"--client-cert " + notPEM + " 与 --client-key " + notPEM + " 不是 PEM 格式的证书及其私钥"},
		{"client certificate missing", []string{"--gateway", untrusted.srv.URL, "--client-cert", missing, "--client-key", notPEM, "whoami"}, exitFailed,
			"客户端证书：" + missing + " 不存在"},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, out, errOut := cli(t, zh, c.args...)
			assert.Equal(t, c.status, status, errOut)
			assert.Empty(t, out)
			assert.Equal(t, "错误： "+c.zh+"\n", errOut)
			status, _, errOut = cli(t, nil, c.args...)
			assert.Equal(t, c.status, status, errOut)
			assert.True(t, strings.HasPrefix(errOut, "Error: "), errOut)
			assert.False(t, regexp.MustCompile(`\p{Han}`).MatchString(errOut), "English as Go says it: %s", errOut)
		})
	}
}
