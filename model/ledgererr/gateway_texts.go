package ledgererr

// gatewayTexts is the gateway's own messages in Chinese (beside the field
// rules, the failures around the chaincode and the chaincode's refusals),
// keyed by the English format the gateway makes the message from
// (Messagef, and the gateway's newError and invalid). The domain's terms
// are those of the refusals (参与方, 运营方, 监管方, 成员, 接纳). Each
// Chinese text prints the same arguments with the same verbs, by explicit
// index where there are several. TestEveryGatewayMessageIsInTheCatalogue
// walks the gateway's source: a new message without its Chinese text fails
// it, and so does a text no message uses.
var gatewayTexts = map[string]string{
	// Credentials and access.
	"credentials required: a TLS client certificate of the org's CA or an API key (Authorization: Bearer)": "需要凭证：本组织 CA 签发的 TLS 客户端证书，或 API 密钥（Authorization: Bearer）",
	"the Authorization header must be \"Bearer <API key>\"":                                                "Authorization 请求头必须是 \"Bearer <API 密钥>\"",
	"invalid or revoked API key":                              "API 密钥无效或已撤销",
	"the API key's member %q is not in this gateway's wallet": "API 密钥所属成员 %[1]q 不在本网关的钱包中",
	"%s (serial %s) was revoked by the CA of %s: it authenticates nobody (a suspended member is cut off; ask the org's exchange)": "%[1]s（序列号 %[2]s）已被 %[3]s 的 CA 吊销，不能再认证任何人（被暂停的成员已被断开；请联系本组织所在的数据交易所）",
	"the certificate of the API key's member":                                  "API 密钥所属成员的证书",
	"the client certificate":                                                   "客户端证书",
	"the client certificate belongs to a member of %[1]s; use %[1]s's gateway": "该客户端证书属于 %[1]s 的成员；请使用 %[1]s 的网关",
	"the client certificate was not issued by the CA of %s":                    "该客户端证书不是由 %[1]s 的 CA 签发的",
	"%s rate limit of %s exceeded (%v per second); retry in %s":                "%[2]s 超出了%[1]s速率限制（每秒 %[3]v 次）；请在 %[4]s 后重试",
	"read":                     "读取",
	"write":                    "写入",
	"internal error":           "内部错误",
	"the request was canceled": "请求已取消",

	// Routes, query strings and bodies.
	"no operation at %s; see /v1/openapi.json":             "%[1]s 处没有任何操作；参见 /v1/openapi.json",
	"%s is not allowed on %s; allowed: %s":                 "%[2]s 不接受 %[1]s 方法；允许的方法：%[3]s",
	"the query string is malformed":                        "查询字符串格式错误",
	"is not a cursor this API returned":                    "不是本 API 返回的游标",
	"the request body exceeds %d bytes":                    "请求体超过 %[1]d 字节",
	"reading the request body: %v":                         "读取请求体失败：%[1]v",
	"a JSON object body is required":                       "请求体必须是一个 JSON 对象，不能为空",
	"the request body must be application/json, got %q":    "请求体必须是 application/json，实际为 %[1]q",
	"the request body must be a JSON object":               "请求体必须是 JSON 对象",
	"the request body is not valid JSON: %v":               "请求体不是有效的 JSON：%[1]v",
	"the request body is not valid JSON (at field %q): %v": "请求体不是有效的 JSON（字段 %[1]q 处）：%[2]v",
	"the request body must hold exactly one JSON object":   "请求体必须恰好包含一个 JSON 对象",
	"must be one block number, a whole number":             "必须是一个区块号（非负整数）",
	"this region's peer has not yet committed block %d (%s): it has committed up to block %d; retry shortly": "本区域的节点尚未提交区块 %[1]d（%[2]s）：它已提交到区块 %[3]d；请稍后重试",
	"the chaincode answered a list with something other than {items, bookmark}: %v":                          "链码返回的列表不是 {items, bookmark} 形式：%[1]v",

	// Transactions, Idempotency-Key and the steps of members who sign for themselves.
	"must be a transaction ID: 64 lowercase hexadecimal characters":                                                       "必须是交易 ID：64 个小写十六进制字符",
	"must be 1 to %d printable ASCII characters":                                                                          "必须是 1 到 %[1]d 个可打印 ASCII 字符",
	"the Idempotency-Key was already used for a different request":                                                        "该 Idempotency-Key 已用于另一个不同的请求",
	"a step of the call with this Idempotency-Key is running; retry in a moment":                                          "使用该 Idempotency-Key 的调用正在执行某一步骤；请稍后重试",
	"transaction %s was committed in block %d as invalid: %s":                                                             "交易 %[1]s 已在区块 %[2]d 中被提交为无效交易：%[3]s",
	"this gateway runs no calls for members whose keys it does not hold":                                                  "本网关不为其未持有密钥的成员执行调用",
	"the gateway signs for %s: only members whose keys it does not hold sign steps":                                       "网关代 %[1]s 签名：只有网关未持有其密钥的成员才自行签署各步骤",
	"%s %s needs a member whose key this gateway holds; %s signs its own calls and may use the chaincode operations only": "%[1]s %[2]s 需要由本网关持有密钥的成员调用；%[3]s 自行签署调用，只能使用链码操作",
	"must be base64 (standard alphabet, padded)":                                                                          "必须是 base64 编码（标准字母表，带填充）",
	"no call %s of yours waits for a %s signature (unknown, another step, or forgotten %s after its last step)":           "您没有等待%[2]s签名的调用 %[1]s（调用未知、处于其他步骤，或已在上一步骤后 %[3]s 被遗忘）",
	"proposal":                              "提案",
	"transaction":                           "交易",
	"commit":                                "提交",
	"refused: %v":                           "被拒绝：%[1]v",
	"no call waits for this signature":      "没有调用在等待此签名",
	"too many calls waiting for signatures": "等待签名的调用过多",
	"not an ASN.1 DER ECDSA signature":      "不是 ASN.1 DER 编码的 ECDSA 签名",
	"its S is in the upper half of the curve order; Fabric accepts only low-S signatures (negate S modulo N)": "其 S 值位于曲线阶的上半部分；Fabric 只接受低 S 签名（请将 S 取模 N 的相反数）",
	"transaction %s is not committed yet; send the same signature again":                                      "交易 %[1]s 尚未提交；请再次发送相同的签名",
	"must be a block number": "必须是区块号",
	"must be an event id \"<block>-<transaction id>\" this stream sent": "必须是本事件流发送过的事件 ID \"<区块>-<交易 ID>\"",

	// Members: onboarding at the region's CA and revocation of their certificates.
	"this gateway onboards no members (ca.url is not configured)":                                                "本网关不接纳成员（未配置 ca.url）",
	"the check character (the 18th) does not match the first 17 characters":                                      "校验码（第 18 位）与前 17 位不符",
	"only an active operator of %s onboards members; %s is no participant":                                       "只有 %[1]s 的在册运营方才能接纳成员；%[2]s 不是参与方",
	"only an active operator of %s onboards members":                                                             "只有 %[1]s 的在册运营方才能接纳成员",
	"participants:WhoAmI answered something other than a participant":                                            "participants:WhoAmI 返回的不是参与方",
	"uscc: the enterprise %s already has an identity at the CA of %s":                                            "uscc：企业 %[1]s 在 %[2]s 的 CA 已有身份",
	"the CA of %s did not register the member":                                                                   "%[1]s 的 CA 未能注册该成员",
	"the enrollment ID and secret do not enroll (unknown, wrong or already used)":                                "登记 ID 和密码无法登记（未知、错误或已使用）",
	"the CA of %s did not enroll the member":                                                                     "%[1]s 的 CA 未能为该成员登记",
	"must be one PEM CERTIFICATE REQUEST":                                                                        "必须是一个 PEM 格式的 CERTIFICATE REQUEST（证书签名请求）",
	"cannot be parsed: %v":                                                                                       "无法解析：%[1]v",
	"is not signed by its own key":                                                                               "未由其自身的密钥签名",
	"its CN must be the enrollment ID %s":                                                                        "其 CN 必须是登记 ID %[1]s",
	"only an admin of %s revokes members' certificates":                                                          "只有 %[1]s 的管理员才能吊销成员的证书",
	"participants:Get answered something other than a participant":                                               "participants:Get 返回的不是参与方",
	"participant %q is not a member of %s":                                                                       "参与方 %[1]q 不是 %[2]s 的成员",
	"participant %q is ACTIVE on the ledger: suspend it first (POST /v1/participants/%s/suspend, with a reason)": "参与方 %[1]q 在账本上仍为 ACTIVE：请先暂停它（POST /v1/participants/%[2]s/suspend，并说明原因）",
	"participant %q certifies no enterprise: it was not onboarded through this gateway, whose registrar revokes only the members it onboarded": "参与方 %[1]q 未认证任何企业：它不是通过本网关接纳的，而本网关的注册员只吊销由它接纳的成员",
	"participant %q: %s has no certificate of it that this gateway's registrar may revoke (only members onboarded through this gateway)":       "参与方 %[1]q：%[2]s 没有本网关注册员可吊销的该参与方证书（只能吊销通过本网关接纳的成员）",
	"the CA of %s did not revoke all of %q's certificates (%d revoked): call again":                                                            "%[1]s 的 CA 未能吊销 %[2]q 的全部证书（已吊销 %[3]d 张）：请再次调用",

	// The ledger index, the market's figures and the published indices.
	"this gateway keeps no ledger index (index.enabled is false); ask a gateway that does":       "本网关不维护账本索引（index.enabled 为 false）；请向维护索引的网关查询",
	"the ledger index cannot be read: %v":                                                        "无法读取账本索引：%[1]v",
	"not a cursor of this list: use the next_cursor of the previous page":                        "不是此列表的游标：请使用上一页的 next_cursor",
	"the index has not reached block %d yet (it has read no block so far); retry shortly":        "索引尚未读到区块 %[1]d（目前尚未读取任何区块）；请稍后重试",
	"the index has not reached block %d yet (it has read up to block %d); retry shortly":         "索引尚未读到区块 %[1]d（已读到区块 %[2]d）；请稍后重试",
	"must not be less than minPriceFen":                                                          "不得小于 minPriceFen",
	"only the participant itself, an operator or the regulator may read the trade history of %q": "只有参与方本身、运营方或监管方才能读取 %[1]q 的交易历史",
	"only operators and the regulator may read the credit lookup counts":                         "只有运营方和监管方才能读取信用查询次数",
	"must be an RFC 3339 instant or a date YYYY-MM-DD, got %q":                                   "必须是 RFC 3339 时刻或 YYYY-MM-DD 格式的日期，实际为 %[1]q",
	"must be after from":                                               "必须晚于 from",
	"each must be an MSP ID, got %q":                                   "每一项都必须是 MSP ID，实际为 %[1]q",
	"indices:Publish answered something other than a publication":      "indices:Publish 返回的不是发布结果",
	"%s is opened but not published yet":                               "%[1]s 已开启但尚未发布",
	"credit:RequestQuery answered something other than a query ticket": "credit:RequestQuery 返回的不是查询凭单",
}
