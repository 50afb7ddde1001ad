package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/internal/atomicfile"
	"github.com/deltaledger/deltaledger/internal/envfile"
	"github.com/deltaledger/deltaledger/internal/private"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A member profile remembers how a member who signs for itself reaches its
// gateway and its key, so that its commands need only --member DIR (or
// DELTALEDGER_MEMBER): 'deltaledger enroll' writes it into the MSP folder it
// makes, as DIR/deltaledger.env. It holds the settings of the flags below,
// as the environment variables of the same flags, and never a secret: no
// PIN, no API key. Relative paths in it are relative to DIR.
const memberProfileName = "deltaledger.env"

// memberProfileSettings are the settings a member profile holds, each the
// environment variable of its flag; those that name files are the paths.
var (
	memberProfileSettings = []string{"DELTALEDGER_GATEWAY", "DELTALEDGER_CACERT", "DELTALEDGER_CLIENT_CERT",
		"DELTALEDGER_KEY", "DELTALEDGER_PKCS11_LIB", "DELTALEDGER_PKCS11_LABEL", "DELTALEDGER_CHANNEL", "DELTALEDGER_CHAINCODE"}
	memberProfilePaths = []string{"DELTALEDGER_CACERT", "DELTALEDGER_CLIENT_CERT", "DELTALEDGER_KEY", "DELTALEDGER_PKCS11_LIB"}
)

// otherIdentities are the settings of other ways to say who the caller is:
// a member profile is the whole identity, so the environment's are ignored
// and the flags refused beside it.
var otherIdentities = map[string]string{"api-key": "DELTALEDGER_API_KEY", "client-key": "DELTALEDGER_CLIENT_KEY",
	"org": "DELTALEDGER_ORG", "role": "DELTALEDGER_ROLE", "profile": "DELTALEDGER_PROFILE"}

// useMemberProfile reads the member profile of --member (or
// DELTALEDGER_MEMBER), if any: its settings come before the environment's
// (a flag still wins), and the member's session is kept beside it.
func (a *app) useMemberProfile() error {
	dir := a.setting("member", a.member, "DELTALEDGER_MEMBER")
	if dir == "" {
		return nil
	}
	for flag := range otherIdentities {
		if a.flags.Changed(flag) {
			return usagef("--member names the member: give no --%s with it", flag)
		}
	}
	path := filepath.Join(dir, memberProfileName)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return usagef("--member %s: no %s there (written by 'deltaledger enroll --msp-dir %s')", dir, memberProfileName, dir)
	}
	for _, p := range []string{dir, path} {
		if err := private.Check(p); err != nil {
			return usageError{err}
		}
	}
	values, err := envfile.Read(path)
	if err != nil {
		return usageError{err}
	}
	for k, v := range values {
		if !slices.Contains(memberProfileSettings, k) {
			return usagef("%s: %s is not a setting of a member profile (it holds %s, never a secret)", path, k, strings.Join(memberProfileSettings, ", "))
		}
		if slices.Contains(memberProfilePaths, k) && v != "" && !filepath.IsAbs(v) && !bareLibrary(k, v) {
			values[k] = filepath.Join(dir, v)
		}
	}
	for _, k := range memberProfilePaths {
		if err := private.CheckNamedFile(values[k]); err != nil {
			return usageError{err}
		}
	}
	env := a.getenv
	a.getenv = func(name string) string {
		if v, ok := values[name]; ok {
			return v
		}
		for _, masked := range otherIdentities {
			if name == masked {
				return ""
			}
		}
		return env(name)
	}
	a.sessionFile = filepath.Join(dir, sessionFileName)
	return nil
}

// bareLibrary reports whether a profile's setting k names a token's library
// by its bare name (v holds no separator), which writeMemberProfile keeps for
// the dynamic loader to find: not a file in the profile's folder.
func bareLibrary(k, v string) bool {
	return k == "DELTALEDGER_PKCS11_LIB" && !strings.ContainsRune(v, filepath.Separator)
}

// writeMemberProfile writes the member profile of an enrollment into its MSP
// folder dir: the gateway and CA it enrolled through, its certificate, and
// its key file or the token that holds its key.
func (a *app) writeMemberProfile(dir string, keyFile string) (string, error) {
	values := map[string]string{"DELTALEDGER_GATEWAY": a.connected.gateway, "DELTALEDGER_CLIENT_CERT": client.MSPCertFile}
	// The market's names, where they are not the defaults, so that the member signs for that market only.
	if channel, chaincode := a.deployment(); channel != model.DefaultChannel || chaincode != model.DefaultChaincode {
		values["DELTALEDGER_CHANNEL"], values["DELTALEDGER_CHAINCODE"] = channel, chaincode
	}
	if a.connected.caCert != "" {
		ca, err := filepath.Abs(a.connected.caCert)
		if err != nil {
			return "", err
		}
		values["DELTALEDGER_CACERT"] = ca
	}
	if keyFile != "" {
		values["DELTALEDGER_KEY"] = keyFile
	} else {
		lib := a.setting("pkcs11-lib", a.pkcs11Lib, "DELTALEDGER_PKCS11_LIB")
		if !bareLibrary("DELTALEDGER_PKCS11_LIB", lib) {
			// A library named by a path is found from anywhere; a bare name is
			// looked up by the dynamic loader.
			abs, err := filepath.Abs(lib)
			if err != nil {
				return "", err
			}
			lib = abs
		}
		values["DELTALEDGER_PKCS11_LIB"] = lib
		values["DELTALEDGER_PKCS11_LABEL"] = a.setting("pkcs11-label", a.pkcs11Label, "DELTALEDGER_PKCS11_LABEL")
	}
	var b strings.Builder
	b.WriteString("# The member profile of this enrollment: deltaledger --member " + dir + " COMMAND\n")
	for _, k := range memberProfileSettings {
		v, ok := values[k]
		if !ok {
			continue
		}
		if strings.ContainsAny(v, "'\n") {
			return "", ledgererr.Messagef("%s %q cannot be written to a member profile", k, v)
		}
		fmt.Fprintf(&b, "%s='%s'\n", k, v)
	}
	// A new file renamed over the name: a link planted there is replaced, never followed into another file.
	path := filepath.Join(dir, memberProfileName)
	_, err := atomicfile.WriteIfChanged(path, []byte(b.String()), 0o600)
	return path, err
}
