package ledgererr

import (
	"fmt"
	"maps"
	"slices"

	"github.com/deltaledger/deltaledger/internal/textcheck"
)

// The catalogue of messages: what each code means and how each rule of a
// field reads, in every language the market's people use. The exchanges'
// staff and their members' developers read Chinese; English is the default
// and the language of logs. Clients still switch on codes, never on text.

// Language is a language of the catalogue.
type Language string

const (
	// English is the default language.
	English Language = "en"
	// Chinese is Simplified Chinese (zh-CN), the exchanges' language.
	Chinese Language = "zh"
)

// Languages lists the catalogue's languages, the default first.
var Languages = []Language{English, Chinese}

// Text is one entry of the catalogue in each language. A text may hold
// fmt verbs with explicit argument indexes (%[1]d), so that each language
// puts the arguments where its grammar wants them.
type Text struct {
	En, Zh string
}

// In returns the text in lang, English for a language it is not written in.
func (t Text) In(lang Language) string {
	if lang == Chinese && t.Zh != "" {
		return t.Zh
	}
	return t.En
}

// codeTexts says what each code means.
var codeTexts = map[Code]Text{
	InvalidArgument:      {"the request breaks a rule", "请求不符合规则"},
	NotFound:             {"the record does not exist", "记录不存在"},
	Forbidden:            {"the caller may not do this", "无权执行此操作"},
	Conflict:             {"the record's state does not allow this", "记录的当前状态不允许此操作"},
	Internal:             {"internal error", "内部错误"},
	Unauthenticated:      {"no valid credentials", "未提供有效凭证"},
	PayloadTooLarge:      {"the request body is too large", "请求体过大"},
	UnsupportedMediaType: {"the request body must be JSON", "请求体必须是 JSON"},
	MethodNotAllowed:     {"the path does not take this method", "该路径不接受此方法"},
	RateLimited:          {"too many requests: retry later", "请求过于频繁，请稍后重试"},
	IdempotencyKeyReused: {"the idempotency key came with another request", "该幂等键已用于另一个请求"},
	EndorsementFailed:    {"no valid endorsement could be had", "未能获得有效背书"},
	OrderingFailed:       {"the ordering service refused the transaction", "排序服务拒绝了该交易"},
	OutcomeUnknown:       {"the transaction's outcome is unknown: it may still commit", "交易结果未知，仍可能提交"},
	CommitFailed:         {"the transaction was committed as invalid and wrote nothing", "交易被判定为无效，未写入任何数据"},
	Unavailable:          {"the peer or the ordering service cannot be reached", "无法连接节点或排序服务"},
	Timeout:              {"Fabric did not answer in time", "Fabric 未能及时应答"},
	Canceled:             {"the request was canceled", "请求已取消"},
}

// Codes returns every code a client may be answered with, sorted: the
// catalogue's, which has a text for each code declared (a test holds it so).
func Codes() []Code {
	return slices.Sorted(maps.Keys(codeTexts))
}

// Text returns what the code means; Internal's text for a code the
// catalogue does not know.
func (c Code) Text() Text {
	if t, ok := codeTexts[c]; ok {
		return t
	}
	return codeTexts[Internal]
}

// Rule is a rule a field of a request breaks: the rules of model.Field
// (required, type, length, enumeration, pattern, bounds) and those of the
// request's shape. Its text follows the field's name: "priceFen: must be at
// least 1".
type Rule string

// The rules. RuleMaxLength, RuleMinimum and RuleMaximum take the bound,
// RulePageSize the largest page, RuleEnum the allowed values (joined) and
// the value given, RulePattern the pattern and the value given,
// RuleOwnOrgAndOneOther the gateway's org; the others take none.
const (
	RuleRequired           Rule = "required"
	RuleValidText          Rule = "validText"
	RuleMaxLength          Rule = "maxLength"
	RuleEnum               Rule = "enum"
	RulePattern            Rule = "pattern"
	RuleInteger            Rule = "integer"
	RuleInteger64          Rule = "integer64"
	RuleMinimum            Rule = "minimum"
	RuleMaximum            Rule = "maximum"
	RuleString             Rule = "string"
	RuleStringList         Rule = "stringList"
	RuleNonEmptyList       Rule = "nonEmptyList"
	RuleNoComma            Rule = "noComma"
	RuleObject             Rule = "object"
	RuleBoolean            Rule = "boolean"
	RulePageSize           Rule = "pageSize"
	RuleOnce               Rule = "once"
	RuleNotAField          Rule = "notAField"
	RuleNotAQueryParameter Rule = "notAQueryParameter"
	RuleRequiredToOpen     Rule = "requiredToOpen"
	RuleStageTermsFirst    Rule = "stageTermsFirst"
	RuleOwnOrgAndOneOther  Rule = "ownOrgAndOneOther"
	RuleNamedBySelfSigners Rule = "namedBySelfSigners"
	RuleSelfSignersOnly    Rule = "selfSignersOnly"
)

// ruleTexts says how each rule reads.
var ruleTexts = map[Rule]Text{
	RuleRequired:           {"is required", "为必填项"},
	RuleValidText:          {textcheck.Rule, "必须是有效的 UTF-8 文本（不得含无效字节或孤立的代理项转义）"},
	RuleMaxLength:          {"must be at most %[1]d characters", "不得超过 %[1]d 个字符"},
	RuleEnum:               {"must be one of %[1]s, got %[2]q", "必须是 %[1]s 之一，实际为 %[2]q"},
	RulePattern:            {"must match %[1]s, got %[2]q", "必须符合 %[1]s，实际为 %[2]q"},
	RuleInteger:            {"must be an integer", "必须是整数"},
	RuleInteger64:          {"must be an integer (no fraction or exponent) within 64 bits", "必须是 64 位以内的整数（不含小数或指数）"},
	RuleMinimum:            {"must be at least %[1]d", "不得小于 %[1]d"},
	RuleMaximum:            {"must be at most %[1]d", "不得大于 %[1]d"},
	RuleString:             {"must be a string", "必须是字符串"},
	RuleStringList:         {"must be an array of strings", "必须是字符串数组"},
	RuleNonEmptyList:       {"must hold at least one item", "至少需要一项"},
	RuleNoComma:            {"must not contain a comma", "不得包含逗号"},
	RuleObject:             {"must be a JSON object", "必须是 JSON 对象"},
	RuleBoolean:            {"must be true or false", "必须是 true 或 false"},
	RulePageSize:           {"must be an integer from 1 to %[1]d", "必须是 1 到 %[1]d 之间的整数"},
	RuleOnce:               {"must be given once", "只能给出一次"},
	RuleNotAField:          {"is not a field of this request", "不是此请求的字段"},
	RuleNotAQueryParameter: {"is not a query parameter of this operation", "不是此操作的查询参数"},
	RuleRequiredToOpen:     {"is required for round 1, which opens the trade", "第 1 轮（开启交易）时为必填项"},
	RuleStageTermsFirst: {"is not taken here: stage the terms first (POST /v1/trades/{tradeId}/terms), then make this call without them",
		"此处不接受：请先暂存条款（POST /v1/trades/{tradeId}/terms），再不带条款发起本调用"},
	RuleOwnOrgAndOneOther: {"must name this gateway's org (%[1]s) and at most one other, each once: the buyer's and the seller's orgs",
		"必须列出本网关的组织（%[1]s）及至多一个其他组织，各一次：即买方与卖方的组织"},
	RuleNamedBySelfSigners: {"is required of a member who signs its own calls: name the buyer's and the seller's orgs, which the gateway cannot read for you",
		"自行签名的成员必须提供：请列出买方与卖方的组织，网关无法代您读取"},
	RuleSelfSignersOnly: {"is for members who sign their own calls: the gateway reads the buyer's and the seller's orgs itself for a member whose key it holds",
		"仅供自行签名的成员使用：对于网关持有其密钥的成员，网关会自行读取买方与卖方的组织"},
}

// Text returns how the rule reads, or the rule's name for a rule the
// catalogue does not know.
func (r Rule) Text() Text { return textOrName(ruleTexts, r) }

// Format renders the rule with its arguments in lang.
func (r Rule) Format(lang Language, args ...any) string {
	return fmt.Sprintf(r.Text().In(lang), args...)
}

// Failure is a failure around the chaincode (endorsement, ordering, commit,
// an unreachable peer, the chaincode's or the gateway's own fault) that the
// gateway answers with one fixed sentence: what failed and what the caller
// can do. What Fabric said about it (peer and orderer addresses, MSP IDs,
// gRPC text) is for the gateway's log, never for the caller (SeeLog).
type Failure string

// The failures. FailureLostRace takes what the commit said (transaction,
// block, validation code); the others take none.
const (
	FailureEndorsement    Failure = "endorsement"
	FailureOrdering       Failure = "ordering"
	FailureUnavailable    Failure = "unavailable"
	FailureOutcomeUnknown Failure = "outcomeUnknown"
	FailureTimeout        Failure = "timeout"
	FailureChaincode      Failure = "chaincode"
	FailureGateway        Failure = "gateway"
	FailureLostRace       Failure = "lostRace"
	FailureIndex          Failure = "index"
)

// failureTexts says what each failure means for the caller.
var failureTexts = map[Failure]Text{
	FailureEndorsement: {"the peers did not endorse the transaction for a reason other than a refusal by the chaincode; nothing was submitted",
		"节点未能为该交易背书（并非链码拒绝），交易未提交"},
	FailureOrdering: {"the ordering service did not accept the transaction, and it was not committed; retry shortly",
		"排序服务未接受该交易，交易未提交；请稍后重试"},
	FailureUnavailable: {"this region's peer or the ordering service cannot be reached; retry shortly",
		"无法连接本区域的节点或排序服务；请稍后重试"},
	FailureOutcomeUnknown: {"the transaction was sent for ordering, but its commit could not be confirmed in time; read its status",
		"交易已发送排序，但未能及时确认其提交；请查询交易状态"},
	FailureTimeout:   {"the ledger did not answer in time", "账本未能及时应答"},
	FailureChaincode: {"the chaincode failed to handle the request", "链码处理请求失败"},
	FailureGateway:   {"the gateway failed to handle the request", "网关处理请求失败"},
	FailureIndex: {"this gateway's ledger index cannot be read; retry shortly",
		"无法读取本网关的账本索引；请稍后重试"},
	FailureLostRace: {"another transaction changed the records this request concerns first (%[1]s), so it had no effect: read them again and repeat the request only if it still applies",
		"另一笔交易先修改了本请求涉及的记录（%[1]s），本请求未产生任何效果：请重新读取这些记录，仅在请求仍然适用时重试"},
}

// SeeLog follows a failure's sentence when the gateway logged what Fabric
// said about it.
var SeeLog = Text{
	" (the gateway's log has the details under this answer's X-Request-ID)",
	"（详情见网关日志中本应答的 X-Request-ID）",
}

// Text returns what the failure means, or its name for a failure the
// catalogue does not know.
func (f Failure) Text() Text { return textOrName(failureTexts, f) }

// textOrName is the text of name in texts, or the name itself (in English)
// for a name texts does not hold: a rule or failure added without its text
// still reads as something.
func textOrName[K ~string](texts map[K]Text, name K) Text {
	if t, ok := texts[name]; ok {
		return t
	}
	return Text{En: string(name)}
}

// Format renders the failure with its arguments in lang (an argument that
// is a Message in lang too).
func (f Failure) Format(lang Language, args ...any) string {
	return fmt.Sprintf(f.Text().In(lang), localise(lang, args)...)
}
