//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/readmetest"
)

// nodeClientDir holds the foreign-client conformance program: package.json
// and package-lock.json pin @hyperledger/fabric-gateway and its
// dependencies, installed by the test with npm ci.
const nodeClientDir = "nodeclient"

// minNode is the oldest Node.js that loads @hyperledger/fabric-gateway
// 1.12.1, whose dependencies are ES modules loaded with require().
var minNode = [2]int{20, 19}

// foreignConfig is what the conformance program is told about the network:
// what another organisation's developer would have in a connection profile.
type foreignConfig struct {
	Channel   string                `json:"channel"`
	Chaincode string                `json:"chaincode"`
	Run       string                `json:"run"`
	Orgs      map[string]foreignOrg `json:"orgs"`
}

type foreignOrg struct {
	MSPID        string                 `json:"mspId"`
	PeerEndpoint string                 `json:"peerEndpoint"`
	TLSRootCert  string                 `json:"tlsRootCert"`
	Users        map[string]foreignUser `json:"users"`
}

type foreignUser struct {
	Cert string `json:"cert"`
	Key  string `json:"key"`
}

// foreignResult is the program's summary line, "RESULT <json>".
type foreignResult struct {
	Checks     int       `json:"checks"`
	AssetID    string    `json:"assetId"`
	Fixed      tradeDone `json:"fixed"`
	SameRegion tradeDone `json:"sameRegion"`
	Negotiated tradeDone `json:"negotiated"`
	Credit     struct {
		RecordID string `json:"recordId"`
		TraceID  string `json:"traceId"`
	} `json:"credit"`
	Events struct {
		Total           int    `json:"total"`
		CheckpointBlock string `json:"checkpointBlock"`
	} `json:"events"`
	ExpectedEvents int `json:"expectedEvents"`
}

type tradeDone struct {
	TradeID string `json:"tradeId"`
	RightID string `json:"rightId"`
}

// TestForeignNodeClient runs the foreign-client conformance program
// (nodeclient/conformance.mjs): the official Node.js Fabric client, with
// nothing of DeltaLedger's code, registers an asset, completes a fixed-price
// trade across regions and negotiated ones inside one region and across
// regions (every round's terms staged first, endorsed by the buyer's and the
// seller's orgs alone), looks up a credit record, and
// reads the chaincode events from block 0 with a checkpoint, checking every
// hash it computes itself. The test then checks on the ledger, through the
// Go client, that what the program reports happened.
func TestForeignNodeClient(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("SKIPPED: Node.js is not installed (no node on PATH); the foreign-client conformance test needs Node.js " +
			fmt.Sprintf("%d.%d", minNode[0], minNode[1]) + " or later with npm (.ci/run installs it)")
	}
	npm, err := exec.LookPath("npm")
	require.NoError(t, err, "node is installed but npm is not")
	requireNodeVersion(t, node)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if !nodeModulesMatchLock(t) {
		// Install scripts are not needed (pkcs11js, for HSM signing, is
		// optional) and would compile native code.
		// --prefer-offline: a warm npm cache is enough (inside a network
		// namespace there is no registry); without one, fail fast.
		install := exec.CommandContext(ctx, npm, "ci", "--prefer-offline", "--fetch-timeout=20000", "--fetch-retries=1",
			"--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")
		install.Dir = nodeClientDir
		out, err := install.CombinedOutput()
		require.NoError(t, err, "npm ci in %s (it needs the npm registry; inside a network namespace, run it outside first):\n%s", nodeClientDir, out)
		require.True(t, nodeModulesMatchLock(t), "npm ci did not install what package-lock.json names")
	}

	configFile := filepath.Join(t.TempDir(), "network.json")
	writeForeignConfig(t, configFile, run+"-node")

	program := exec.CommandContext(ctx, node, "conformance.mjs")
	program.Dir = nodeClientDir
	program.Env = append(os.Environ(), "DELTALEDGER_FOREIGN_CONFIG="+configFile)
	var stdout, stderr bytes.Buffer
	program.Stdout, program.Stderr = &stdout, &stderr
	err = program.Run()
	require.NoError(t, err, "the conformance program failed:\n%s\n%s", stdout.String(), stderr.String())

	result := parseForeignResult(t, stdout.Bytes())
	t.Logf("foreign Node.js client: %d checks passed, %d chaincode events read (%d of this run), resumed after block %s",
		result.Checks, result.Events.Total, result.ExpectedEvents, result.Events.CheckpointBlock)
	assert.Greater(t, result.Checks, 50)
	assert.GreaterOrEqual(t, result.Events.Total, result.ExpectedEvents)

	// What the program reports is on the ledger, as the Go client reads it.
	observer := member(t, "anhui", "regulator")
	for _, done := range []tradeDone{result.Fixed, result.SameRegion, result.Negotiated} {
		var tr trade
		evaluate(t, observer, &tr, "trades:Get", []string{done.TradeID})
		assert.Equal(t, "COMPLETED", tr.Status, done.TradeID)
		assert.Equal(t, done.RightID, tr.RightID, done.TradeID)
	}
	var traces struct {
		Items []trace `json:"items"`
	}
	var rec creditRecord
	evaluate(t, observer, &rec, "credit:GetRecord", []string{result.Credit.RecordID})
	evaluate(t, observer, &traces, "credit:ListTraces", []string{rec.SubjectUSCC, "100", ""})
	var traceIDs []string
	for _, tr := range traces.Items {
		traceIDs = append(traceIDs, tr.TraceID)
	}
	assert.Contains(t, traceIDs, result.Credit.TraceID)
}

// nodeModulesMatchLock tells whether node_modules holds exactly the
// packages and versions of the committed package-lock.json, as npm's own
// record of what it installed (node_modules/.package-lock.json) says; then
// the test needs no registry.
func nodeModulesMatchLock(t *testing.T) bool {
	t.Helper()
	versions := func(path string) (map[string]string, error) {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		var lock struct {
			Packages map[string]struct {
				Version string `json:"version"`
			} `json:"packages"`
		}
		if err := json.Unmarshal(b, &lock); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out := map[string]string{}
		for name, p := range lock.Packages {
			if name != "" { // the root project itself
				out[name] = p.Version
			}
		}
		return out, nil
	}
	want, err := versions(filepath.Join(nodeClientDir, "package-lock.json"))
	require.NoError(t, err)
	got, err := versions(filepath.Join(nodeClientDir, "node_modules", ".package-lock.json"))
	return err == nil && maps.Equal(got, want)
}

// requireNodeVersion fails the test, naming the version, when node is older
// than minNode: that is a broken setup, not a reason to skip.
func requireNodeVersion(t *testing.T, node string) {
	t.Helper()
	out, err := exec.Command(node, "-p", "process.versions.node").Output()
	require.NoError(t, err)
	version := strings.TrimSpace(string(out))
	parts := strings.SplitN(version, ".", 3)
	require.Len(t, parts, 3, "node version %q", version)
	major, _ := strconv.Atoi(parts[0])
	minor, _ := strconv.Atoi(parts[1])
	require.True(t, major > minNode[0] || major == minNode[0] && minor >= minNode[1],
		"Node.js %s is too old: @hyperledger/fabric-gateway 1.12.1 needs %d.%d or later", version, minNode[0], minNode[1])
}

// writeForeignConfig describes the network to the conformance program: each
// org's peer, TLS CA and the certificate and key files of its members by role
// and of its admin ("admin"), who reads the channel's blocks and events.
func writeForeignConfig(t *testing.T, path, runID string) {
	t.Helper()
	cfg := testNet.Config()
	fc := foreignConfig{Channel: cfg.Channel, Chaincode: cfg.Chaincode, Run: runID, Orgs: map[string]foreignOrg{}}
	for _, o := range cfg.Orgs {
		fo := foreignOrg{MSPID: o.MSPID, PeerEndpoint: o.PeerEndpoint, TLSRootCert: cfg.TLSRootCertFile(o), Users: map[string]foreignUser{}}
		for _, role := range append(slices.Collect(maps.Keys(cfg.Roles)), "Admin") {
			msp := cfg.UserMSPDir(o, role)
			fo.Users[strings.ToLower(role)] = foreignUser{Cert: onlyFile(t, filepath.Join(msp, "signcerts")), Key: onlyFile(t, filepath.Join(msp, "keystore"))}
		}
		fc.Orgs[o.Key] = fo
	}
	b, err := json.MarshalIndent(fc, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o600))
}

// onlyFile is the path of the one file in dir (an MSP's signcerts/ or keystore/).
func onlyFile(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var files []string
	for _, e := range entries {
		if !e.IsDir() {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	require.Len(t, files, 1, "files in %s", dir)
	return files[0]
}

// parseForeignResult finds and decodes the program's "RESULT <json>" line.
func parseForeignResult(t *testing.T, stdout []byte) foreignResult {
	t.Helper()
	var result foreignResult
	sc := bufio.NewScanner(bytes.NewReader(stdout))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	found := false
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), "RESULT "); ok {
			require.NoError(t, json.Unmarshal([]byte(line), &result))
			found = true
		}
	}
	require.True(t, found, "no RESULT line in the program's output:\n%s", stdout)
	return result
}

// integrationGuide is the guide for foreign clients; its peer CLI section is
// run as written.
const (
	integrationGuide         = "docs/integration.md"
	integrationGuideCLIBlock = "## A full trade with the peer CLI"
)

// The integration guide's full trade with the peer CLI works as written.
func TestIntegrationGuidePeerCLI(t *testing.T) {
	cfg := testNet.Config()
	script, err := readmetest.BashBlocks(filepath.Join(cfg.Root, integrationGuide), integrationGuideCLIBlock)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", "set -e\n"+script)
	cmd.Dir = cfg.Root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the guide's peer CLI block failed:\n%s", out)
	assert.Contains(t, string(out), `"status":"COMPLETED"`, "its output:\n%s", out)
	assert.Contains(t, string(out), `"buyerId":"zhejiang.buyer"`, "its output:\n%s", out)
}
