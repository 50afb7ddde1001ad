package main

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/internal/locale"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// app is one run of the command: its settings and streams.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// sessionFile keeps the session between commands ("" for none).
	sessionFile string
	// resumed holds the block the session resumed from sessionFile (see
	// saveSession).
	resumed *client.Session

	gateway, apiKey, caCert   string
	certFile, keyFile         string
	signKey                   string
	pkcs11Lib, pkcs11Label    string
	pkcs11PIN                 string
	channel, chaincode        string         // the market's, as the flags say (deployment)
	member                    string         // the member profile's folder (--member)
	closers                   []func() error // run when the command ends (a PKCS#11 session)
	org, role, prof, keysFile string
	output                    string
	timeout                   time.Duration
	noWait                    bool
	idempotencyKey            string
	keyed                     bool // the command's calls carry idempotencyKey, or a key derived from it (commandKey)
	progress                  bool
	flags                     *pflag.FlagSet

	lang       ledgererr.Language   // of the messages, from LC_ALL, LC_MESSAGES or LANG
	isTerminal func(io.Writer) bool // whether a stream is a terminal; tests replace it
	now        func() time.Time

	client        *client.Client
	newClientHook func(*client.Client) // lets tests adjust the client
	// connected is the gateway and CA file the client was made with.
	connected struct{ gateway, caCert string }
}

// The command's own words around the gateway's messages, which come in the
// same language (the client sends Accept-Language).
var (
	errorPrefix   = ledgererr.Text{En: "Error:", Zh: "错误："}
	warningPrefix = ledgererr.Text{En: "Warning:", Zh: "警告："}
	notePrefix    = ledgererr.Text{En: "note:", Zh: "注意："}
	noneText      = ledgererr.Text{En: "(none)", Zh: "（无）"}
	usageHint     = ledgererr.Text{En: "Run 'deltaledger --help' (or COMMAND --help) for usage.", Zh: "用法见 'deltaledger --help'（或 COMMAND --help）。"}
)

// usageError is a mistake on the command line (exit code 2).
type usageError struct{ error }

// Unwrap returns the mistake, a message of the catalogue when usagef made
// it: written in the locale's language.
func (e usageError) Unwrap() error { return e.error }

// usagef is a mistake on the command line, made from a format of the
// catalogue (ledgererr.Messagef).
func usagef(format string, args ...any) error { return usageError{ledgererr.Messagef(format, args...)} }

// run runs the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	return newApp(stdin, stdout, stderr, getenv).run(ctx, args)
}

func newApp(stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) *app {
	// The standard output shows the gateway's answers: escaped, they cannot drive a terminal (escapingWriter).
	return &app{stdin: stdin, stdout: escapingWriter{stdout}, stderr: stderr, getenv: getenv, isTerminal: isTerminalWriter, now: time.Now,
		lang: locale.FromEnvironment(getenv)}
}

// run runs the command line args and returns the exit status.
func (a *app) run(ctx context.Context, args []string) int {
	stdin, stdout, stderr := a.stdin, a.stdout, a.stderr
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	// A failed command keeps no block: what it saw may be what a gateway
	// answered while refusing it, and one file serves every org and region
	// of the profile.
	if a.client != nil && err == nil {
		if serr := saveSession(a.sessionFile, a.resumed, a.client.Session()); serr != nil {
			a.say(warningPrefix, ledgererr.Messagef("keeping the session's block: %v", serr))
		}
	}
	for _, closeFn := range a.closers {
		_ = closeFn()
	}
	if err == nil {
		return exitOK
	}
	// The error may quote the gateway: escaped, as the standard output is (escapingWriter).
	fmt.Fprintln(stderr, errorPrefix.In(a.lang), escapeControls(strings.TrimPrefix(errorIn(err, a.lang), "deltaledger: "), lineBreaks))
	status := exitStatusOf(err)
	if status == exitUsage {
		fmt.Fprintln(stderr, usageHint.In(a.lang))
	}
	if m := a.repeatWithKey(err, status); m != nil {
		fmt.Fprintln(stderr, escapeControls(m.In(a.lang), lineBreaks))
	}
	return status
}

// repeatWithKey is the line that names the --idempotency-key to repeat a
// command with, after an error of a call that sent one: when its outcome
// is unknown (the gateway did not answer in time, or the command was
// interrupted, and the transaction may commit yet), so that the repeat is
// answered that outcome rather than running it twice (a second credit
// trace the subject sees), and when the gateway replayed a refusal kept
// under that key, which a repeat with the same key only gets again. nil
// otherwise: for an incomplete lookup, which names its key itself, and for
// a call whose key is not the command's (a re-enrolment's key rotation,
// which resumes by its own means).
func (a *app) repeatWithKey(err error, status int) *ledgererr.Message {
	var incomplete *client.IncompleteLookupError
	if !a.keyed || client.IdempotencyKeyOf(err) == "" || errors.As(err, &incomplete) {
		return nil
	}
	key := a.idempotencyKey // the command's, from which a step's key is derived
	var apiErr *client.Error
	switch {
	case status == exitUnavailable || status == exitStatusOfCode[string(ledgererr.OutcomeUnknown)] || status == exitInterrupted:
		return ledgererr.Messagef("the change may have been made or be made yet: repeat the command with --idempotency-key %s, which is answered its outcome rather than making it twice", key)
	case errors.As(err, &apiErr) && apiErr.Replayed:
		return ledgererr.Messagef("the gateway answered this again as it answered it first under --idempotency-key %s: once its cause is put right, repeat the command with another --idempotency-key, or none", key)
	}
	return nil
}

// secretFlags are the flags that take a secret, each with the environment variable that takes it out of sight of
// the process list (which every user of the machine may read).
var secretFlags = map[string]string{"api-key": "DELTALEDGER_API_KEY", "pkcs11-pin": "DELTALEDGER_PKCS11_PIN",
	"secret": "DELTALEDGER_ENROLLMENT_SECRET"}

// warnOfSecretFlags warns, one line each, of the secrets cmd was given as flags: the command runs, but another user
// of the machine may have read them while it did.
func (a *app) warnOfSecretFlags(cmd *cobra.Command) {
	for _, flag := range slices.Sorted(maps.Keys(secretFlags)) {
		if f := cmd.Flags().Lookup(flag); f != nil && f.Changed {
			a.say(warningPrefix, ledgererr.Messagef("--%s puts a secret on the command line, where other users of this machine can read it in the process list: give it in %s instead",
				flag, secretFlags[flag]))
		}
	}
}

// say writes a warning or a note on the standard error, in the locale's
// language: its prefix, then the message of the catalogue.
func (a *app) say(prefix ledgererr.Text, m *ledgererr.Message) {
	fmt.Fprintln(a.stderr, prefix.In(a.lang), escapeControls(m.In(a.lang), lineBreaks))
}

// cobraUsageError recognises the command-line mistakes cobra reports itself.
func cobraUsageError(err error) bool {
	for _, prefix := range []string{"unknown command", "required flag", "unknown flag", "unknown shorthand flag", "invalid argument", "flag needs an argument", "if any flags in the group", "at least one of the flags in the group"} {
		if strings.HasPrefix(err.Error(), prefix) {
			return true
		}
	}
	return false
}

const rootLong = `deltaledger works with the DeltaLedger data market through a region's REST
gateway (deltaledger-gateway), as one member of that region: register data
assets (their SHA-256 is computed here; the data never leaves the machine),
list rights over them and buy them, publish, authorise and look up credit
records, and follow the ledger's events.

Connecting. Give the gateway, how to trust it and who you are:
  --gateway URL      DELTALEDGER_GATEWAY     e.g. https://127.0.0.1:27180
  --cacert FILE      DELTALEDGER_CACERT      the gateway's TLS CA (PEM)
  --api-key KEY      DELTALEDGER_API_KEY     a member's API key (dlk_...): prefer the
                     variable, since a flag shows in the process list
  --client-cert FILE --client-key FILE       or the member's TLS client certificate
                     (DELTALEDGER_CLIENT_CERT, DELTALEDGER_CLIENT_KEY)
or name a member of the local network (after 'make up') and let its demo keys
file say the rest:
  --org ORG --role ROLE   (or --profile ORG/ROLE; DELTALEDGER_ORG, DELTALEDGER_ROLE)
  --keys-file FILE        DELTALEDGER_KEYS_FILE, default ` + defaultKeysFile + `
                          (looked for in the current directory and its parents)
which reads <ORG>_GW, <ORG>_CA and <ORG>_<ROLE>_KEY. ORG is shanghai, jiangsu,
zhejiang or anhui; ROLE is admin, operator, holder, buyer, agency or regulator.
Flags win over the profile, which wins over the other environment variables.

Output. JSON by default (-o json); -o table prints lists as tables and a
single record as FIELD/VALUE rows. Commands that change the ledger print the
transaction ID, its block and the record as the transaction left it; they
wait for the commit unless --no-wait is given (then follow up with
'deltaledger tx wait TXID'). Each such command, and 'credit lookup' (which
writes a trace), sends a new random Idempotency-Key, so the client's
automatic retries (on 429 and 503) are safe; --idempotency-key KEY makes a
repeated command line safe too. When such a command fails with its outcome
unknown (exit status 8, 9 or 130) it names its --idempotency-key on the
standard error: repeated with it, the command is answered the first
outcome rather than run twice. The gateway keeps a refusal under its key
for a day too, and a replayed one says "(replayed)": once its cause is put
right, repeat with another key.

Sessions. Each command waits, on the gateway, for its region's peer to have
the last ledger block an earlier command that succeeded saw (through any
region), so that it sees what they did; the block is kept in
DELTALEDGER_SESSION (a file; "none" for no session), by default for
--org/--role next to the network's keys file.

Errors go to the standard error: the gateway's code and message, and the
transaction ID when there is one; the exit status tells the class apart.`

const rootExample = `  # After 'make up', from the repository root
  deltaledger --org anhui --role buyer whoami
  deltaledger --org anhui --role buyer listings browse --category transport -o table
  deltaledger --org shanghai --role holder assets apply --id my-asset --name "Port moves" \
    --category transport --region shanghai --description "Hourly moves per berth" --content-file data.csv
  deltaledger --org shanghai --role regulator events --start-block 1

  # Any gateway, with an API key (in the environment: a flag shows in the process list)
  DELTALEDGER_API_KEY="$KEY" deltaledger --gateway https://127.0.0.1:27280 --cacert jiangsu-ca.pem trades get trade-1`

// rootCommand is the command tree with its help in the app's language.
func (a *app) rootCommand() *cobra.Command {
	root := a.commandTree()
	localiseHelp(root, a.lang)
	root.Long += "\n\n" + exitStatusHelp(a.lang)
	return root
}

// commandTree is the command tree, its help in English.
func (a *app) commandTree() *cobra.Command {
	root := &cobra.Command{
		Use:           "deltaledger",
		Short:         "Work with the DeltaLedger data market through a region's REST gateway",
		Long:          rootLong,
		Example:       rootExample,
		Version:       client.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			a.warnOfSecretFlags(cmd)
			return a.checkGlobals()
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	a.flags = pf
	pf.StringVar(&a.gateway, "gateway", "", "gateway URL, e.g. https://127.0.0.1:27180 (env DELTALEDGER_GATEWAY)")
	pf.StringVar(&a.apiKey, "api-key", "", "the member's API key (prefer env DELTALEDGER_API_KEY: a flag shows in the process list)")
	pf.StringVar(&a.caCert, "cacert", "", "PEM file of the CA that issued the gateway's TLS certificate (env DELTALEDGER_CACERT)")
	pf.StringVar(&a.certFile, "client-cert", "", "the member's TLS client certificate, PEM (env DELTALEDGER_CLIENT_CERT)")
	pf.StringVar(&a.keyFile, "client-key", "", "the private key of --client-cert, PEM, mode 600 (env DELTALEDGER_CLIENT_KEY)")
	pf.StringVar(&a.signKey, "key", "", "sign your own transactions with this private key file, PEM, mode 600 (with --client-cert, your enrolled certificate; env DELTALEDGER_KEY)")
	pf.StringVar(&a.pkcs11Lib, "pkcs11-lib", "", "sign your own transactions with a key in a PKCS#11 token: the token's library, e.g. /usr/lib/softhsm/libsofthsm2.so (env DELTALEDGER_PKCS11_LIB)")
	pf.StringVar(&a.pkcs11Label, "pkcs11-label", "", "the PKCS#11 token's label (env DELTALEDGER_PKCS11_LABEL)")
	pf.StringVar(&a.pkcs11PIN, "pkcs11-pin", "", "the PKCS#11 token's user PIN (prefer env DELTALEDGER_PKCS11_PIN: a flag shows in the process list)")
	pf.StringVar(&a.member, "member", "", "act as the member who signs for itself whose MSP folder 'deltaledger enroll' wrote: its gateway, CA, certificate and key (file or token) from DIR/"+memberProfileName+"; the token's PIN from DELTALEDGER_PKCS11_PIN (env DELTALEDGER_MEMBER)")
	pf.StringVar(&a.channel, "channel", "", channelUsage)
	pf.StringVar(&a.chaincode, "chaincode", "", chaincodeUsage)
	pf.StringVar(&a.org, "org", "", "act as a demo member of this org: shanghai, jiangsu, zhejiang, anhui (env DELTALEDGER_ORG)")
	pf.StringVar(&a.role, "role", "", "the demo member's role: admin, operator, holder, buyer, agency, regulator (env DELTALEDGER_ROLE)")
	pf.StringVar(&a.prof, "profile", "", "ORG/ROLE, the same as --org ORG --role ROLE (env DELTALEDGER_PROFILE)")
	pf.StringVar(&a.keysFile, "keys-file", "", "the demo keys file a profile is read from (env DELTALEDGER_KEYS_FILE; default "+defaultKeysFile+")")
	pf.StringVarP(&a.output, "output", "o", outputJSON, "output format: json or table")
	pf.DurationVar(&a.timeout, "timeout", client.DefaultTimeout, "bound on each request to the gateway")
	pf.BoolVar(&a.noWait, "no-wait", false, "for commands that change the ledger: answer once the transaction is accepted for ordering, without waiting for its commit")
	pf.StringVar(&a.idempotencyKey, "idempotency-key", "", "for commands that change the ledger and credit lookup: the Idempotency-Key to send instead of a random one")
	pf.BoolVar(&a.progress, "progress", false, "show the progress of hashing a file (size, rate, time left) on the standard error (default: when it is a terminal, unless -o json is given)")

	root.AddGroup(
		&cobra.Group{ID: "market", Title: "The market:"},
		&cobra.Group{ID: "credit", Title: "Credit records:"},
		&cobra.Group{ID: "ledger", Title: "The ledger and the gateway:"},
	)
	for _, c := range []*cobra.Command{a.whoamiCommand(), a.participantsCommand(), a.membersCommand(), a.enrollCommand(), a.reenrollCommand(), a.rulesCommand(), a.assetsCommand(), a.rightsCommand(), a.listingsCommand(), a.tradesCommand(), a.marketCommand()} {
		c.GroupID = "market"
		root.AddCommand(c)
	}
	c := a.creditCommand()
	c.GroupID = "credit"
	root.AddCommand(c)
	for _, c := range []*cobra.Command{a.eventsCommand(), a.txCommand(), a.gatewayCommand()} {
		c.GroupID = "ledger"
		root.AddCommand(c)
	}
	return root
}

// checkGlobals checks the flags every command shares.
func (a *app) checkGlobals() error {
	if a.output != outputJSON && a.output != outputTable {
		return usagef("--output %q: want json or table", a.output)
	}
	return a.useMemberProfile()
}

// setting returns a flag's value if it was given, else the environment
// variable's.
func (a *app) setting(flag, value, env string) string {
	if a.flags.Changed(flag) {
		return value
	}
	return a.getenv(env)
}

// The usage of --channel and --chaincode: the names of the market, which a member who signs for itself signs
// for, and in whose channel --channel-admin publishes.
var (
	channelUsage   = "the market's channel: a member who signs for itself signs no message of another, and --channel-admin publishes in it (env DELTALEDGER_CHANNEL; default " + model.DefaultChannel + ")"
	chaincodeUsage = "the market's chaincode: a member who signs for itself signs no call of another (env DELTALEDGER_CHAINCODE; default " + model.DefaultChaincode + ")"
)

// deployment returns the market's channel and chaincode: as --channel and --chaincode (or their environment
// variables, or the member profile) name them, else the model's defaults.
func (a *app) deployment() (channel, chaincode string) {
	return cmp.Or(a.setting("channel", a.channel, "DELTALEDGER_CHANNEL"), model.DefaultChannel),
		cmp.Or(a.setting("chaincode", a.chaincode, "DELTALEDGER_CHAINCODE"), model.DefaultChaincode)
}

// connect returns the client the connection settings describe.
func (a *app) connect() (*client.Client, error) {
	if a.client != nil {
		return a.client, nil
	}
	var gateway, apiKey, caCert string
	org, role := a.setting("org", a.org, "DELTALEDGER_ORG"), a.setting("role", a.role, "DELTALEDGER_ROLE")
	if p := a.setting("profile", a.prof, "DELTALEDGER_PROFILE"); p != "" && org == "" && role == "" {
		var err error
		if org, role, err = splitProfile(p); err != nil {
			return nil, usageError{err}
		}
	}
	if org != "" || role != "" {
		keys := a.setting("keys-file", a.keysFile, "DELTALEDGER_KEYS_FILE")
		if keys == "" {
			keys = defaultKeysFile
		}
		p, err := loadProfile(keys, org, role)
		if err != nil {
			return nil, usageError{err}
		}
		gateway, apiKey, caCert = p.gateway, p.apiKey, p.ca
		a.sessionFile = p.session
	} else {
		gateway, apiKey, caCert = a.getenv("DELTALEDGER_GATEWAY"), a.getenv("DELTALEDGER_API_KEY"), a.getenv("DELTALEDGER_CACERT")
	}
	if a.flags.Changed("gateway") {
		gateway = a.gateway
	}
	if a.flags.Changed("api-key") {
		apiKey = a.apiKey
	}
	if a.flags.Changed("cacert") {
		caCert = a.caCert
	}
	a.sessionFile = sessionFile(a.getenv, a.sessionFile)
	if gateway == "" {
		return nil, usagef("no gateway: give --gateway URL (or DELTALEDGER_GATEWAY), or --org ORG --role ROLE")
	}
	session := loadSession(a.sessionFile)
	a.resumed = client.NewSession()
	if b, ok := session.Block(); ok {
		a.resumed.Observe(b)
	}
	opts := []client.Option{client.WithTimeout(a.timeout), client.WithUserAgent("deltaledger-cli/" + client.Version),
		client.WithSession(session), client.WithAcceptLanguage(string(a.lang))}
	if apiKey != "" {
		opts = append(opts, client.WithAPIKey(apiKey))
	}
	if caCert != "" {
		opts = append(opts, client.WithCAFile(caCert))
	}
	certFile := a.setting("client-cert", a.certFile, "DELTALEDGER_CLIENT_CERT")
	keyFile := a.setting("client-key", a.keyFile, "DELTALEDGER_CLIENT_KEY")
	// A member's own key signs with its enrolled certificate; without one (enroll) it is not used here.
	if a.signsItself() && certFile != "" {
		if keyFile != "" {
			return nil, usagef("--key and --pkcs11-lib take your enrolled certificate as --client-cert, and no --client-key")
		}
		certPEM, err := os.ReadFile(certFile)
		if err != nil {
			return nil, usageError{err}
		}
		signer, err := a.memberSigner(certPEM)
		if err != nil {
			return nil, err
		}
		opts = append(opts, client.WithSigner(certPEM, signer), client.WithChaincode(a.deployment()))
		certFile = ""
	} else if (certFile == "") != (keyFile == "") {
		return nil, usagef("--client-cert and --client-key go together")
	}
	if certFile != "" {
		if err := client.CheckKeyFileMode(keyFile); err != nil {
			return nil, err
		}
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, clientCertificateError(certFile, keyFile, err)
		}
		opts = append(opts, client.WithTLSClientCertificate(cert))
	}
	c, err := client.New(gateway, opts...)
	if err != nil {
		return nil, usageError{err}
	}
	a.connected.gateway, a.connected.caCert = gateway, caCert
	if a.newClientHook != nil {
		a.newClientHook(c)
	}
	a.client = c
	return c, nil
}

// submitOptions are the options of the commands that change the ledger.
func (a *app) submitOptions() []client.SubmitOption {
	opts := a.keyOptions()
	if a.noWait {
		opts = append(opts, client.NoWait())
	}
	return opts
}

// keyOptions are the options of a command that writes to the ledger and
// answers after the commit, whatever --no-wait says (a credit lookup, whose
// trace is written before anything is read): the command's key alone.
func (a *app) keyOptions() []client.SubmitOption {
	return []client.SubmitOption{client.WithIdempotencyKey(a.commandKey())}
}

// commandKey is the command's Idempotency-Key: --idempotency-key, or one
// made here when it is not given, so that the command can name it after a
// failure whose outcome is unknown (repeatWithKey) and a step's key derived
// from it (stageKeySuffix) is the one the repeat derives again.
func (a *app) commandKey() string {
	a.keyed = true
	if a.idempotencyKey == "" {
		a.idempotencyKey = client.NewIdempotencyKey()
	}
	return a.idempotencyKey
}

// exactArgs requires the named positional arguments.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != len(names) {
			if len(names) == 0 {
				return usagef("%s takes no arguments", cmd.CommandPath())
			}
			return usagef("%s needs %s", cmd.CommandPath(), strings.Join(names, " "))
		}
		for i, a := range args {
			if a == "" {
				return usagef("%s: %s is empty", cmd.CommandPath(), names[i])
			}
		}
		return nil
	}
}

// required marks flags as required, answering a usage error when missing.
func required(cmd *cobra.Command, names ...string) {
	for _, n := range names {
		_ = cmd.MarkFlagRequired(n)
	}
}

// group is a command that only holds subcommands.
func group(use, short, long string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short, Long: long, Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() }}
	c.AddCommand(subs...)
	return c
}

// listFlags adds --limit and --page-size to a list command.
type listFlags struct {
	limit, pageSize int
}

func (l *listFlags) add(cmd *cobra.Command) {
	cmd.Flags().IntVar(&l.limit, "limit", 100, "print at most this many items; 0 for all")
	cmd.Flags().IntVar(&l.pageSize, "page-size", 0, pageSizeUsage)
}

func (l *listFlags) options() []client.ListOption {
	if l.pageSize > 0 {
		return []client.ListOption{client.PageSize(l.pageSize)}
	}
	return nil
}

// hashFlags reads a SHA-256 given directly or computed from a local file.
type hashFlags struct {
	app          *app
	name, what   string
	hash, file   string
	required     bool
	fileFlagName string
}

func (a *app) addHash(cmd *cobra.Command, name, what string, req bool) *hashFlags {
	h := &hashFlags{app: a, name: name, what: what, required: req, fileFlagName: strings.TrimSuffix(name, "-hash") + "-file"}
	cmd.Flags().StringVar(&h.hash, name, "", "SHA-256 (64 lowercase hex characters) of "+what)
	cmd.Flags().StringVar(&h.file, h.fileFlagName, "", "a local file whose SHA-256 is "+what+" (read here, never sent)")
	return h
}

var hexHash = regexp.MustCompile(model.SHA256Pattern)

func (h *hashFlags) value() (string, error) {
	switch {
	case h.hash != "" && h.file != "":
		return "", usagef("give --%s or --%s, not both", h.name, h.fileFlagName)
	case h.file != "":
		return h.hashFile()
	case h.hash != "":
		if !hexHash.MatchString(h.hash) {
			return "", usagef("--%s must be 64 lowercase hex characters", h.name)
		}
		return h.hash, nil
	case h.required:
		return "", usagef("give --%s or --%s", h.name, h.fileFlagName)
	}
	return "", nil
}

// hashFile hashes --X-file, with a meter on the standard error when
// showProgress says so.
func (h *hashFlags) hashFile() (string, error) {
	a := h.app
	if !a.showProgress() {
		return client.SHA256File(h.file)
	}
	m := newHashMeter(a.stderr, h.file, a.isTerminal(a.stderr), a.now, a.lang)
	defer m.finish()
	return client.SHA256File(h.file, client.WithHashProgress(m.update))
}

// parseTime reads a time flag: RFC 3339, a date (midnight UTC), or a
// duration from now such as 1y, 6mo, 30d, 12h.
func parseTime(flag, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if m := regexp.MustCompile(`^\+?([0-9]+)(y|mo|w|d)$`).FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		now := time.Now()
		switch m[2] {
		case "y":
			return now.AddDate(n, 0, 0), nil
		case "mo":
			return now.AddDate(0, n, 0), nil
		case "w":
			return now.AddDate(0, 0, 7*n), nil
		default:
			return now.AddDate(0, 0, n), nil
		}
	}
	if d, err := time.ParseDuration(strings.TrimPrefix(s, "+")); err == nil && d > 0 {
		return time.Now().Add(d), nil
	}
	return time.Time{}, usagef("--%s %q: want RFC 3339 (2027-05-01T00:00:00Z), a date (2027-05-01) or a time from now (1y, 6mo, 30d, 12h)", flag, s)
}

// timeFlag is a flag that takes a time in parseTime's forms. It keeps its
// own name, so that a bad time is reported under the flag the user gave
// without the command writing the name a second time.
type timeFlag struct{ name, text string }

// addTimeFlag adds the time flag name to cmd.
func addTimeFlag(cmd *cobra.Command, name, usage string) *timeFlag {
	f := &timeFlag{name: name}
	cmd.Flags().StringVar(&f.text, name, "", usage)
	return f
}

// given reports whether the flag was given.
func (f *timeFlag) given() bool { return f.text != "" }

// value is the time the flag names.
func (f *timeFlag) value() (time.Time, error) { return parseTime(f.name, f.text) }

// ctxOf returns the command's context.
func ctxOf(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

// call is the body of a command that makes one call and prints its answer.
type call func(ctx context.Context, c *client.Client, args []string) (any, error)

// runE adapts a call to a cobra RunE: connect, call, print (a tableAnswer
// as its own table under -o table).
func (a *app) runE(f call) func(cmd *cobra.Command, args []string) error {
	return func(cmd *cobra.Command, args []string) error {
		c, err := a.connect()
		if err != nil {
			return err
		}
		v, err := f(ctxOf(cmd), c, args)
		if err != nil {
			return err
		}
		if p, ok := v.(partialAnswer); ok {
			if err := a.printAnswer(p.value); err != nil {
				return err
			}
			return p.err
		}
		return a.printAnswer(v)
	}
}

// printAnswer prints a command's answer as -o says.
func (a *app) printAnswer(v any) error {
	if t, ok := v.(tableAnswer); ok {
		if a.output == outputTable {
			return t.table()
		}
		v = t.value
	}
	return a.printValue(v)
}

// partialAnswer is an answer that is printed and still fails the command
// with err: a credit lookup some holding org did not answer, whose records
// the caller may use knowingly, but whose exit status must not say done.
type partialAnswer struct {
	value any
	err   error
}

// tableAnswer is an answer that prints a table of its own under -o table
// (a lookup's records under its trace, the market's figures over the block
// they are complete up to) rather than FIELD/VALUE rows; under -o json it
// prints value as any answer does.
type tableAnswer struct {
	value any
	table func() error
}

// tableAnswerOf is a call's answer res, printed under -o table by table, or the call's err.
func tableAnswerOf[T any](res *T, err error, table func(*T) error) (any, error) {
	if err != nil {
		return nil, err
	}
	return tableAnswer{res, func() error { return table(res) }}, nil
}

// argCommand is `NAME ARG`: it prints what do answers for the one
// argument. The commands that show one record by its ID and those that
// change one record needing nothing but its ID are all this, so that they
// check and name their argument alike.
func (a *app) argCommand(name, arg, short string, do func(ctx context.Context, c *client.Client, arg string) (any, error)) *cobra.Command {
	return &cobra.Command{
		Use: name + " " + arg, Short: short, Args: exactArgs(arg),
		RunE: a.runE(func(ctx context.Context, c *client.Client, args []string) (any, error) {
			return do(ctx, c, args[0])
		}),
	}
}

// reasonCommand is `NAME ARG --reason TEXT`: it prints what do answers for
// the one argument and the reason, which it requires. The changes that end,
// refuse or withdraw something and must say why are all this, so that
// their --reason reads and helps alike.
func (a *app) reasonCommand(name, arg, short string, do func(ctx context.Context, c *client.Client, arg, reason string) (any, error)) *cobra.Command {
	var reason string
	cmd := a.argCommand(name, arg, short, func(ctx context.Context, c *client.Client, arg string) (any, error) {
		return do(ctx, c, arg, reason)
	})
	addReason(cmd, &reason, "why")
	return cmd
}

// valueFlag is a required string flag of a command: its name, the placeholder its value has in the command's
// usage line, and its help.
type valueFlag struct{ name, placeholder, usage string }

// valueCommand is `NAME ARG --FLAG VALUE`: it prints what do answers for the one argument and the value of the
// required flag value (where a member is placed, the objection's ID, the recipient, the outcome).
func (a *app) valueCommand(name, arg, short string, value valueFlag,
	do func(ctx context.Context, c *client.Client, arg, value string) (any, error)) *cobra.Command {
	var v string
	cmd := a.argCommand(name, arg, short, func(ctx context.Context, c *client.Client, arg string) (any, error) {
		return do(ctx, c, arg, v)
	})
	cmd.Use += " --" + value.name + " " + value.placeholder
	cmd.Flags().StringVar(&v, value.name, "", value.usage)
	required(cmd, value.name)
	return cmd
}

// valueReasonCommand is `NAME ARG --FLAG VALUE --reason TEXT`: a valueCommand whose change must also say why
// (the objection's ID, the recipient, the outcome). why is the help of its --reason, which says what reason the
// change asks for.
func (a *app) valueReasonCommand(name, arg, short string, value valueFlag, why string,
	do func(ctx context.Context, c *client.Client, arg, value, reason string) (any, error)) *cobra.Command {
	var reason string
	cmd := a.valueCommand(name, arg, short, value, func(ctx context.Context, c *client.Client, arg, v string) (any, error) {
		return do(ctx, c, arg, v, reason)
	})
	addReason(cmd, &reason, why)
	return cmd
}

// addReason adds the required --reason TEXT to cmd, its usage line included; why is its help.
func addReason(cmd *cobra.Command, reason *string, why string) {
	cmd.Use += " --reason TEXT"
	cmd.Flags().StringVar(reason, "reason", "", why)
	required(cmd, "reason")
}

// listCall is the body of a list command: the items to print, asked of
// the gateway a page at a time with opts.
type listCall[T any] func(ctx context.Context, c *client.Client, args []string, opts []client.ListOption) iter.Seq2[T, error]

// listCommand makes cmd (its Use, Short and Args set, its own flags added
// before or after) a list: --limit and --page-size, and a RunE that
// connects, iterates and prints the items as cols says. Every list command
// is made here, so that they all page and print alike.
func listCommand[T any](a *app, cmd *cobra.Command, cols []column[T], list listCall[T]) *cobra.Command {
	var lf listFlags
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		c, err := a.connect()
		if err != nil {
			return err
		}
		return printList(a, list(ctxOf(cmd), c, args, lf.options()), lf.limit, cols)
	}
	lf.add(cmd)
	return cmd
}

// argListCommand is `NAME ARG` for a list: it prints what list, of the
// client's service that service names, yields for the one argument, as the
// lists of what one record has or holds do (as readCommand, the group
// that holds it names the call by its method).
func argListCommand[S, T any](a *app, name, arg, short string, cols []column[T], service func(*client.Client) S,
	list func(s S, ctx context.Context, arg string, opts ...client.ListOption) iter.Seq2[T, error]) *cobra.Command {
	return listCommand(a, &cobra.Command{Use: name + " " + arg, Short: short, Args: exactArgs(arg)}, cols,
		func(ctx context.Context, c *client.Client, args []string, opts []client.ListOption) iter.Seq2[T, error] {
			return list(service(c), ctx, args[0], opts...)
		})
}

// clientCertificateError says why --client-cert and --client-key do not
// load: a file that cannot be read (Local says which and why), or files
// that are not a PEM certificate and its private key (crypto/tls's own
// words are English).
func clientCertificateError(certFile, keyFile string, err error) error {
	var path *fs.PathError
	if errors.As(err, &path) {
		return ledgererr.Messagef("the client certificate: %v", err)
	}
	return ledgererr.Messagef("--client-cert %s and --client-key %s are not a PEM certificate and its private key", certFile, keyFile)
}
