package api_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// An error answered to a request in Chinese has the same status, code,
// field and transaction ID as in English, and a Chinese message: a rule of
// the catalogue, a failure around the chaincode, a message of the gateway
// or a refusal of the
// chaincode the catalogue knows written in Chinese, any other detail (a
// refusal it does not know) after what its code means in Chinese. A
// language the catalogue does not have gets English,
// as does a request that names none.
func TestErrorsInTheRequestsLanguage(t *testing.T) {
	e := newEnv(t)
	e.fake.Returns("participants:List", map[string]any{"items": []any{}, "bookmark": ""})
	tx := strings.Repeat("cd", 32)
	type request struct {
		name, member, method, path, body string
		fails                            error // what the ledger answers participants:Suspend
		zh                               string
		// en, when set, is the whole English message and zh the whole
		// Chinese one: a refusal of the chaincode's catalogue, or a
		// message of the gateway's.
		en   string
		opts []reqOption
	}
	// refused is a chaincode refusal as the peer passes it on: the
	// chaincode's wire form inside Fabric's text, made with the format the
	// chaincode makes it with.
	refused := func(err *ledgererr.Error) error {
		return chain.FromChaincode("chaincode response 500, "+err.Error(), "")
	}
	requests := []request{
		{name: "missing field", member: "alice", method: "POST", path: "/v1/participants", body: strings.Replace(validRegister, `"name":"Acme",`, ``, 1), zh: "name: 为必填项"},
		{name: "unknown field", member: "alice", method: "POST", path: "/v1/participants", body: strings.Replace(validRegister, `"id"`, `"colour":"red","id"`, 1), zh: "colour: 不是此请求的字段"},
		{name: "bad region", member: "alice", method: "POST", path: "/v1/participants", body: strings.Replace(validRegister, `"shanghai"`, `"Beijing"`, 1), zh: `region: 必须符合 ^[a-z][a-z0-9]{1,19}$，实际为 "Beijing"`},
		{name: "too long", member: "alice", method: "POST", path: "/v1/participants", body: strings.Replace(validRegister, `"Acme"`, `"`+strings.Repeat("a", model.MaxParticipantNameLength+1)+`"`, 1),
			zh: fmt.Sprintf("name: 不得超过 %d 个字符", model.MaxParticipantNameLength)},
		{name: "limit", member: "alice", method: "GET", path: "/v1/participants?mspId=A&limit=101", zh: fmt.Sprintf("limit: 必须是 1 到 %d 之间的整数", model.MaxPageSize)},
		{name: "repeated query", member: "alice", method: "GET", path: "/v1/participants?mspId=A&mspId=B", zh: "mspId: 只能给出一次"},
		{name: "no credentials", method: "GET", path: "/v1/participants/me",
			en: "credentials required: a TLS client certificate of the org's CA or an API key (Authorization: Bearer)",
			zh: "需要凭证：本组织 CA 签发的 TLS 客户端证书，或 API 密钥（Authorization: Bearer）"},
		{name: "bad API key", method: "GET", path: "/v1/participants/me", opts: []reqOption{header("Authorization", "Bearer nope")},
			en: "invalid, expired or revoked API key", zh: "API 密钥无效、已过期或已撤销"},
		{name: "unknown path", member: "alice", method: "GET", path: "/v1/nothing",
			en: "no operation at /v1/nothing; see /v1/openapi.json", zh: "/v1/nothing 处没有任何操作；参见 /v1/openapi.json"},
		{name: "transaction ID", member: "alice", method: "GET", path: "/v1/transactions/xyz",
			en: "txid: must be a transaction ID: 64 lowercase hexadecimal characters", zh: "txid: 必须是交易 ID：64 个小写十六进制字符"},
		{name: "Idempotency-Key", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"}`,
			opts: []reqOption{header("Idempotency-Key", "key with\ta tab")},
			en:   "Idempotency-Key: must be 1 to 200 printable ASCII characters", zh: "Idempotency-Key: 必须是 1 到 200 个可打印 ASCII 字符"},
		{name: "body not an object", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `["audit"]`,
			en: "the request body must be a JSON object", zh: "请求体必须是 JSON 对象"},
		{name: "malformed JSON", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"]`,
			en: "the request body is not valid JSON at byte 17", zh: "请求体第 17 字节处不是有效的 JSON"},
		{name: "malformed JSON in a field", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit","force":tru}`,
			en: `the request body is not valid JSON at byte 26 (at field "force")`, zh: `请求体第 26 字节处（字段 "force" 处）不是有效的 JSON`},
		{name: "incomplete JSON", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"au`,
			en: "the request body ends before its JSON is complete", zh: "请求体在 JSON 完整之前就结束了"},
		{name: "chaincode refusal with a field", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"}`,
			fails: chain.Rejected(ledgererr.InvalidArgument, "scope.regions[1]", "must be a region", ""), zh: "请求不符合规则: scope.regions[1]: must be a region"},
		{name: "chaincode forbidden", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"}`,
			fails: chain.Rejected(ledgererr.Forbidden, "", "only an admin", ""), zh: "无权执行此操作: only an admin"},
		{name: "chaincode conflict", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"}`,
			fails: chain.Rejected(ledgererr.Conflict, "", "already suspended", ""), zh: "记录的当前状态不允许此操作: already suspended"},
		{name: "chaincode conflict of the catalogue", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"}`,
			fails: refused(ledgererr.Conflictf("participant %q is %s, not ACTIVE", "p-1", model.ParticipantSuspended)),
			en:    `participant "p-1" is SUSPENDED, not ACTIVE`, zh: `参与方 "p-1" 的状态为 SUSPENDED，而非 ACTIVE`},
		{name: "chaincode forbidden of the catalogue", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"}`,
			fails: refused(ledgererr.Forbiddenf("participant %q belongs to %s; an admin of %s cannot change it", "p-1", "JiangsuMSP", "ShanghaiMSP")),
			en:    `participant "p-1" belongs to JiangsuMSP; an admin of ShanghaiMSP cannot change it`, zh: `参与方 "p-1" 属于 JiangsuMSP；ShanghaiMSP 的管理员不能更改它`},
		{name: "chaincode not found of the catalogue", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"}`,
			fails: refused(ledgererr.NotFoundf("participant %q does not exist", "p-1")),
			en:    `participant "p-1" does not exist`, zh: `参与方 "p-1" 不存在`},
		{name: "chaincode field rule of the catalogue", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"}`,
			fails: refused(ledgererr.Invalid("reason", "must be at most %d characters, got %d", 1000, 1001)),
			en:    "reason: must be at most 1000 characters, got 1001", zh: "reason: 不得超过 1000 个字符，实际为 1001 个"},
		{name: "chaincode refusal quoting a reason", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"}`,
			fails: refused(ledgererr.Forbiddenf("participant %q is a party of %s and cannot decide it", "op-1", ledgererr.Phrase("the dispute of trade %q", "t-9"))),
			en:    `participant "op-1" is a party of the dispute of trade "t-9" and cannot decide it`, zh: `参与方 "op-1" 是交易 "t-9" 的争议的当事方，不能对其作出决定`},
		{name: "chaincode refusal quoting a phrase", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"}`,
			fails: refused(ledgererr.Forbiddenf("an exchange operator lists the trades of its own region (region=%s), not %s", "anhui", ledgererr.Phrase("the whole market"))),
			en:    "an exchange operator lists the trades of its own region (region=anhui), not the whole market", zh: "交易所运营方只列出本区域的交易（region=anhui），而非 整个市场"},
		{name: "unknown transaction", member: "alice", method: "GET", path: "/v1/transactions/" + strings.Repeat("0", 64),
			en: "transaction " + strings.Repeat("0", 64) + " is unknown: you sent no such transaction through this gateway in the last hour, and the channel holds none committed that you may see (a transaction sent through another gateway or client shows here once committed; a member who signs its own calls sees its own transactions only)",
			zh: "交易 " + strings.Repeat("0", 64) + " 未知：您在过去一小时内没有经本网关发送过该交易，通道上也没有您可查看的已提交交易（经其他网关或客户端发送的交易在提交后才会在此显示；自行签名的成员只能看到自己的交易）"},
		{name: "chaincode refusal the catalogue does not know", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"}`,
			fails: refused(ledgererr.Conflictf("participant %q was %s", "p-1", model.ParticipantSuspended)),
			zh:    `记录的当前状态不允许此操作: participant "p-1" was SUSPENDED`},
		{name: "outcome unknown", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"}`,
			fails: &chain.Error{Kind: chain.KindOutcomeUnknown, Message: "insufficient number of orderers", TransactionID: tx},
			zh:    ledgererr.FailureOutcomeUnknown.Format(ledgererr.Chinese) + ledgererr.SeeLog.In(ledgererr.Chinese)},
		{name: "endorsement", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"}`,
			fails: &chain.Error{Kind: chain.KindEndorsement, Message: "ZhejiangMSP 127.0.0.1:27351: no endorsement"}, zh: "节点未能为该交易背书（并非链码拒绝），交易未提交（详情见网关日志"},
		{name: "chaincode internal", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"}`,
			fails: chain.Rejected(ledgererr.Internal, "", "json: cannot unmarshal", ""), zh: "链码处理请求失败（详情见网关日志"},
		{name: "lost race", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"}`,
			fails: &chain.Error{Kind: chain.KindCommitFailed, ValidationCode: "MVCC_READ_CONFLICT", Message: "MVCC_READ_CONFLICT", TransactionID: tx},
			zh:    "另一笔交易先修改了本请求涉及的记录（MVCC_READ_CONFLICT），本请求未产生任何效果"},
		{name: "lost race in a block", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"}`,
			fails: chain.CommitFailed(tx, 12, "MVCC_READ_CONFLICT"),
			zh:    "另一笔交易先修改了本请求涉及的记录（交易 " + tx + " 已在区块 12 中被提交为无效交易：MVCC_READ_CONFLICT），本请求未产生任何效果"},
		{name: "committed invalid", member: "admin", method: "POST", path: "/v1/participants/p-1/suspend", body: `{"reason":"audit"}`,
			fails: chain.CommitFailed(tx, 12, "BAD_RWSET"),
			en:    "transaction " + tx + " was committed in block 12 as invalid: BAD_RWSET",
			zh:    "交易 " + tx + " 已在区块 12 中被提交为无效交易：BAD_RWSET"},
	}
	for _, c := range requests {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			if c.fails != nil {
				e.fake.Fails("participants:Suspend", c.fails)
			}
			send := func(acceptLanguage string) response {
				var opts []reqOption
				if c.member == "" {
					opts = append(opts, noAuth())
				}
				opts = append(opts, c.opts...)
				if acceptLanguage != "" {
					opts = append(opts, header("Accept-Language", acceptLanguage))
				}
				return e.do(c.member, c.method, c.path, c.body, opts...)
			}
			en := send("")
			require.GreaterOrEqual(t, en.Status, 400, "body: %s", en.Body)
			enBody := en.errorBody(t)
			assert.False(t, hasHan(enBody.Message), "English by default: %s", enBody.Message)
			if c.en != "" {
				assert.Equal(t, c.en, enBody.Message, "the chaincode's message as it made it")
			}
			assert.Equal(t, "en", en.Header.Get("Content-Language"))
			assert.Contains(t, en.Header.Values("Vary"), "Accept-Language")

			for _, lang := range []string{"zh-CN,zh;q=0.9,en;q=0.8", "zh", "fr-FR, zh;q=0.5"} {
				zh := send(lang)
				require.Equal(t, en.Status, zh.Status, lang)
				zhBody := zh.errorBody(t)
				assert.Equal(t, enBody.Code, zhBody.Code, lang)
				assert.Equal(t, enBody.Field, zhBody.Field, lang)
				assert.Equal(t, enBody.TransactionID, zhBody.TransactionID, lang)
				assert.True(t, strings.HasPrefix(zhBody.Message, c.zh), "%s: %q does not start with %q", lang, zhBody.Message, c.zh)
				if c.en != "" {
					assert.Equal(t, c.zh, zhBody.Message, lang)
				}
				assert.Equal(t, "zh", zh.Header.Get("Content-Language"))
			}
			for _, lang := range []string{"fr", "en-US", "de-DE,fr;q=0.5", "*", "x;;;q=bad"} {
				other := send(lang)
				assert.Equal(t, string(en.Body), string(other.Body), "%q falls back to English", lang)
				assert.Equal(t, "en", other.Header.Get("Content-Language"), lang)
			}
		})
	}
}
