package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/deltaledger/deltaledger/internal/envfile"
	"github.com/deltaledger/deltaledger/internal/private"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// defaultKeysFile is where `make up` writes the local network's demo
// gateways and API keys, relative to the repository root.
const defaultKeysFile = "network/.state/gateways/demo-keys.env"

// Roles a profile may name: the demo members of each org.
var profileRoles = append([]string{"admin"}, model.Roles...)

// profile is what a keys file says about one member: its gateway, the CA
// to verify it with and its API key.
type profile struct {
	gateway, ca, apiKey string
	// session is the CLI's session file of the network (see sessionFile).
	session string
}

// findKeysFile returns path when it exists; a relative path that does not
// exist is also looked for in the parent directories (so that the default
// works from anywhere in the repository).
func findKeysFile(path string) (string, error) {
	if _, err := os.Stat(path); err == nil || filepath.IsAbs(path) {
		return path, err
	}
	dir, err := envfile.FindUp("", path)
	if err != nil {
		return "", ledgererr.Messagef("no %s here or in a folder above (run 'make up' first, or give --keys-file)", path)
	}
	return filepath.Join(dir, path), nil
}

// loadProfile reads org's gateway and CA and role's API key from a keys
// file: <ORG>_GW, <ORG>_CA and <ORG>_<ROLE>_KEY.
func loadProfile(keysFile, org, role string) (*profile, error) {
	if org == "" || role == "" {
		return nil, ledgererr.Messagef("a profile needs both an org and a role (--org ORG --role ROLE, or --profile ORG/ROLE)")
	}
	known := false
	for _, r := range profileRoles {
		known = known || strings.EqualFold(r, role)
	}
	if !known {
		return nil, ledgererr.Messagef("unknown role %q: want one of %s", role, strings.Join(profileRoles, ", "))
	}
	path, err := findKeysFile(keysFile)
	if err != nil {
		return nil, err
	}
	// It is looked for in the parent folders too, where another user may have planted one naming a gateway of theirs,
	// or could put one in its place (its folder, or the folder of the file it links to).
	if err := private.CheckNamedFile(path); err != nil {
		return nil, err
	}
	// It holds API keys, which act as their members at the gateway: like a private key, it is its owner's alone.
	if info, err := os.Stat(path); err == nil && private.OthersMayRead(info) {
		return nil, ledgererr.Messagef("%s holds API keys and may be read by other users (mode %s); chmod 600 it", path,
			fmt.Sprintf("%04o", info.Mode().Perm()))
	}
	vars, err := envfile.Read(path)
	if err != nil {
		return nil, err
	}
	o, r := strings.ToUpper(org), strings.ToUpper(role)
	p := &profile{gateway: vars[o+"_GW"], ca: vars[o+"_CA"], apiKey: vars[o+"_"+r+"_KEY"],
		session: filepath.Join(filepath.Dir(path), sessionFileName)}
	for name, v := range map[string]string{o + "_GW": p.gateway, o + "_" + r + "_KEY": p.apiKey} {
		if v == "" {
			return nil, ledgererr.Messagef("%s has no %s (is %q an org of the network?)", path, name, org)
		}
	}
	// The gateway is verified with it: whoever could change or replace it could pose as the gateway.
	if err := private.CheckNamedFile(p.ca); err != nil {
		return nil, err
	}
	return p, nil
}

// splitProfile reads "org/role" (or "org.role").
func splitProfile(s string) (org, role string, err error) {
	org, role, ok := strings.Cut(s, "/")
	if !ok {
		org, role, ok = strings.Cut(s, ".")
	}
	if !ok || org == "" || role == "" {
		return "", "", ledgererr.Messagef("--profile %q: want ORG/ROLE, e.g. jiangsu/buyer", s)
	}
	return org, role, nil
}
