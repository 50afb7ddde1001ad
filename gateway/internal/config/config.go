// Package config is the gateway's configuration: one struct, read from a
// YAML file, then overridden by environment variables, then by command-line
// flags. Every setting has all three forms, derived from its YAML path:
//
//	peer.tlsCACert   env DLGW_PEER_TLS_CA_CERT   flag --peer-tls-ca-cert
//
// so that the help text, the environment and the file never disagree.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"

	"github.com/deltaledger/deltaledger/gateway/internal/transactions"
	"github.com/deltaledger/deltaledger/internal/loopback"
	"github.com/deltaledger/deltaledger/internal/private"
	"github.com/deltaledger/deltaledger/internal/profiling"
	"github.com/deltaledger/deltaledger/model"
)

// EnvPrefix starts every environment variable of the configuration.
const EnvPrefix = "DLGW_"

// Config is the gateway's configuration.
type Config struct {
	Listen    string   `yaml:"listen" help:"address the HTTPS listener binds, host:port"`
	MSPID     string   `yaml:"mspId" help:"MSP ID of the gateway's organisation, e.g. ShanghaiMSP (required)"`
	Channel   string   `yaml:"channel" help:"channel name"`
	Chaincode string   `yaml:"chaincode" help:"chaincode name"`
	Wallet    string   `yaml:"wallet" help:"wallet directory: one subdirectory per member with cert.pem+key.pem or msp/signcerts+msp/keystore (required)"`
	APIKeys   string   `yaml:"apiKeys" help:"file of API key hashes (written by 'apikey create')"`
	StateDir  string   `yaml:"stateDir" help:"directory of the gateway's own state files that are given no path (index.path); default: the configuration file's directory, else the working directory"`
	TLS       TLS      `yaml:"tls"`
	Peer      Peer     `yaml:"peer"`
	Limits    Limits   `yaml:"limits"`
	Timeouts  Timeouts `yaml:"timeouts"`
	Idem      Idem     `yaml:"idempotency"`
	Events    Events   `yaml:"events"`
	Index     Index    `yaml:"index"`
	Indices   Indices  `yaml:"indices"`
	Closer    Closer   `yaml:"closer"`
	CA        CA       `yaml:"ca"`
	Log       Log      `yaml:"log"`
	Debug     Debug    `yaml:"debug"`
}

// TLS is the listener's TLS.
type TLS struct {
	Cert      string   `yaml:"cert" help:"PEM server certificate of the listener (required unless tls.disabled)"`
	Key       string   `yaml:"key" help:"PEM private key of the listener (mode 600)"`
	ClientCAs []string `yaml:"clientCAs" help:"CAs of callers' client certificates, each MSPID=file.pem; the own org's CA maps certificates to members, other orgs' CAs are recognised to answer 403"`
	OrgMSP    string   `yaml:"orgMSP" help:"the own org's Fabric MSP folder: the CAs of its cacerts/ and intermediatecerts/ issue its members' identities (a client certificate they issued and the wallet does not hold signs itself, unless a CRL of its crls/ lists it), those of tlscacerts/ its TLS certificates (nobody's); unset: the own org's client CAs that issued a wallet member's signing certificate"`
	Disabled  bool     `yaml:"disabled" help:"serve plain HTTP, on a loopback listen address only (local tests: API keys then travel in clear)"`
}

// Peer is how the gateway reaches its org's peer.
type Peer struct {
	Address    string `yaml:"address" help:"the peer's gRPC endpoint, host:port (required)"`
	TLSCACert  string `yaml:"tlsCACert" help:"PEM CA certificate of the peer's TLS certificate (required)"`
	ServerName string `yaml:"serverName" help:"name to check the peer's TLS certificate for, when it differs from the address's host"`
	ClientCert string `yaml:"clientCert" help:"PEM TLS client certificate for a peer that requires mutual TLS"`
	ClientKey  string `yaml:"clientKey" help:"PEM TLS client key for a peer that requires mutual TLS"`
	Reader     string `yaml:"reader" help:"wallet member whose identity reads the channel's blocks, chaincode events and transactions for the ledger index, the event streams and transaction lookups: the org's admin (the channel lets its orgs' admins, peers and orderers read blocks, no member) (required)"`
}

// Limits protect the gateway and the peer. Each member has two budgets
// (token buckets): one for reads (evaluates, lists, commit status, events)
// and one for writes (submits, credit lookups, which commit a trace, and the
// computed indices, whose cost grows with the market's history), so
// that a member's reads never eat its writes' share nor the other way round.
// A request over its budget is answered 429 with Retry-After. The sum of all
// members is bounded by the peer's own gateway concurrency limit.
type Limits struct {
	BodyBytes          int64   `yaml:"bodyBytes" help:"largest request body in bytes; larger ones get 413"`
	ReadRatePerSecond  float64 `yaml:"readRatePerSecond" help:"reads per second each member may make on average (0: unlimited); more get 429"`
	ReadBurst          int     `yaml:"readBurst" help:"reads a member may make at once above the read rate"`
	WriteRatePerSecond float64 `yaml:"writeRatePerSecond" help:"writes (submits, credit lookups, computed indices) per second each member may make on average (0: unlimited); more get 429"`
	WriteBurst         int     `yaml:"writeBurst" help:"writes a member may make at once above the write rate"`
}

// The default budgets follow what the four-region network was measured to
// serve on a 2-core machine (README, "Performance"): about 120 committed
// transactions per second at all (make bench, the limit path) and 1,400
// evaluates per second of one peer. A member alone may use about 85% of
// each, so that one client cannot swamp its peer, while a member working
// alone is never held below what the network gives it; the burst is two
// seconds' worth.
const (
	DefaultReadRatePerSecond  = 1200
	DefaultReadBurst          = 2400
	DefaultWriteRatePerSecond = 100
	DefaultWriteBurst         = 200
)

// Timeouts bound each step.
type Timeouts struct {
	Evaluate   time.Duration `yaml:"evaluate" help:"bound of an evaluate (query)"`
	Endorse    time.Duration `yaml:"endorse" help:"bound of an endorsement"`
	Submit     time.Duration `yaml:"submit" help:"bound of sending a transaction to the ordering service"`
	Commit     time.Duration `yaml:"commit" help:"bound of waiting for a commit"`
	Resolve    time.Duration `yaml:"resolve" help:"bound of waiting for the commit status of a transaction whose ordering outcome is unknown"`
	StatusWait time.Duration `yaml:"statusWait" help:"how long GET /v1/transactions/{txid} waits for a commit"`
	Shutdown   time.Duration `yaml:"shutdown" help:"how long a graceful shutdown waits for in-flight requests"`
}

// Idem configures idempotency keys.
type Idem struct {
	TTL  time.Duration `yaml:"ttl" help:"how long the outcome of a submit with an Idempotency-Key is kept"`
	File string        `yaml:"file" help:"file that keeps idempotent outcomes across restarts (empty: memory only)"`
	// MaxPerMember and MaxBytes bound the outcomes kept (transactions.WithLimits).
	MaxPerMember int `yaml:"maxPerMember" help:"outcomes of Idempotency-Keys kept for one member at most; a new key past it is 429 with Retry-After"`
	MaxBytes     int `yaml:"maxBytes" help:"bytes of outcomes of Idempotency-Keys kept for every member together at most, a quarter of them for one member; a new key past either is 429 with Retry-After"`
}

// Events configures the event stream.
type Events struct {
	Heartbeat time.Duration `yaml:"heartbeat" help:"interval of SSE keep-alive comments"`
}

// Index configures the off-chain ledger index (package index).
type Index struct {
	Enabled bool          `yaml:"enabled" help:"keep the ledger index (a projection of the channel's blocks) and serve the catalogue, portfolios, trade histories, flows and market statistics from it"`
	Path    string        `yaml:"path" help:"SQLite file of the ledger index (default: market-index.db in stateDir); deleting it makes the gateway rebuild it from the ledger"`
	DSN     string        `yaml:"dsn" secret:"dsn" help:"PostgreSQL connection string (postgres://user:password@host:port/database); when set, the index is kept there instead of in SQLite (the database needs the pg_trgm extension, or the right to create it). A password goes in the environment or a configuration file of mode 600, never in this flag (other users see flags in the process list); or in PGPASSWORD or ~/.pgpass"`
	MaxWait time.Duration `yaml:"maxWait" help:"how long an answer with ?minBlock waits for the index to reach that block before answering 503"`
}

// Indices configures how the gateway closes the periods of the published
// indices by itself (package publisher).
type Indices struct {
	AutoPublish bool          `yaml:"autoPublish" help:"close each ended period by itself (with index.enabled): attest its figures for this org and, when indices.member is a regulator, open and publish it; the last block counted is the ledger's own (the block before the period's opening, which the chaincode makes only at its closing instant, model.PeriodClosesAt: 7 minutes past its end, 6 for a period of 2026 or earlier, Beijing time), so no region coordinates"`
	Member      string        `yaml:"member" help:"wallet member that attests (a regulator or operator) and publishes (a regulator) (required with indices.autoPublish and index.enabled)"`
	Periods     []string      `yaml:"periods" help:"kinds of period closed: minute, hour, day, month"`
	Lookback    int           `yaml:"lookback" help:"how many of the latest periods of each kind whose closing instant (model.PeriodClosesAt) has come a round looks at, besides those that ended since (a gateway that was down catches up on them)"`
	Interval    time.Duration `yaml:"interval" help:"time between two rounds of closing periods"`
}

// Closer configures how the gateway closes by itself, after a sale of a
// holding in its member's region, the other trades still waiting on what
// was sold (package closer).
type Closer struct {
	Member   string        `yaml:"member" help:"wallet member, an operator of this org's exchange, that closes the trades the sales of a holding in its region left waiting (trades:CloseOthers), with index.enabled; empty for none"`
	Interval time.Duration `yaml:"interval" help:"longest time between two rounds of closing the trades sales left waiting (the closer also looks when the index reads a block)"`
}

// IndexStore says where the ledger index is kept: index.dsn (PostgreSQL)
// when set, else IndexFile.
func (c *Config) IndexStore() (path, dsn string) {
	return c.IndexFile(), c.Index.DSN
}

// CA is the org's Fabric CA, at which the gateway onboards members (package onboarding).
type CA struct {
	URL        string        `yaml:"url" help:"URL of the org's Fabric CA server, https://host:port (plain http for a CA on this machine only; empty: the gateway onboards no members)"`
	Name       string        `yaml:"name" help:"name of the CA, within the server, that issues the org's MSP identities"`
	TLSCACert  string        `yaml:"tlsCACert" help:"PEM certificate that verifies the CA server's TLS certificate (required with ca.url)"`
	Registrar  string        `yaml:"registrar" help:"MSP folder (signcerts/, keystore/) of the gateway's registrar at the CA, which may register client identities with the deltaledger.* attributes only, and revoke those of its affiliation (required with ca.url)"`
	CRLRefresh time.Duration `yaml:"crlRefresh" help:"how often the gateway re-reads the CA's certificate revocation list, whose certificates it refuses"`
}

// IndexFile is the market index's file: index.path, or market-index.db in
// the state directory.
func (c *Config) IndexFile() string {
	if c.Index.Path != "" {
		return c.Index.Path
	}
	return c.stateFile("market-index.db")
}

// CRLFile is where the gateway keeps its CAs' certificate revocation lists, one per CA, across restarts (package
// revocation): ca-crl.pem in the state directory.
func (c *Config) CRLFile() string {
	return c.stateFile("ca-crl.pem")
}

// stateFile is the path of one of the gateway's own state files: name in the
// state directory, or in the working directory when none is set.
func (c *Config) stateFile(name string) string {
	dir := c.StateDir
	if dir == "" {
		dir = "."
	}
	return filepath.Join(dir, name)
}

// Debug configures diagnostics, all off by default.
type Debug struct {
	PprofListen string `yaml:"pprofListen" help:"loopback address (e.g. 127.0.0.1:6060) of a plain-HTTP listener serving Go's runtime profiles (net/http/pprof), to profile the gateway under load; empty: off"`
}

// Log configures logging.
type Log struct {
	Level string `yaml:"level" help:"debug, info, warn or error"`
}

// Default returns the configuration's defaults.
func Default() Config {
	return Config{
		Listen:    "127.0.0.1:27180",
		Channel:   model.DefaultChannel,
		Chaincode: model.DefaultChaincode,
		APIKeys:   "apikeys.json",
		Limits: Limits{BodyBytes: 1 << 20,
			ReadRatePerSecond: DefaultReadRatePerSecond, ReadBurst: DefaultReadBurst,
			WriteRatePerSecond: DefaultWriteRatePerSecond, WriteBurst: DefaultWriteBurst},
		Timeouts: Timeouts{
			Evaluate: 10 * time.Second, Endorse: 15 * time.Second, Submit: 10 * time.Second,
			Commit: 60 * time.Second, Resolve: 30 * time.Second, StatusWait: 2 * time.Second, Shutdown: 30 * time.Second,
		},
		Idem:   Idem{TTL: 24 * time.Hour, MaxPerMember: transactions.DefaultMaxPerMember, MaxBytes: transactions.DefaultMaxBytes},
		Events: Events{Heartbeat: 15 * time.Second},
		Index:  Index{MaxWait: 10 * time.Second},
		Indices: Indices{AutoPublish: true, Periods: []string{model.PeriodDay, model.PeriodMonth}, Lookback: 3,
			Interval: time.Minute},
		Closer: Closer{Interval: 10 * time.Second},
		Log:    Log{Level: "info"},
		CA:     CA{Name: "ca", CRLRefresh: 30 * time.Second},
	}
}

// Setting is one configuration value with its three names.
type Setting struct {
	// Path is the YAML path, e.g. "peer.tlsCACert".
	Path string
	// Env is the environment variable, e.g. "DLGW_PEER_TLS_CA_CERT".
	Env string
	// Flag is the flag name, e.g. "peer-tls-ca-cert".
	Flag string
	// Help documents it.
	Help  string
	value reflect.Value
	// secret is how the value holds a secret (its tag "secret"): "dsn" for a connection string's password; empty
	// for none.
	secret string
}

// withoutSecret is the setting's value without the secret it may hold (a DSN's password), and whether it held one.
func (s Setting) withoutSecret() (string, bool) {
	if s.secret == "dsn" {
		return withoutDSNSecrets(s.String())
	}
	return s.String(), false
}

// Settings lists every setting of c, in declaration order; their values
// point into c.
func Settings(c *Config) []Setting {
	var out []Setting
	walk(reflect.ValueOf(c).Elem(), nil, &out)
	return out
}

func walk(v reflect.Value, path []string, out *[]Setting) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		p := append(append([]string(nil), path...), name)
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(time.Duration(0)) {
			walk(v.Field(i), p, out)
			continue
		}
		words := splitWords(p)
		*out = append(*out, Setting{
			Path:   strings.Join(p, "."),
			Env:    EnvPrefix + strings.ToUpper(strings.Join(words, "_")),
			Flag:   strings.ToLower(strings.Join(words, "-")),
			Help:   f.Tag.Get("help"),
			value:  v.Field(i),
			secret: f.Tag.Get("secret"),
		})
	}
}

// splitWords splits each camelCase path element into words, keeping
// acronyms together: tlsCACert -> tls, ca, cert.
func splitWords(path []string) []string {
	var words []string
	for _, elem := range path {
		runes := []rune(elem)
		start := 0
		for i := 1; i < len(runes); i++ {
			upper := unicode.IsUpper(runes[i])
			prevLower := unicode.IsLower(runes[i-1])
			nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1])
			// The plural of an acronym stays one word: CAs, MSPs.
			if nextLower && runes[i+1] == 's' && (i+2 == len(runes) || unicode.IsUpper(runes[i+2])) {
				nextLower = false
			}
			if upper && (prevLower || (unicode.IsUpper(runes[i-1]) && nextLower)) {
				words = append(words, string(runes[start:i]))
				start = i
			}
		}
		words = append(words, string(runes[start:]))
	}
	return words
}

// set parses s into the setting's value.
func (s Setting) set(raw string) error {
	v := s.value
	switch {
	case v.Type() == reflect.TypeOf(time.Duration(0)):
		d, err := time.ParseDuration(raw)
		if err != nil {
			return err
		}
		v.SetInt(int64(d))
	case v.Kind() == reflect.String:
		v.SetString(raw)
	case v.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return err
		}
		v.SetBool(b)
	case v.Kind() == reflect.Int, v.Kind() == reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return err
		}
		v.SetInt(n)
	case v.Kind() == reflect.Float64:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return err
		}
		v.SetFloat(f)
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String:
		var list []string
		for _, item := range strings.Split(raw, ",") {
			if item = strings.TrimSpace(item); item != "" {
				list = append(list, item)
			}
		}
		v.Set(reflect.ValueOf(list))
	default:
		return fmt.Errorf("unsupported setting type %s", v.Type())
	}
	return nil
}

// String renders the setting's current value as its flag would take it.
func (s Setting) String() string {
	v := s.value
	switch {
	case v.Type() == reflect.TypeOf(time.Duration(0)):
		return time.Duration(v.Int()).String()
	case v.Kind() == reflect.Slice:
		return strings.Join(v.Interface().([]string), ",")
	default:
		return fmt.Sprint(v.Interface())
	}
}

// flagValue adapts a Setting to pflag.Value. It keeps the raw text it was
// given, so that Load can apply it again after the file and environment.
type flagValue struct {
	s    Setting
	kind string
	def  string
	raw  string
}

func (f *flagValue) String() string {
	if f.raw != "" {
		return f.raw
	}
	return f.def
}

func (f *flagValue) Set(raw string) error {
	if err := f.s.set(raw); err != nil {
		return err
	}
	f.raw = raw
	return nil
}

func (f *flagValue) Type() string { return f.kind }

// Bind defines a flag for every setting of c on fs; a flag that is given
// sets the value in c when the flags are parsed. Call Bind on a Config
// holding the defaults, then Load into the same Config.
func Bind(fs *pflag.FlagSet, c *Config) {
	for _, s := range Settings(c) {
		kind := s.value.Kind().String()
		switch {
		case s.value.Type() == reflect.TypeOf(time.Duration(0)):
			kind = "duration"
		case s.value.Kind() == reflect.Slice:
			kind = "list"
		}
		help := s.Help + " (env " + s.Env + ", yaml " + s.Path + ")"
		fs.Var(&flagValue{s: s, kind: kind, def: s.String()}, s.Flag, help)
	}
}

// Load reads the YAML file at path (if not empty) into c, which holds the
// defaults, then applies the environment, then re-applies the flags of fs
// that were given, so that the precedence is flags > environment > file >
// defaults. Unknown YAML keys and unknown DLGW_ variables are an error: a typo
// must not pass unseen. A stateDir that none of them sets is the file's
// directory. A secret given as a flag (CheckNoSecretFlags), or held by a file
// its group or other users may read, is refused.
func Load(c *Config, path string, fs *pflag.FlagSet, environ []string) error {
	if fs != nil {
		if err := CheckNoSecretFlags(fs); err != nil {
			return err
		}
	}
	if path != "" {
		if err := loadFile(c, path); err != nil {
			return err
		}
	}
	env := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	known := map[string]bool{}
	for _, s := range Settings(c) {
		known[s.Env] = true
		if v, ok := env[s.Env]; ok {
			if err := s.set(v); err != nil {
				return fmt.Errorf("%s: %w", s.Env, err)
			}
		}
	}
	for k := range env {
		if strings.HasPrefix(k, EnvPrefix) && !known[k] {
			return fmt.Errorf("%s is not a setting of the gateway (serve --help lists them)", k)
		}
	}
	if fs != nil {
		var err error
		byFlag := map[string]Setting{}
		for _, s := range Settings(c) {
			byFlag[s.Flag] = s
		}
		fs.Visit(func(f *pflag.Flag) {
			fv, ok := f.Value.(*flagValue)
			s, known := byFlag[f.Name]
			if !ok || !known || err != nil {
				return
			}
			if e := s.set(fv.raw); e != nil {
				err = fmt.Errorf("--%s: %w", s.Flag, e)
			}
		})
		if err != nil {
			return err
		}
	}
	if c.StateDir == "" && path != "" {
		c.StateDir = filepath.Dir(path)
	}
	return nil
}

// loadFile reads the YAML file at path into c. A file that holds a secret (index.dsn's password) must be its
// owner's alone, as the API key file and the wallet's keys are: its group or other users would read the secret.
func loadFile(c *Config, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("reading config: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("reading config: %w", err)
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return fmt.Errorf("reading config: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("config %s: %w", path, err)
	}
	if !private.OthersMayRead(info) {
		return nil
	}
	for _, s := range Settings(c) {
		if _, held := s.withoutSecret(); held {
			return fmt.Errorf("config %s (mode %04o) may be read by its group or other users, and %s holds a password; chmod 600 it",
				path, info.Mode().Perm(), s.Path)
		}
	}
	return nil
}

// CheckNoSecretFlags refuses a secret given as a flag of fs (bound by Bind): a DSN with a password, which every
// user of the machine could read in the process list. The error names the flag, never the value, and where the
// secret goes instead.
func CheckNoSecretFlags(fs *pflag.FlagSet) error {
	var err error
	fs.Visit(func(f *pflag.Flag) {
		fv, ok := f.Value.(*flagValue)
		if !ok || fv.s.secret == "" || err != nil {
			return
		}
		if _, held := withoutDSNSecrets(fv.raw); held {
			err = fmt.Errorf("--%s holds a password, which other users of this machine can read in the process list: give the connection string in %s or in the configuration file's %s (mode 600), or the password in PGPASSWORD or ~/.pgpass",
				fv.s.Flag, fv.s.Env, fv.s.Path)
		}
	})
	return err
}

// Validate reports the first missing or inconsistent setting.
func (c *Config) Validate() error {
	required := map[string]string{
		"listen": c.Listen, "mspId": c.MSPID, "channel": c.Channel, "chaincode": c.Chaincode,
		"wallet": c.Wallet, "apiKeys": c.APIKeys, "peer.address": c.Peer.Address, "peer.tlsCACert": c.Peer.TLSCACert,
		"peer.reader": c.Peer.Reader,
	}
	if !c.TLS.Disabled {
		required["tls.cert"], required["tls.key"] = c.TLS.Cert, c.TLS.Key
	} else if c.Listen != "" && !loopback.Address(c.Listen) {
		// Plain HTTP hands every caller's API key to whoever sees the
		// traffic: it may only listen where no other machine can reach.
		return fmt.Errorf("tls.disabled needs a loopback listen address such as 127.0.0.1:27180 (API keys would travel in clear), got listen %q", c.Listen)
	}
	for _, s := range Settings(c) {
		if v, ok := required[s.Path]; ok && v == "" {
			return fmt.Errorf("%s is required (flag --%s, env %s)", s.Path, s.Flag, s.Env)
		}
	}
	if c.Index.Enabled && c.Indices.AutoPublish && c.Indices.Member == "" {
		return errors.New("indices.member is required with index.enabled and indices.autoPublish (flag --indices-member, env DLGW_INDICES_MEMBER): the wallet member that attests and publishes the periods, a regulator or operator")
	}
	for _, kind := range c.Indices.Periods {
		if err := model.CheckPeriodKind(kind); err != nil {
			return fmt.Errorf("indices.periods: %w", err)
		}
	}
	if c.Indices.AutoPublish && c.Index.Enabled && (c.Indices.Interval < time.Second || c.Indices.Lookback < 1) {
		return errors.New("indices.interval must be at least 1s and indices.lookback at least 1 (flags --indices-interval, --indices-lookback)")
	}
	if c.Closer.Member != "" && c.Index.Enabled && c.Closer.Interval < time.Second {
		return errors.New("closer.interval must be at least 1s (flag --closer-interval)")
	}
	if c.CA.URL != "" && (c.CA.TLSCACert == "" || c.CA.Registrar == "" || c.CA.Name == "") {
		return errors.New("ca.url needs ca.name, ca.tlsCACert and ca.registrar (flags --ca-name, --ca-tls-ca-cert, --ca-registrar)")
	}
	if c.CA.URL != "" && c.CA.CRLRefresh < time.Second {
		return errors.New("ca.crlRefresh must be at least 1s (flag --ca-crl-refresh)")
	}
	if (c.Peer.ClientCert == "") != (c.Peer.ClientKey == "") {
		return errors.New("peer.clientCert and peer.clientKey go together")
	}
	for _, ca := range c.TLS.ClientCAs {
		if msp, file, ok := strings.Cut(ca, "="); !ok || msp == "" || file == "" {
			return fmt.Errorf("tls.clientCAs: %q must be MSPID=file.pem", ca)
		}
	}
	if c.Idem.MaxPerMember < 1 || c.Idem.MaxBytes < 1<<20 {
		return fmt.Errorf("idempotency.maxPerMember must be at least 1 and idempotency.maxBytes at least 1 MiB, got %d and %d", c.Idem.MaxPerMember, c.Idem.MaxBytes)
	}
	if c.Limits.BodyBytes < 1024 {
		return errors.New("limits.bodyBytes must be at least 1024")
	}
	for _, b := range []struct {
		name  string
		rate  float64
		burst int
	}{{"read", c.Limits.ReadRatePerSecond, c.Limits.ReadBurst}, {"write", c.Limits.WriteRatePerSecond, c.Limits.WriteBurst}} {
		if b.rate < 0 {
			return fmt.Errorf("limits.%sRatePerSecond must not be negative (0 is unlimited), got %v", b.name, b.rate)
		}
		if b.rate > 0 && b.burst < 1 {
			return fmt.Errorf("limits.%sBurst must be at least 1 with a %s rate, got %d", b.name, b.name, b.burst)
		}
	}
	if c.Debug.PprofListen != "" {
		if err := profiling.CheckAddress(c.Debug.PprofListen); err != nil {
			return fmt.Errorf("debug.pprofListen %w", err)
		}
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("log.level must be debug, info, warn or error, got %q", c.Log.Level)
	}
	return nil
}
