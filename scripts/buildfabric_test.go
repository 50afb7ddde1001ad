package scripts_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeGo is a go command that answers what scripts/build-fabric.sh asks of
// it at once: three modules to download, five packages per command, of
// which `go build -v` compiles three (naming each) and writes the command,
// which prints its version as Fabric's commands do.
const fakeGo = `#!/usr/bin/env bash
case "$1 $2" in
"env GOVERSION") echo go1.26.0 ;;
"list -m")
  if [ "$3" = all ]; then printf 'm1\nm2\nm3\n'; else echo v1.0.0-20250101000000-abcdefabcdef; fi ;;
"mod download") for i in 1 2 3; do printf '{\n\t"Path": "m%s"\n}\n' $i; done ;;
"list -deps") for i in 1 2 3 4 5; do echo "pkg$i"; done ;;
"build -v")
  out=$4 pkg=${!#}
  for i in 1 2 3; do echo "$pkg/internal$i"; done
  printf '#!/bin/sh\necho " Version: 9.9.9"\n' >"$out/${pkg##*/}"
  chmod +x "$out/${pkg##*/}" ;;
*) echo "fake go: $*" >&2; exit 2 ;;
esac
`

// The first build reports its progress to a log (not a terminal): the
// module downloads, then each command in turn with its number, its packages
// compiled out of those it needs and its time; a second build with the same
// pins does nothing and says so.
func TestFabricBuildShowsProgressPerCommand(t *testing.T) {
	root := t.TempDir()
	for _, dir := range []string{"scripts", "network/tools/fabric-ca", "fakebin"} {
		require.NoError(t, os.MkdirAll(filepath.Join(root, dir), 0o755))
	}
	script, err := os.ReadFile("build-fabric.sh")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root, "scripts", "build-fabric.sh"), script, 0o755))
	for _, tools := range []string{"network/tools", "network/tools/fabric-ca"} {
		require.NoError(t, os.WriteFile(filepath.Join(root, tools, "go.sum"), nil, 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(root, "fakebin", "go"), []byte(fakeGo), 0o755))
	build := func() (stdout, stderr string) {
		cmd := exec.Command("bash", filepath.Join(root, "scripts", "build-fabric.sh"))
		cmd.Env = append(os.Environ(), "PATH="+filepath.Join(root, "fakebin")+":"+os.Getenv("PATH"))
		var out, errOut strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errOut
		require.NoError(t, cmd.Run(), "stdout:\n%s\nstderr:\n%s", &out, &errOut)
		return out.String(), errOut.String()
	}

	stdout, stderr := build()
	for _, want := range []string{
		`build-fabric: modules of fabric: 3 in the module cache \(\d+ s\)`,
		`build-fabric: downloading modules of fabric: 1 \(of at most 3\), \d+ s`, // a log has a progress line every 15 s, the first at once
		`build-fabric: \[1/5\] peer built in \d+ s \(3 packages compiled, the rest from the build cache\)`,
		`build-fabric: \[2/5\] orderer built in \d+ s`,
		`build-fabric: \[3/5\] configtxgen built in \d+ s`,
		`build-fabric: \[4/5\] configtxlator built in \d+ s`,
		`build-fabric: \[5/5\] osnadmin built in \d+ s`,
		`build-fabric: modules of fabric-ca: 3 in the module cache`,
		`build-fabric: \[1/2\] fabric-ca-server built in \d+ s`,
		`build-fabric: \[2/2\] fabric-ca-client built in \d+ s`,
	} {
		assert.Regexp(t, regexp.MustCompile(want), stderr)
	}
	assert.NotContains(t, stderr, "\r", "no line rewritten in place when stderr is not a terminal")
	assert.Contains(t, stdout, "build-fabric: building peer orderer configtxgen configtxlator osnadmin of fabric 3.1.1")
	assert.Contains(t, stdout, "build-fabric: peer version 9.9.9")
	for _, c := range []string{"peer", "orderer", "configtxgen", "configtxlator", "osnadmin", "fabric-ca-server", "fabric-ca-client"} {
		assert.FileExists(t, filepath.Join(root, "bin", c))
	}

	stdout, stderr = build()
	assert.Contains(t, stdout, "build-fabric: bin/ already has fabric 3.1.1")
	assert.Contains(t, stdout, "build-fabric: bin/ already has fabric-ca 1.5.15")
	assert.NotContains(t, stderr, "built in", "nothing is built again")
}
