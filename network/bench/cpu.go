package bench

import (
	"time"

	"github.com/prometheus/procfs"

	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// RoleClient is the role of the benchmark's own process in the CPU figures:
// the clients of every path (fabric-gateway and REST).
const RoleClient = "client"

// cpuTimes is the CPU time, user and system, that processes have used since
// they started, summed by role.
type cpuTimes map[string]time.Duration

// since is what each role used from earlier to t. A process that started
// in between counts whole; one that exited takes its time with it, which
// can only make a role's figure smaller.
func (t cpuTimes) since(earlier cpuTimes) cpuTimes {
	out := cpuTimes{}
	for role, d := range t {
		if used := d - earlier[role]; used > 0 {
			out[role] = used
		}
	}
	return out
}

// total is the CPU time of every role.
func (t cpuTimes) total() time.Duration {
	var sum time.Duration
	for _, d := range t {
		sum += d
	}
	return sum
}

// cpuMeter reads the CPU time of the processes an operation's cost is
// spread over.
type cpuMeter interface {
	read() cpuTimes
}

// processCPU reads, from /proc, the CPU time of the network's processes
// that run on this machine (those the PID files name, while each is still the
// process its file recorded) and of the benchmark itself. On a network of
// sites on other machines it sees only the client.
type processCPU struct {
	cfg *fabricnet.Config
	fs  procfs.FS
}

func newProcessCPU(cfg *fabricnet.Config) (*processCPU, error) {
	fs, err := procfs.NewDefaultFS()
	if err != nil {
		return nil, err
	}
	return &processCPU{cfg: cfg, fs: fs}, nil
}

func (p *processCPU) read() cpuTimes {
	t := cpuTimes{}
	if self, err := p.fs.Self(); err == nil {
		if st, err := self.Stat(); err == nil {
			t[RoleClient] += seconds(st.CPUTime())
		}
	}
	processes, err := p.cfg.Processes()
	if err != nil {
		return t
	}
	for _, proc := range processes {
		pr, err := p.fs.Proc(proc.PID)
		if err != nil {
			continue // exited
		}
		st, err := pr.Stat()
		if err != nil || (proc.Start != 0 && st.Starttime != proc.Start) {
			continue // exited, its PID since given to another process
		}
		t[proc.Role] += seconds(st.CPUTime())
	}
	return t
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
