package locale

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func TestFromAcceptLanguage(t *testing.T) {
	for header, want := range map[string]ledgererr.Language{
		"":                        ledgererr.English,
		"zh":                      ledgererr.Chinese,
		"zh-CN":                   ledgererr.Chinese,
		"zh-CN,zh;q=0.9,en;q=0.8": ledgererr.Chinese,
		"zh-Hans-CN":              ledgererr.Chinese,
		"en-US,en;q=0.9":          ledgererr.English,
		"en;q=0.5, zh":            ledgererr.Chinese,
		"zh;q=0.5, en":            ledgererr.English,
		"fr-FR, zh;q=0.5":         ledgererr.Chinese,
		"fr":                      ledgererr.English,
		"de-DE,fr;q=0.5":          ledgererr.English,
		"*":                       ledgererr.English,
		"x;;;q=bad":               ledgererr.English,
	} {
		assert.Equal(t, want, FromAcceptLanguage(header), "%q", header)
	}
}

func TestFromEnvironment(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want ledgererr.Language
	}{
		{nil, ledgererr.English},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, ledgererr.Chinese},
		{map[string]string{"LANG": "zh_CN"}, ledgererr.Chinese},
		{map[string]string{"LANG": "zh_TW.UTF-8"}, ledgererr.Chinese},
		{map[string]string{"LANG": "en_US.UTF-8"}, ledgererr.English},
		{map[string]string{"LANG": "de_DE.UTF-8"}, ledgererr.English},
		{map[string]string{"LANG": "C.UTF-8"}, ledgererr.English},
		{map[string]string{"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, ledgererr.English},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, ledgererr.Chinese},
		{map[string]string{"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "POSIX"}, ledgererr.English},
		{map[string]string{"LC_ALL": "zh_CN.GB18030@pinyin"}, ledgererr.Chinese},
		{map[string]string{"LANG": "not a locale!"}, ledgererr.English},
	} {
		assert.Equal(t, c.want, FromEnvironment(func(k string) string { return c.env[k] }), "%v", c.env)
	}
}
