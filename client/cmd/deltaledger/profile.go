package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/deltaledger/deltaledger/model"
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
}

// readEnvFile reads a file of shell variable assignments (NAME=value, as
// demo-keys.env holds; comments, blank lines, "export" and quotes allowed).
func readEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	vars := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("%s:%d: not NAME=value", path, n)
		}
		value = strings.TrimSpace(value)
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
			value = value[1 : len(value)-1]
		}
		vars[strings.TrimSpace(name)] = value
	}
	return vars, sc.Err()
}

// findKeysFile returns path when it exists; a relative path that does not
// exist is also looked for in the parent directories (so that the default
// works from anywhere in the repository).
func findKeysFile(path string) (string, error) {
	if _, err := os.Stat(path); err == nil || filepath.IsAbs(path) {
		return path, err
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		candidate := filepath.Join(dir, path)
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no %s here or in a parent directory (run `make up` first, or give --keys-file)", path)
		}
		dir = parent
	}
}

// loadProfile reads org's gateway and CA and role's API key from a keys
// file: <ORG>_GW, <ORG>_CA and <ORG>_<ROLE>_KEY.
func loadProfile(keysFile, org, role string) (*profile, error) {
	if org == "" || role == "" {
		return nil, fmt.Errorf("a profile needs both an org and a role (--org ORG --role ROLE, or --profile ORG/ROLE)")
	}
	known := false
	for _, r := range profileRoles {
		known = known || strings.EqualFold(r, role)
	}
	if !known {
		return nil, fmt.Errorf("unknown role %q: want one of %s", role, strings.Join(profileRoles, ", "))
	}
	path, err := findKeysFile(keysFile)
	if err != nil {
		return nil, err
	}
	vars, err := readEnvFile(path)
	if err != nil {
		return nil, err
	}
	o, r := strings.ToUpper(org), strings.ToUpper(role)
	p := &profile{gateway: vars[o+"_GW"], ca: vars[o+"_CA"], apiKey: vars[o+"_"+r+"_KEY"]}
	for name, v := range map[string]string{o + "_GW": p.gateway, o + "_" + r + "_KEY": p.apiKey} {
		if v == "" {
			return nil, fmt.Errorf("%s has no %s (is %q an org of the network?)", path, name, org)
		}
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
		return "", "", fmt.Errorf("--profile %q: want ORG/ROLE, e.g. jiangsu/buyer", s)
	}
	return org, role, nil
}
