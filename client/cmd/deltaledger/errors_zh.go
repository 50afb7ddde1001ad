package main

import (
	"errors"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// cobraTexts is the command line's own mistakes in Chinese, as cobra
// v1.10.2 and pflag v1.0.10 report them (and the strconv and time errors
// pflag passes on for a flag's value), keyed by the English format each
// makes its error from (a character pflag quotes as 'c' is a %s here: %q
// is recognised as a double-quoted string). An upgrade that rewords one leaves that error in
// English; TestCobrasErrorsFollowTheLocale makes each mistake and fails.
var cobraTexts = map[string]string{
	"unknown command %q for %q%s":                                                       "%[2]q 没有子命令 %[1]q%[3]s",
	"\n\nDid you mean this?\n%s":                                                        "\n\n您要输入的是不是：\n%[1]s",
	"invalid argument %q for %q%s":                                                      "%[2]q 不接受参数 %[1]q%[3]s",
	"requires at least %d arg(s), only received %d":                                     "至少需要 %[1]d 个参数，只收到 %[2]d 个",
	"accepts at most %d arg(s), received %d":                                            "至多接受 %[1]d 个参数，收到 %[2]d 个",
	"accepts %d arg(s), received %d":                                                    "只接受 %[1]d 个参数，收到 %[2]d 个",
	"accepts between %d and %d arg(s), received %d":                                     "接受 %[1]d 到 %[2]d 个参数，收到 %[3]d 个",
	"required flag(s) %s not set":                                                       "未设置必需的选项 %[1]s",
	"if any flags in the group [%s] are set they must all be set; missing %s":           "选项组 [%[1]s] 中的选项要么全部设置，要么都不设置；缺少 %[2]s",
	"at least one of the flags in the group [%s] is required":                           "选项组 [%[1]s] 中至少需要设置一个选项",
	"if any flags in the group [%s] are set none of the others can be; %s were all set": "选项组 [%[1]s] 中只能设置一个选项；%[2]s 都已设置",
	"unknown flag: --%s":                                                                "未知选项：--%[1]s",
	"unknown shorthand flag: %s in -%s":                                                 "未知短选项：-%[2]s 中的 %[1]s",
	"flag needs an argument: --%s":                                                      "选项 --%[1]s 需要一个值",
	"flag needs an argument: %s in -%s":                                                 "选项需要一个值：-%[2]s 中的 %[1]s",
	"invalid argument %q for %q flag: %s":                                               "选项 %[2]q 的值 %[1]q 无效：%[3]s",
	"bad flag syntax: %s":                                                               "选项语法错误：%[1]s",
	"strconv.ParseInt: parsing %q: invalid syntax":                                      "%[1]q 不是整数",
	"strconv.ParseInt: parsing %q: value out of range":                                  "%[1]q 超出整数范围",
	"strconv.ParseUint: parsing %q: invalid syntax":                                     "%[1]q 不是非负整数",
	"strconv.ParseUint: parsing %q: value out of range":                                 "%[1]q 超出非负整数范围",
	"strconv.ParseFloat: parsing %q: invalid syntax":                                    "%[1]q 不是数字",
	"strconv.ParseBool: parsing %q: invalid syntax":                                     "%[1]q 不是 true 或 false",
	"time: invalid duration %q":                                                         "%[1]q 不是时长（例如 30s、5m、1h）",
	"time: unknown unit %q in duration %q":                                              "时长 %[2]q 中的单位 %[1]q 无效（可用 ms、s、m、h）",
	"time: missing unit in duration %q":                                                 "时长 %[1]q 缺少单位（可用 ms、s、m、h）",
}

// cobraErrors recognises cobra's and pflag's errors, compiled once.
var cobraErrors = func() *ledgererr.Refusals {
	c, err := ledgererr.NewCatalogue(cobraTexts)
	if err != nil {
		panic(err) // TestCobrasErrorsFollowTheLocale compiles it
	}
	return c
}()

// errorIn writes err in lang: the gateway's answer (its message as it came,
// in the language the command asked for; the client's own words in lang), a
// message of the catalogue or the client's, a local failure (a file, a
// certificate, a connection) or an error of cobra's in lang, any other
// error as it reads.
func errorIn(err error, lang ledgererr.Language) string {
	var l ledgererr.Localised
	var answer *client.Error
	if !(errors.As(err, &l) && l.Error() == err.Error()) && errors.As(err, &answer) {
		return err.Error()
	}
	text := ledgererr.ErrorIn(err, lang)
	if lang == ledgererr.English || text != err.Error() {
		return text
	}
	if t, ok := cobraErrors.Translate(text, lang); ok {
		return t
	}
	return text
}
