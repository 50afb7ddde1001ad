package main

import (
	"net/http"
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
