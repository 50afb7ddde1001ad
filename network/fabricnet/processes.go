package fabricnet

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Process is a process of the network as its PID file records it: scripts
// (scripts/lib/common.sh proc_start) write one per process they start, named
// after the process, as "<pid> <start> <boot> <executable>".
type Process struct {
	// Name is the process's name in the scripts: "peer-shanghai",
	// "bench-gateway-anhui".
	Name string
	// Role is the name without its org: "peer", "bench-gateway"; the whole
	// name for a process of no org.
	Role string
	// PID is the process ID it was started with.
	PID int
	// Start is its start time in clock ticks after boot (field 22 of
	// /proc/PID/stat), which tells it from a later process given the same
	// PID; 0 in a PID file of the older form "<pid> <executable>".
	Start uint64
}

// PIDFile is the PID file of the network's process name.
func (c *Config) PIDFile(name string) string {
	return filepath.Join(c.StateDir(), "run", name+".pid")
}

// ServingChaincode is the process of o's chaincode service that serves the
// committed definition: chaincode-<org> on CHAINCODE_PORT or, after an odd
// number of upgrades, chaincode-next-<org> on CHAINCODE_NEXT_PORT, as
// scripts/lib/deploy.sh records it in run/chaincode-<org>.serving.
func (c *Config) ServingChaincode(o Org) string {
	first, next := "chaincode-"+o.Key, "chaincode-next-"+o.Key
	b, err := os.ReadFile(filepath.Join(filepath.Dir(c.PIDFile(first)), first+".serving"))
	if err == nil && strings.TrimSpace(string(b)) == next {
		return next
	}
	return first
}

// Processes returns the processes whose PID files the network's folder
// holds, in the order of their names; whether each still runs is for the
// caller to tell (a PID file stays after its process exits).
func (c *Config) Processes() ([]Process, error) {
	files, err := filepath.Glob(c.PIDFile("*"))
	if err != nil {
		return nil, err
	}
	out := make([]Process, 0, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		p, err := parsePIDFile(strings.TrimSuffix(filepath.Base(f), ".pid"), string(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		p.Role = c.role(p.Name)
		out = append(out, p)
	}
	return out, nil
}

// role is a process name without the org it ends in.
func (c *Config) role(name string) string {
	for _, o := range c.Orgs {
		if r, ok := strings.CutSuffix(name, "-"+o.Key); ok {
			return r
		}
	}
	return name
}

func parsePIDFile(name, line string) (Process, error) {
	f := strings.Fields(line)
	if len(f) == 0 {
		return Process{}, fmt.Errorf("empty PID file")
	}
	pid, err := strconv.Atoi(f[0])
	if err != nil || pid <= 0 {
		return Process{}, fmt.Errorf("%q is not a PID", f[0])
	}
	p := Process{Name: name, PID: pid}
	if len(f) >= 4 {
		if p.Start, err = strconv.ParseUint(f[1], 10, 64); err != nil {
			return Process{}, fmt.Errorf("%q is not a start time", f[1])
		}
	}
	return p, nil
}
