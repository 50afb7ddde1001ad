package main

import (
	"fmt"

	"github.com/deltaledger/deltaledger/model"
)

// helpInChinese is the command's help in Chinese, keyed by its English text
// (help.go): each command's Short and Long, each flag's usage, each group's
// title, an example with its comments in Chinese (the commands unchanged).
// cobra's own help and completion commands are here too.
var helpInChinese = map[string]string{
	// deltaledger
	"Work with the DeltaLedger data market through a region's REST gateway": "通过一个区域的 REST 网关使用 DeltaLedger 数据交易市场",
	// deltaledger (its English text is rootLong, root.go)
	rootLong: `deltaledger 以某一区域的一个成员身份，通过该区域的 REST 网关（deltaledger-gateway）
使用 DeltaLedger 数据交易市场：登记数据资产（其 SHA-256 在本机计算，数据从不离开本机），
挂牌出售其上的权利并购买，发布、授权和查询信用记录，以及跟踪账本的事件。

连接。指定网关、如何信任它以及您是谁：
  --gateway URL      DELTALEDGER_GATEWAY     例如 https://127.0.0.1:27180
  --cacert FILE      DELTALEDGER_CACERT      网关的 TLS CA（PEM）
  --api-key KEY      DELTALEDGER_API_KEY     成员的 API 密钥（dlk_...）：请用环境变量，
                     因为选项会出现在进程列表中
  --client-cert FILE --client-key FILE       或成员的 TLS 客户端证书
                     （DELTALEDGER_CLIENT_CERT、DELTALEDGER_CLIENT_KEY）
或者指定本地网络（'make up' 之后）的一个成员，由其演示密钥文件提供其余信息：
  --org ORG --role ROLE   （或 --profile ORG/ROLE；DELTALEDGER_ORG、DELTALEDGER_ROLE）
  --keys-file FILE        DELTALEDGER_KEYS_FILE，默认 ` + defaultKeysFile + `
                          （在当前目录及其上级目录中查找）
从中读取 <ORG>_GW、<ORG>_CA 和 <ORG>_<ROLE>_KEY。ORG 为 shanghai、jiangsu、zhejiang 或
anhui；ROLE 为 admin、operator、holder、buyer、agency 或 regulator。
选项优先于 profile，profile 优先于其他环境变量。

输出。默认为 JSON（-o json）；-o table 把列表打印为表格，把单条记录打印为 FIELD/VALUE 行。
更改账本的命令打印交易 ID、所在区块以及交易写入后的记录；除非给出 --no-wait，它们会等待
交易提交（之后可用 'deltaledger tx wait TXID' 跟进）。每个这类命令以及 'credit lookup'
（它写入查询记录）都发送一个新的随机 Idempotency-Key，因此客户端的自动重试（遇到 429 和
503 时）是安全的；
--idempotency-key KEY 使重复执行的同一命令行也是安全的。这类命令因结果未知而失败时（退出
状态 8、9 或 130），在标准错误上给出其 --idempotency-key：以它重复该命令，得到的是第一次的
结果，而不会执行两次。网关也会把拒绝按其键保存一天，重放的拒绝标有“（重放）”：消除其原因后，
请以另一个键重复。

会话。每个命令都会在网关上等待，直到本区域的节点拥有之前成功的命令（经任一区域）看到的
最新账本区块，从而看得到它们所做的更改；该区块保存在 DELTALEDGER_SESSION（一个文件；"none"
表示不使用会话）中，使用 --org/--role 时默认保存在网络的密钥文件旁边。

错误写到标准错误：网关的错误码和消息，有交易 ID 时也一并给出；退出状态区分错误的类别。`,
	// deltaledger (rootExample)
	rootExample: `  # 在 'make up' 之后，于仓库根目录执行
  deltaledger --org anhui --role buyer whoami
  deltaledger --org anhui --role buyer listings browse --category transport -o table
  deltaledger --org shanghai --role holder assets apply --id my-asset --name "Port moves" \
    --category transport --region shanghai --description "Hourly moves per berth" --content-file data.csv
  deltaledger --org shanghai --role regulator events --start-block 1

  # 任一网关，使用 API 密钥（放在环境变量中：选项会出现在进程列表中）
  DELTALEDGER_API_KEY="$KEY" deltaledger --gateway https://127.0.0.1:27280 --cacert jiangsu-ca.pem trades get trade-1`,
	// deltaledger
	"The market:": "市场：",
	// deltaledger
	"Credit records:": "信用记录：",
	// deltaledger
	"The ledger and the gateway:": "账本与网关：",
	// deltaledger --api-key
	"the member's API key (prefer env DELTALEDGER_API_KEY: a flag shows in the process list)": "成员的 API 密钥（建议用环境变量 DELTALEDGER_API_KEY：选项会出现在进程列表中）",
	// deltaledger --cacert
	"PEM file of the CA that issued the gateway's TLS certificate (env DELTALEDGER_CACERT)": "签发网关 TLS 证书的 CA 的 PEM 文件（环境变量 DELTALEDGER_CACERT）",
	// deltaledger --client-cert
	"the member's TLS client certificate, PEM (env DELTALEDGER_CLIENT_CERT)": "成员的 TLS 客户端证书，PEM 格式（环境变量 DELTALEDGER_CLIENT_CERT）",
	// deltaledger --client-key
	"the private key of --client-cert, PEM, mode 600 (env DELTALEDGER_CLIENT_KEY)": "--client-cert 的私钥，PEM 格式，权限 600（环境变量 DELTALEDGER_CLIENT_KEY）",
	// deltaledger --gateway
	"gateway URL, e.g. https://127.0.0.1:27180 (env DELTALEDGER_GATEWAY)": "网关 URL，例如 https://127.0.0.1:27180（环境变量 DELTALEDGER_GATEWAY）",
	// deltaledger --idempotency-key
	"for commands that change the ledger and credit lookup: the Idempotency-Key to send instead of a random one": "用于更改账本的命令和 credit lookup：发送此 Idempotency-Key，而不是随机生成的",
	// deltaledger --key
	"sign your own transactions with this private key file, PEM, mode 600 (with --client-cert, your enrolled certificate; env DELTALEDGER_KEY)": "用此私钥文件（PEM，权限 600）自行签名交易（配合 --client-cert，即您注册得到的证书；环境变量 DELTALEDGER_KEY）",
	// deltaledger --keys-file
	"the demo keys file a profile is read from (env DELTALEDGER_KEYS_FILE; default " + defaultKeysFile + ")": "读取 profile 的演示密钥文件（环境变量 DELTALEDGER_KEYS_FILE；默认 " + defaultKeysFile + "）",
	// deltaledger --no-wait
	"for commands that change the ledger: answer once the transaction is accepted for ordering, without waiting for its commit": "用于更改账本的命令：交易被接受排序后即应答，不等待其提交",
	// deltaledger --channel, --chaincode
	channelUsage:   "市场的通道：自行签名的成员不签署其他通道的任何消息，--channel-admin 也在该通道中发布（环境变量 DELTALEDGER_CHANNEL；默认 " + model.DefaultChannel + "）",
	chaincodeUsage: "市场的链码：自行签名的成员不签署对其他链码的任何调用（环境变量 DELTALEDGER_CHAINCODE；默认 " + model.DefaultChaincode + "）",
	// deltaledger --org
	"act as a demo member of this org: shanghai, jiangsu, zhejiang, anhui (env DELTALEDGER_ORG)": "以该组织的一个演示成员身份操作：shanghai、jiangsu、zhejiang、anhui（环境变量 DELTALEDGER_ORG）",
	// deltaledger --output
	"output format: json or table": "输出格式：json 或 table",
	// deltaledger --pkcs11-label
	"the PKCS#11 token's label (env DELTALEDGER_PKCS11_LABEL)": "PKCS#11 令牌的标签（环境变量 DELTALEDGER_PKCS11_LABEL）",
	// deltaledger --pkcs11-lib
	"sign your own transactions with a key in a PKCS#11 token: the token's library, e.g. /usr/lib/softhsm/libsofthsm2.so (env DELTALEDGER_PKCS11_LIB)": "用 PKCS#11 令牌中的密钥自行签名交易：令牌的库，例如 /usr/lib/softhsm/libsofthsm2.so（环境变量 DELTALEDGER_PKCS11_LIB）",
	// deltaledger --pkcs11-pin
	"the PKCS#11 token's user PIN (prefer env DELTALEDGER_PKCS11_PIN: a flag shows in the process list)": "PKCS#11 令牌的用户 PIN（建议用环境变量 DELTALEDGER_PKCS11_PIN：选项会出现在进程列表中）",
	// deltaledger --profile
	"ORG/ROLE, the same as --org ORG --role ROLE (env DELTALEDGER_PROFILE)": "ORG/ROLE，等同于 --org ORG --role ROLE（环境变量 DELTALEDGER_PROFILE）",
	// deltaledger --progress
	"show the progress of hashing a file (size, rate, time left) on the standard error (default: when it is a terminal, unless -o json is given)": "在标准错误上显示文件哈希计算的进度（大小、速率、剩余时间）（默认：标准错误是终端且未给出 -o json 时显示）",
	// deltaledger --role
	"the demo member's role: admin, operator, holder, buyer, agency, regulator (env DELTALEDGER_ROLE)": "演示成员的角色：admin、operator、holder、buyer、agency、regulator（环境变量 DELTALEDGER_ROLE）",
	// deltaledger --timeout
	"bound on each request to the gateway": "每个发往网关的请求的时限",
	// deltaledger assets
	"Data assets: registration (apply, review, public notice, certify), checks and lineage": "数据资产：登记（申请、审核、公示、颁发登记证书）、核验与来源",
	// deltaledger assets
	`A data asset is registered in steps: the holder applies with the data's
SHA-256, an operator of the holder's regional exchange reviews it, an approved
application is in public notice (anyone may object), then the holder or the
operator certifies it and the holder receives the HOLDING right.`: `数据资产分步登记：持有方提交数据的 SHA-256 提出申请，持有方所在区域交易所的运营方审核，
审核通过的申请进入公示（任何人都可以提出异议），然后由持有方或运营方完成登记，持有方
获得数据资源持有权（HOLDING）。`,
	// deltaledger assets apply
	"Apply to register a data asset (holder); its SHA-256 is computed here": "申请登记数据资产（持有方）；其 SHA-256 在本机计算",
	// deltaledger assets apply
	`Apply to register a data asset: you (a holder) are the applicant and initial
holder, and your region's exchange reviews the application. --content-file
computes the data's SHA-256 on this machine: only the hash goes to the gateway
and the ledger, never the data.`: `申请登记数据资产：您（持有方）是申请人和初始持有方，由您所在区域的交易所审核申请。
--content-file 在本机计算数据的 SHA-256：只有哈希会发往网关和账本，数据本身从不发送。`,
	// deltaledger assets apply --category
	"data category, a lowercase slug such as transport or smart-city": "数据类别，小写短标识，例如 transport 或 smart-city",
	// deltaledger assets apply --content-file
	"a local file whose SHA-256 is the data or its canonical manifest (read here, never sent)": "本地文件，其 SHA-256 即数据或其规范清单的哈希（在本机读取，从不发送）",
	// deltaledger assets apply --content-hash
	"SHA-256 (64 lowercase hex characters) of the data or its canonical manifest": "数据或其规范清单的 SHA-256（64 个小写十六进制字符）",
	// deltaledger assets apply --description
	"the content and its lawful source, reviewed by the exchange": "内容及其合法来源，由交易所审核",
	// deltaledger assets apply --id
	"the new asset's ID (1-64 of A-Z a-z 0-9 . _ : -)": "新数据资产的 ID（1 到 64 个 A-Z a-z 0-9 . _ : - 字符）",
	// deltaledger assets apply --name
	"the asset's name": "数据资产的名称",
	// deltaledger assets apply --region
	"where the data comes from: shanghai, jiangsu, zhejiang or anhui": "数据的来源区域：shanghai、jiangsu、zhejiang 或 anhui",
	// deltaledger assets by-holder
	"List the assets a participant holds or has applied for": "列出某参与方持有或申请的数据资产",
	// deltaledger assets by-holder --limit
	"print at most this many items; 0 for all": "最多打印这么多项；0 表示全部",
	// deltaledger assets by-holder --page-size
	pageSizeUsage: fmt.Sprintf("每次向网关请求的条数，1 到 %d（默认为网关的默认值 %d）", model.MaxPageSize, model.DefaultPageSize),
	// deltaledger assets certify
	"Complete a registration after its public notice (holder or operator): REGISTERED, with the HOLDING right": "公示期结束后完成登记（持有方或运营方）：状态变为 REGISTERED，并颁发数据资源持有权",
	// deltaledger assets decide-objection
	"Decide an objection (operator of the exchange); UPHOLD withdraws the application": "对异议作出决定（交易所运营方）；UPHOLD 撤回该申请",
	// deltaledger assets decide-objection --decision
	"UPHOLD or DISMISS": "UPHOLD 或 DISMISS",
	// deltaledger assets decide-objection --reason
	"why": "理由",
	// deltaledger assets derive
	"Apply to register a data product derived from assets you may process (holder)": "申请登记由您可加工的数据资产衍生的数据产品（持有方）",
	// deltaledger assets derive --purpose
	"what the sources are processed for: the purpose of your USE rights over them": "加工来源数据的用途：即您对其所持数据加工使用权的用途",
	// deltaledger assets derive --source
	"the source assets' IDs (comma-separated or repeated)": "来源数据资产的 ID（以逗号分隔或重复给出）",
	// deltaledger assets derived
	"List the IDs of the products derived from an asset": "列出由某数据资产衍生的数据产品的 ID",
	// deltaledger assets get
	"Show an asset (public register)": "显示一项数据资产（公开登记簿）",
	// deltaledger assets lineage
	"The sources of a data product and the products derived from it": "数据产品的来源，以及由它衍生的数据产品",
	// deltaledger assets object
	"Object to an application in public notice": "对公示中的申请提出异议",
	// deltaledger assets object --id
	"the objection's ID (unique per asset)": "异议的 ID（在每项数据资产内唯一）",
	// deltaledger assets object --reason
	"the grounds of the objection": "异议的理由",
	// deltaledger assets objections
	"List the objections filed against an asset": "列出针对某数据资产提出的异议",
	// deltaledger assets review
	"Decide an application (operator of the applicant's region): APPROVE starts the public notice": "对申请作出决定（申请人所在区域的运营方）：APPROVE 开始公示",
	// deltaledger assets review --decision
	"APPROVE or REJECT": "APPROVE 或 REJECT",
	// deltaledger assets review --reason
	"why; required to reject": "理由；驳回时必填",
	// deltaledger assets verify
	"Check whether data you hold is the content registered as the asset": "检查您持有的数据是否就是登记为该数据资产的内容",
	// deltaledger assets verify --content-file
	"a local file whose SHA-256 is the data to check (read here, never sent)": "本地文件，其 SHA-256 即待检查数据的哈希（在本机读取，从不发送）",
	// deltaledger assets verify --content-hash
	"SHA-256 (64 lowercase hex characters) of the data to check": "待检查数据的 SHA-256（64 个小写十六进制字符）",
	// deltaledger completion
	"Generate the autocompletion script for the specified shell": "为指定的 shell 生成自动补全脚本",
	// deltaledger completion
	`Generate the autocompletion script for deltaledger for the specified shell.
See each sub-command's help for details on how to use the generated script.
`: `为 deltaledger 生成指定 shell 的自动补全脚本。
生成的脚本如何使用，见各子命令的帮助。
`,
	// deltaledger completion bash
	"Generate the autocompletion script for bash": "生成 bash 的自动补全脚本",
	// deltaledger completion bash
	`Generate the autocompletion script for the bash shell.

This script depends on the 'bash-completion' package.
If it is not installed already, you can install it via your OS's package manager.

To load completions in your current shell session:

	source <(deltaledger completion bash)

To load completions for every new session, execute once:

#### Linux:

	deltaledger completion bash > /etc/bash_completion.d/deltaledger

#### macOS:

	deltaledger completion bash > $(brew --prefix)/etc/bash_completion.d/deltaledger

You will need to start a new shell for this setup to take effect.
`: `生成 bash 的自动补全脚本。

此脚本依赖 'bash-completion' 软件包。
如尚未安装，可用操作系统的包管理器安装。

在当前 shell 会话中加载补全：

	source <(deltaledger completion bash)

为以后每个新会话加载补全，执行一次：

#### Linux：

	deltaledger completion bash > /etc/bash_completion.d/deltaledger

#### macOS：

	deltaledger completion bash > $(brew --prefix)/etc/bash_completion.d/deltaledger

需要启动一个新的 shell，设置才会生效。
`,
	// deltaledger completion bash --no-descriptions
	"disable completion descriptions": "不显示补全项的说明",
	// deltaledger completion fish
	"Generate the autocompletion script for fish": "生成 fish 的自动补全脚本",
	// deltaledger completion fish
	`Generate the autocompletion script for the fish shell.

To load completions in your current shell session:

	deltaledger completion fish | source

To load completions for every new session, execute once:

	deltaledger completion fish > ~/.config/fish/completions/deltaledger.fish

You will need to start a new shell for this setup to take effect.
`: `生成 fish 的自动补全脚本。

在当前 shell 会话中加载补全：

	deltaledger completion fish | source

为以后每个新会话加载补全，执行一次：

	deltaledger completion fish > ~/.config/fish/completions/deltaledger.fish

需要启动一个新的 shell，设置才会生效。
`,
	// deltaledger completion powershell
	"Generate the autocompletion script for powershell": "生成 powershell 的自动补全脚本",
	// deltaledger completion powershell
	`Generate the autocompletion script for powershell.

To load completions in your current shell session:

	deltaledger completion powershell | Out-String | Invoke-Expression

To load completions for every new session, add the output of the above command
to your powershell profile.
`: `生成 powershell 的自动补全脚本。

在当前 shell 会话中加载补全：

	deltaledger completion powershell | Out-String | Invoke-Expression

为以后每个新会话加载补全，把上述命令的输出加入
您的 powershell 配置文件。
`,
	// deltaledger completion zsh
	"Generate the autocompletion script for zsh": "生成 zsh 的自动补全脚本",
	// deltaledger completion zsh
	`Generate the autocompletion script for the zsh shell.

If shell completion is not already enabled in your environment you will need
to enable it.  You can execute the following once:

	echo "autoload -U compinit; compinit" >> ~/.zshrc

To load completions in your current shell session:

	source <(deltaledger completion zsh)

To load completions for every new session, execute once:

#### Linux:

	deltaledger completion zsh > "${fpath[1]}/_deltaledger"

#### macOS:

	deltaledger completion zsh > $(brew --prefix)/share/zsh/site-functions/_deltaledger

You will need to start a new shell for this setup to take effect.
`: `生成 zsh 的自动补全脚本。

如果您的环境尚未启用 shell 补全，需要先启用。可以执行一次：

	echo "autoload -U compinit; compinit" >> ~/.zshrc

在当前 shell 会话中加载补全：

	source <(deltaledger completion zsh)

为以后每个新会话加载补全，执行一次：

#### Linux：

	deltaledger completion zsh > "${fpath[1]}/_deltaledger"

#### macOS：

	deltaledger completion zsh > $(brew --prefix)/share/zsh/site-functions/_deltaledger

需要启动一个新的 shell，设置才会生效。
`,
	// deltaledger credit
	"Credit records: stage and publish, authorise, traced lookups, objections": "信用记录：暂存与发布、授权、留痕查询、异议",
	// deltaledger credit
	`Licensed agencies publish credit records about enterprises in two steps (stage
the contents privately, then publish the metadata and SHA-256); the subject
authorises readers; every lookup commits a trace the subject and the regulator
can list.`: `持牌征信机构分两步发布关于企业的信用记录（先私下暂存内容，再发布元数据和 SHA-256）；
信用主体授权查阅者；每次查询都会提交一条信用主体和监管方可以列出的查询记录。`,
	// deltaledger credit answer-objection
	"Answer an objection (the issuing agency, or a regulator of a third org once it is overdue and its agency can no longer answer, UPHOLD or DISMISS); CORRECT names a record staged beforehand": "答复异议（发布记录的征信机构，或在异议逾期且征信机构已无法答复时由第三方组织的监管方答复，仅 UPHOLD 或 DISMISS）；CORRECT 指定一条事先暂存的记录",
	// deltaledger credit answer-objection --new-record
	"the staged correcting record (CORRECT)": "暂存的更正记录（CORRECT）",
	// deltaledger credit answer-objection --outcome
	answerUsage: model.OneOf(model.Answers, "、", " 或 "),
	// deltaledger credit authorizations --subject
	"the subject's USCC": "信用主体的统一社会信用代码",
	// deltaledger credit authorize
	"Authorise a participant to read your enterprise's records for a purpose (the subject)": "授权某参与方为某一用途查阅您企业的信用记录（信用主体）",
	// deltaledger credit authorize --auth-id
	"the new authorisation's ID": "新授权的 ID",
	// deltaledger credit authorize --grantee
	"the participant authorised, e.g. jiangsu.buyer": "被授权的参与方，例如 jiangsu.buyer",
	// deltaledger credit authorize --purpose
	"the purpose the reads must state": "查阅时必须声明的用途",
	// deltaledger credit authorize --valid-until
	"when it ends: RFC 3339, a date, or a time from now (30d)": "到期时间：RFC 3339 时间、日期或从现在起的时长（30d）",
	// deltaledger credit lookup
	"Read a subject's credit records; the lookup leaves a trace the subject sees": "查阅信用主体的信用记录；查询会留下信用主体看得到的查询记录",
	// deltaledger credit lookup (its English text is creditLookupLong, credit.go)
	creditLookupLong: `查阅信用主体的信用记录。网关先提交一条查询记录（链码检查您代表该信用主体、是监管方，
或持有信用主体为该用途给予的授权），然后从征信机构所在组织的节点读取每条记录的内容，并与
公开的 SHA-256 核对（'verified'）；本命令在本地再核对一次（'checked here'）。
超过有效期（validUntil）的记录标为 'expired'：依授权查询时不提供其内容，因为过期记录
不得向查询者提供；信用主体本身和监管方仍可读取。

持有记录的组织的节点未应答的查询是不完整的：本命令打印已得到的记录，在标准错误上列出每个
未应答的组织及其错误，并以退出状态 8（不可用）退出，绝不以 0 退出。请在查询记录的时限结束前
以其给出的 --idempotency-key 重复查询：重复的查询在同一查询记录下再次读取每个持有记录的
组织，不会写入第二条查询记录。自行给出 --idempotency-key，可使同一命令行的任何重复只留下
一条查询记录。内容与公开哈希不符的记录（本地核对，无论网关如何标记）同样使本命令以状态 8
退出，但这是完整性问题而非故障：重复查询读到的仍是同样的内容，请向征信机构和监管方报告。`,
	// deltaledger credit lookup --authorization
	"the subject's authorisation to you": "信用主体给予您的授权",
	// deltaledger credit lookup --purpose
	"why you read the records (recorded in the trace)": "查阅记录的原因（记入查询记录）",
	// deltaledger credit object
	"Object to a record about your enterprise (the subject)": "对关于您企业的信用记录提出异议（信用主体）",
	// deltaledger credit object --id
	"the new objection's ID": "新异议的 ID",
	// deltaledger credit object --reason
	"the grounds": "理由",
	// deltaledger credit object --record
	"the record objected to": "被提出异议的记录",
	// deltaledger credit objection
	"Show an objection, with whether it is overdue": "显示一项异议，以及它是否逾期",
	// deltaledger credit objections
	"List the objections about a subject's records, or those your agency must answer": "列出针对信用主体的记录的异议，或您的征信机构须答复的异议",
	// deltaledger credit objections --agency
	"the objections your agency must answer": "您的征信机构须答复的异议",
	// deltaledger credit publish
	"Step 2: publish the record you staged (metadata and SHA-256 only)": "第 2 步：发布您暂存的记录（只发布元数据和 SHA-256）",
	// deltaledger credit publish --record-id
	"the staged record's ID": "暂存记录的 ID",
	// deltaledger credit record
	"Show a record's public metadata (never its contents)": "显示一条记录的公开元数据（从不显示其内容）",
	// deltaledger credit records
	"List the public metadata of a subject's records": "列出信用主体的记录的公开元数据",
	// deltaledger credit revoke-authorization
	"Revoke an authorisation (the subject)": "撤销一项授权（信用主体）",
	// deltaledger credit stage
	"Step 1 of publishing a credit record (agency): stage its contents in your org's private data": "发布信用记录的第 1 步（征信机构）：把内容暂存在本组织的私有数据中",
	// deltaledger credit stage
	`Stage the contents of a credit record: they go, as transient data, to your own
org's peers only (nothing public is written). The answer is the record ID and
the SHA-256 of the stored contents; then publish with 'credit publish'.`: `暂存信用记录的内容：内容作为瞬态数据只发往本组织的节点（不写入任何公开数据）。应答为
记录 ID 和所存内容的 SHA-256；之后用 'credit publish' 发布。`,
	// deltaledger credit stage --evidence-file
	"a local file whose SHA-256 is the evidence package (read here, never sent)": "本地文件，其 SHA-256 即证据包的哈希（在本机读取，从不发送）",
	// deltaledger credit stage --evidence-hash
	"SHA-256 (64 lowercase hex characters) of the evidence package": "证据包的 SHA-256（64 个小写十六进制字符）",
	// deltaledger credit stage --grade
	"the grade, e.g. AA": "等级，例如 AA",
	// deltaledger credit stage --record-id
	"the new record's ID": "新记录的 ID",
	// deltaledger credit stage --score
	scoreUsage: fmt.Sprintf("分数，0 到 %d", model.MaxCreditScore),
	// deltaledger credit stage --subject
	"the subject enterprise's Unified Social Credit Code": "信用主体企业的统一社会信用代码",
	// deltaledger credit stage --summary
	summaryUsage: fmt.Sprintf("摘要，不超过 %d 个字符", model.MaxCreditSummaryLength),
	// deltaledger credit stage --type
	recordTypeUsage: model.OneOf(model.RecordTypes, "、", " 或 "),
	// deltaledger credit stage --valid-until
	"when the record stops being in force: RFC 3339, a date, or a time from now (1y)": "记录失效的时间：RFC 3339 时间、日期或从现在起的时长（1y）",
	// deltaledger credit traces
	"List the query traces of a subject's records (the subject, the regulator), or yours": "列出信用主体的记录的查询记录（信用主体、监管方），或您自己的查询",
	// deltaledger credit traces --mine
	"the lookups you made": "您所做的查询",
	// deltaledger enroll
	"Enroll with an invitation: make your key pair here and get its certificate": "凭邀请注册：在本机生成密钥对并获取其证书",
	// deltaledger enroll --id
	"the invitation's enrollment ID (the enterprise's USCC)": "邀请的注册 ID（企业的统一社会信用代码）",
	// deltaledger enroll --msp-dir
	"the folder to write the key and certificate to (new or empty)": "写入密钥和证书的目录（新建或为空）",
	// deltaledger enroll --secret
	"the invitation's one-time secret (prefer env DELTALEDGER_ENROLLMENT_SECRET: a flag shows in the process list)": "邀请的一次性密码（建议用环境变量 DELTALEDGER_ENROLLMENT_SECRET：选项会出现在进程列表中）",
	// deltaledger events
	"Print the ledger's events (those you may see), one per line": "打印账本的事件（您可见的），每行一个",
	// deltaledger events
	`Print the chaincode events you may see (the regulator sees every event; other
members see the market's), one JSON object per line (-o json) or one line of
text each (-o table). Each event's "id" resumes the stream just after it
(--from). Without --follow the command stops once no event came for --idle
(so --start-block N prints the events from block N on, up to now); with
--follow it keeps streaming, reconnecting by itself, until interrupted or
--count events were printed.`: `打印您可见的链码事件（监管方看得到所有事件；其他成员看得到市场的事件），每个事件一个
JSON 对象一行（-o json）或一行文字（-o table）。每个事件的 "id" 可让事件流从它之后继续
（--from）。不带 --follow 时，在 --idle 时长内没有新事件即停止（因此 --start-block N 打印
从区块 N 至今的事件）；带 --follow 时持续接收，自动重连，直到被中断或已打印 --count 个事件。`,
	// deltaledger events --count
	"stop after this many events (0: no limit)": "打印这么多个事件后停止（0：不限）",
	// deltaledger events --follow
	"keep streaming until interrupted": "持续接收，直到被中断",
	// deltaledger events --from
	"resume just after this event ID (an event's id)": "从此事件 ID（事件的 id）之后继续",
	// deltaledger events --idle
	"without --follow: stop once no event came for this long": "不带 --follow 时：这么长时间内没有事件即停止",
	// deltaledger events --start-block
	"start at this block (default: the next block)": "从此区块开始（默认：下一个区块）",
	// deltaledger gateway
	"The gateway itself: health and its API document": "网关本身：健康状况及其 API 文档",
	// deltaledger gateway health
	"Check that the gateway serves and its peer answers (readyz)": "检查网关在服务且其节点有应答（readyz）",
	// deltaledger gateway openapi
	"Print the gateway's OpenAPI 3.1 document": "打印网关的 OpenAPI 3.1 文档",
	// deltaledger help
	"Help about any command": "任一命令的帮助",
	// deltaledger help
	`Help provides help for any command in the application.
Simply type deltaledger help [path to command] for full details.`: `help 提供本程序任一命令的帮助。
输入 deltaledger help [命令路径] 查看完整说明。`,
	// deltaledger listings
	"Listings: rights offered at a price, and browsing the market": "挂牌：按价格出售的权利，以及浏览市场",
	// deltaledger listings browse
	"Browse the market: the ACTIVE listings of a category or region, or a seller's listings": "浏览市场：某类别或区域的 ACTIVE 挂牌，或某卖方的挂牌",
	// deltaledger listings browse --category
	"a data category, e.g. transport": "数据类别，例如 transport",
	// deltaledger listings browse --region
	"the region the data comes from": "数据的来源区域",
	// deltaledger listings browse --seller
	"a seller's participant ID (listings of every status)": "卖方的参与方 ID（所有状态的挂牌）",
	// deltaledger listings create
	"List a right over an asset at a price (holder)": "以某价格挂牌出售数据资产上的一项权利（持有方）",
	// deltaledger listings create
	`List one right over one asset at a price in fen (CNY cents). A USE or
OPERATION listing names the scope a buyer receives (--purpose, --regions,
--valid-until, ...); a HOLDING listing sells the holding itself and takes no
scope. The terms document is identified by its SHA-256, computed here from
--terms-file.`: `以分（人民币分）为单位的价格，挂牌出售一项数据资产上的一项权利。数据加工使用权（USE）或
数据产品经营权（OPERATION）挂牌须写明买方获得的范围（--purpose、--regions、--valid-until 等）；
数据资源持有权（HOLDING）挂牌出售数据资源持有权本身，不带范围。条款文件以其 SHA-256 标识，由
--terms-file 在本机计算。`,
	// deltaledger listings create --asset
	"the asset": "数据资产",
	// deltaledger listings create --id
	"the new listing's ID": "新挂牌的 ID",
	// deltaledger listings create --may-sublicense
	"scope: the holder may license the right on": "范围：持有方可以将该权利转许可",
	// deltaledger listings create --price-fen
	"the price in integer fen (CNY cents)": "价格，以分（人民币分）为单位的整数",
	// deltaledger listings create --pricing
	"FIXED (bought by ordering) or NEGOTIABLE (trades negotiate)": "FIXED（下单购买）或 NEGOTIABLE（交易双方议价）",
	// deltaledger listings create --purpose
	"scope: what the data may be used for": "范围：数据可用于的用途",
	// deltaledger listings create --regions
	"scope: regions where it may be used (comma-separated: shanghai,jiangsu,zhejiang,anhui)": "范围：可以使用的区域（以逗号分隔：shanghai,jiangsu,zhejiang,anhui）",
	// deltaledger listings create --right
	"HOLDING (sells the holding), USE or OPERATION (licenses a right)": "HOLDING（出售数据资源持有权）、USE（许可数据加工使用权）或 OPERATION（许可数据产品经营权）",
	// deltaledger listings create --terms-file
	"a local file whose SHA-256 is the listing's terms document (read here, never sent)": "本地文件，其 SHA-256 即挂牌条款文件的哈希（在本机读取，从不发送）",
	// deltaledger listings create --terms-hash
	"SHA-256 (64 lowercase hex characters) of the listing's terms document": "挂牌条款文件的 SHA-256（64 个小写十六进制字符）",
	// deltaledger listings create --valid-from
	"scope: start of the term (default: the transaction's time)": "范围：期限的开始（默认：交易时间）",
	// deltaledger listings create --valid-until
	"scope: end of the term: RFC 3339, a date, or a time from now (1y, 6mo, 30d)": "范围：期限的结束：RFC 3339 时间、日期或从现在起的时长（1y、6mo、30d）",
	// deltaledger listings delist
	"Withdraw an ACTIVE listing (seller or operator)": "撤下一个 ACTIVE 挂牌（卖方或运营方）",
	// deltaledger listings get
	"Show a listing": "显示一个挂牌",
	// deltaledger listings price-history
	"Every price a listing has had, oldest first": "挂牌曾有的每个价格，最早的在前",
	// deltaledger listings update-price
	"Set a new price on an ACTIVE listing (seller)": "为 ACTIVE 挂牌设定新价格（卖方）",
	// deltaledger listings update-price --price-fen
	"the new price in fen": "新价格，以分为单位",
	// deltaledger listings update-price --reason
	"why the price changes": "改价的原因",
	// deltaledger market
	"Market statistics: volumes, disclosed prices, the price index and credit lookup counts (computed by the gateway)": "市场统计：成交量、公开价格、价格指数和信用查询次数（由网关计算）",
	// deltaledger market
	`The gateway computes these off chain from the trades and credit lookups it
indexes; every answer says the block it is complete up to. Only FIXED prices
are public: a negotiated trade counts in the volumes only. Amounts are in fen.
Credit lookup counts are for operators and the regulator: an operator's leave
out every day on which fewer queriers than the answer's minimumCount looked
from one region at the other, so that no count names a lookup.`: `这些数据由网关在链下根据其索引的交易和信用查询计算；每个应答都说明数据完整到哪个区块。只有
FIXED 价格是公开的：议价成交的交易只计入成交量。金额以分为单位。
信用查询次数供运营方和监管方读取：运营方读到的次数略去一对区域之间查询方少于应答中 minimumCount 个的每一天，
因此任何次数都不会指向某一次查询。`,
	// deltaledger market credit-lookups
	"Credit lookups per region of the querier and of the subject (operators and the regulator; an operator's counts leave out the days of few lookups)": "按查询方所在区域和主体所在区域统计的信用查询次数（运营方和监管方可读；运营方读到的次数略去查询很少的日子）",
	// deltaledger market credit-lookups --from
	"count the lookups of the days (China Standard Time) that start at or after this: RFC 3339, or a date (its midnight)": "计入在此时间或之后开始的各日（北京时间）的查询：RFC 3339 时间，或日期（该日零点）",
	// deltaledger market credit-lookups --to
	"count the lookups of the days (China Standard Time) that start before this: RFC 3339, or a date (its midnight)": "计入在此时间之前开始的各日（北京时间）的查询：RFC 3339 时间，或日期（该日零点）",
	// deltaledger market price-index
	"Average disclosed price per day or week, and an index relative to the first interval (1000)": "每天或每周的公开平均价格，以及相对于第一个区间（1000）的指数",
	// deltaledger market price-index --category
	"only trades of assets of this category (default: all)": "只计入该类别数据资产的交易（默认：全部）",
	// deltaledger market price-index --from
	"count trades completed at or after this: RFC 3339, or a date (its midnight, China Standard Time)": "计入在此时间或之后完成的交易：RFC 3339 时间，或日期（该日零点，北京时间）",
	// deltaledger market price-index --interval
	"day (the default) or week": "day（默认）或 week",
	// deltaledger market price-index --region
	"only trades supervised by this region's exchange (default: all)": "只计入该区域交易所监管的交易（默认：全部）",
	// deltaledger market price-index --to
	"count trades completed before this: RFC 3339, or a date (its midnight, China Standard Time)": "计入在此时间之前完成的交易：RFC 3339 时间，或日期（该日零点，北京时间）",
	// deltaledger market stats
	"Volume and disclosed prices of completed trades per region and/or category": "按区域和/或类别统计已完成交易的成交量和公开价格",
	// deltaledger market stats --group-by
	"region, category or region,category (the default)": "region、category 或 region,category（默认）",
	// deltaledger members register
	"Onboard an enterprise into your org (operators): answers its one-time enrollment secret": "为本组织接纳一家企业（运营方）：应答其一次性注册密码",
	// deltaledger members register
	`The gateway registers the enterprise with your org's Fabric CA, which certifies its USCC, roles and
legal name (and division, with --division) in its certificate, and answers the enrollment ID and a
secret that enrolls once. Hand both to the enterprise, which runs 'deltaledger enroll' on its own
machine. Roles: holder, buyer, agency. The ledger places the member in the certified division
when it is registered.`: `网关在本组织的 Fabric CA 登记该企业，CA 在其证书中认证其统一社会信用代码、角色和法定名称
（使用 --division 时还有行政区划），并应答注册 ID 和一个只能注册一次的密码。把两者交给企业，
由企业在自己的机器上运行 'deltaledger enroll'。角色：holder、buyer、agency。成员在账本上登记时，
账本把它置于证书所认证的行政区划。`,
	// deltaledger members register --division
	"where it is: six-digit GB/T 2260 code of a city or county-level division of your region, e.g. 320576 (certified; optional)": "其所在地：本区域地级或县级行政区划的六位 GB/T 2260 代码，例如 320576（经认证；可选）",
	// deltaledger members register --legal-name
	"the enterprise's registered legal name": "企业登记的法定名称",
	// deltaledger members register --roles
	"its roles, comma-separated: holder, buyer, agency": "其角色，以逗号分隔：holder、buyer、agency",
	// deltaledger members register --uscc
	"its Unified Social Credit Code (18 characters)": "其统一社会信用代码（18 位）",
	// deltaledger participants
	"Participants: the members of each org and their roles": "参与方：各组织的成员及其角色",
	// deltaledger participants enterprise
	"Show the org an enterprise is registered in": "显示一家企业登记所在的组织",
	// deltaledger participants get
	"Show a participant": "显示一个参与方",
	// deltaledger participants list
	"List an org's participants": "列出一个组织的参与方",
	// deltaledger participants list --msp
	"the org's MSP ID, e.g. ShanghaiMSP": "组织的 MSP ID，例如 ShanghaiMSP",
	// deltaledger participants list --with-role
	"only participants with this role": "只列出具有此角色的参与方",
	// deltaledger participants register
	"Register a member of your org (org admin)": "登记本组织的一个成员（组织管理员）",
	// deltaledger participants register --cert-file
	"the member's X.509 certificate (PEM), issued by the org's CA": "成员的 X.509 证书（PEM），由本组织的 CA 签发",
	// deltaledger participants register --id
	"the new participant's ID": "新参与方的 ID",
	// deltaledger participants register --name
	"display name": "显示名称",
	// deltaledger participants register --region
	"the org's region": "本组织的区域",
	// deltaledger participants register --roles
	"roles: operator, holder, buyer, agency, regulator (comma-separated)": "角色：operator、holder、buyer、agency、regulator（以逗号分隔）",
	// deltaledger participants register --uscc
	"Unified Social Credit Code of the member's enterprise": "成员所属企业的统一社会信用代码",
	// deltaledger participants reinstate
	"Let a suspended member of your org act again (org admin)": "让本组织被暂停的成员恢复操作（组织管理员）",
	// deltaledger participants rebind-key
	"Bind a member of your org to the key of its new certificate (org admin)": "把本组织的成员绑定到其新证书的密钥（组织管理员）",
	// deltaledger participants rebind-key
	`The ledger acts for a participant only with a certificate of the key its record binds. A member that
lost its key, or enrolled again after its certificates were revoked ('members reinvite', 'enroll'), has a
certificate of a new key that the ledger refuses until you bind it here (participants:RebindKey). The
member sees on its record when its key was bound and your reason. A member that still holds its key binds
a new one itself ('deltaledger reenroll').`: `账本只接受参与方以其记录所绑定密钥的证书进行操作。丢失密钥的成员，或证书被吊销后重新注册的成员
（'members reinvite'、'enroll'），其新密钥的证书在您于此绑定之前会被账本拒绝（participants:RebindKey）。
成员可在其记录上看到密钥绑定的时间和您的理由。仍持有密钥的成员自行绑定新密钥（'deltaledger reenroll'）。`,
	// deltaledger participants rebind-key --certificate-file
	"the member's new certificate (PEM), e.g. the signcerts/cert.pem of its new enrollment": "成员的新证书（PEM），例如其新注册的 signcerts/cert.pem",
	// deltaledger participants rebind-key --reason
	"why: the member lost its key, or enrolled again after its certificates were revoked (the member sees it on its record)": "理由：成员丢失了密钥，或在证书被吊销后重新注册（成员可在其记录上看到）",
	// deltaledger participants release-enterprise
	"Release an enterprise of your org so another region may register it (org admin)": "释放本组织的一家企业，以便另一区域登记它（组织管理员）",
	// deltaledger participants set-division
	"Place a member of your org in a city or district (org admin)": "把本组织的成员置于某个市或区县（组织管理员）",
	// deltaledger participants set-division --division
	"six-digit GB/T 2260 code of a city or county-level division of your region, e.g. 320576": "本区域地级或县级行政区划的六位 GB/T 2260 代码，例如 320576",
	// deltaledger participants set-roles
	"Replace the roles of a member of your org (org admin)": "替换本组织某成员的角色（组织管理员）",
	// deltaledger participants set-roles --roles
	"the new roles (comma-separated)": "新的角色（以逗号分隔）",
	// deltaledger reenroll
	"Rotate your key before your certificate expires: a certificate of a new key at your region's CA, bound on the ledger": "在证书到期前更换您的密钥：到本区域的 CA 为新密钥签发证书，并在账本上绑定",
	// deltaledger reenroll
	`Generates a new P-256 key pair on this machine and asks the Fabric CA that issued the certificate in
DIR (straight, at --ca; its TLS certificate is checked with DIR/cacerts/ca.pem) for a certificate of it,
signing the request with the current key. The new certificate keeps the enrollment ID and the certified
USCC, roles and legal name.

The ledger acts for a participant only with a certificate of the key its record binds. Before anything
is written, the new key is bound on the ledger (participants:RotateKey) in a call signed with the current
key, through your gateway as DIR's member profile (or --member) names it; only then do the new key and
certificate replace the old ones in DIR. Meanwhile they wait in DIR/pending (the key mode 600). When the
ledger refuses, they are discarded: DIR keeps the current key and certificate, which stay valid.

When the ledger's answer is lost (the gateway or the network failed after the call was sent), the ledger
may bind the new key and refuse the current one: DIR/pending is kept and reenroll is refused until
--resume settles it. When the lost answer named the binding's transaction (kept in DIR/pending), --resume
first asks its status: committed valid, the pending key is installed; not committed yet, or not known to
the gateway yet, nothing is changed (run --resume again later: the binding may still commit). Then it asks
the ledger which key your record binds (participants:WhoAmI, signed with the pending key, then with the
current one) and installs the pending key or discards it; when the ledger cannot be asked, it changes
nothing. A refusal that names participants:RebindKey (a record registered before keys were bound) leaves
the key to your org's admin: the admin binds your current certificate ('participants rebind-key'), then
you re-enroll again.

--ca-only rotates at the CA only, for an enrollment that is no participant yet (re-enrolled before your
org's admin registers it): nothing is asked of the ledger. A participant that rotates with --ca-only gets
a key the ledger refuses until its org's admin binds it ('participants rebind-key').`: `在本机生成新的 P-256 密钥对，请签发 DIR 中证书的 Fabric CA（直接访问 --ca；用
DIR/cacerts/ca.pem 核验其 TLS 证书）为其签发证书，并用当前密钥签名该请求。新证书保留注册 ID
以及经认证的统一社会信用代码、角色和法定名称。

账本只接受参与方以其记录所绑定密钥的证书进行操作。写入任何内容之前，先通过 DIR 的成员配置（或 --member）
所指的网关、以当前密钥签名的调用在账本上绑定新密钥（participants:RotateKey）；此后新的密钥和证书才替换
DIR 中旧的。在此之前它们暂存在 DIR/pending 中（密钥权限为 600）。账本拒绝时丢弃它们：DIR 保留当前的密钥和证书，
它们仍然有效。

账本的应答丢失时（调用发出后网关或网络出错），账本可能已绑定新密钥并拒绝当前密钥：此时保留 DIR/pending，
并拒绝再次 reenroll，直到 --resume 了结它。丢失的应答指明了绑定交易时（保存在 DIR/pending 中），--resume
先询问该交易的状态：已提交且有效，则安装暂存的密钥；尚未提交或网关尚不知道该交易，则不做任何改动（请稍后
再次运行 --resume：绑定仍可能提交）。然后询问账本您的记录绑定哪个密钥（participants:WhoAmI，先以暂存的
密钥签名，再以当前密钥签名），据此安装或丢弃暂存的密钥；无法询问账本时不做任何改动。指明
participants:RebindKey 的拒绝（在绑定密钥之前登记的记录）表示该密钥由本组织管理员绑定：管理员绑定您的
当前证书（'participants rebind-key'）后，您再重新注册。

--ca-only 只在 CA 轮换，用于尚未成为参与方的注册（在本组织管理员登记之前重新注册）：不询问账本。
参与方若以 --ca-only 轮换，其新密钥会被账本拒绝，直到本组织管理员绑定它（'participants rebind-key'）。`,
	// deltaledger reenroll --ca-only
	"rotate at the CA only: for an enrollment that is no participant yet": "只在 CA 轮换：用于尚未成为参与方的注册",
	// deltaledger reenroll --ca
	"URL of the Fabric CA server that issued the certificate, e.g. https://127.0.0.1:27254": "签发该证书的 Fabric CA 服务器的 URL，例如 https://127.0.0.1:27254",
	// deltaledger reenroll --resume
	"settle a re-enrollment whose binding on the ledger was not answered: install or discard the new key as the ledger binds it": "了结在账本上的绑定未获应答的重新注册：按账本所绑定的密钥安装或丢弃新密钥",
	// deltaledger reenroll --msp-dir
	"the MSP folder 'deltaledger enroll' wrote": "'deltaledger enroll' 写入的 MSP 目录",
	// deltaledger rights
	"Right certificates: HOLDING, USE and OPERATION rights, grants and sublicences": "权利证书：数据资源持有权、数据加工使用权和数据产品经营权，授予与转许可",
	// deltaledger rights by-asset
	"List the rights over an asset": "列出一项数据资产上的权利",
	// deltaledger rights by-holder
	"List the rights a participant holds or held": "列出某参与方持有或曾持有的权利",
	// deltaledger rights get
	"Show a right certificate": "显示一份权利证书",
	// deltaledger rights accept
	"Accept a right granted or sublicensed to you before its offer lapses (OFFER_EXPIRES): it becomes ACTIVE": "在要约失效（OFFER_EXPIRES）之前接受向您授予或转许可的权利：该权利变为 ACTIVE",
	// deltaledger rights decline
	"Decline a right granted or sublicensed to you: it never entitles you": "谢绝向您授予或转许可的权利：该权利从不赋予您任何权利",
	// deltaledger rights grant
	"Offer a USE or OPERATION right over an asset you hold; the grantee accepts or declines it": "在您持有的数据资产上授予数据加工使用权（USE）或数据产品经营权（OPERATION）的要约；由被授予方接受或谢绝",
	// deltaledger rights grant --grantee
	"the participant receiving the right": "获得该权利的参与方",
	// deltaledger rights grant --type
	"USE or OPERATION": "USE（数据加工使用权）或 OPERATION（数据产品经营权）",
	// deltaledger rights history
	"Every committed version of a right record": "权利记录已提交的每个版本",
	// deltaledger rights renounce
	"Give up a USE or OPERATION right you hold": "放弃您持有的一项数据加工使用权或数据产品经营权",
	// deltaledger rights revoke
	"End an ACTIVE or RENOUNCED USE or OPERATION right, or withdraw an OFFERED one": "终止一项 ACTIVE 或 RENOUNCED（已放弃）的数据加工使用权或数据产品经营权，或撤回一项 OFFERED（待接受）的权利",
	// deltaledger rights sublicense
	"Offer a sublicence of a right you hold, within its scope; the grantee accepts or declines it": "在范围之内就您持有的一项权利发出转许可要约；由被授予方接受或谢绝",
	// deltaledger rights transfer-holding --reason
	"why (a gift, a merger)": "原因（赠与、合并）",
	// deltaledger rules
	"The market rules: regions, CA certificates, regulators, notice period (a majority changes them)": "市场规则：区域、CA 证书、监管方、公示期（由多数组织修改）",
	// deltaledger rules
	`The deployment sets the market rules; a change needs more than half of the
orgs: each org's admin approves the exact new document (rules approve), then
one of them applies it (rules apply). "rules show -o json" prints the rules
in force, a starting point for the next version.`: `市场规则由部署时设定；修改需要半数以上的组织：每个组织的管理员批准完全相同的新文档
（rules approve），然后由其中一个组织使其生效（rules apply）。"rules show -o json" 打印现行
规则，可作为下一个版本的起点。`,
	// deltaledger rules apply
	"Put in force rules a majority of the orgs approved (org admin)": "使多数组织已批准的规则生效（组织管理员）",
	// deltaledger rules apply --file
	"the rules document the orgs approved (JSON)": "各组织已批准的规则文档（JSON）",
	// deltaledger rules approvals
	"Show every org's latest approval of new rules": "显示每个组织对新规则的最新批准",
	// deltaledger rules approve
	"Approve, for your org, exactly these rules (org admin)": "代表本组织批准完全相同的这些规则（组织管理员）",
	// deltaledger rules approve --file
	"the whole new rules document (JSON), version one more than in force": "完整的新规则文档（JSON），版本比现行规则大一",
	// deltaledger rules show
	"Show the market rules in force (regions, CA certificates, regulators, notice period)": "显示现行市场规则（区域、CA 证书、监管方、公示期）",
	// deltaledger trades
	"Trades: order or negotiate, accept, pay, deliver, confirm": "交易：下单或议价、接受、付款、交付、确认",
	// deltaledger trades (its English text is tradesLong, trades.go)
	tradesLong: `FIXED 挂牌通过 order 购买，之后卖方接受（或拒绝）；NEGOTIABLE 挂牌通过 propose、若干轮
counter 和 accept-offer 议价，报价的条款只在双方的组织内可见。之后由买方（或运营方）记录
付款，卖方交付，买方确认：交易状态变为 COMPLETED，买方获得其权利。数据资源持有权
售出后，close-others 取消其他买方仍在等待的交易。
期限（deadlineAt）：已付款的交易到期仍未交付，买方可以取消；交付后到期买方既未确认
也未提出异议，视为验收通过：卖方可以确认，任何一方都不能再提出异议。`,
	// deltaledger trades accept
	"Accept an order (seller)": "接受订单（卖方）",
	// deltaledger trades accept-offer
	"Accept the last offer of a negotiation (the other party)": "接受议价中的最后一次报价（另一方）",
	// deltaledger trades cancel
	"End a trade before payment (buyer; seller only before acceptance), or a paid one undelivered past its deadline (buyer)": "在付款前终止交易（买方；卖方仅限接受之前），或终止到期仍未交付的已付款交易（买方）",
	// deltaledger trades confirm
	"Confirm the delivery (buyer; seller after the inspection deadline): the trade is COMPLETED and the buyer receives the right": "确认交付（买方；验收期满后卖方）：交易状态变为 COMPLETED，买方获得该权利",
	// deltaledger trades close-others
	"After the sale of a holding, cancel the other buyers' trades still waiting on it (seller or operator of its region), a page at a time": "数据资源持有权售出后，逐页取消其他买方仍在等待的交易（卖方或其所在区域的运营方）",
	"continue where the previous call ended: its answer's bookmark":                                                                         "从上一次调用结束处继续：其答复的 bookmark",
	// deltaledger trades counter
	"Answer the last offer with new private terms": "用新的私有条款回应最后一次报价",
	// deltaledger trades counter --conditions
	"private terms: the conditions": "私有条款：条件",
	// deltaledger trades counter --price-fen
	"private terms: the offered price in fen": "私有条款：报价，以分为单位",
	// deltaledger trades counter --salt
	saltUsage: fmt.Sprintf("私有条款：%d 到 %d 个小写十六进制字符的盐值（默认：随机生成）", model.MinSaltLength, model.MaxSaltLength),
	// deltaledger trades deliver
	"Record the delivery of a PAID trade (seller)": "记录 PAID 交易的交付（卖方）",
	// deltaledger trades deliver --delivery-file
	"a local file whose SHA-256 is the delivered data or its manifest (read here, never sent)": "本地文件，其 SHA-256 即所交付数据或其清单的哈希（在本机读取，从不发送）",
	// deltaledger trades deliver --delivery-hash
	"SHA-256 (64 lowercase hex characters) of the delivered data or its manifest": "所交付数据或其清单的 SHA-256（64 个小写十六进制字符）",
	// deltaledger trades dispute
	"Put a PAID trade, a DELIVERED one before its inspection deadline, or after it one whose conveyance is refused (buyer), before the seller's exchange": "把 PAID 状态的交易、验收期内 DELIVERED 状态的交易，或验收期后转让会被拒绝的交易（买方），提交卖方所在交易所处理争议",
	// deltaledger trades expire
	"End a trade that waited too long without a step": "终止等待过久仍无进展的交易",
	// deltaledger trades get
	"Show a trade (its parties, operators, the regulator)": "显示一笔交易（其双方、运营方、监管方可见）",
	// deltaledger trades list
	"List a participant's trades (as buyer or seller) or a listing's": "列出某参与方（作为买方或卖方）的交易，或某挂牌的交易",
	// deltaledger trades list --listing
	"a listing ID": "挂牌 ID",
	// deltaledger trades list --participant
	"a participant ID": "参与方 ID",
	// deltaledger trades order
	"Order from a FIXED listing at its price (buyer); the seller then accepts or rejects": "按 FIXED 挂牌的价格下单（买方）；之后由卖方接受或拒绝",
	// deltaledger trades order --id
	"the new trade's ID": "新交易的 ID",
	// deltaledger trades order --listing
	"the listing": "挂牌",
	// deltaledger trades pay
	"Record the off-chain settlement of an ACCEPTED trade (buyer or operator)": "记录 ACCEPTED 交易的链下结算（买方或运营方）",
	// deltaledger trades pay --amount-fen
	"the amount paid in fen; must equal the agreed price": "已付金额，以分为单位；必须等于商定的价格",
	// deltaledger trades pay --settlement-ref
	"the settlement reference of the exchange or the payer's bank": "交易所或付款方银行的结算参考号",
	// deltaledger trades propose
	"Open a negotiation on a NEGOTIABLE listing with a first offer (buyer); the terms stay private": "以首次报价就 NEGOTIABLE 挂牌开启议价（买方）；条款保持私有",
	// deltaledger trades purge-request
	"Ask for a finished trade's private terms to be purged (both parties must ask)": "请求清除已结束交易的私有条款（双方都须请求）",
	// deltaledger trades reject
	"Turn an order down (seller)": "拒绝订单（卖方）",
	// deltaledger trades resolve
	"Decide a dispute (operator of the seller's region)": "裁决争议（卖方所在区域的运营方）",
	// deltaledger trades resolve --outcome
	outcomeUsage: model.OutcomeComplete + "（交易成立）或 " + model.OutcomeRefund + "（交易撤销）",
	// deltaledger trades terms
	"Show one round of a trade's private terms (its parties, through their own org's gateway)": "显示交易某一轮的私有条款（交易双方，通过各自组织的网关）",
	// deltaledger trades withdraw-terms
	"Take back private terms you staged for a round and never offered (round 1 needs its listing)": "撤回您为某一轮暂存且从未报出的私有条款（第 1 轮须指明其挂牌）",
	// deltaledger trades withdraw-terms --listing
	"the listing the terms were staged for (round 1)": "暂存条款时所针对的挂牌（第 1 轮）",
	// deltaledger tx
	"Transactions: the commit status of a submit made with --no-wait": "交易：用 --no-wait 提交后的提交状态",
	// deltaledger tx status
	"Show a transaction's commit status (the gateway waits a few seconds for the commit)": "显示交易的提交状态（网关会等待提交几秒钟）",
	// deltaledger tx wait
	"Wait until a transaction is committed (after --no-wait) and show its status": "等待交易提交（在 --no-wait 之后）并显示其状态",
	// deltaledger whoami
	"Show your own participant record (ID, org, roles, USCC)": "显示您自己的参与方记录（ID、组织、角色、统一社会信用代码）",
	// deltaledger assets certify --after-notice
	"wait until the public notice ends (the asset's noticeEndsAt), then certify": "等待公示结束（数据资产的 noticeEndsAt）后再完成登记",
	// deltaledger credit authorizations
	"List a subject's authorisations (the subject, the regulator), or those granted to you": "列出信用主体的授权（信用主体、监管方），或授予您的授权",
	// deltaledger credit authorizations --mine
	"the authorisations granted to you": "授予您的授权",
	// deltaledger --member
	"act as the member who signs for itself whose MSP folder 'deltaledger enroll' wrote: its gateway, CA, certificate and key (file or token) from DIR/deltaledger.env; the token's PIN from DELTALEDGER_PKCS11_PIN (env DELTALEDGER_MEMBER)": "以某个自行签名的成员身份操作，即 'deltaledger enroll' 写入的 MSP 目录：从 DIR/deltaledger.env 读取其网关、CA、证书和密钥（文件或令牌）；令牌的 PIN 取自 DELTALEDGER_PKCS11_PIN（环境变量 DELTALEDGER_MEMBER）",
	// deltaledger enroll
	`Generates a P-256 key pair on this machine, sends only a certificate signing request with the
invitation's one-time secret to the gateway (which passes it to its org's CA; no API key needed), and
writes the key and the certificate as a Fabric MSP folder: DIR/keystore/priv_sk (mode 600),
DIR/signcerts/cert.pem, DIR/cacerts/ca.pem. The key never leaves this machine. Prints the certificate's
subject and certified attributes. With --pkcs11-lib, --pkcs11-label and --pkcs11-pin the key pair is made
inside that token (an HSM or a USB key), not extractable, and DIR gets no keystore.

Then sign your own transactions: --client-cert DIR/signcerts/cert.pem with --key DIR/keystore/priv_sk, or
with the same --pkcs11-* flags; the gateway holds no key of yours. Enroll writes these settings, with the
gateway and its CA file, as the member profile DIR/deltaledger.env (no secret: a token's PIN stays in
DELTALEDGER_PKCS11_PIN), so that '--member DIR' is all a later command needs.

The invitation's one-time secret comes from DELTALEDGER_ENROLLMENT_SECRET (or --secret, which shows in the
process list: another user of the machine could read it and enroll before you).`: `在本机生成 P-256 密钥对，只把证书签名请求连同邀请的一次性密码发给网关（网关转交本组织的 CA；
无需 API 密钥），并把密钥和证书写成 Fabric MSP 目录：DIR/keystore/priv_sk（权限 600）、
DIR/signcerts/cert.pem、DIR/cacerts/ca.pem。密钥从不离开本机。打印证书的主体和经认证的属性。
给出 --pkcs11-lib、--pkcs11-label 和 --pkcs11-pin 时，密钥对在该令牌（HSM 或 USB 密钥）内生成，
不可导出，DIR 中不写 keystore。

之后自行签名您的交易：--client-cert DIR/signcerts/cert.pem 配合 --key DIR/keystore/priv_sk，
或配合同样的 --pkcs11-* 选项；网关不持有您的任何密钥。enroll 把这些设置连同网关及其 CA 文件
写成成员配置文件 DIR/deltaledger.env（不含任何密码：令牌的 PIN 仍放在 DELTALEDGER_PKCS11_PIN），
之后的命令只需 '--member DIR'。

邀请的一次性密码取自 DELTALEDGER_ENROLLMENT_SECRET（或 --secret，但它会出现在进程列表中：
本机的其他用户可能读到它并抢先注册）。`,
	// deltaledger members
	"Onboard enterprises into your org, and cut suspended ones off": "为本组织接纳企业成员，并切断被暂停成员的访问",
	// deltaledger members revoke
	"Revoke the certificates of a suspended member at your org's CA (org admin)": "在本组织的 CA 吊销被暂停成员的证书（组织管理员）",
	// deltaledger members revoke
	`The gateway revokes, at your org's Fabric CA, every certificate of a participant the ledger records
SUSPENDED and refuses them from then on. 'participants suspend' does it after the suspension; run this
when that second step failed, or after 'participants suspend --keep-certificates'. Running it again
revokes what is left.

The peers check certificates against your org's MSP in the channel configuration, not against the CA:
with --channel-admin (your org admin's own MSP folder; its key signs here) the CA's CRL goes into that
MSP by a channel configuration update only your org's admin signs, and the command waits until your
peer has committed it. From then on every peer and orderer refuses the certificates, also from a member
that talks to them with a Fabric client of its own.`: `网关在本组织的 Fabric CA 吊销账本记录为 SUSPENDED 的参与方的每一张证书，此后拒绝这些证书。
'participants suspend' 在暂停之后会这样做；当这第二步失败时，或在 'participants suspend --keep-certificates'
之后，运行本命令。再次运行会吊销剩下的证书。

节点（peer）依据通道配置中本组织的 MSP 校验证书，而不是询问 CA：使用 --channel-admin（本组织管理员
自己的 MSP 目录；其密钥在本机签名）时，CA 的证书吊销列表（CRL）通过一次只需本组织管理员签名的通道配置
更新写入该 MSP，命令会等到本组织的节点提交该更新。此后每个节点和排序节点都拒绝这些证书，即使成员用
自己的 Fabric 客户端直接访问它们也不例外。`,
	// deltaledger members reinvite
	"Let a reinstated member enroll again: a new one-time secret for its identity (operators)": "让恢复的成员重新登记：为其身份生成新的一次性密码（运营方）",
	// deltaledger members reinvite
	`A revoked certificate never comes back. When your org's admin has reinstated a member whose
certificates were all revoked ('participants reinstate'), the gateway gives its identity at your org's
CA a new one-time enrollment secret. Hand the answer to the enterprise, which runs 'deltaledger enroll'
on its own machine: its new certificate has the same subject, so the ledger takes it as the same
participant, and certifies the same enterprise. A member that still holds a valid certificate rotates
its key with 'deltaledger reenroll' instead.`: `被吊销的证书不会恢复。当本组织管理员恢复了一个证书已全部被吊销的成员（'participants reinstate'）后，
网关为其在本组织 CA 的身份生成新的一次性登记密码。把结果交给该企业，由它在自己的机器上运行 'deltaledger enroll'：
新证书的主体相同，因此账本视其为同一参与方，并认证同一企业。仍持有有效证书的成员应改用 'deltaledger reenroll' 轮换密钥。`,
	// deltaledger participants suspend
	"Stop a member of your org from acting and cut it off at your CA (org admin)": "停止本组织某成员的操作，并在本组织的 CA 切断其访问（组织管理员）",
	// deltaledger participants suspend
	`Records the suspension on the ledger (participants:Suspend, with the reason). Then, for a member the
gateway onboarded (its certificate certifies its enterprise), has the gateway revoke its certificates at
your org's Fabric CA: the gateway and the CA refuse them from then on, also for calls the member signs
itself. A revoked certificate never comes back; a reinstated member acts again with a new certificate.
--keep-certificates suspends on the ledger only (a suspension meant to be lifted soon).

With --channel-admin it also publishes the CA's CRL in the channel as your org's admin, so that the
peers refuse the certificates too (see 'members revoke').`: `在账本上记录暂停（participants:Suspend，附理由）。然后，对于由网关接纳的成员（其证书认证了其企业），
由网关在本组织的 Fabric CA 吊销其证书：此后网关和 CA 都拒绝这些证书，成员自行签名的调用也不例外。
被吊销的证书不会恢复；恢复的成员须用新证书才能再次操作。
--keep-certificates 只在账本上暂停（用于很快就会解除的暂停）。

使用 --channel-admin 时，还会以本组织管理员的身份把 CA 的 CRL 发布到通道中，使节点也拒绝这些证书
（见 'members revoke'）。`,
	// --channel-admin, --peer, --orderer, --fabric-cacert of participants suspend and members revoke
	"your org admin's MSP folder (signcerts/, keystore/priv_sk): publish the CA's CRL in the channel as that admin, so that the peers refuse the revoked certificates too (env DELTALEDGER_CHANNEL_ADMIN)": "本组织管理员的 MSP 目录（signcerts/、keystore/priv_sk）：以该管理员身份把 CA 的 CRL 发布到通道中，使节点也拒绝被吊销的证书（环境变量 DELTALEDGER_CHANNEL_ADMIN）",
	"host:port of your org's peer (with --channel-admin) (env DELTALEDGER_PEER)":                       "本组织节点的 host:port（配合 --channel-admin）（环境变量 DELTALEDGER_PEER）",
	"host:port of an orderer of the channel (with --channel-admin) (env DELTALEDGER_ORDERER)":          "通道中某个排序节点的 host:port（配合 --channel-admin）（环境变量 DELTALEDGER_ORDERER）",
	"the TLS CA (PEM) of that peer and orderer (with --channel-admin) (env DELTALEDGER_FABRIC_CACERT)": "该节点和排序节点的 TLS CA（PEM）（配合 --channel-admin）（环境变量 DELTALEDGER_FABRIC_CACERT）",
	// deltaledger participants suspend --keep-certificates
	"suspend on the ledger only; revoke no certificate": "只在账本上暂停；不吊销任何证书",
	// deltaledger assets history
	"An asset's history: registration, every right over it, holding moves, products derived": "数据资产的历史：登记、其上的每项权利、数据资源持有权的转移、衍生的数据产品",
	// deltaledger rights transfer-holding
	"Offer the holding of an asset to another participant outside a trade; it moves when the recipient accepts": "在交易之外向另一参与方要约转让数据资产的数据资源持有权；接收方接受后转移",
	// deltaledger rights transfer-holding --to
	"the recipient": "接收方",
	// deltaledger rights holding-offer
	"Show the open offer of an asset's holding": "显示数据资产的数据资源持有权的未结要约",
	// deltaledger rights accept-holding
	"Accept the holding offered to you, before the offer expires": "在要约到期前接受向您要约转让的数据资源持有权",
	// deltaledger rights refuse-holding
	"Refuse the holding offered to you: nothing moves": "拒绝向您要约转让的数据资源持有权：不发生任何转移",
	// deltaledger rights withdraw-holding
	"Withdraw your offer of a holding: nothing moves": "撤回您对数据资源持有权的要约：不发生任何转移",
	// deltaledger trades market
	"List the market's trades, oldest first (regulator; an operator for its own region)": "列出市场的交易，最早的在前（监管方；运营方限本区域）",
	// deltaledger trades market --region
	"only the trades this region is involved in (empty: the whole market, regulator only)": "只列出该区域参与的交易（为空：整个市场，仅限监管方）",
	// deltaledger trades market --status
	"only the trades in this status": "只列出处于此状态的交易",
	// deltaledger trades market --from
	"only the trades opened at or after this RFC 3339 instant": "只列出在此 RFC 3339 时刻或之后开启的交易",
	// deltaledger trades market --before
	"only the trades opened before this RFC 3339 instant": "只列出在此 RFC 3339 时刻之前开启的交易",
}
